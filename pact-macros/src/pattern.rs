//! The matcher DSL: a JSON-like grammar (`{ "key": value }`, `[ value ]`, `null`, or any Rust
//! expression) that becomes `pact_core::dsl::Pattern` constructors, plus the matcher macros that
//! take patterns. `term!` and `each_key!` check their regular expressions here, at compile time.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{braced, bracketed, Expr, Lit, LitStr, Token};

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
                    ::pact_core::dsl::Pattern::object(::std::vec![
                        #( (::std::string::String::from(#keys), #values) ),*
                    ])
                }
            }
            Ast::Array(items) => quote! { ::pact_core::dsl::Pattern::array(::std::vec![ #(#items),* ]) },
            Ast::Null(span) => quote_spanned! {*span=> ::pact_core::dsl::Pattern::null_value() },
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
    expand_with(input, whole_pattern, |ast| match scalar_literal(&ast) {
        Some(literal) => quote! { ::pact_core::dsl::Scalar::like(#literal) },
        None => quote! { ::pact_core::dsl::Pattern::like(#ast) },
    })
}

pub(crate) fn expand_equality(input: TokenStream) -> TokenStream {
    expand_with(input, whole_pattern, |ast| match scalar_literal(&ast) {
        Some(literal) => quote! { ::pact_core::dsl::Scalar::equality(#literal) },
        None => quote! { ::pact_core::dsl::Pattern::equality(#ast) },
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
        |items| quote! { ::pact_core::dsl::Pattern::array_contains(::std::vec![ #(#items),* ]) },
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

/// `each_like!(pattern)`, `each_like!(pattern, min = 1)`, `each_like!(pattern, min = 1, max = 5)`.
pub(crate) fn expand_each_like(input: TokenStream) -> TokenStream {
    struct EachLike {
        example: Ast,
        min: Option<Expr>,
        max: Option<Expr>,
    }
    let parse = |s: ParseStream<'_>| -> syn::Result<EachLike> {
        let example: Ast = s.parse()?;
        let (mut min, mut max) = (None, None);
        let mut errors: Option<syn::Error> = None;
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
                        crate::suggest::unknown_key(&key.to_string(), " of each_like!", &["min", "max"]),
                    );
                    combine(&mut errors, e);
                    continue;
                }
            };
            if slot.is_some() {
                combine(&mut errors, syn::Error::new(key.span(), format!("`{key}` is given twice")));
            }
            *slot = Some(value);
        }
        if let (Some(min_expr), Some(max_expr)) = (&min, &max) {
            if let (Some(lo), Some(hi)) = (int_literal(min_expr), int_literal(max_expr)) {
                if lo > hi {
                    combine(
                        &mut errors,
                        syn::Error::new(max_expr.span(), format!("max = {hi} is less than min = {lo}")),
                    );
                }
            }
        }
        match errors {
            Some(e) => Err(e),
            None => Ok(EachLike { example, min, max }),
        }
    };
    expand_with(input, parse, |e| {
        let example = e.example;
        let min = e.min.map_or_else(|| quote!(1usize), |m| quote!(#m));
        let max = e
            .max
            .map_or_else(|| quote!(::std::option::Option::None), |m| quote!(::std::option::Option::Some(#m)));
        quote! { ::pact_core::dsl::Pattern::each_like(#example, #min, #max) }
    })
}

fn int_literal(expr: &Expr) -> Option<u64> {
    match expr {
        Expr::Lit(syn::ExprLit { lit: Lit::Int(i), .. }) => i.base10_parse().ok(),
        _ => None,
    }
}

pub(crate) fn combine(slot: &mut Option<syn::Error>, error: syn::Error) {
    match slot {
        Some(existing) => existing.combine(error),
        None => *slot = Some(error),
    }
}

/// Compiles `pattern` as it will be run: anchored to the whole value.
fn compile_regex(pattern: &LitStr) -> syn::Result<regex::Regex> {
    let source = pattern.value();
    let invalid = |e: regex::Error| {
        let message = format!("invalid regular expression {}: {}", pattern.token(), describe(&e, &source));
        syn::Error::new(pattern.span(), message)
    };
    // The expression alone first, so that an error shows the user's text, not the anchored form.
    regex::Regex::new(&source).map_err(invalid)?;
    regex::Regex::new(&format!(r"\A(?:{source})\z")).map_err(invalid)
}

/// A regex error in one line: what is wrong and, for a one-line expression, where.
///
/// The `regex` crate writes a syntax error as the expression, a line of `^` under the offending
/// part and `error: <what>`.
fn describe(error: &regex::Error, source: &str) -> String {
    let regex::Error::Syntax(text) = error else { return error.to_string() };
    let lines: Vec<&str> = text.lines().collect();
    let Some(what) = lines.iter().find_map(|l| l.strip_prefix("error: ")) else {
        return lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    };
    let carets = lines.iter().find(|l| !l.trim().is_empty() && l.trim().chars().all(|c| c == '^'));
    match carets {
        Some(carets) if !source.contains('\n') => {
            // Both the expression and the carets are indented by four spaces.
            let start = carets.len() - carets.trim_start().len();
            let width = carets.trim().chars().count();
            let part: String = source.chars().skip(start.saturating_sub(4)).take(width).collect();
            if part.is_empty() {
                what.to_string()
            } else {
                format!("{what}, at `{part}`")
            }
        }
        _ => what.to_string(),
    }
}

/// When the expression matches only part of `text`: a reminder that it must match all of it.
fn whole_value_hint(regex: &LitStr, text: &str) -> &'static str {
    match regex::Regex::new(&regex.value()) {
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
        let mut errors = None;
        match compile_regex(&regex) {
            Err(e) => combine(&mut errors, e),
            Ok(compiled) => {
                if let Expr::Lit(syn::ExprLit { lit: Lit::Str(text), .. }) = &example {
                    if !compiled.is_match(&text.value()) {
                        let message = format!(
                            "the example {} does not match the regular expression {}{}",
                            text.token(),
                            regex.token(),
                            whole_value_hint(&regex, &text.value())
                        );
                        combine(&mut errors, syn::Error::new(text.span(), message));
                    }
                }
            }
        }
        match errors {
            Some(e) => e.to_compile_error(),
            None => quote! { ::pact_core::dsl::Scalar::term(#regex, #example) },
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
            let mut errors = None;
            for (key, _) in entries {
                if !compiled.is_match(&key.value()) {
                    let message = format!(
                        "the key {} does not match the regular expression {}{}",
                        key.token(),
                        regex.token(),
                        whole_value_hint(&regex, &key.value())
                    );
                    combine(&mut errors, syn::Error::new(key.span(), message));
                }
            }
            if let Some(e) = errors {
                return e.to_compile_error();
            }
        }
        quote! { ::pact_core::dsl::Pattern::each_key(#example, #regex) }
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
        |(example, matcher)| quote! { ::pact_core::dsl::Pattern::each_value(#example, #matcher) },
    )
}
