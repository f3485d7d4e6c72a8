//! `#[message_contract]`: the message counterpart of `#[contract]`. Keeps the user's function
//! verbatim as an inner item and wraps it in a test that builds the `MessagePact` from the
//! attribute (`consumer`, `provider`, `given` with params, `spec`, read exactly as
//! `#[contract]` reads them), runs the body, and writes the pact when the body succeeded.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{FnArg, ItemFn, ReturnType};

use crate::attr::{parse_contract_args, ContractArgs};
use crate::contract::is_test_attribute;

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match crate::attr::parse_fn(item) {
        Ok(f) => f,
        Err(tokens) => return tokens,
    };
    let args = parse_contract_args(args).0.and_then(|args| match args.providers.get(1) {
        Some(second) => Err(syn::Error::new(
            second.name.span(),
            "a #[message_contract] test is with one provider; write one test per provider",
        )),
        None => Ok(args),
    });
    let signature = check_signature(&function);
    match (args, signature) {
        (Ok(args), Ok(())) => render(&args, function),
        (args, signature) => {
            let mut out = function.into_token_stream();
            for e in [args.err(), signature.err()].into_iter().flatten() {
                out.extend(e.to_compile_error());
            }
            out
        }
    }
}

fn check_signature(function: &ItemFn) -> syn::Result<()> {
    let sig = &function.sig;
    const ONE_ARGUMENT: &str = "a #[message_contract] test takes one argument, `pact: &mut MessagePact`";
    if !sig.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &sig.generics,
            "a #[message_contract] test cannot be generic: remove the type parameters",
        ));
    }
    match sig.inputs.first() {
        None => Err(syn::Error::new(sig.paren_token.span.join(), ONE_ARGUMENT)),
        Some(_) if sig.inputs.len() > 1 => Err(syn::Error::new_spanned(&sig.inputs, ONE_ARGUMENT)),
        Some(FnArg::Typed(arg)) => match &*arg.ty {
            syn::Type::Reference(r) if r.mutability.is_some() => Ok(()),
            other => Err(syn::Error::new_spanned(
                other,
                "the argument of a #[message_contract] test is a mutable reference: `pact: &mut MessagePact`",
            )),
        },
        Some(receiver) => Err(syn::Error::new_spanned(receiver, ONE_ARGUMENT)),
    }
}

fn render(args: &ContractArgs, mut function: ItemFn) -> TokenStream {
    let name = function.sig.ident.clone();
    let (test_attrs, other_attrs): (Vec<_>, Vec<_>) =
        std::mem::take(&mut function.attrs).into_iter().partition(is_test_attribute);
    let vis = function.vis.clone();
    let output = match &function.sig.output {
        ReturnType::Default => quote!(),
        ReturnType::Type(arrow, ty) => quote!(#arrow #ty),
    };
    let is_async = function.sig.asyncness.is_some();
    let inner = format_ident!("{}", name);
    let fields = crate::contract::spec_fields(args, &args.providers[0], &name);
    let spec_value = quote! {
        ::pact_core::__private::MessageContractSpec { #fields }
    };
    let conclude = |verdict: TokenStream| {
        quote_spanned! {name.span()=> ::pact_core::__private::conclude_messages(#verdict) }
    };
    let body = match (is_async, test_attrs.is_empty()) {
        (false, _) => conclude(quote! { ::pact_core::__private::run_messages_sync(#spec_value, #inner) }),
        (true, true) => conclude(quote! {
            ::pact_core::__private::run_messages_async(#spec_value, |pact| ::std::boxed::Box::pin(#inner(pact)))
        }),
        (true, false) => conclude(quote! {
            ::pact_core::__private::run_messages_attached(#spec_value, |pact| ::std::boxed::Box::pin(#inner(pact))).await
        }),
    };
    let outer_async = if is_async && !test_attrs.is_empty() { quote!(async) } else { quote!() };
    let test_attrs = if test_attrs.is_empty() { vec![syn::parse_quote!(#[test])] } else { test_attrs };
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
