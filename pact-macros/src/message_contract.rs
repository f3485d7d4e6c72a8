//! `#[message_contract]`: the message counterpart of `#[contract]`. Keeps the user's function
//! verbatim as an inner item and wraps it in a test that builds the `MessagePact` from the
//! attribute (`consumer`, `provider`, `given` with params, `spec`, read exactly as
//! `#[contract]` reads them), runs the body, and writes the pact when the body succeeded.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{FnArg, ItemFn};

use crate::attr::{parse_contract_args, ContractArgs};
use crate::test_fn::{Driver, TestFn};

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

fn render(args: &ContractArgs, function: ItemFn) -> TokenStream {
    let test = TestFn::new(function);
    let name = test.name.clone();
    let inner = format_ident!("{}", name);
    let fields = crate::contract::spec_fields(args, &args.providers[0], &name);
    let spec_value = quote! {
        ::pact_core::__private::MessageContractSpec { #fields }
    };
    let conclude = |verdict: TokenStream| {
        quote_spanned! {name.span()=> ::pact_core::__private::conclude_messages(#verdict) }
    };
    let body = match test.driver() {
        Driver::Sync => conclude(quote! { ::pact_core::__private::run_messages_sync(#spec_value, #inner) }),
        Driver::OwnRuntime => conclude(quote! {
            ::pact_core::__private::run_messages_async(#spec_value, |pact| ::std::boxed::Box::pin(#inner(pact)))
        }),
        Driver::Attached => conclude(quote! {
            ::pact_core::__private::run_messages_attached(#spec_value, |pact| ::std::boxed::Box::pin(#inner(pact))).await
        }),
    };
    test.wrap(body)
}
