//! `#[message_provider("description")]`: keeps the function as written and submits a small
//! adapter to pact-core's message producer registry. The adapter downcasts the application
//! state to the type of the function's first argument (when it takes one), calls the function
//! (awaiting it when async) and converts what it returns into messages.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, LitStr, Type};

struct Args {
    description: LitStr,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let usage = "#[message_provider] takes the message's description: #[message_provider(\"a user created event\")]";
        let description: LitStr = input.parse().map_err(|e| syn::Error::new(e.span(), usage))?;
        if description.value().trim().is_empty() {
            return Err(syn::Error::new(description.span(), "the message's description must not be empty"));
        }
        if !input.is_empty() {
            return Err(syn::Error::new(input.span(), usage));
        }
        Ok(Args { description })
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

/// The type behind a shared reference argument, or an error spanned on the argument.
fn referenced(arg: &FnArg, usage: &str) -> syn::Result<Type> {
    match arg {
        FnArg::Typed(typed) => match &*typed.ty {
            Type::Reference(r) if r.mutability.is_none() => Ok((*r.elem).clone()),
            other => Err(syn::Error::new(other.span(), usage)),
        },
        other => Err(syn::Error::new(other.span(), usage)),
    }
}

/// Whether a type is written `MessageRequest` (any path ending so).
fn is_message_request(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "MessageRequest"))
}

fn render(args: &Args, function: &ItemFn) -> syn::Result<TokenStream> {
    let sig = &function.sig;
    if !sig.generics.params.is_empty() {
        return Err(syn::Error::new(sig.generics.span(), "a message producer cannot be generic"));
    }
    let usage = "a message producer takes the application state and optionally the request: \
                 `fn(app: &AppState, request: &MessageRequest)`, `fn(app: &AppState)`, \
                 `fn(request: &MessageRequest)` or `fn()`";
    let inputs: Vec<&FnArg> = sig.inputs.iter().collect();
    if inputs.len() > 2 {
        return Err(syn::Error::new(inputs[2].span(), usage));
    }
    let mut types = Vec::new();
    for input in &inputs {
        types.push(referenced(input, usage)?);
    }
    let ident = &sig.ident;
    // (application state type, call)
    let (app_type, call) = match types.as_slice() {
        [] => (None, quote!(#ident())),
        [only] if is_message_request(only) => (None, quote!(#ident(request))),
        [app] => (Some(app.clone()), quote!(#ident(app))),
        [app, request] => {
            if !is_message_request(request) {
                return Err(syn::Error::new(inputs[1].span(), usage));
            }
            (Some(app.clone()), quote!(#ident(app, request)))
        }
        _ => return Err(syn::Error::new(sig.span(), usage)),
    };
    let call = if sig.asyncness.is_some() { quote!(#call.await) } else { call };
    let adapter = format_ident!("__pact_message_provider_{}", ident);
    let description = &args.description;
    let (downcast, type_fn, type_name) = match &app_type {
        Some(ty) => {
            let name = ty.to_token_stream().to_string();
            (
                quote!(let app = ::pact_core::__private::downcast::<#ty>(app, #name).map_err(|e| e.to_string())?;),
                quote!(::core::option::Option::Some(::core::any::TypeId::of::<#ty>)),
                name,
            )
        }
        None => (quote!(let _ = app;), quote!(::core::option::Option::None), String::new()),
    };
    Ok(quote! {
        #function

        #[doc(hidden)]
        #[allow(non_snake_case)]
        fn #adapter<'a>(
            app: &'a (dyn ::core::any::Any + ::core::marker::Send + ::core::marker::Sync),
            request: &'a ::pact_core::message::MessageRequest,
        ) -> ::pact_core::message::ProduceFuture<'a> {
            ::std::boxed::Box::pin(async move {
                let _ = &request;
                #downcast
                ::pact_core::message::IntoMessages::into_messages(#call)
            })
        }

        ::pact_core::__private::inventory::submit! {
            ::pact_core::message::MessageProducerEntry {
                description: #description,
                app_type: #type_fn,
                app_type_name: #type_name,
                function: ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident)),
                call: #adapter,
            }
        }
    })
}
