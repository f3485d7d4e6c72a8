//! The attributes `#[derive(PactExample)]` reads: serde's (syntactically, so the derive needs
//! neither serde nor serde_derive) for the names a value has in JSON, and `#[pact(...)]` for the
//! matchers that refine a field. Every mistake is added to the one collector, spanned on the
//! offending token.

use pact_datetime::Kind;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, ExprPath, LitStr};

use crate::case::{self, Case};
use crate::errors::Errors;

/// The keys `#[pact(...)]` takes on a field.
const PACT_KEYS: &str = "term, datetime, date, time";

/// serde keys that change how a value is written, which the derive cannot follow.
const CONTAINER_UNSUPPORTED: &[&str] =
    &["transparent", "from", "try_from", "into", "remote", "tag", "content", "untagged"];
const FIELD_UNSUPPORTED: &[&str] = &["flatten", "with", "serialize_with", "deserialize_with", "getter"];
const VARIANT_UNSUPPORTED: &[&str] = &[
    "skip",
    "skip_serializing",
    "skip_deserializing",
    "with",
    "serialize_with",
    "deserialize_with",
    "untagged",
];

/// What the container's attributes say.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub rename_all: Option<Case>,
}

/// A `#[pact(...)]` refinement of a text field.
pub(crate) struct Refinement {
    pub kind: RefinementKind,
    pub value: LitStr,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefinementKind {
    Term,
    DateTime(Kind),
}

/// What a field's attributes say.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub rename: Option<LitStr>,
    /// `skip`, `skip_serializing` or `skip_deserializing`: not part of the contract.
    pub skip: bool,
    /// `skip_serializing_if = "path"`: left out of the example when `path(&field)` is true.
    pub skip_if: Option<ExprPath>,
    pub refinement: Option<Refinement>,
}

/// What a variant's attributes say.
#[derive(Default)]
pub(crate) struct VariantAttrs {
    pub rename: Option<LitStr>,
    pub aliases: Vec<LitStr>,
    /// `#[serde(other)]`: the variant reads any other name.
    pub other: bool,
}

pub(crate) fn container(attrs: &[Attribute], errors: &mut Errors) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for attr in attrs {
        if attr.path().is_ident("pact") {
            errors.spanned(attr, "#[pact(...)] goes on a field, as in #[pact(term = \"^\\\\d+$\")]");
        }
        if !attr.path().is_ident("serde") {
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta);
            if key == "rename_all" {
                if meta.input.peek(syn::token::Paren) {
                    errors.push(meta.error(
                        "PactExample reads one name per field: give rename_all one convention, \
                         as in rename_all = \"camelCase\"",
                    ));
                    return skip_value(&meta);
                }
                let value: LitStr = meta.value()?.parse()?;
                match Case::from_name(&value.value()) {
                    Some(case) => out.rename_all = Some(case),
                    None => {
                        let names: Vec<&str> = case::NAMES.iter().map(|(n, _)| *n).collect();
                        errors.spanned(
                            &value,
                            format!(
                                "unknown rename_all convention {}: use one of {}",
                                value.token(),
                                names.join(", ")
                            ),
                        );
                    }
                }
                Ok(())
            } else if CONTAINER_UNSUPPORTED.contains(&key.as_str()) {
                errors.push(meta.error(format!(
                    "#[serde({key})] changes how the type is written, which PactExample cannot follow: \
                     declare this body with json_pattern! instead"
                )));
                skip_value(&meta)
            } else {
                skip_value(&meta)
            }
        });
        errors.take(result);
    }
    out
}

pub(crate) fn field(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs {
        if attr.path().is_ident("serde") {
            let result = attr.parse_nested_meta(|meta| {
                let key = key_of(&meta);
                match key.as_str() {
                    "rename" => {
                        if meta.input.peek(syn::token::Paren) {
                            errors.push(meta.error(
                                "PactExample reads one name per field: give rename one name, as in rename = \"userName\"",
                            ));
                            return skip_value(&meta);
                        }
                        out.rename = Some(meta.value()?.parse()?);
                        Ok(())
                    }
                    "skip" | "skip_serializing" | "skip_deserializing" => {
                        out.skip = true;
                        Ok(())
                    }
                    "skip_serializing_if" => {
                        let path: LitStr = meta.value()?.parse()?;
                        match path.parse::<ExprPath>() {
                            Ok(parsed) => out.skip_if = Some(parsed),
                            Err(_) => errors.spanned(&path, "skip_serializing_if takes the path of a function"),
                        }
                        Ok(())
                    }
                    k if FIELD_UNSUPPORTED.contains(&k) => {
                        errors.push(meta.error(format!(
                            "#[serde({key})] changes how the field is written, which PactExample cannot follow: \
                             declare this body with json_pattern! instead"
                        )));
                        skip_value(&meta)
                    }
                    _ => skip_value(&meta),
                }
            });
            errors.take(result);
        } else if attr.path().is_ident("pact") {
            let result = attr.parse_nested_meta(|meta| {
                let key = key_of(&meta);
                let kind = match key.as_str() {
                    "term" => RefinementKind::Term,
                    "datetime" => RefinementKind::DateTime(Kind::DateTime),
                    "date" => RefinementKind::DateTime(Kind::Date),
                    "time" => RefinementKind::DateTime(Kind::Time),
                    _ => {
                        errors.push(
                            meta.error(format!("unknown key `{key}` in #[pact]: use one of {PACT_KEYS}")),
                        );
                        return skip_value(&meta);
                    }
                };
                let value: LitStr = meta.value()?.parse()?;
                if out.refinement.is_some() {
                    errors.push(meta.error(format!(
                        "a field takes one refinement, and this one already has one: keep one of {PACT_KEYS}"
                    )));
                    return Ok(());
                }
                check_refinement(kind, &value, errors);
                out.refinement = Some(Refinement { kind, value });
                Ok(())
            });
            errors.take(result);
        }
    }
    out
}

pub(crate) fn variant(attrs: &[Attribute], errors: &mut Errors) -> VariantAttrs {
    let mut out = VariantAttrs::default();
    for attr in attrs {
        if attr.path().is_ident("pact") {
            errors.spanned(attr, "#[pact(...)] goes on a field of a struct, not on a variant");
        }
        if !attr.path().is_ident("serde") {
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta);
            match key.as_str() {
                "rename" => {
                    if meta.input.peek(syn::token::Paren) {
                        errors.push(meta.error(
                            "PactExample reads one name per variant: give rename one name, as in rename = \"admin\"",
                        ));
                        return skip_value(&meta);
                    }
                    out.rename = Some(meta.value()?.parse()?);
                    Ok(())
                }
                "alias" => {
                    out.aliases.push(meta.value()?.parse()?);
                    Ok(())
                }
                "other" => {
                    out.other = true;
                    Ok(())
                }
                k if VARIANT_UNSUPPORTED.contains(&k) => {
                    errors.push(meta.error(format!(
                        "#[serde({key})] on a variant is not supported by PactExample: \
                         declare this body with json_pattern! instead"
                    )));
                    skip_value(&meta)
                }
                _ => skip_value(&meta),
            }
        });
        errors.take(result);
    }
    out
}

/// A regular expression that does not compile, or a date format that cannot be used, is
/// reported at its literal, as `term!` and `datetime!` do.
fn check_refinement(kind: RefinementKind, value: &LitStr, errors: &mut Errors) {
    match kind {
        RefinementKind::Term => {
            if let Err(e) = crate::pattern::compile_regex(value) {
                errors.push(e);
            }
        }
        RefinementKind::DateTime(kind) => {
            if let Err(e) = pact_datetime::check_format(kind, &value.value()) {
                errors.spanned(value, e);
            }
        }
    }
}

fn key_of(meta: &ParseNestedMeta<'_>) -> String {
    meta.path.get_ident().map(ToString::to_string).unwrap_or_default()
}

/// Consumes a key's value (`= value` or `(...)`), which the derive does not need.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}
