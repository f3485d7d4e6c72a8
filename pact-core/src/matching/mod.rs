//! The matching engine: compares an expected request, response or message (with its matching
//! rules) with an actual one and returns every [`Mismatch`], not just the first.
//!
//! - Methods compare case-insensitively; paths exactly or by their rule.
//! - Query parameters are multi-valued; the values of a name compare in order. Parameters that
//!   are not expected are mismatches.
//! - Header names compare case-insensitively. Known multi-value headers (`Accept`, `Vary`,
//!   `Cache-Control` and the others in [`MULTI_VALUE_HEADERS`](crate::model::MULTI_VALUE_HEADERS))
//!   compare value by value after splitting at commas; any other header (`Date`, `Set-Cookie`, a
//!   custom one) is one value, equal to another once the spaces around commas are dropped. A
//!   header rule applies to each value. `Content-Type` and `Accept` compare as media types
//!   (parameters in any order, charset in any case). Headers that are not expected are allowed.
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
mod body_type;
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
    RuleList, RuleLogic,
};
use rules::{show, Mode};

/// Compares an actual request with an expected one.
pub fn match_request(expected: &Request, actual: &Request) -> Vec<Mismatch> {
    let mut out = Vec::new();
    match_method(&expected.method, &actual.method, &mut out);
    match_path(expected, &actual.path, &mut out);
    match_query(expected.query.as_ref(), actual.query.as_ref(), &expected.matching_rules, &mut out);
    match_headers(expected.headers.as_ref(), actual.headers.as_ref(), &expected.matching_rules, &mut out);
    out.extend(http_body(
        body::Side { body: &expected.body, content_type: expected.content_type() },
        body::Side { body: &actual.body, content_type: actual.content_type() },
        &expected.matching_rules,
        false,
    ));
    out
}

/// An HTTP body: first whether the actual body's declared content type can be the expected one
/// ([`body_type`]), then the bodies.
fn http_body(
    expected: body::Side<'_>,
    actual: body::Side<'_>,
    rules: &MatchingRules,
    allow_unexpected_keys: bool,
) -> Vec<Mismatch> {
    if let Some(mismatch) = body_type::mismatch(&expected, &actual, rules, "$.body") {
        return vec![mismatch];
    }
    body::match_body(&expected, &actual, rules, allow_unexpected_keys, "$.body")
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
    out.extend(http_body(
        body::Side { body: &expected.body, content_type: expected.content_type() },
        body::Side { body: &actual.body, content_type: actual.content_type() },
        &expected.matching_rules,
        true,
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
            Some(list) => list_failures(values, found, list, &|e, a, r| match r {
                Some(r) => {
                    rules::apply(r, &Value::String(e.into()), &Value::String(a.into()), true, Mode::Text)
                }
                None if e == a => Vec::new(),
                None => vec![format!(
                    "expected {} but found {}",
                    show(&Value::String(e.into())),
                    show(&Value::String(a.into()))
                )],
            }),
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
        // The actual values as pact-reference's verifier reads them (`provider_client.rs`,
        // `extract_headers`): each line parsed by `parse_header`.
        let found: Vec<String> =
            found.iter().flat_map(|v| crate::model::split_header_value(name, v)).collect();
        let found_joined = found.join(", ");
        let failures = header_failures(name, values, &found, get_ignoring_case(&rules.header, name));
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

/// One header's values compared as pact-reference's `match_header_maps` and `match_header_value`
/// do (`pact_matching/src/headers.rs`): one value each compares the two (by the rule, as media
/// types for `Accept`/`Content-Type`, or equal once the spaces around commas are dropped); several
/// compare by the rule (its list checks, then each value) or index by index, where a value
/// missing on either side is a mismatch.
fn header_failures(
    name: &str,
    expected: &[String],
    actual: &[String],
    rule: Option<&RuleList>,
) -> Vec<String> {
    if expected.is_empty() {
        return if actual.is_empty() {
            Vec::new()
        } else {
            vec![format!("expected an empty header but found {}", show(&json_strings(actual)))]
        };
    }
    if expected.len() == 1 && actual.len() == 1 {
        return header_value_failures(name, &expected[0], &actual[0], rule);
    }
    if let Some(list) = rule {
        return list_failures(expected, actual, list, &|e, a, r| header_value_failures(name, e, a, r));
    }
    let mut failures = Vec::new();
    for index in 0..expected.len().max(actual.len()) {
        match (expected.get(index), actual.get(index)) {
            (Some(e), Some(a)) => {
                for failure in header_value_failures(name, e, a, None) {
                    failures.push(format!("{failure} (value {index})"));
                }
            }
            (Some(e), None) => failures.push(format!(
                "expected {} at value {index} but the header has {} value(s)",
                show(&Value::String(e.clone())),
                actual.len()
            )),
            (None, Some(a)) => failures
                .push(format!("expected no value {index} but found {}", show(&Value::String(a.clone())))),
            (None, None) => {}
        }
    }
    failures
}

/// How one value (a header's or a query parameter's) compares with its example: the failures.
type ValueFailures<'a> = dyn Fn(&str, &str, Option<&RuleList>) -> Vec<String> + 'a;

/// Several values (of a header or a query parameter) under a rule, as pact-reference's
/// `compare_lists_with_matchingrules` compares them (`pact_matching/src/matchingrules.rs`), rule
/// by rule, combined by the list's logic:
/// - `arrayContains`: each variant's example value must match one of the actual values (by the
///   variant's own rules at `$`, or as values compare without a rule);
/// - `eachValue`: each actual value must satisfy the inner rules;
/// - any other rule: first the list as a whole (`equality`: the same values in the same order;
///   sizes for `min`/`max`; `notEmpty`; `null` and `statusCode` never match a list), then each
///   actual value by the whole rule list against the example at its index, or the first. An actual
///   list shorter than the example is no mismatch by itself: the rule covers the missing values.
///
/// `value_failures(example, actual, rules)` compares one value (a header's or a query
/// parameter's); `None` means no rule applies.
fn list_failures(
    expected: &[String],
    actual: &[String],
    list: &RuleList,
    value_failures: &ValueFailures<'_>,
) -> Vec<String> {
    let Some(first) = expected.first() else { return Vec::new() };
    let example = |index: usize| expected.get(index).unwrap_or(first);
    let each_value = |rules: &RuleList| -> Vec<String> {
        let mut failures = Vec::new();
        for (index, value) in actual.iter().enumerate() {
            for failure in value_failures(example(index), value, Some(rules)) {
                failures.push(format!("{failure} (value {index})"));
            }
        }
        failures
    };
    let per_rule: Vec<Vec<String>> = list
        .rules
        .iter()
        .map(|rule| match rule {
            MatchingRule::ArrayContains(variants) => {
                // No variants: each example value, compared without a rule.
                let variants: Vec<(usize, Option<&RuleList>)> = if variants.is_empty() {
                    (0..expected.len()).map(|index| (index, None)).collect()
                } else {
                    variants
                        .iter()
                        .map(|v| (v.index, v.rules.iter().find(|(p, _)| p.depth() == 0).map(|(_, r)| r)))
                        .collect()
                };
                let mut failures = Vec::new();
                for (index, rules) in variants {
                    match expected.get(index) {
                        Some(wanted) => {
                            if !actual.iter().any(|value| value_failures(wanted, value, rules).is_empty()) {
                                failures.push(format!(
                                    "expected a value like {} (variant {index}) but found none in {}",
                                    show(&Value::String(wanted.clone())),
                                    show(&json_strings(actual))
                                ));
                            }
                        }
                        None => failures.push(format!(
                            "arrayContains variant {index} is not among the {} example values",
                            expected.len()
                        )),
                    }
                }
                failures
            }
            MatchingRule::EachValue(each) => {
                each_value(&RuleList { rules: each.rules.clone(), combine: RuleLogic::And })
            }
            rule => {
                let mut failures = Vec::new();
                let whole = match rule {
                    MatchingRule::Equality if expected != actual => Err(format!(
                        "expected {} but found {}",
                        show(&json_strings(expected)),
                        show(&json_strings(actual))
                    )),
                    MatchingRule::MinType(_) | MatchingRule::MaxType(_) | MatchingRule::MinMaxType(..) => {
                        rules::check(rule, &json_strings(expected), &json_strings(actual), false, Mode::Json)
                    }
                    MatchingRule::NotEmpty if actual.is_empty() => {
                        Err("expected a value but found none".into())
                    }
                    MatchingRule::Null | MatchingRule::StatusCode(_) | MatchingRule::Unknown { .. } => {
                        Err(format!("cannot match {} with {}", show(&json_strings(actual)), rule.name()))
                    }
                    _ => Ok(()),
                };
                if let Err(e) = whole {
                    failures.push(e);
                }
                failures.extend(each_value(list));
                failures
            }
        })
        .collect();
    match list.combine {
        RuleLogic::Or if per_rule.iter().any(Vec::is_empty) => Vec::new(),
        _ => per_rule.into_iter().flatten().collect(),
    }
}

fn header_value_failures(name: &str, expected: &str, actual: &str, rule: Option<&RuleList>) -> Vec<String> {
    let (expected, actual) = (expected.trim(), actual.trim());
    let (e, a) = (Value::String(expected.to_string()), Value::String(actual.to_string()));
    match rule {
        Some(list) => rules::apply(list, &e, &a, false, Mode::Text),
        None if header_values_match(name, expected, actual) => Vec::new(),
        None => vec![format!("expected {} but found {}", show(&e), show(&a))],
    }
}

/// `Accept` and `Content-Type` values compare as media types; any other value compares equal once
/// the spaces around its commas are dropped (RFC 9110 allows them: `a,b` is `a, b`).
fn header_values_match(name: &str, expected: &str, actual: &str) -> bool {
    if name.eq_ignore_ascii_case("content-type") || name.eq_ignore_ascii_case("accept") {
        return media_types_match(expected, actual);
    }
    let normalise = |s: &str| s.split(',').map(str::trim).collect::<Vec<_>>().join(",");
    normalise(expected) == normalise(actual)
}

/// `Accept` and `Content-Type` values (and a message's content-type metadata) compare as
/// pact-reference's `match_parameter_header` does: the type before the first `;` exactly, then
/// each parameter the expected value names must be in the actual one (the name exactly, the value
/// ignoring ASCII case), so `application/json;charset=utf-8` matches
/// `application/json; charset=UTF-8; q=1`, and an expected type without parameters matches any.
pub(crate) fn media_types_match(expected: &str, actual: &str) -> bool {
    fn parse(s: &str) -> (&str, BTreeMap<&str, &str>) {
        let mut parts = s.split(';').map(str::trim).filter(|p| !p.is_empty());
        let essence = parts.next().unwrap_or("");
        let params = parts.filter_map(|p| p.split_once('=')).map(|(k, v)| (k.trim(), v.trim())).collect();
        (essence, params)
    }
    let (expected_type, expected_params) = parse(expected);
    let (actual_type, actual_params) = parse(actual);
    expected_type == actual_type
        && expected_params
            .iter()
            .all(|(k, v)| actual_params.get(k).is_some_and(|a| a.eq_ignore_ascii_case(v)))
}

#[cfg(test)]
mod header_and_query_tests {
    use super::*;

    /// pact-reference's `match_parameter_header` cases (pact_matching's header tests), and where
    /// it is stricter than a lenient reading of RFC 9110 (type and parameter names compare exactly).
    #[test]
    fn media_types_compare_as_pact_reference_does() {
        for (expected, actual, same) in [
            ("application/json;charset=UTF-8", "application/json; charset=UTF-8", true),
            ("application/pdf;charset=UTF-8", "application/json;charset=UTF-8", false),
            ("", "application/json;charset=UTF-8", false),
            ("application/pdf;charset=UTF-8", "", false),
            ("application/json;charset=UTF-8", "application/json;charset=UTF-16", false),
            ("application/json;charset=UTF-8", "application/json;charset=utf-8", true),
            (
                "application/json;declaration=\"<950118.AEB0@XIson.com>\"",
                "application/json;charset=UTF-8",
                false,
            ),
            ("application/json", "application/json;charset=UTF-8", true),
            ("application/hal+json;charset=utf-8", "application/hal+json;charset=UTF-8", true),
            ("application/json", "application/json;", true),
            ("multipart/form-data; boundary=ABC", "multipart/form-data; boundary=abc", true),
            ("application/json", "Application/JSON", false),
            ("application/json; Charset=utf-8", "application/json; charset=utf-8", false),
            ("application/json; charset=\"utf-8\"", "application/json; charset=utf-8", false),
        ] {
            assert_eq!(media_types_match(expected, actual), same, "{expected:?} against {actual:?}");
        }
    }
    use crate::model::{Request, RuleList};

    fn request_with(name: &str, values: &[&str]) -> Request {
        let mut r = Request::get("/");
        for v in values {
            r.headers.get_or_insert_with(Headers::new).append(name, *v);
        }
        r
    }

    fn header_mismatches(expected: &Request, actual: &Request) -> Vec<Mismatch> {
        match_request(expected, actual).into_iter().filter(|m| m.kind == MismatchKind::Header).collect()
    }

    /// A query parameter's values under a rule compare as a list, as pact-reference's
    /// `match_query_values` does (`compare_lists_with_matchingrules`), in the mock and `pact stub`.
    #[test]
    fn rules_on_a_repeated_query_parameter_compare_the_list() {
        let query_mismatches = |rule: MatchingRule, expected: &[&str], actual: &[&str]| {
            let mut e = Request::get("/");
            e.query = Some(Query::from([("lang".into(), expected.iter().map(|s| s.to_string()).collect())]));
            e.matching_rules.query.insert("lang".into(), RuleList::one(rule));
            let mut a = Request::get("/");
            a.query = Some(Query::from([("lang".into(), actual.iter().map(|s| s.to_string()).collect())]));
            match_request(&e, &a).into_iter().filter(|m| m.kind == MismatchKind::Query).count()
        };
        // `equality` compares the whole list: one value fewer fails.
        assert_eq!(query_mismatches(MatchingRule::Equality, &["en", "de"], &["en", "de"]), 0);
        assert_ne!(query_mismatches(MatchingRule::Equality, &["en", "de"], &["en"]), 0);
        // `arrayContains` without variant rules: each example value must be among the actual ones.
        let contains = || MatchingRule::ArrayContains(vec![crate::model::ArrayContainsVariant::default()]);
        assert_eq!(query_mismatches(contains(), &["en", "de"], &["fr", "en"]), 0);
        assert_ne!(query_mismatches(contains(), &["en", "de"], &["fr", "de"]), 0);
        // `eachValue`: each actual value by the inner rules.
        let regex = MatchingRule::Regex(crate::model::PactRegex::new("^[a-z]{2}$").unwrap());
        let each =
            || MatchingRule::EachValue(crate::model::EachRule { rules: vec![regex.clone()], value: None });
        assert_eq!(query_mismatches(each(), &["en"], &["fr", "de", "it"]), 0);
        assert_ne!(query_mismatches(each(), &["en"], &["fr", "DE"]), 0);
        // Sizes and `null` judge the list.
        assert_ne!(query_mismatches(MatchingRule::MaxType(1), &["en"], &["en", "de"]), 0);
        assert_ne!(query_mismatches(MatchingRule::Null, &["en"], &["en"]), 0);
    }

    #[test]
    fn a_multi_value_header_matches_with_or_without_spaces_after_commas() {
        let expected = request_with("Vary", &["Accept", "Origin"]);
        assert!(header_mismatches(&expected, &request_with("vary", &["Accept,Origin"])).is_empty());
        assert!(header_mismatches(&expected, &request_with("vary", &["Accept,   Origin"])).is_empty());
        assert!(header_mismatches(&expected, &request_with("vary", &["Accept", "Origin"])).is_empty());
    }

    #[test]
    fn a_multi_value_header_with_a_value_more_or_less_or_other_fails() {
        let expected = request_with("Vary", &["Accept", "Origin"]);
        let extra = header_mismatches(&expected, &request_with("Vary", &["Accept, Origin, Cookie"]));
        assert_eq!(extra.len(), 1, "{extra:?}");
        assert!(extra[0].to_string().contains("expected no value 2 but found \"Cookie\""), "{}", extra[0]);
        let fewer = header_mismatches(&expected, &request_with("Vary", &["Accept"]));
        assert_eq!(fewer.len(), 1, "{fewer:?}");
        let reordered = header_mismatches(&expected, &request_with("Vary", &["Origin, Accept"]));
        assert_eq!(reordered.len(), 2, "{reordered:?}");
    }

    #[test]
    fn a_single_value_header_with_commas_compares_whole_ignoring_spaces_after_commas() {
        let expected = request_with("X-Tags", &["a,b"]);
        assert!(header_mismatches(&expected, &request_with("X-Tags", &["a, b"])).is_empty());
        assert_eq!(header_mismatches(&expected, &request_with("X-Tags", &["a, c"])).len(), 1);
    }

    #[test]
    fn a_date_header_is_not_split_at_its_comma() {
        // `Date` is not a multi-value header: a regex on the whole value passes, which it could
        // not if the value were split at "Mon,".
        let mut expected = request_with("Date", &["Mon, 01 Dec 2008 01:15:39 GMT"]);
        let regex = MatchingRule::Regex(
            crate::model::PactRegex::new(r"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$")
                .expect("a regex"),
        );
        expected.matching_rules.header.insert("Date".into(), RuleList::one(regex));
        let actual = request_with("date", &["Tue, 02 Dec 2008 11:15:39 GMT"]);
        assert!(header_mismatches(&expected, &actual).is_empty());
        let bad = request_with("date", &["Tue, 02 Dec 2008"]);
        assert_eq!(header_mismatches(&expected, &bad).len(), 1);
    }

    #[test]
    fn a_regex_rule_on_a_multi_value_header_applies_to_each_value() {
        let mut expected = request_with("Accept-Language", &["en"]);
        let regex = MatchingRule::Regex(crate::model::PactRegex::new("^[a-z]{2}$").expect("a regex"));
        expected.matching_rules.header.insert("accept-language".into(), RuleList::one(regex));
        assert!(header_mismatches(&expected, &request_with("Accept-Language", &["de, fr,it"])).is_empty());
        let bad = header_mismatches(&expected, &request_with("Accept-Language", &["de, fr-CH"]));
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert!(bad[0].to_string().contains("fr-CH"), "{}", bad[0]);
    }

    #[test]
    fn a_regex_rule_on_a_custom_header_applies_to_the_whole_value() {
        let mut expected = request_with("X-Ids", &["1,2"]);
        expected.matching_rules.header.insert(
            "X-Ids".into(),
            RuleList::one(MatchingRule::Regex(crate::model::PactRegex::new(r"^\d+$").expect("a regex"))),
        );
        // Not split, so "1, 2" as a whole does not match digits only (pact-reference fails it too).
        assert_eq!(header_mismatches(&expected, &request_with("X-Ids", &["1, 2"])).len(), 1);
        assert!(header_mismatches(&expected, &request_with("X-Ids", &["12"])).is_empty());
    }

    #[test]
    fn a_pact_string_value_of_a_multi_value_header_is_read_as_its_values() {
        let json = serde_json::json!({"method": "GET", "path": "/", "headers": {
            "Cache-Control": "no-cache, no-store", "Set-Cookie": "a=1, b=2", "X-J": "{\"a\":[1,2]}"}});
        let node = crate::model::json::Node::root(&json, "$");
        let r = Request::from_json(&node, crate::model::SpecVersion::V3).expect("a request");
        let h = r.headers.expect("headers");
        assert_eq!(h.get("cache-control").expect("cache-control"), ["no-cache", "no-store"]);
        assert_eq!(h.get("set-cookie").expect("set-cookie"), ["a=1, b=2"]);
        assert_eq!(h.get("x-j").expect("x-j"), ["{\"a\":[1,2]}"]);
    }
}
