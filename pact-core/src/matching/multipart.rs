//! Comparing `multipart/form-data` bodies part by part, as pact-reference does.
//!
//! Each side is split at the boundary its own `Content-Type` names (a client picks its own
//! boundary). Every expected part must be present (found by name, or by position when it has
//! none); extra actual parts are allowed. A part's headers that the expected part has must be
//! equal, except `Content-Disposition`; a missing `Content-*` header is allowed. A field (no
//! file name) compares its text under the rules at `$.name`, or by equality. A file compares
//! like a body of its content type, under the rules below `$.name` taken as rules from the
//! root (so `contentType` at `$.photo` judges the file's bytes); a file of another content type
//! is a mismatch.

use std::collections::BTreeMap;

use serde_json::Value;

use super::body::{match_body, Side};
use super::mismatch::{Mismatch, MismatchKind};
use super::rules::{self, show, Mode};
use super::select::PathRules;
use crate::model::json::push_key;
use crate::model::{Body, MatchingRules, PathExpr, PathToken, RuleList, Segment};

/// At most this many parts are read from one body.
const MAX_PARTS: usize = 1000;

/// Whether a content type is `multipart/form-data` (or another `multipart/*`).
pub(crate) fn is_multipart(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| ct.trim_start().to_ascii_lowercase().starts_with("multipart/"))
}

/// One part of a multipart body.
#[derive(Debug)]
pub(crate) struct Part<'a> {
    index: usize,
    name: Option<String>,
    filename: Option<String>,
    headers: Vec<(String, String)>,
    data: &'a [u8],
}

impl Part<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// The `boundary` parameter of a multipart content type.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim().eq_ignore_ascii_case("boundary").then(|| value.trim().trim_matches('"').to_string())
    })
}

/// Splits a multipart body into its parts.
pub(crate) fn parse<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, String> {
    if boundary.is_empty() {
        return Err("the content type names an empty boundary".into());
    }
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut at = find(body, delimiter, 0).ok_or("the body does not contain its boundary")?;
    let mut parts = Vec::new();
    loop {
        at += delimiter.len();
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        if parts.len() == MAX_PARTS {
            return Err(format!("the body has more than {MAX_PARTS} parts"));
        }
        let start = line_end(body, at).ok_or("a boundary line does not end")?;
        let (headers_end, data_start) = match (find(body, b"\r\n\r\n", start), find(body, b"\n\n", start)) {
            (Some(crlf), Some(lf)) if lf < crlf => (lf, lf + 2),
            (Some(crlf), _) => (crlf, crlf + 4),
            (None, Some(lf)) => (lf, lf + 2),
            (None, None) if body[start..].starts_with(b"\r\n") => (start, start + 2),
            (None, None) => return Err(format!("part {} has no end to its headers", parts.len() + 1)),
        };
        let next = find(body, delimiter, data_start)
            .ok_or_else(|| format!("part {} does not end with the boundary", parts.len() + 1))?;
        let mut data_end = next;
        if body[..data_end].ends_with(b"\r\n") {
            data_end -= 2;
        } else if body[..data_end].ends_with(b"\n") {
            data_end -= 1;
        }
        let headers = header_lines(&body[start..headers_end]);
        let disposition = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-disposition"))
            .map(|(_, v)| v.as_str());
        parts.push(Part {
            index: parts.len(),
            name: disposition.and_then(|d| disposition_param(d, "name")),
            filename: disposition.and_then(|d| disposition_param(d, "filename")),
            headers,
            data: &body[data_start..data_end.max(data_start)],
        });
        at = next;
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

fn line_end(body: &[u8], from: usize) -> Option<usize> {
    find(body, b"\n", from).map(|i| i + 1)
}

fn header_lines(block: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(block)
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect()
}

/// A parameter of a `Content-Disposition` value, such as `name="photo"`.
fn disposition_param(value: &str, wanted: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|param| {
        let (key, v) = param.split_once('=')?;
        key.trim().eq_ignore_ascii_case(wanted).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Compares two multipart bodies; `expected_type` and `actual_type` carry their boundaries.
pub(crate) fn compare(
    expected: &[u8],
    expected_type: &str,
    actual: &[u8],
    actual_type: Option<&str>,
    rules: &PathRules<'_>,
    prefix: &str,
) -> Vec<Mismatch> {
    let body_type = |message: String| {
        vec![Mismatch::new(MismatchKind::BodyType, prefix, expected_type, actual_type.unwrap_or(""), message)]
    };
    let expected_parts = match boundary(expected_type)
        .ok_or_else(|| "no boundary".to_string())
        .and_then(|b| parse(expected, &b))
    {
        Ok(parts) => parts,
        Err(e) => return body_type(format!("the expected body is not a multipart body: {e}")),
    };
    let actual_parts = match actual_type
        .filter(|ct| is_multipart(Some(ct)))
        .and_then(boundary)
        .ok_or_else(|| {
            format!("expected a multipart body but the content type is {}", actual_type.unwrap_or("missing"))
        })
        .and_then(|b| parse(actual, &b))
    {
        Ok(parts) => parts,
        Err(e) => return body_type(format!("the actual body is not a multipart body: {e}")),
    };
    let mut out = Vec::new();
    for expected in &expected_parts {
        let key = expected.name.clone().unwrap_or_else(|| expected.index.to_string());
        let mut path = prefix.to_string();
        push_key(&mut path, &key);
        let found = actual_parts.iter().find(|a| match &expected.name {
            Some(name) => a.name.as_ref() == Some(name),
            None => a.index == expected.index,
        });
        let Some(actual) = found else {
            out.push(Mismatch::new(
                MismatchKind::Body,
                prefix,
                key.clone(),
                "",
                format!("expected a multipart part {key:?} but it was missing"),
            ));
            continue;
        };
        compare_headers(expected, actual, &path, &mut out);
        if expected.filename.is_some() {
            compare_file(expected, actual, &key, rules, &path, &mut out);
        } else {
            compare_field(expected, actual, &key, rules, &path, &mut out);
        }
    }
    out
}

fn compare_headers(expected: &Part<'_>, actual: &Part<'_>, path: &str, out: &mut Vec<Mismatch>) {
    for (name, value) in &expected.headers {
        if name.eq_ignore_ascii_case("content-disposition") {
            continue;
        }
        match actual.header(name) {
            Some(found) if found == value => {}
            Some(found) => out.push(Mismatch::new(
                MismatchKind::Body,
                path,
                value.clone(),
                found,
                format!("part header {name}: expected {value:?} but found {found:?}"),
            )),
            None if name.to_ascii_lowercase().starts_with("content-") => {}
            None => out.push(Mismatch::new(
                MismatchKind::Body,
                path,
                value.clone(),
                "",
                format!("expected the part header {name} but it was missing"),
            )),
        }
    }
}

fn compare_field(
    expected: &Part<'_>,
    actual: &Part<'_>,
    key: &str,
    rules: &PathRules<'_>,
    path: &str,
    out: &mut Vec<Mismatch>,
) {
    let e = Value::String(String::from_utf8_lossy(expected.data).into_owned());
    let a = Value::String(String::from_utf8_lossy(actual.data).into_owned());
    let failures = match rules.select(&[Segment::Key(key)]) {
        Some(selected) => rules::apply(&selected.list, &e, &a, selected.cascaded, Mode::Text),
        None if e == a => Vec::new(),
        None => vec![format!("expected {} but found {}", show(&e), show(&a))],
    };
    for failure in failures {
        out.push(Mismatch::new(MismatchKind::Body, path, show(&e), show(&a), failure));
    }
}

fn compare_file(
    expected: &Part<'_>,
    actual: &Part<'_>,
    key: &str,
    rules: &PathRules<'_>,
    path: &str,
    out: &mut Vec<Mismatch>,
) {
    let (expected_type, actual_type) = (expected.header("content-type"), actual.header("content-type"));
    let essence = |ct: &str| ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if let (Some(e), Some(a)) = (expected_type, actual_type) {
        if essence(e) != essence(a) {
            out.push(Mismatch::new(
                MismatchKind::BodyType,
                path,
                e,
                a,
                format!("expected a part of type {e} but found {a}"),
            ));
            return;
        }
    }
    let part_rules = MatchingRules { body: below(rules.entries(), key), ..MatchingRules::default() };
    let expected_body = Body::from_bytes(expected.data, expected_type);
    let actual_body = Body::from_bytes(actual.data, actual_type.or(expected_type));
    out.extend(match_body(
        &Side { body: &expected_body, content_type: expected_type },
        &Side { body: &actual_body, content_type: actual_type.or(expected_type) },
        &part_rules,
        true,
        path,
    ));
}

/// The rules written below `$.key` (or `$.*`), re-rooted at `$`.
fn below(rules: &BTreeMap<PathExpr, RuleList>, key: &str) -> BTreeMap<PathExpr, RuleList> {
    let mut out = BTreeMap::new();
    for (expr, list) in rules {
        let tokens = expr.tokens();
        let applies = match tokens.get(1) {
            Some(PathToken::Field(name)) => name == key,
            Some(PathToken::Star) => true,
            _ => false,
        };
        if !applies {
            continue;
        }
        let mut text = "$".to_string();
        for token in &tokens[2..] {
            match token {
                PathToken::Field(name) => push_key(&mut text, name),
                PathToken::Index(i) => text.push_str(&format!("[{i}]")),
                PathToken::StarIndex => text.push_str("[*]"),
                PathToken::Star => text.push_str(".*"),
                PathToken::Root => {}
            }
        }
        if let Ok(rerooted) = PathExpr::parse(&text) {
            out.insert(rerooted, list.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XYZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHoliday\r\n--XYZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\r\n--XYZ--\r\n";

    #[test]
    fn parts_are_read_with_their_names_files_and_data() {
        assert_eq!(boundary("multipart/form-data; boundary=\"XYZ\""), Some("XYZ".into()));
        let parts = parse(BODY, "XYZ").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name.as_deref(), Some("title"));
        assert_eq!(parts[0].data, b"Holiday");
        assert_eq!(parts[1].filename.as_deref(), Some("cat.png"));
        assert_eq!(parts[1].header("content-type"), Some("image/png"));
        assert_eq!(parts[1].data, b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn a_body_without_its_boundary_or_its_end_is_an_error() {
        assert!(parse(b"no parts here", "XYZ").is_err());
        assert!(
            parse(b"--XYZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunfinished", "XYZ").is_err()
        );
        assert!(parse(BODY, "").is_err());
    }
}
