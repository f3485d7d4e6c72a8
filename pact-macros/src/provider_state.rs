//! `#[provider_state("name")]`: keeps the function as written and submits a small adapter to
//! pact-core's handler registry. The adapter downcasts the application state to the type of the
//! function's first argument, calls the function (awaiting it when async) and converts what it
//! returns.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, LitStr, Token, Type};

use crate::errors::Errors;

struct Args {
    name: LitStr,
    teardown: bool,
}

/// Reads `"name"` and options, noting every mistake; `None` when the name is unusable.
fn parse_args(args: TokenStream, errors: &mut Errors) -> Option<Args> {
    let parser = |input: ParseStream<'_>| -> syn::Result<Option<Args>> {
        let name: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "#[provider_state] takes the state's name: #[provider_state(\"UserA exists\")]",
            )
        })?;
        let mut usable = true;
        if name.value().trim().is_empty() {
            errors.at(name.span(), "the provider state's name must not be empty");
            usable = false;
        }
        let mut teardown = false;
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: syn::Ident = input.parse()?;
            if key == "teardown" && !teardown {
                teardown = true;
            } else if key == "teardown" {
                errors.at(key.span(), "`teardown` is given twice; remove one");
            } else {
                errors.at(key.span(), format!("unknown option `{key}`; the only option is `teardown`"));
            }
        }
        Ok(usable.then_some(Args { name, teardown }))
    };
    let parsed = syn::parse::Parser::parse2(parser, args);
    errors.take(parsed).flatten()
}

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match crate::attr::parse_fn(item) {
        Ok(f) => f,
        Err(tokens) => return tokens,
    };
    // Every mistake, in the arguments and in the signature, is reported in one build.
    let mut errors = Errors::new();
    let args = parse_args(args, &mut errors);
    let app_type = check_signature(&function, &mut errors);
    match (args, app_type) {
        (Some(args), Some(app_type)) if errors.is_empty() => render(&args, &function, app_type),
        _ => {
            let mut out = function.into_token_stream();
            out.extend(errors.to_compile_errors());
            out
        }
    }
}

/// Checks the handler's signature and gives the application state type of its first argument.
fn check_signature(function: &ItemFn, errors: &mut Errors) -> Option<Type> {
    let sig = &function.sig;
    if !sig.generics.params.is_empty() {
        errors.at(sig.generics.span(), "a provider-state handler cannot be generic");
    }
    let inputs: Vec<&FnArg> = sig.inputs.iter().collect();
    let usage = "a provider-state handler takes the application state and optionally the params: `fn(app: &AppState, params: &Params)`";
    let app_type = match inputs.first() {
        Some(FnArg::Typed(arg)) => match &*arg.ty {
            Type::Reference(r) if r.mutability.is_none() => Some((*r.elem).clone()),
            other => {
                errors.at(other.span(), usage);
                None
            }
        },
        Some(other) => {
            errors.at(other.span(), usage);
            None
        }
        None => {
            errors.at(sig.paren_token.span.join(), usage);
            None
        }
    };
    if let Some(FnArg::Typed(params)) = inputs.get(1) {
        if !matches!(&*params.ty, Type::Reference(r) if r.mutability.is_none()) {
            errors.at(
                params.ty.span(),
                "the params of a provider-state handler are borrowed: `params: &Params`",
            );
        }
    }
    if let Some(extra) = inputs.get(2) {
        errors.at(extra.span(), usage);
    }
    app_type
}

fn render(args: &Args, function: &ItemFn, app_type: Type) -> TokenStream {
    let sig = &function.sig;
    let inputs: Vec<&FnArg> = sig.inputs.iter().collect();
    let ident = &sig.ident;
    let call = if inputs.len() == 2 { quote!(#ident(app, params)) } else { quote!(#ident(app)) };
    let call = if sig.asyncness.is_some() { quote!(#call.await) } else { call };
    let adapter = format_ident!("__pact_provider_state_{}", ident);
    let name = &args.name;
    let action = if args.teardown { quote!(Teardown) } else { quote!(Setup) };
    let type_name = app_type.to_token_stream().to_string();
    quote! {
        #function

        #[doc(hidden)]
        #[allow(non_snake_case)]
        fn #adapter<'a>(
            app: &'a (dyn ::core::any::Any + ::core::marker::Send + ::core::marker::Sync),
            params: &'a ::pact_core::__private::Params,
        ) -> ::pact_core::__private::HandlerFuture<'a> {
            ::std::boxed::Box::pin(async move {
                let _ = &params;
                let app = ::pact_core::__private::downcast::<#app_type>(app, #type_name)?;
                ::pact_core::__private::IntoStateResult::into_state_result(#call)
            })
        }

        ::pact_core::__private::inventory::submit! {
            ::pact_core::__private::StateHandlerEntry {
                name: #name,
                action: ::pact_core::__private::Action::#action,
                app_type: ::core::any::TypeId::of::<#app_type>,
                app_type_name: #type_name,
                function: ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident)),
                call: #adapter,
            }
        }
    }
}
