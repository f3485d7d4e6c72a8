//! Reading the arguments of `#[contract(...)]`: `key = "value"` pairs and `given(...)` lists.
//! Every mistake is reported in one pass, each spanned on the offending token.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::ItemFn;
use syn::{Expr, Ident, Lit, LitStr, Token};

use crate::errors::Errors;

/// One `given` state with its parameters.
pub(crate) struct Given {
    pub name: LitStr,
    pub params: Vec<(Ident, Expr)>,
}

/// The arguments of `#[contract]`.
pub(crate) struct ContractArgs {
    pub consumer: Option<LitStr>,
    pub provider: LitStr,
    pub given: Vec<Given>,
    pub spec: Option<LitStr>,
}

const KEYS: &[&str] = &["consumer", "provider", "given", "spec"];

pub(crate) fn parse_contract_args(args: TokenStream) -> Result<ContractArgs, syn::Error> {
    let mut consumer: Option<LitStr> = None;
    let mut provider: Option<LitStr> = None;
    let mut spec: Option<LitStr> = None;
    let mut given = Vec::new();
    // Whether a key was written at all, valid or not: a mistake in a key's value is reported
    // once, not again as a missing or duplicate key.
    let (mut seen_consumer, mut seen_provider, mut seen_spec) = (false, false, false);
    let mut errors = Errors::new();
    let mut push = |e: syn::Error| errors.push(e);

    let parser = syn::meta::parser(|meta| {
        let key = meta.path.get_ident().map(Ident::to_string).unwrap_or_default();
        match key.as_str() {
            "consumer" | "provider" | "spec" => {
                let value = meta.value()?.parse::<Expr>()?;
                let seen = match key.as_str() {
                    "consumer" => &mut seen_consumer,
                    "provider" => &mut seen_provider,
                    _ => &mut seen_spec,
                };
                let first = !std::mem::replace(seen, true);
                let slot = match key.as_str() {
                    "consumer" => &mut consumer,
                    "provider" => &mut provider,
                    _ => &mut spec,
                };
                let Expr::Lit(syn::ExprLit { lit: Lit::Str(value), .. }) = value else {
                    let example = if key == "spec" { "v4" } else { "UserService" };
                    push(syn::Error::new_spanned(
                        value,
                        format!("`{key}` takes a string literal, as in `{key} = \"{example}\"`"),
                    ));
                    return Ok(());
                };
                if !first {
                    push(meta.error(format!("`{key}` is given twice; remove one")));
                } else if value.value().trim().is_empty() {
                    push(syn::Error::new(value.span(), format!("`{key}` must not be empty")));
                } else if key == "spec"
                    && !matches!(value.value().to_ascii_lowercase().as_str(), "v2" | "v3" | "v4")
                {
                    push(syn::Error::new(
                        value.span(),
                        "`spec` is one of \"v2\", \"v3\" (the default) or \"v4\"",
                    ));
                } else {
                    *slot = Some(value);
                }
            }
            "given" => {
                if meta.input.peek(Token![=]) {
                    let name: LitStr = meta.value()?.parse()?;
                    given.push(Given { name, params: Vec::new() });
                } else if meta.input.peek(syn::token::Paren) {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let name: LitStr = content.parse()?;
                    let mut params = Vec::new();
                    while !content.is_empty() {
                        content.parse::<Token![,]>()?;
                        if content.is_empty() {
                            break;
                        }
                        let key: Ident = content.parse()?;
                        content.parse::<Token![=]>()?;
                        let value: Expr = content.parse()?;
                        params.push((key, value));
                    }
                    given.push(Given { name, params });
                } else {
                    push(meta.error("write `given = \"state\"` or `given(\"state\", key = value, ...)`"));
                }
            }
            _ => {
                let shown = meta.path.get_ident().map_or_else(|| "?".to_string(), Ident::to_string);
                push(meta.error(crate::suggest::unknown_key(&shown, "", KEYS)));
                // Skip its value so that the keys after it are still checked.
                if meta.input.peek(Token![=]) {
                    let _: Expr = meta.value()?.parse()?;
                } else if meta.input.peek(syn::token::Paren) {
                    let _content;
                    syn::parenthesized!(_content in meta.input);
                    let _: TokenStream = _content.parse()?;
                }
            }
        }
        Ok(())
    });
    let parsed = parser.parse2(args);
    // After a syntax error the rest of the attribute is unread, so `provider` may well be there.
    let complete = parsed.is_ok();
    if let Err(e) = parsed {
        push(e);
    }
    if complete && !seen_provider {
        push(syn::Error::new(
            Span::call_site(),
            "missing `provider = \"...\"`: name the provider this contract is with, as in #[contract(provider = \"UserService\")]",
        ));
    }
    errors.finish()?;
    match provider {
        Some(provider) => Ok(ContractArgs { consumer, provider, given, spec }),
        None => Err(syn::Error::new(Span::call_site(), "missing `provider`")),
    }
}

/// Parses the function an attribute macro is on; when it is not one, gives back the item
/// untouched plus the error, so the user sees that error and not a cascade of others.
pub(crate) fn parse_fn(item: TokenStream) -> Result<ItemFn, TokenStream> {
    syn::parse2(item.clone()).map_err(|e| {
        let mut out = item;
        out.extend(e.to_compile_error());
        out
    })
}
