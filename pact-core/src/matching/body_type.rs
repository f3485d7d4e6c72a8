//! Whether an actual HTTP body's declared content type can stand for the expected one, checked
//! before the bodies are compared, as pact-reference's `match_body` does
//! (`pact_matching/src/lib.rs`): a JSON example answered with `text/plain` fails there even when
//! the text parses as the same JSON.
//!
//! The expected type is the one the pact states (a `Content-Type` header or the body's own), or
//! `application/json` for a JSON example. The check is made only when the actual body declares
//! a type; a body without one is judged by its contents.

use super::rules::show;
use super::{body::Side, Mismatch, MismatchKind};
use crate::model::{get_ignoring_case, Data, MatchingRules, MediaType};
use serde_json::Value;

/// The mismatch when the actual body declares a content type that cannot be the expected one.
pub(crate) fn mismatch(
    expected: &Side<'_>,
    actual: &Side<'_>,
    rules: &MatchingRules,
    prefix: &str,
) -> Option<Mismatch> {
    let crate::model::Body::Present(content) = expected.body else { return None };
    if !matches!(actual.body, crate::model::Body::Present(_))
        || get_ignoring_case(&rules.header, "content-type").is_some()
    {
        return None;
    }
    let wanted = match expected.content_type {
        Some(declared) => MediaType::parse(declared)?,
        None if matches!(content.data, Data::Json(_)) => MediaType::parse("application/json")?,
        None => return None,
    };
    let found = MediaType::parse(actual.content_type?)?;
    if wanted.is_unknown() || found.is_unknown() || wanted.main == "multipart" || wanted.accepts(&found) {
        return None;
    }
    let (e, a) = (wanted.text(), found.text());
    Some(Mismatch::new(
        MismatchKind::BodyType,
        prefix,
        e.clone(),
        a.clone(),
        format!(
            "expected a body of {} but the actual content type was {}",
            show(&Value::String(e)),
            show(&Value::String(a))
        ),
    ))
}
