//! Reading the arguments of `#[contract(...)]`: `key = "value"` pairs, `given(...)` lists and
//! `provider(...)` blocks (one per provider, for a test with several).
//! Every mistake is reported in one pass, each spanned on the offending token.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::ItemFn;
use syn::{Expr, Ident, Lit, LitStr, Token};

use crate::errors::Errors;

/// One `given` state with its parameters.
pub(crate) struct Given {
    pub name: LitStr,
    pub params: Vec<(Ident, Expr)>,
}

/// One provider of a contract test, with the states it must be in.
pub(crate) struct Provider {
    pub name: LitStr,
    pub given: Vec<Given>,
}

/// The arguments of `#[contract]`: one provider (`provider = "..."` with `given` beside it), or
/// several (`provider("A", given = "...")`, once per provider, in the order of the test's
/// parameters).
pub(crate) struct ContractArgs {
    pub consumer: Option<LitStr>,
    pub providers: Vec<Provider>,
    pub spec: Option<LitStr>,
}

const KEYS: &[&str] = &["consumer", "provider", "given", "spec"];

/// Reads a `given` after its key: `= "state"` or `("state", key = value, ...)`.
fn parse_given(input: syn::parse::ParseStream<'_>) -> syn::Result<Option<Given>> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        let name: LitStr = input.parse()?;
        Ok(Some(Given { name, params: Vec::new() }))
    } else if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
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
        Ok(Some(Given { name, params }))
    } else {
        Ok(None)
    }
}

/// Reads `provider("Name", given = "...", given(...))` after its key; the mistakes that do not
/// stop the reading go to `push`.
fn parse_provider_list(
    input: syn::parse::ParseStream<'_>,
    push: &mut dyn FnMut(syn::Error),
) -> syn::Result<Provider> {
    let content;
    syn::parenthesized!(content in input);
    let name: LitStr = content.parse()?;
    if name.value().trim().is_empty() {
        push(syn::Error::new(name.span(), "a provider's name must not be empty"));
    }
    let mut given = Vec::new();
    while !content.is_empty() {
        content.parse::<Token![,]>()?;
        if content.is_empty() {
            break;
        }
        let key: Ident = content.parse()?;
        if key != "given" {
            push(syn::Error::new(
                key.span(),
                format!(
                    "`{key}` does not go inside `provider(...)`, which takes the provider's name and its `given` states; \
                     write `{key}` beside the providers"
                ),
            ));
            // Skip its value so that the rest is still checked.
            if content.peek(Token![=]) {
                content.parse::<Token![=]>()?;
                let _: Expr = content.parse()?;
            } else if content.peek(syn::token::Paren) {
                let _inner;
                syn::parenthesized!(_inner in content);
                let _: TokenStream = _inner.parse()?;
            }
            continue;
        }
        match parse_given(&content)? {
            Some(g) => given.push(g),
            None => push(syn::Error::new(
                key.span(),
                "write `given = \"state\"` or `given(\"state\", key = value, ...)`",
            )),
        }
    }
    Ok(Provider { name, given })
}

/// The arguments, or every mistake in them; and how many providers the attribute lists, when
/// that is clear even from a mistaken attribute (so that the test's parameters can be checked
/// in the same build).
pub(crate) fn parse_contract_args(args: TokenStream) -> (Result<ContractArgs, syn::Error>, Option<usize>) {
    let mut listed_count = 0;
    let mut seen_single = false;
    let result = parse_args(args, &mut listed_count, &mut seen_single);
    // No `provider(...)`: a test of one provider (named or missing). Both forms: unclear.
    let count = match (listed_count, seen_single) {
        (0, _) => Some(1),
        (n, false) => Some(n),
        (_, true) => None,
    };
    (result, count)
}

fn parse_args(
    args: TokenStream,
    listed_count: &mut usize,
    seen_single: &mut bool,
) -> Result<ContractArgs, syn::Error> {
    let mut consumer: Option<LitStr> = None;
    let mut provider: Option<LitStr> = None;
    // `provider("Name", given ...)`, once per provider.
    let mut listed: Vec<Provider> = Vec::new();
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
            "provider" if meta.input.peek(syn::token::Paren) => {
                *listed_count += 1;
                let parsed = parse_provider_list(meta.input, &mut push)?;
                if let Some(first) = listed.iter().find(|p| p.name.value() == parsed.name.value()) {
                    let mut error = syn::Error::new(
                        parsed.name.span(),
                        format!("the provider {:?} is listed twice; each provider has one mock and one pact, so list it once", parsed.name.value()),
                    );
                    error.combine(syn::Error::new(first.name.span(), "first listed here"));
                    push(error);
                } else {
                    listed.push(parsed);
                }
            }
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
                if !first && key == "provider" {
                    push(meta.error(
                        "`provider` is given twice; for a test with several providers write `provider(\"A\")` and \
                         `provider(\"B\")`, and give the test one `&mut Contract` per provider",
                    ));
                } else if !first {
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
            "given" => match parse_given(meta.input)? {
                Some(g) => given.push((meta.path.span(), g)),
                None => push(meta.error("write `given = \"state\"` or `given(\"state\", key = value, ...)`")),
            },
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
    if complete && !seen_provider && listed.is_empty() {
        push(syn::Error::new(
            Span::call_site(),
            "missing `provider = \"...\"`: name the provider this contract is with, as in #[contract(provider = \"UserService\")]",
        ));
    }
    if !listed.is_empty() {
        if let Some(single) = &provider {
            push(syn::Error::new(
                single.span(),
                format!(
                    "write every provider as `provider(\"Name\", given = ...)` when there are several; this one is \
                     `provider({:?})`",
                    single.value()
                ),
            ));
        }
        for (span, _) in &given {
            push(syn::Error::new(
                *span,
                "with several providers, a `given` state goes inside the provider it is for: \
                 `provider(\"UserService\", given = \"UserA exists\")`",
            ));
        }
    }
    *seen_single = seen_provider;
    errors.finish()?;
    let given = given.into_iter().map(|(_, g)| g).collect();
    let providers = match provider {
        Some(name) => vec![Provider { name, given }],
        None if !listed.is_empty() => listed,
        None => return Err(syn::Error::new(Span::call_site(), "missing `provider`")),
    };
    Ok(ContractArgs { consumer, providers, spec })
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
