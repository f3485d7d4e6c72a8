//! The matcher DSL: a JSON-like grammar (`{ "key": value }`, `[ value ]`, `null`, or any Rust
//! expression) that becomes `pact_core::dsl::Pattern` constructors, plus the matcher macros that
//! take patterns. `term!` and `each_key!` check their regular expressions here, at compile time.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{braced, bracketed, Expr, Lit, LitStr, Token};

use crate::errors::Errors;

/// A pattern as written.
pub(crate) enum Ast {
    Object(Vec<(LitStr, Ast)>),
    Array(Vec<Ast>),
    Null(proc_macro2::Span),
    Expr(Box<Expr>),
}

impl Parse for Ast {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(syn::token::Brace) {
            let content;
            braced!(content in input);
            let mut entries = Vec::new();
            while !content.is_empty() {
                let key: LitStr = content.parse().map_err(|e| {
                    syn::Error::new(e.span(), "expected a string literal key, as in JSON: {\"name\": ...}")
                })?;
                content.parse::<Token![:]>()?;
                let value: Ast = content.parse()?;
                entries.push((key, value));
                if content.is_empty() {
                    break;
                }
                content.parse::<Token![,]>()?;
            }
            return Ok(Ast::Object(entries));
        }
        if input.peek(syn::token::Bracket) {
            let content;
            bracketed!(content in input);
            let items = Punctuated::<Ast, Token![,]>::parse_terminated(&content)?;
            return Ok(Ast::Array(items.into_iter().collect()));
        }
        if input.peek(syn::Ident) {
            let fork = input.fork();
            let ident: syn::Ident = fork.parse()?;
            if ident == "null" && (fork.is_empty() || fork.peek(Token![,])) {
                input.parse::<syn::Ident>()?;
                return Ok(Ast::Null(ident.span()));
            }
        }
        Ok(Ast::Expr(Box::new(input.parse()?)))
    }
}

impl ToTokens for Ast {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let out = match self {
            Ast::Object(entries) => {
                let keys = entries.iter().map(|(k, _)| k);
                let values = entries.iter().map(|(_, v)| v);
                quote! {
                    ::pact_core::__private::Pattern::object(::std::vec![
                        #( (::std::string::String::from(#keys), #values) ),*
                    ])
                }
            }
            Ast::Array(items) => {
                quote! { ::pact_core::__private::Pattern::array(::std::vec![ #(#items),* ]) }
            }
            Ast::Null(span) => quote_spanned! {*span=> ::pact_core::__private::Pattern::null_value() },
            Ast::Expr(expr) => quote_spanned! {expr.span()=> ::pact_core::__private::pattern(#expr) },
        };
        tokens.extend(out);
    }
}

pub(crate) fn expand_with<T>(
    input: TokenStream,
    parse: impl FnOnce(ParseStream<'_>) -> syn::Result<T>,
    render: impl FnOnce(T) -> TokenStream,
) -> TokenStream {
    match Parser::parse2(|s: ParseStream<'_>| parse(s), input) {
        Ok(parsed) => render(parsed),
        Err(e) => e.to_compile_error(),
    }
}

fn whole_pattern(input: ParseStream<'_>) -> syn::Result<Ast> {
    let ast: Ast = input.parse()?;
    if !input.is_empty() {
        return Err(input.error("unexpected tokens after the pattern"));
    }
    Ok(ast)
}

pub(crate) fn expand_json_pattern(input: TokenStream) -> TokenStream {
    expand_with(input, whole_pattern, |ast| ast.into_token_stream())
}

/// A literal string, number or boolean: `like!` and `equality!` of one give a `Scalar`, which a
/// path, query parameter or header takes too.
fn scalar_literal(ast: &Ast) -> Option<&Expr> {
    let Ast::Expr(expr) = ast else { return None };
    let number = |lit: &Lit| matches!(lit, Lit::Int(_) | Lit::Float(_));
    match &**expr {
        Expr::Lit(syn::ExprLit { lit, .. }) if number(lit) || matches!(lit, Lit::Str(_) | Lit::Bool(_)) => {
            Some(expr)
        }
        Expr::Unary(syn::ExprUnary { op: syn::UnOp::Neg(_), expr: inner, .. }) if matches!(&**inner, Expr::Lit(syn::ExprLit { lit, .. }) if number(lit)) => {
            Some(expr)
        }
        _ => None,
    }
}

pub(crate) fn expand_like(input: TokenStream) -> TokenStream {
    let parse = |s: ParseStream<'_>| -> syn::Result<Bounded> {
        let bounded = parse_bounded(s, "like!")?;
        if bounded.min.is_some() || bounded.max.is_some() {
            // An array literal's length is known here: it must lie within its own bounds.
            if let Ast::Array(items) = &bounded.example {
                let len = items.len() as u64;
                if let Some(lo) = bounded.min.as_ref().and_then(int_literal).filter(|lo| len < *lo) {
                    return Err(syn::Error::new(
                        span_of(&bounded.example),
                        format!("the example has {len} items, fewer than min = {lo}"),
                    ));
                }
                if let Some(hi) = bounded.max.as_ref().and_then(int_literal).filter(|hi| len > *hi) {
                    return Err(syn::Error::new(
                        span_of(&bounded.example),
                        format!("the example has {len} items, more than max = {hi}"),
                    ));
                }
            }
        }
        Ok(bounded)
    };
    expand_with(input, parse, |b| {
        let ast = b.example;
        if b.min.is_none() && b.max.is_none() {
            return match scalar_literal(&ast) {
                Some(literal) => quote! { ::pact_core::__private::Scalar::like(#literal) },
                None => quote! { ::pact_core::__private::Pattern::like(#ast) },
            };
        }
        let some = |e: Option<Expr>| {
            e.map_or_else(|| quote!(::std::option::Option::None), |m| quote!(::std::option::Option::Some(#m)))
        };
        let (min, max) = (some(b.min), some(b.max));
        quote! { ::pact_core::__private::Pattern::like_bounded(#ast, #min, #max) }
    })
}

pub(crate) fn expand_equality(input: TokenStream) -> TokenStream {
    expand_with(input, whole_pattern, |ast| match scalar_literal(&ast) {
        Some(literal) => quote! { ::pact_core::__private::Scalar::equality(#literal) },
        None => quote! { ::pact_core::__private::Pattern::equality(#ast) },
    })
}

pub(crate) fn expand_array_contains(input: TokenStream) -> TokenStream {
    expand_with(
        input,
        |s| {
            let ast = whole_pattern(s)?;
            match ast {
                Ast::Array(items) => Ok(items),
                other => Err(syn::Error::new(
                    span_of(&other),
                    "array_contains! takes an array of variants: array_contains!([{...}, {...}])",
                )),
            }
        },
        |items| quote! { ::pact_core::__private::Pattern::array_contains(::std::vec![ #(#items),* ]) },
    )
}

fn span_of(ast: &Ast) -> proc_macro2::Span {
    match ast {
        Ast::Object(entries) => entries.first().map_or_else(proc_macro2::Span::call_site, |(k, _)| k.span()),
        Ast::Array(items) => items.first().map_or_else(proc_macro2::Span::call_site, span_of),
        Ast::Null(span) => *span,
        Ast::Expr(expr) => expr.span(),
    }
}

/// A pattern with optional `min = ..` and `max = ..` after it, as `each_like!` and `like!` take.
struct Bounded {
    example: Ast,
    min: Option<Expr>,
    max: Option<Expr>,
}

fn parse_bounded(s: ParseStream<'_>, name: &str) -> syn::Result<Bounded> {
    let example: Ast = s.parse()?;
    let (mut min, mut max) = (None, None);
    let mut errors = Errors::new();
    while !s.is_empty() {
        s.parse::<Token![,]>()?;
        if s.is_empty() {
            break;
        }
        let key: syn::Ident = s.parse()?;
        s.parse::<Token![=]>()?;
        let value: Expr = s.parse()?;
        let slot = match key.to_string().as_str() {
            "min" => &mut min,
            "max" => &mut max,
            _ => {
                let e = syn::Error::new(
                    key.span(),
                    crate::suggest::unknown_key(&key.to_string(), &format!(" of {name}"), &["min", "max"]),
                );
                errors.push(e);
                continue;
            }
        };
        if slot.is_some() {
            errors.push(syn::Error::new(key.span(), format!("`{key}` is given twice")));
        }
        *slot = Some(value);
    }
    if let (Some(min_expr), Some(max_expr)) = (&min, &max) {
        if let (Some(lo), Some(hi)) = (int_literal(min_expr), int_literal(max_expr)) {
            if lo > hi {
                errors.push(syn::Error::new(max_expr.span(), format!("max = {hi} is less than min = {lo}")));
            }
        }
    }
    errors.finish().map(|()| Bounded { example, min, max })
}

/// `each_like!(pattern)`, `each_like!(pattern, min = 1)`, `each_like!(pattern, min = 1, max = 5)`.
pub(crate) fn expand_each_like(input: TokenStream) -> TokenStream {
    expand_with(
        input,
        |s| parse_bounded(s, "each_like!"),
        |e| {
            let example = e.example;
            let min = e.min.map_or_else(|| quote!(1usize), |m| quote!(#m));
            let max = e.max.map_or_else(
                || quote!(::std::option::Option::None),
                |m| quote!(::std::option::Option::Some(#m)),
            );
            quote! { ::pact_core::__private::Pattern::each_like(#example, #min, #max) }
        },
    )
}

fn int_literal(expr: &Expr) -> Option<u64> {
    match expr {
        Expr::Lit(syn::ExprLit { lit: Lit::Int(i), .. }) => i.base10_parse().ok(),
        _ => None,
    }
}

/// Compiles `pattern` as the runtime will run it (the same translation, anchored to the whole
/// value), so that build time and run time accept exactly the same patterns.
pub(crate) fn compile_regex(pattern: &LitStr) -> syn::Result<regex::Regex> {
    pact_regex::compile(&pattern.value()).map_err(|e| {
        syn::Error::new(pattern.span(), format!("the regular expression {} {}", pattern.token(), e.reason))
    })
}

/// When the expression matches only part of `text`: a reminder that it must match all of it.
fn whole_value_hint(regex: &LitStr, text: &str) -> &'static str {
    match pact_regex::compile_unanchored(&regex.value()) {
        Ok(unanchored) if unanchored.is_match(text) => {
            " as a whole (a pact regular expression must match the entire value, not a part)"
        }
        _ => "",
    }
}

/// `term!("regex", "example")`.
pub(crate) fn expand_term(input: TokenStream) -> TokenStream {
    let parse = |s: ParseStream<'_>| -> syn::Result<(LitStr, Expr)> {
        let regex: LitStr = s.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "term! takes a string literal regular expression and an example: term!(\"^\\\\d+$\", \"42\")",
            )
        })?;
        s.parse::<Token![,]>()?;
        let example: Expr = s.parse()?;
        let _ = s.parse::<Option<Token![,]>>()?;
        if !s.is_empty() {
            return Err(s.error("term! takes two arguments: a regular expression and an example"));
        }
        Ok((regex, example))
    };
    expand_with(input, parse, |(regex, example)| {
        let mut errors = Errors::new();
        match compile_regex(&regex) {
            Err(e) => errors.push(e),
            Ok(compiled) => {
                if let Expr::Lit(syn::ExprLit { lit: Lit::Str(text), .. }) = &example {
                    if !compiled.is_match(&text.value()) {
                        let message = format!(
                            "the example {} does not match the regular expression {}{}",
                            text.token(),
                            regex.token(),
                            whole_value_hint(&regex, &text.value())
                        );
                        errors.push(syn::Error::new(text.span(), message));
                    }
                }
            }
        }
        match errors.finish() {
            Err(e) => e.to_compile_error(),
            Ok(()) => quote! { ::pact_core::__private::Scalar::term(#regex, #example) },
        }
    })
}

/// `each_key!(pattern, "regex")`: literal keys of an object pattern are checked against the
/// expression at compile time.
pub(crate) fn expand_each_key(input: TokenStream) -> TokenStream {
    let parse = |s: ParseStream<'_>| -> syn::Result<(Ast, LitStr)> {
        let example: Ast = s.parse()?;
        s.parse::<Token![,]>()?;
        let regex: LitStr = s.parse()?;
        let _ = s.parse::<Option<Token![,]>>()?;
        Ok((example, regex))
    };
    expand_with(input, parse, |(example, regex)| {
        let compiled = match compile_regex(&regex) {
            Ok(c) => c,
            Err(e) => return e.to_compile_error(),
        };
        if let Ast::Object(entries) = &example {
            let mut errors = Errors::new();
            for (key, _) in entries {
                if !compiled.is_match(&key.value()) {
                    let message = format!(
                        "the key {} does not match the regular expression {}{}",
                        key.token(),
                        regex.token(),
                        whole_value_hint(&regex, &key.value())
                    );
                    errors.push(syn::Error::new(key.span(), message));
                }
            }
            if let Err(e) = errors.finish() {
                return e.to_compile_error();
            }
        }
        quote! { ::pact_core::__private::Pattern::each_key(#example, #regex) }
    })
}

/// `each_value!(pattern, matcher)`.
pub(crate) fn expand_each_value(input: TokenStream) -> TokenStream {
    let parse = |s: ParseStream<'_>| -> syn::Result<(Ast, Ast)> {
        let example: Ast = s.parse()?;
        s.parse::<Token![,]>()?;
        let matcher: Ast = s.parse()?;
        let _ = s.parse::<Option<Token![,]>>()?;
        Ok((example, matcher))
    };
    expand_with(
        input,
        parse,
        |(example, matcher)| quote! { ::pact_core::__private::Pattern::each_value(#example, #matcher) },
    )
}
