//! `#[provider_state("name")]`: keeps the function as written and submits a small adapter to
//! pact-core's handler registry. The adapter downcasts the application state to the type of the
//! function's first argument, calls the function (awaiting it when async) and converts what it
//! returns.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, LitStr, Token, Type};

struct Args {
    name: LitStr,
    teardown: bool,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "#[provider_state] takes the state's name: #[provider_state(\"UserA exists\")]",
            )
        })?;
        if name.value().trim().is_empty() {
            return Err(syn::Error::new(name.span(), "the provider state's name must not be empty"));
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
                return Err(syn::Error::new(key.span(), "`teardown` is given twice"));
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown option `{key}`; the only option is `teardown`"),
                ));
            }
        }
        Ok(Args { name, teardown })
    }
}

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match crate::attr::parse_fn(item) {
        Ok(f) => f,
        Err(tokens) => return tokens,
    };
    let result = syn::parse2::<Args>(args).and_then(|args| render(&args, &function));
    match result {
        Ok(tokens) => tokens,
        Err(e) => {
            let mut out = function.into_token_stream();
            out.extend(e.to_compile_error());
            out
        }
    }
}

fn render(args: &Args, function: &ItemFn) -> syn::Result<TokenStream> {
    let sig = &function.sig;
    if !sig.generics.params.is_empty() {
        return Err(syn::Error::new(sig.generics.span(), "a provider-state handler cannot be generic"));
    }
    let inputs: Vec<&FnArg> = sig.inputs.iter().collect();
    let usage = "a provider-state handler takes the application state and optionally the params: `fn(app: &AppState, params: &Params)`";
    let app_type = match inputs.first() {
        Some(FnArg::Typed(arg)) => match &*arg.ty {
            Type::Reference(r) if r.mutability.is_none() => (*r.elem).clone(),
            other => return Err(syn::Error::new(other.span(), usage)),
        },
        Some(other) => return Err(syn::Error::new(other.span(), usage)),
        None => return Err(syn::Error::new(sig.paren_token.span.join(), usage)),
    };
    if inputs.len() > 2 {
        return Err(syn::Error::new(inputs[2].span(), usage));
    }
    let ident = &sig.ident;
    let call = if inputs.len() == 2 { quote!(#ident(app, params)) } else { quote!(#ident(app)) };
    let call = if sig.asyncness.is_some() { quote!(#call.await) } else { call };
    let adapter = format_ident!("__pact_provider_state_{}", ident);
    let name = &args.name;
    let action = if args.teardown { quote!(Teardown) } else { quote!(Setup) };
    let type_name = app_type.to_token_stream().to_string();
    Ok(quote! {
        #function

        #[doc(hidden)]
        #[allow(non_snake_case)]
        fn #adapter<'a>(
            app: &'a (dyn ::core::any::Any + ::core::marker::Send + ::core::marker::Sync),
            params: &'a ::pact_core::provider::Params,
        ) -> ::pact_core::provider::HandlerFuture<'a> {
            ::std::boxed::Box::pin(async move {
                let _ = &params;
                let app = ::pact_core::__private::downcast::<#app_type>(app, #type_name)?;
                ::pact_core::provider::IntoStateResult::into_state_result(#call)
            })
        }

        ::pact_core::__private::inventory::submit! {
            ::pact_core::provider::StateHandlerEntry {
                name: #name,
                action: ::pact_core::provider::Action::#action,
                app_type: ::core::any::TypeId::of::<#app_type>,
                app_type_name: #type_name,
                function: ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident)),
                call: #adapter,
            }
        }
    })
}
