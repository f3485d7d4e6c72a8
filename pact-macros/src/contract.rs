//! `#[contract]`: keeps the user's function verbatim as an inner item and wraps it in a test that
//! builds the contract, runs the body, verifies the mock provider and writes the pact. The
//! logic lives in `pact_core::__private`; the expansion only wires it up. A test that lists
//! several providers gets one contract (one mock, one pact) per provider, passed to the function
//! in the order the attribute lists them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{FnArg, ItemFn};

use crate::attr::{parse_contract_args, ContractArgs, Provider};
use crate::errors::Errors;
use crate::test_fn::{Driver, TestFn};

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match crate::attr::parse_fn(item) {
        Ok(f) => f,
        Err(tokens) => return tokens,
    };
    let (args, providers) = parse_contract_args(args);
    let mut errors = Errors::new();
    let args = errors.take(args);
    // The parameters are checked against the number of providers, when the attribute says it.
    errors.take(check_signature(&function, providers));
    match args {
        Some(args) if errors.is_empty() => render(&args, function),
        _ => {
            // Emit the function untouched plus every error, so the user sees the errors and not a
            // cascade of follow-on ones.
            let mut out = function.into_token_stream();
            out.extend(errors.to_compile_errors());
            out
        }
    }
}

fn check_signature(function: &ItemFn, providers: Option<usize>) -> syn::Result<()> {
    let sig = &function.sig;
    let mut errors = Errors::new();
    if !sig.generics.params.is_empty() {
        errors.spanned(&sig.generics, "a #[contract] test cannot be generic: remove the type parameters");
    }
    match providers {
        Some(1) => {}
        Some(n) => {
            check_parameters(sig, Some(n), &mut errors);
            return errors.finish();
        }
        None => {
            check_parameters(sig, None, &mut errors);
            return errors.finish();
        }
    }
    const ONE_ARGUMENT: &str = "a #[contract] test takes one argument, `pact: &mut Contract`";
    match sig.inputs.first() {
        None => errors.at(sig.paren_token.span.join(), ONE_ARGUMENT),
        Some(_) if sig.inputs.len() > 1 => errors.spanned(&sig.inputs, ONE_ARGUMENT),
        Some(FnArg::Typed(arg)) => {
            if !matches!(&*arg.ty, syn::Type::Reference(r) if r.mutability.is_some()) {
                errors.spanned(
                    &arg.ty,
                    "the argument of a #[contract] test is a mutable reference: `pact: &mut Contract`",
                );
            }
        }
        Some(receiver) => errors.spanned(receiver, ONE_ARGUMENT),
    }
    errors.finish()
}

/// A test with several providers takes one `&mut Contract` per provider, in the attribute's order
/// (`providers` is `None` when a mistaken attribute leaves their number unclear: then only the
/// parameters' types are checked).
fn check_parameters(sig: &syn::Signature, providers: Option<usize>, errors: &mut Errors) {
    let shown = providers.unwrap_or(2);
    let example = (1..=shown).map(|i| format!("pact{i}: &mut Contract")).collect::<Vec<_>>().join(", ");
    if let Some(providers) = providers.filter(|n| sig.inputs.len() != *n) {
        let message = format!(
            "this #[contract] test lists {providers} providers, so it takes {providers} arguments, one per provider \
             in the order they are listed: `{example}` (it has {})",
            sig.inputs.len()
        );
        if sig.inputs.is_empty() {
            errors.at(sig.paren_token.span.join(), message);
        } else {
            errors.spanned(&sig.inputs, message);
        }
    }
    for input in &sig.inputs {
        match input {
            FnArg::Typed(arg) if matches!(&*arg.ty, syn::Type::Reference(r) if r.mutability.is_some()) => {}
            FnArg::Typed(arg) => errors.spanned(
                &arg.ty,
                "each argument of a #[contract] test is a mutable reference: `pact: &mut Contract`",
            ),
            receiver => errors.spanned(receiver, format!("a #[contract] test takes `{example}`")),
        }
    }
}

/// The fields shared by `ContractSpec` and `MessageContractSpec`: who, in which states, which
/// test, and the specification version.
pub(crate) fn spec_fields(args: &ContractArgs, provider: &Provider, name: &syn::Ident) -> TokenStream {
    let Provider { name: provider, given } = provider;
    let consumer = match &args.consumer {
        Some(c) => quote!(#c),
        None => quote!(::core::env!("CARGO_PKG_NAME")),
    };
    let spec = match &args.spec {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let given = given.iter().map(|g| {
        let state = &g.name;
        let keys = g.params.iter().map(|(k, _)| k.to_string());
        let values = g.params.iter().map(|(_, v)| v);
        quote! { ::pact_core::__private::state(#state, ::std::vec![#( (#keys, ::pact_core::__private::json(#values)) ),*]) }
    });
    quote! {
            consumer: #consumer,
            provider: #provider,
            given: ::std::vec![#(#given),*],
            test: ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#name)),
            manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
            spec: #spec,
    }
}

fn render(args: &ContractArgs, function: ItemFn) -> TokenStream {
    // Attributes stay on the outer test; a test attribute of the user's (`#[tokio::test]`) drives it.
    let test = TestFn::new(function);
    let name = test.name.clone();
    let inner = format_ident!("{}", name);
    let specs: Vec<TokenStream> = args
        .providers
        .iter()
        .map(|provider| {
            let fields = spec_fields(args, provider, &name);
            quote! { ::pact_core::__private::ContractSpec { #fields } }
        })
        .collect();
    // The test ends with `conclude`, spanned at the test's name: a failed verification panics
    // there, so the panic's location is the user's test, not the library.
    let conclude =
        |verdict: TokenStream| quote_spanned! {name.span()=> ::pact_core::__private::conclude(#verdict) };
    let spec_value = &specs[0];
    let body = if specs.len() > 1 {
        // Several providers: one contract each, handed to the body in the attribute's order.
        let pacts: Vec<_> = (0..specs.len()).map(|i| format_ident!("__pact_{}", i)).collect();
        let specs = quote! { [#(#specs),*] };
        let conclude_all = |verdict: TokenStream| quote_spanned! {name.span()=> ::pact_core::__private::conclude_all(#verdict) };
        match test.driver() {
            Driver::Sync => conclude_all(quote! {
                ::pact_core::__private::run_sync_all(#specs, |__pacts| {
                    let [#(#pacts),*] = __pacts;
                    #inner(#(#pacts),*)
                })
            }),
            Driver::OwnRuntime => conclude_all(quote! {
                ::pact_core::__private::run_async_all(#specs, |__pacts| {
                    let [#(#pacts),*] = __pacts;
                    ::std::boxed::Box::pin(#inner(#(#pacts),*))
                })
            }),
            Driver::Attached => conclude_all(quote! {
                ::pact_core::__private::run_attached_all(#specs, |__pacts| {
                    let [#(#pacts),*] = __pacts;
                    ::std::boxed::Box::pin(#inner(#(#pacts),*))
                }).await
            }),
        }
    } else {
        match test.driver() {
            Driver::Sync => conclude(quote! { ::pact_core::__private::run_sync(#spec_value, #inner) }),
            Driver::OwnRuntime => conclude(quote! {
                ::pact_core::__private::run_async(#spec_value, |pact| ::std::boxed::Box::pin(#inner(pact)))
            }),
            Driver::Attached => conclude(quote! {
                ::pact_core::__private::run_attached(#spec_value, |pact| ::std::boxed::Box::pin(#inner(pact))).await
            }),
        }
    };
    test.wrap(body)
}
