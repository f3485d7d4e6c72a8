//! `datetime!`, `date!` and `time!`: a Java-style format and an example, or only a format (then a
//! `DateTime`, `Date` or `Time` generator makes the value "now" on replay). A literal format that
//! cannot be used, and a literal example that does not follow its format, are compile errors;
//! the rules are those of the verifier (the `pact-datetime` crate), so an example the macro
//! accepts is one a provider's verification accepts too. A format or example computed at run
//! time is checked when the contract test verifies its declarations.

use pact_datetime::Kind;
use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::ParseStream;
use syn::{Expr, Lit, LitStr, Token};

use crate::errors::Errors;
use crate::pattern::expand_with;

pub(crate) fn expand(kind: Kind, input: TokenStream) -> TokenStream {
    let name = match kind {
        Kind::DateTime => "datetime",
        Kind::Date => "date",
        Kind::Time => "time",
    };
    let parse = |s: ParseStream<'_>| -> syn::Result<(Expr, Option<Expr>)> {
        let format: Expr = s.parse()?;
        if s.is_empty() {
            return Ok((format, None));
        }
        s.parse::<Token![,]>().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!(
                    "{name}! takes a format, and an example or nothing: {name}!(\"{}\", \"{}\") or {name}!(\"{}\")",
                    example_format(kind),
                    example_value(kind),
                    example_format(kind)
                ),
            )
        })?;
        if s.is_empty() {
            return Ok((format, None));
        }
        let example: Expr = s.parse()?;
        let _ = s.parse::<Option<Token![,]>>()?;
        if !s.is_empty() {
            return Err(s.error(format!("{name}! takes at most two arguments: a format and an example")));
        }
        Ok((format, Some(example)))
    };
    expand_with(input, parse, |(format, example)| {
        let mut errors = Errors::new();
        if let Some(format) = literal(&format) {
            match pact_datetime::check_format(kind, &format.value()) {
                Err(e) => errors.push(syn::Error::new(format.span(), e)),
                Ok(()) => {
                    if let Some(example) = example.as_ref().and_then(literal) {
                        if let Err(e) = pact_datetime::check(kind, Some(&format.value()), &example.value()) {
                            let message =
                                format!("the example {} breaks its own format: {e}", example.token());
                            errors.push(syn::Error::new(example.span(), message));
                        }
                    }
                }
            }
        }
        if let Err(e) = errors.finish() {
            return e.to_compile_error();
        }
        match example {
            Some(example) => {
                let constructor = quote::format_ident!("{name}");
                quote! { ::pact_core::__private::Scalar::#constructor(#format, #example) }
            }
            // Only a format: a generator makes the value "now" when the interaction is replayed.
            None => {
                let constructor = quote::format_ident!("{name}_now");
                quote! { ::pact_core::__private::Scalar::#constructor(#format) }
            }
        }
    })
}

fn literal(expr: &Expr) -> Option<&LitStr> {
    match expr {
        Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Some(s),
        _ => None,
    }
}

fn example_format(kind: Kind) -> &'static str {
    match kind {
        Kind::DateTime => "yyyy-MM-dd'T'HH:mm:ss",
        Kind::Date => "yyyy-MM-dd",
        Kind::Time => "HH:mm",
    }
}

fn example_value(kind: Kind) -> &'static str {
    match kind {
        Kind::DateTime => "2016-12-15T20:16:01",
        Kind::Date => "2016-12-15",
        Kind::Time => "20:16",
    }
}
