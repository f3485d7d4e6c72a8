//! `#[derive(PactExample)]`: a struct with named fields becomes an object pattern of its fields,
//! each by the field type's own `PactExample` (or refined by `#[pact(...)]`), under the name
//! serde gives it; an enum of unit variants becomes a string matched by every name it can read.
//!
//! Every unsupported shape or attribute is reported in one build, each at the offending token;
//! the type still gets an implementation that does nothing, so that its uses report no second
//! error.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Attribute, Fields, Generics, Ident, Item};

use crate::errors::Errors;
use crate::example_attr::{self, RefinementKind};

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    // Read as an item (syn's `full` parser, which the other macros use already), so the derive
    // needs no other syn feature.
    let item: Item = match syn::parse2(input) {
        Ok(item) => item,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::new();
    let mut bounds = Vec::new();
    let (name, generics, body) = match &item {
        Item::Struct(s) => {
            let input = Input { ident: &s.ident, attrs: &s.attrs };
            (&s.ident, &s.generics, structure(&input, &s.fields, &mut bounds, &mut errors))
        }
        Item::Enum(e) => {
            let input = Input { ident: &e.ident, attrs: &e.attrs };
            (&e.ident, &e.generics, enumeration(&input, e, &mut errors))
        }
        Item::Union(u) => {
            errors.spanned(
                u.union_token,
                "PactExample derives for a struct with named fields or an enum of unit variants, not a union",
            );
            (&u.ident, &u.generics, TokenStream::new())
        }
        other => {
            return syn::Error::new_spanned(other, "PactExample derives for a struct or an enum")
                .to_compile_error()
        }
    };
    let mut generics: Generics = generics.clone();
    // A generic type's fields must have examples themselves (a plain type's are checked where
    // they are used, with the field's own span).
    if !generics.params.is_empty() {
        generics.make_where_clause().predicates.extend(bounds);
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    if !errors.is_empty() {
        let compile_errors = errors.to_compile_errors();
        return quote! {
            #compile_errors
            #[automatically_derived]
            impl #impl_generics ::pact_core::__private::PactExample for #name #ty_generics #where_clause {
                fn pact_example(&self) -> ::pact_core::__private::Pattern {
                    ::core::unreachable!()
                }
            }
        };
    }
    quote! {
        #[automatically_derived]
        impl #impl_generics ::pact_core::__private::PactExample for #name #ty_generics #where_clause {
            fn pact_example(&self) -> ::pact_core::__private::Pattern {
                #body
            }
        }
    }
}

/// The parts of the type that the expansion reads.
struct Input<'a> {
    ident: &'a Ident,
    attrs: &'a [Attribute],
}

fn structure(
    input: &Input<'_>,
    fields: &Fields,
    bounds: &mut Vec<syn::WherePredicate>,
    errors: &mut Errors,
) -> TokenStream {
    let container = example_attr::container(input.attrs, errors);
    let named = match fields {
        Fields::Named(named) => named,
        Fields::Unnamed(unnamed) => {
            errors.spanned(
                unnamed,
                "PactExample derives for a struct with named fields: a tuple struct has no field names to write",
            );
            return TokenStream::new();
        }
        Fields::Unit => {
            errors.spanned(
                input.ident,
                "PactExample derives for a struct with named fields, not a unit struct",
            );
            return TokenStream::new();
        }
    };
    let type_name = input.ident.to_string();
    let mut pushes = Vec::new();
    for field in &named.named {
        let attrs = example_attr::field(&field.attrs, errors);
        if attrs.skip {
            continue;
        }
        let Some(ident) = &field.ident else { continue };
        let rust_name = ident.unraw().to_string();
        let json_name = match (&attrs.rename, container.rename_all) {
            (Some(rename), _) => rename.value(),
            (None, Some(case)) => case.field(&rust_name),
            (None, None) => rust_name.clone(),
        };
        let ty = &field.ty;
        let bound: syn::WherePredicate = match &attrs.refinement {
            None => syn::parse_quote!(#ty: ::pact_core::__private::PactExample),
            Some(_) => syn::parse_quote!(#ty: ::pact_core::__private::RefinedExample),
        };
        bounds.push(bound);
        let pattern = match &attrs.refinement {
            None => quote_spanned! {ty.span()=>
                <#ty as ::pact_core::__private::PactExample>::pact_example(&self.#ident)
            },
            Some(refinement) => {
                let value = &refinement.value;
                let constructor = match refinement.kind {
                    RefinementKind::Term => quote!(Term),
                    RefinementKind::DateTime(pact_datetime::Kind::DateTime) => quote!(DateTime),
                    RefinementKind::DateTime(pact_datetime::Kind::Date) => quote!(Date),
                    RefinementKind::DateTime(pact_datetime::Kind::Time) => quote!(Time),
                };
                quote_spanned! {ty.span()=>
                    <#ty as ::pact_core::__private::RefinedExample>::refined_example(
                        &self.#ident,
                        ::pact_core::__private::Refinement::#constructor(#value),
                    )
                }
            }
        };
        let push = quote! {
            fields.push((
                ::std::string::String::from(#json_name),
                ::pact_core::__private::example_field(#type_name, #rust_name, #pattern),
            ));
        };
        pushes.push(match &attrs.skip_if {
            Some(path) => quote! { if !#path(&self.#ident) { #push } },
            None => push,
        });
    }
    if pushes.is_empty() {
        return quote! { ::pact_core::__private::Pattern::object(::std::vec::Vec::new()) };
    }
    quote! {
        let mut fields: ::std::vec::Vec<(::std::string::String, ::pact_core::__private::Pattern)> =
            ::std::vec::Vec::new();
        #(#pushes)*
        ::pact_core::__private::Pattern::object(fields)
    }
}

fn enumeration(input: &Input<'_>, data: &syn::ItemEnum, errors: &mut Errors) -> TokenStream {
    let container = example_attr::container(input.attrs, errors);
    if data.variants.is_empty() {
        errors.spanned(input.ident, "an enum without variants has no value to be an example of");
        return TokenStream::new();
    }
    let mut names = Vec::new();
    let mut accepted = Vec::new();
    let mut any_name = false;
    let mut arms = Vec::new();
    for variant in &data.variants {
        let attrs = example_attr::variant(&variant.attrs, errors);
        if !matches!(variant.fields, Fields::Unit) {
            errors.spanned(
                &variant.fields,
                "PactExample derives for an enum of unit variants only: a variant with data has no one shape \
                 to write; declare this body with json_pattern! and any_of!",
            );
            continue;
        }
        let rust_name = variant.ident.unraw().to_string();
        let name = match (&attrs.rename, container.rename_all) {
            (Some(rename), _) => rename.value(),
            (None, Some(case)) => case.variant(&rust_name),
            (None, None) => rust_name,
        };
        any_name |= attrs.other;
        accepted.push(regex::escape(&name));
        accepted.extend(attrs.aliases.iter().map(|a| regex::escape(&a.value())));
        let ident = &variant.ident;
        names.push(name.clone());
        arms.push((ident.clone(), name));
    }
    let regex = if any_name {
        quote!(::core::option::Option::None)
    } else {
        let regex = format!("^({})$", accepted.join("|"));
        quote!(::core::option::Option::Some(#regex))
    };
    let arms = arms.iter().map(|(ident, name)| {
        quote! { Self::#ident => ::pact_core::__private::example_variant(#name, #regex), }
    });
    quote! {
        match self {
            #(#arms)*
        }
    }
}
