//! The test function that `#[contract]` and `#[message_contract]` wrap: taken apart once, so
//! both attributes keep the user's function verbatim as an inner item and build the same outer
//! test around it.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{ItemFn, ReturnType};

/// How the outer test drives the body.
pub(crate) enum Driver {
    /// A plain `fn`: the runtime calls it directly.
    Sync,
    /// An `async fn` with no test attribute of the user's: the runtime brings its own executor.
    OwnRuntime,
    /// An `async fn` under the user's test attribute (`#[tokio::test]`), which drives the outer
    /// test: the runtime's future is awaited in it.
    Attached,
}

/// The user's test function, with its test attributes split from the others.
pub(crate) struct TestFn {
    /// The test's name, which the inner item keeps.
    pub name: syn::Ident,
    function: ItemFn,
    test_attrs: Vec<syn::Attribute>,
    other_attrs: Vec<syn::Attribute>,
}

/// Whether `attr` is a test attribute (`#[test]`, `#[tokio::test]`, `#[async_std::test]` …).
fn is_test_attribute(attr: &syn::Attribute) -> bool {
    attr.path().segments.last().is_some_and(|s| s.ident == "test")
}

impl TestFn {
    /// Takes the attributes off `function`: they go on the outer test.
    pub fn new(mut function: ItemFn) -> Self {
        let (test_attrs, other_attrs) =
            std::mem::take(&mut function.attrs).into_iter().partition(is_test_attribute);
        TestFn { name: function.sig.ident.clone(), function, test_attrs, other_attrs }
    }

    /// How the outer test must drive the body.
    pub fn driver(&self) -> Driver {
        match (self.function.sig.asyncness.is_some(), self.test_attrs.is_empty()) {
            (false, _) => Driver::Sync,
            (true, true) => Driver::OwnRuntime,
            (true, false) => Driver::Attached,
        }
    }

    /// The outer test: the user's test attribute (or `#[test]`), their other attributes, their
    /// visibility and return type, the function itself as an inner item, then `body`.
    pub fn wrap(self, body: TokenStream) -> TokenStream {
        let outer_async = if matches!(self.driver(), Driver::Attached) { quote!(async) } else { quote!() };
        let TestFn { name, function, test_attrs, other_attrs } = self;
        let test_attrs = if test_attrs.is_empty() { vec![syn::parse_quote!(#[test])] } else { test_attrs };
        let vis = &function.vis;
        let output = match &function.sig.output {
            ReturnType::Default => quote!(),
            ReturnType::Type(arrow, ty) => quote!(#arrow #ty),
        };
        quote! {
            #(#test_attrs)*
            #(#other_attrs)*
            #vis #outer_async fn #name() #output {
                #[allow(clippy::needless_pass_by_ref_mut)]
                #function
                #body
            }
        }
    }
}
