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
use crate::model::{get_ignoring_case, Data, MatchingRules};
use serde_json::Value;

/// A content type as pact_models reads one through the `mime` crate: the type, the subtype
/// without its `+suffix`, the suffix, and the parameters (names in lower case).
#[derive(Debug, PartialEq)]
struct MediaType {
    main: String,
    sub: String,
    suffix: Option<String>,
    params: Vec<(String, String)>,
}

impl MediaType {
    fn parse(text: &str) -> Option<MediaType> {
        let mut parts = text.split(';');
        let essence = parts.next()?.trim().to_ascii_lowercase();
        let (main, sub) = essence.split_once('/')?;
        if main.is_empty() || sub.is_empty() || main.contains(char::is_whitespace) {
            return None;
        }
        let (sub, suffix) = match sub.split_once('+') {
            Some((sub, suffix)) => (sub.to_string(), Some(suffix.to_string())),
            None => (sub.to_string(), None),
        };
        let mut params: Vec<(String, String)> = parts
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"').to_string()))
            .collect();
        params.sort();
        Some(MediaType { main: main.to_string(), sub, suffix, params })
    }

    fn is_unknown(&self) -> bool {
        self.main == "*" || self.sub == "*"
    }

    fn is_strict_xml(&self) -> bool {
        (self.main == "application" || self.main == "text") && self.sub == "xml" && self.suffix.is_none()
    }

    /// pact_models' `is_equivalent_to`, against `other` or its base type (`+json` read as
    /// `json`).
    fn accepts(&self, other: &MediaType) -> bool {
        if self.is_strict_xml() && other.is_strict_xml() {
            return self.params.is_empty() || self.params == other.params;
        }
        if self.params.is_empty() {
            let base = other.suffix.as_deref().unwrap_or(&other.sub);
            return self.main == other.main && (self.sub == other.sub || self.sub == base);
        }
        self == other
    }

    fn text(&self) -> String {
        match &self.suffix {
            Some(suffix) => format!("{}/{}+{}", self.main, self.sub, suffix),
            None => format!("{}/{}", self.main, self.sub),
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_are_equivalent_as_pact_models_judges() {
        let accepts = |e: &str, a: &str| MediaType::parse(e).unwrap().accepts(&MediaType::parse(a).unwrap());
        assert!(accepts("application/json", "application/json; charset=utf-8"));
        assert!(accepts("application/json", "application/hal+json"));
        assert!(accepts("application/json", "Application/JSON"));
        assert!(!accepts("application/json", "text/plain"));
        assert!(!accepts("application/hal+json", "application/json"));
        assert!(accepts("application/xml", "text/xml"));
        assert!(!accepts("text/plain", "text/html"));
        assert!(accepts("text/plain; charset=utf-8", "text/plain; charset=utf-8"));
        assert!(!accepts("text/plain; charset=utf-8", "text/plain"));
        assert!(MediaType::parse("not a type").is_none());
        assert!(MediaType::parse("*/*").unwrap().is_unknown());
    }
}
