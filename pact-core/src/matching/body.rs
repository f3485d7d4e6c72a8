//! Comparing bodies: choose how by content type (JSON, XML, form-urlencoded, multipart, text or
//! bytes), then compare under the body rules.

use serde_json::Value;

use super::json::JsonMatcher;
use super::mismatch::{Mismatch, MismatchKind};
use super::rules::{self, show, Mode};
use super::select::PathRules;
use super::{content_type, multipart, xml};
use crate::model::{parse_query_string, Body, ContentKind, Data, MatchingRule, MatchingRules, Segment};

/// One side of a comparison: the body and the content type its headers or metadata state.
pub(crate) struct Side<'a> {
    pub body: &'a Body,
    pub content_type: Option<&'a str>,
}

pub(crate) fn match_body(
    expected: &Side<'_>,
    actual: &Side<'_>,
    rules: &MatchingRules,
    allow_unexpected_keys: bool,
    prefix: &str,
) -> Vec<Mismatch> {
    let mismatch = |kind, expected: String, actual: String, message: String| {
        vec![Mismatch::new(kind, prefix, expected, actual, message)]
    };
    let content = match expected.body {
        Body::Missing => return Vec::new(),
        Body::Null | Body::Empty => {
            return match actual.body {
                Body::Present(_) => {
                    let found = actual
                        .body
                        .as_text()
                        .map(|t| show(&Value::String(t.into_owned())))
                        .unwrap_or_default();
                    mismatch(
                        MismatchKind::Body,
                        String::new(),
                        found.clone(),
                        format!("expected an empty body but found {found}"),
                    )
                }
                _ => Vec::new(),
            };
        }
        Body::Present(content) => content,
    };
    let Body::Present(actual_content) = actual.body else {
        let what = if actual.body.is_missing() { "missing" } else { "empty" };
        return mismatch(
            MismatchKind::Body,
            describe(expected.body),
            String::new(),
            format!("expected a body but it was {what}"),
        );
    };
    let path_rules = PathRules::new(&rules.body);

    if let Some(expected_type) = expected.content_type.filter(|ct| multipart::is_multipart(Some(ct))) {
        let (e, a) = (expected.body.to_bytes(), actual.body.to_bytes());
        return multipart::compare(&e, expected_type, &a, actual.content_type, &path_rules, prefix);
    }

    // A contentType rule on the whole body judges the bytes.
    if let Some(selected) = path_rules.select(&[]) {
        if let Some(ct) = selected.list.rules.iter().find_map(|r| match r {
            MatchingRule::ContentType(ct) => Some(ct),
            _ => None,
        }) {
            let bytes = actual.body.to_bytes();
            return match content_type::check(ct, &bytes, actual.content_type) {
                Ok(()) => Vec::new(),
                Err(message) => mismatch(
                    MismatchKind::BodyType,
                    ct.clone(),
                    actual.content_type.unwrap_or("").into(),
                    message,
                ),
            };
        }
    }

    let expected_kind = kind_of(expected.content_type, &content.data);
    let actual_kind = kind_of(actual.content_type, &actual_content.data);
    match expected_kind {
        ContentKind::Json => {
            let Some(expected_json) = as_json(&content.data) else {
                return text_compare(&path_rules, expected.body, actual.body, prefix);
            };
            let Some(actual_json) = as_json(&actual_content.data) else {
                if actual_kind == ContentKind::Json {
                    // Declared JSON, but it does not parse: say so, with the parser's reason.
                    let reason = match &actual_content.data {
                        Data::Text(t) => serde_json::from_str::<Value>(t).err(),
                        Data::Binary(b) => serde_json::from_slice::<Value>(b).err(),
                        Data::Json(_) => None,
                    }
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                    return mismatch(
                        MismatchKind::BodyType,
                        expected.content_type.unwrap_or("application/json").to_string(),
                        describe(actual.body),
                        format!("expected a JSON body but the actual body is not valid JSON: {reason}"),
                    );
                }
                return type_mismatch(
                    prefix,
                    expected.content_type.unwrap_or("application/json"),
                    actual,
                    actual_kind,
                );
            };
            let mut matcher = JsonMatcher::new(path_rules, allow_unexpected_keys, prefix, MismatchKind::Body);
            matcher.compare(&expected_json, &actual_json);
            matcher.mismatches
        }
        ContentKind::Xml => {
            if actual_kind != ContentKind::Xml
                && actual_kind != ContentKind::Text
                && actual_kind != ContentKind::Unknown
            {
                return type_mismatch(
                    prefix,
                    expected.content_type.unwrap_or("application/xml"),
                    actual,
                    actual_kind,
                );
            }
            let (e, a) =
                (expected.body.as_text().unwrap_or_default(), actual.body.as_text().unwrap_or_default());
            xml::compare(&e, &a, path_rules, allow_unexpected_keys, prefix)
        }
        ContentKind::Form => {
            if actual_kind != ContentKind::Form
                && actual_kind != ContentKind::Unknown
                && actual_kind != ContentKind::Text
            {
                return type_mismatch(
                    prefix,
                    expected.content_type.unwrap_or("application/x-www-form-urlencoded"),
                    actual,
                    actual_kind,
                );
            }
            let (e, a) =
                (expected.body.as_text().unwrap_or_default(), actual.body.as_text().unwrap_or_default());
            form_compare(&e, &a, &path_rules, prefix)
        }
        _ => {
            if actual_kind == ContentKind::Json || actual_kind == ContentKind::Xml {
                if let Some(ct) = expected.content_type {
                    if ContentKind::of(ct) != ContentKind::Unknown {
                        return type_mismatch(prefix, ct, actual, actual_kind);
                    }
                }
            }
            text_compare(&path_rules, expected.body, actual.body, prefix)
        }
    }
}

/// The kind of a body: from its declared content type, or else guessed from the data.
fn kind_of(content_type: Option<&str>, data: &Data) -> ContentKind {
    match content_type.map(ContentKind::of) {
        Some(kind) if kind != ContentKind::Unknown => kind,
        _ => match data {
            Data::Json(_) => ContentKind::Json,
            Data::Text(t) => {
                let trimmed = t.trim_start();
                if trimmed.starts_with("<?xml")
                    || (trimmed.starts_with('<') && roxmltree::Document::parse(t).is_ok())
                {
                    ContentKind::Xml
                } else if (trimmed.starts_with('{') || trimmed.starts_with('['))
                    && serde_json::from_str::<Value>(t).is_ok()
                {
                    ContentKind::Json
                } else {
                    ContentKind::Text
                }
            }
            Data::Binary(_) => ContentKind::Binary,
        },
    }
}

fn as_json(data: &Data) -> Option<std::borrow::Cow<'_, Value>> {
    match data {
        Data::Json(v) => Some(std::borrow::Cow::Borrowed(v)),
        Data::Text(t) => serde_json::from_str(t).ok().map(std::borrow::Cow::Owned),
        Data::Binary(b) => serde_json::from_slice(b).ok().map(std::borrow::Cow::Owned),
    }
}

fn describe(body: &Body) -> String {
    match body.as_text() {
        Some(text) => show(&Value::String(text.into_owned())),
        None => String::new(),
    }
}

fn kind_name(kind: ContentKind) -> &'static str {
    match kind {
        ContentKind::Json => "JSON",
        ContentKind::Xml => "XML",
        ContentKind::Form => "form-urlencoded",
        ContentKind::Text => "text",
        ContentKind::Binary => "binary",
        ContentKind::Unknown => "of an unknown type",
    }
}

fn type_mismatch(
    prefix: &str,
    expected_type: &str,
    actual: &Side<'_>,
    actual_kind: ContentKind,
) -> Vec<Mismatch> {
    let found = actual.content_type.map(str::to_string).unwrap_or_else(|| kind_name(actual_kind).to_string());
    vec![Mismatch::new(
        MismatchKind::BodyType,
        prefix,
        expected_type,
        found.clone(),
        format!("expected a body of type {expected_type} but found {found}"),
    )]
}

/// Text and bytes: the rules on the whole body, or equality.
fn text_compare(rules: &PathRules<'_>, expected: &Body, actual: &Body, prefix: &str) -> Vec<Mismatch> {
    let e = expected.as_text().map(|t| Value::String(t.into_owned()));
    let a = actual.as_text().map(|t| Value::String(t.into_owned()));
    let failures = match (rules.select(&[]), &e, &a) {
        (Some(selected), Some(e), Some(a)) => rules::apply(&selected.list, e, a, false, Mode::Text),
        _ if expected.to_bytes() == actual.to_bytes() => Vec::new(),
        (_, Some(e), Some(a)) => vec![format!("expected {} but found {}", show(e), show(a))],
        _ => vec!["expected body bytes differ from the actual ones".to_string()],
    };
    failures
        .into_iter()
        .map(|f| {
            Mismatch::new(
                MismatchKind::Body,
                prefix,
                e.as_ref().map(show).unwrap_or_default(),
                a.as_ref().map(show).unwrap_or_default(),
                f,
            )
        })
        .collect()
}

/// Form bodies compare like query strings, with body rules at `$.name`. As in pact-reference
/// (which matches a form with its query-string matcher), a field the expected form does not have
/// is a mismatch in a response too.
fn form_compare(expected: &str, actual: &str, rules: &PathRules<'_>, prefix: &str) -> Vec<Mismatch> {
    let (e, a) = (parse_query_string(expected), parse_query_string(actual));
    let mut out = Vec::new();
    let strings = |v: &[String]| Value::Array(v.iter().cloned().map(Value::String).collect());
    for (name, values) in &e {
        let mut path = prefix.to_string();
        crate::model::json::push_key(&mut path, name);
        let Some(found) = a.get(name) else {
            out.push(Mismatch::new(
                MismatchKind::Body,
                path,
                show(&strings(values)),
                "",
                "expected the form field but it was missing",
            ));
            continue;
        };
        let failures = match rules.select(&[Segment::Key(name)]) {
            Some(selected) => found
                .iter()
                .flat_map(|v| {
                    let example = Value::String(values.first().cloned().unwrap_or_default());
                    rules::apply(
                        &selected.list,
                        &example,
                        &Value::String(v.clone()),
                        selected.cascaded,
                        Mode::Text,
                    )
                })
                .collect(),
            None if values == found => Vec::new(),
            None => vec![format!("expected {} but found {}", show(&strings(values)), show(&strings(found)))],
        };
        for failure in failures {
            out.push(Mismatch::new(
                MismatchKind::Body,
                path.clone(),
                show(&strings(values)),
                show(&strings(found)),
                failure,
            ));
        }
    }
    for (name, values) in &a {
        if !e.contains_key(name) {
            let mut path = prefix.to_string();
            crate::model::json::push_key(&mut path, name);
            out.push(Mismatch::new(
                MismatchKind::Body,
                path,
                "",
                show(&strings(values)),
                "unexpected form field",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::{PathExpr, RuleList};

    fn form(expected: &str, actual: &str, rules: &[(&str, MatchingRule)]) -> Vec<String> {
        let mut map = BTreeMap::new();
        for (path, rule) in rules {
            map.insert(PathExpr::parse(path).unwrap(), RuleList::one(rule.clone()));
        }
        form_compare(expected, actual, &PathRules::new(&map), "$.body")
            .iter()
            .map(|m| m.to_string())
            .collect()
    }

    #[test]
    fn form_fields_match_as_pact_reference_matches_them() {
        let integer = [("$.age", MatchingRule::Integer)];
        assert_eq!(form("name=Al&age=30", "age=41&name=Al", &integer), Vec::<String>::new());
        assert_eq!(form("name=Al&age=30", "name=Al&age=x", &integer).len(), 1);
        // Without a matcher, the same values in the same order.
        assert_eq!(form("name=Al", "name=Bo", &[]).len(), 1);
        assert_eq!(form("tag=a&tag=b", "tag=b&tag=a", &[]).len(), 1);
        assert_eq!(
            form("name=Al&age=30", "name=Al", &integer),
            vec!["$.body.age: expected the form field but it was missing"]
        );
        // A field the pact does not name is a mismatch, in a response as in a request: the
        // official verifier matches a form as a query string, which allows no extra parameter.
        assert_eq!(form("name=Al", "name=Al&admin=true", &[]), vec!["$.body.admin: unexpected form field"]);
    }
}
