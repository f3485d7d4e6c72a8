//! The matching engine: compares an expected request, response or message (with its matching
//! rules) with an actual one and returns every [`Mismatch`], not just the first.
//!
//! - Methods compare case-insensitively; paths exactly or by their rule.
//! - Query parameters are multi-valued; the values of a name compare in order. Parameters that
//!   are not expected are mismatches.
//! - Header names compare case-insensitively, and comma-separated values item by item;
//!   `Content-Type` and `Accept` compare as media types (parameters in any order, charset in any
//!   case). Headers that are not expected are allowed.
//! - Bodies compare by content type: JSON, XML, form-urlencoded, or text and bytes.
//!
//! ```
//! use pact_core::matching::match_request;
//! use pact_core::model::Request;
//!
//! let expected = Request::get("/users/UserA");
//! let actual = Request::get("/users/UserB");
//! let mismatches = match_request(&expected, &actual);
//! assert_eq!(mismatches[0].path, "$.path");
//! assert_eq!(mismatches[0].to_string(), r#"$.path: expected "/users/UserA" but found "/users/UserB""#);
//! ```

mod body;
mod content_type;
/// Java-style date and time formats, shared with the macros' compile-time checks.
use pact_datetime as datetime;
mod json;
mod mismatch;
mod multipart;
mod rules;
mod select;
mod xml;

use std::collections::BTreeMap;

use serde_json::Value;

/// The `contentType` matcher's judgement, for the DSL's check of its own examples.
#[cfg(feature = "consumer")]
pub(crate) use content_type::check as check_content_type;
pub use mismatch::{Mismatch, MismatchKind};

use crate::model::{
    get_ignoring_case, Headers, MatchingRule, MatchingRules, MessageContents, Query, Request, Response,
    RuleList,
};
use rules::{show, Mode};

/// Compares an actual request with an expected one.
pub fn match_request(expected: &Request, actual: &Request) -> Vec<Mismatch> {
    let mut out = Vec::new();
    match_method(&expected.method, &actual.method, &mut out);
    match_path(expected, &actual.path, &mut out);
    match_query(expected.query.as_ref(), actual.query.as_ref(), &expected.matching_rules, &mut out);
    match_headers(expected.headers.as_ref(), actual.headers.as_ref(), &expected.matching_rules, &mut out);
    out.extend(body::match_body(
        &body::Side { body: &expected.body, content_type: expected.content_type() },
        &body::Side { body: &actual.body, content_type: actual.content_type() },
        &expected.matching_rules,
        false,
        "$.body",
    ));
    out
}

/// Compares only what routes a request (method and path), used to find the closest expected
/// request for an unexpected one.
pub fn match_route(expected: &Request, actual: &Request) -> Vec<Mismatch> {
    let mut out = Vec::new();
    match_method(&expected.method, &actual.method, &mut out);
    match_path(expected, &actual.path, &mut out);
    out
}

/// Compares an actual response with an expected one.
pub fn match_response(expected: &Response, actual: &Response) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let status_ok = match &expected.matching_rules.status {
        Some(list) => {
            let failures = rules::apply(
                list,
                &Value::from(expected.status),
                &Value::from(actual.status),
                false,
                Mode::Json,
            );
            for failure in failures {
                out.push(Mismatch::new(
                    MismatchKind::Status,
                    "$.status",
                    expected.status.to_string(),
                    actual.status.to_string(),
                    failure,
                ));
            }
            true
        }
        None => expected.status == actual.status,
    };
    if !status_ok {
        out.push(Mismatch::new(
            MismatchKind::Status,
            "$.status",
            expected.status.to_string(),
            actual.status.to_string(),
            format!("expected status {} but found {}", expected.status, actual.status),
        ));
    }
    match_headers(expected.headers.as_ref(), actual.headers.as_ref(), &expected.matching_rules, &mut out);
    out.extend(body::match_body(
        &body::Side { body: &expected.body, content_type: expected.content_type() },
        &body::Side { body: &actual.body, content_type: actual.content_type() },
        &expected.matching_rules,
        true,
        "$.body",
    ));
    out
}

/// Compares actual message contents and metadata with the expected ones.
pub fn match_message(expected: &MessageContents, actual: &MessageContents) -> Vec<Mismatch> {
    let mut out = body::match_body(
        &body::Side { body: &expected.contents, content_type: expected.content_type() },
        &body::Side { body: &actual.contents, content_type: actual.content_type() },
        &expected.matching_rules,
        true,
        "$.contents",
    );
    for (key, example) in &expected.metadata {
        let path = format!("$.metadata.{key}");
        let Some(value) = actual.metadata.get(key) else {
            out.push(Mismatch::new(
                MismatchKind::Metadata,
                path,
                show(example),
                "",
                format!("expected {} but the key was missing", show(example)),
            ));
            continue;
        };
        let failures = match expected.matching_rules.metadata.get(key) {
            Some(list) => rules::apply(list, example, value, false, Mode::Text),
            None if crate::model::is_content_type_key(key) => {
                let (e, a) = (example.as_str().unwrap_or_default(), value.as_str().unwrap_or_default());
                if media_types_match(e, a) {
                    Vec::new()
                } else {
                    vec![format!("expected {} but found {}", show(example), show(value))]
                }
            }
            None if rules::values_equal(example, value) => Vec::new(),
            None => vec![format!("expected {} but found {}", show(example), show(value))],
        };
        for failure in failures {
            out.push(Mismatch::new(
                MismatchKind::Metadata,
                path.clone(),
                show(example),
                show(value),
                failure,
            ));
        }
    }
    out
}

fn match_method(expected: &str, actual: &str, out: &mut Vec<Mismatch>) {
    if !expected.eq_ignore_ascii_case(actual) {
        out.push(Mismatch::new(
            MismatchKind::Method,
            "$.method",
            expected.to_uppercase(),
            actual.to_uppercase(),
            format!("expected {} but found {}", expected.to_uppercase(), actual.to_uppercase()),
        ));
    }
}

fn match_path(expected: &Request, actual: &str, out: &mut Vec<Mismatch>) {
    let (e, a) = (Value::String(expected.path.clone()), Value::String(actual.to_string()));
    let failures = match &expected.matching_rules.path {
        Some(list) => rules::apply(list, &e, &a, false, Mode::Text),
        None if expected.path == actual => Vec::new(),
        None => vec![format!("expected {} but found {}", show(&e), show(&a))],
    };
    for failure in failures {
        out.push(Mismatch::new(MismatchKind::Path, "$.path", show(&e), show(&a), failure));
    }
}

fn match_query(
    expected: Option<&Query>,
    actual: Option<&Query>,
    rules: &MatchingRules,
    out: &mut Vec<Mismatch>,
) {
    let empty = Query::new();
    let expected = expected.unwrap_or(&empty);
    let actual = actual.unwrap_or(&empty);
    for (name, values) in expected {
        let path = format!("$.query{}", path_key(name));
        let example = json_strings(values);
        let Some(found) = actual.get(name) else {
            out.push(Mismatch::new(
                MismatchKind::Query,
                path,
                show(&example),
                "",
                format!("expected {} but the parameter was missing", show(&example)),
            ));
            continue;
        };
        let found_json = json_strings(found);
        let failures = match rules.query.get(name) {
            Some(list) => apply_to_values(list, values, found),
            None if values == found => Vec::new(),
            None => vec![format!("expected {} but found {}", show(&example), show(&found_json))],
        };
        for failure in failures {
            out.push(Mismatch::new(
                MismatchKind::Query,
                path.clone(),
                show(&example),
                show(&found_json),
                failure,
            ));
        }
    }
    for (name, values) in actual {
        if !expected.contains_key(name) {
            let found = json_strings(values);
            out.push(Mismatch::new(
                MismatchKind::Query,
                format!("$.query{}", path_key(name)),
                "",
                show(&found),
                format!("unexpected query parameter, found {}", show(&found)),
            ));
        }
    }
}

/// Applies a rule list to each of several text values (query parameters, header values). A
/// type rule with `min`/`max` checks how many values there are.
fn apply_to_values(list: &RuleList, expected: &[String], actual: &[String]) -> Vec<String> {
    let mut failures = Vec::new();
    for rule in &list.rules {
        if matches!(rule, MatchingRule::MinType(_) | MatchingRule::MaxType(_) | MatchingRule::MinMaxType(..))
        {
            if let Err(e) =
                rules::check(rule, &json_strings(expected), &json_strings(actual), false, Mode::Json)
            {
                failures.push(e);
            }
        }
    }
    let example = expected.first().map(|s| Value::String(s.clone())).unwrap_or(Value::String(String::new()));
    for value in actual {
        failures.extend(rules::apply(list, &example, &Value::String(value.clone()), true, Mode::Text));
    }
    failures
}

fn json_strings(values: &[String]) -> Value {
    Value::Array(values.iter().cloned().map(Value::String).collect())
}

fn path_key(name: &str) -> String {
    let mut out = String::new();
    crate::model::json::push_key(&mut out, name);
    out
}

fn match_headers(
    expected: Option<&Headers>,
    actual: Option<&Headers>,
    rules: &MatchingRules,
    out: &mut Vec<Mismatch>,
) {
    let Some(expected) = expected else { return };
    let empty = Headers::new();
    let actual = actual.unwrap_or(&empty);
    for (name, values) in expected {
        let path = format!("$.headers{}", path_key(name));
        let joined = values.join(", ");
        let Some(found) = actual.get(name) else {
            out.push(Mismatch::new(
                MismatchKind::Header,
                path,
                show(&Value::String(joined.clone())),
                "",
                format!("expected {} but the header was missing", show(&Value::String(joined))),
            ));
            continue;
        };
        let found_joined = found.join(", ");
        let rule = get_ignoring_case(&rules.header, name);
        let failures = match rule {
            Some(list) => rules::apply(
                list,
                &Value::String(joined.clone()),
                &Value::String(found_joined.clone()),
                false,
                Mode::Text,
            ),
            None if header_values_match(name, &joined, &found_joined) => Vec::new(),
            None => vec![format!(
                "expected {} but found {}",
                show(&Value::String(joined.clone())),
                show(&Value::String(found_joined.clone()))
            )],
        };
        for failure in failures {
            out.push(Mismatch::new(
                MismatchKind::Header,
                path.clone(),
                show(&Value::String(joined.clone())),
                show(&Value::String(found_joined.clone())),
                failure,
            ));
        }
    }
}

/// Header values compare item by item after splitting at commas; media-type headers compare
/// as media types.
fn header_values_match(name: &str, expected: &str, actual: &str) -> bool {
    if name.eq_ignore_ascii_case("content-type") {
        return media_types_match(expected, actual);
    }
    let split = |s: &str| s.split(',').map(str::trim).map(str::to_string).collect::<Vec<_>>();
    let (e, a) = (split(expected), split(actual));
    if name.eq_ignore_ascii_case("accept") {
        return e.len() == a.len() && e.iter().zip(&a).all(|(x, y)| media_types_match(x, y));
    }
    e == a
}

/// `application/json;charset=utf-8` matches `application/json; charset=UTF-8`; an expected type
/// without parameters matches any parameters.
pub(crate) fn media_types_match(expected: &str, actual: &str) -> bool {
    fn parse(s: &str) -> (String, BTreeMap<String, String>) {
        let mut parts = s.split(';');
        let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let params = parts
            .filter_map(|p| {
                let (k, v) = p.trim().split_once('=')?;
                let key = k.trim().to_ascii_lowercase();
                let mut value = v.trim().trim_matches('"').to_string();
                if key == "charset" {
                    value = value.to_ascii_lowercase();
                }
                Some((key, value))
            })
            .collect();
        (essence, params)
    }
    if !expected.contains('/') {
        return expected.trim() == actual.trim();
    }
    let (ee, ep) = parse(expected);
    let (ae, ap) = parse(actual);
    ee == ae && ep.iter().all(|(k, v)| ap.get(k) == Some(v))
}
