//! What the reader accepts but a user should hear about: warnings on a pact that reads, each
//! with its JSON path.
//!
//! Each of these is a warning rather than an error because pact-reference (the official
//! verifier) reads such pacts too, and refusing them would turn its verdict into a usage error:
//!
//! - an unknown specification version (read as V3, or V4 when an interaction has a `type`);
//! - a duplicate JSON key (the last value is kept, as serde_json and pact-reference keep it);
//! - an unknown generator type, or one whose attributes cannot be used (the pact's example is
//!   sent instead);
//! - a `ProviderState` expression with an unterminated `${` (the example is sent instead;
//!   pact-reference fails to generate it and keeps the example too);
//! - `min > max` on a matcher (no array can satisfy it) or a `RandomInt` generator.

use std::fmt;

use serde_json::Value;

use super::bounded::Parsed;
use super::generators::{unterminated, Generator};
use super::json::{push_key, Node};
use super::pact::SpecVersion;

/// Something questionable in a pact that was read anyway.
///
/// ```
/// use pact_core::model::{Pact, ReadOptions};
///
/// let text = br#"{"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [],
///                 "metadata": {"pactSpecification": {"version": "9.0.0"}}}"#;
/// let (_, warnings) = Pact::from_slice_checked(text, ReadOptions::default()).unwrap();
/// assert_eq!(warnings[0].path, "$.metadata.pactSpecification.version");
/// assert!(warnings[0].message.contains("unknown specification version \"9.0.0\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadWarning {
    /// The JSON path of the value, for example `$.interactions[0].request.generators.body['$.id']`.
    pub path: String,
    /// What is wrong and what the reader did about it.
    pub message: String,
}

impl fmt::Display for ReadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Generator types the specification defines.
const GENERATORS: &[&str] = &[
    "RandomInt",
    "Uuid",
    "RandomDecimal",
    "RandomHexadecimal",
    "RandomString",
    "Regex",
    "Date",
    "Time",
    "DateTime",
    "RandomBoolean",
    "ProviderState",
    "MockServerURL",
];

/// The warnings of a parsed document that read as a pact of `version`.
pub(crate) fn warnings(parsed: &Parsed, version: SpecVersion) -> Vec<ReadWarning> {
    let mut out = Vec::new();
    duplicates(parsed, &mut out);
    out.extend(document_warnings(&parsed.value, version));
    out
}

fn duplicates(parsed: &Parsed, out: &mut Vec<ReadWarning>) {
    for path in &parsed.duplicates {
        out.push(ReadWarning {
            path: path.clone(),
            message: "this key appears more than once in its object; the last value is used".into(),
        });
    }
    if parsed.more_duplicates > 0 {
        out.push(ReadWarning {
            path: "$".into(),
            message: format!("{} more duplicate keys", parsed.more_duplicates),
        });
    }
}

/// The warnings a parsed value shows (all but duplicate keys, which parsing drops).
pub(crate) fn document_warnings(value: &Value, version: SpecVersion) -> Vec<ReadWarning> {
    let mut out = Vec::new();
    let root = Node::root(value, "$");
    spec_version(&root, version, &mut out);
    for list in ["interactions", "messages"] {
        let Some(items) = root.get(list).and_then(|l| l.items().ok()) else { continue };
        for item in items {
            for part in parts(&item) {
                if let Some(generators) = part.get("generators") {
                    check_generators(&generators, &mut out);
                }
                if let Some(rules) = part.get("matchingRules") {
                    check_min_max(&rules, &mut out);
                }
            }
        }
    }
    out
}

fn spec_version(root: &Node<'_>, version: SpecVersion, out: &mut Vec<ReadWarning>) {
    let Some(metadata) = root.get("metadata") else { return };
    let stated = ["pactSpecification", "pact-specification"]
        .iter()
        .find_map(|key| metadata.get(key).and_then(|s| s.get("version")))
        .or_else(|| metadata.get("pactSpecificationVersion"));
    let Some(stated) = stated else { return };
    let read_as = format!("read as {version}, as pact-reference does");
    match stated.value {
        Value::String(s) if SpecVersion::parse(s).is_some() => {}
        Value::String(s) => out.push(ReadWarning {
            path: stated.path.clone(),
            message: format!("unknown specification version {s:?}; {read_as}"),
        }),
        other => out.push(ReadWarning {
            path: stated.path.clone(),
            message: format!(
                "the specification version should be a string such as \"3.0.0\", not {other}; {read_as}"
            ),
        }),
    }
}

/// The parts of an interaction that carry rules and generators: the interaction itself (V3/V4
/// messages), its request and its response (or each response message).
fn parts<'a>(item: &Node<'a>) -> Vec<Node<'a>> {
    let mut out = vec![item.clone()];
    if let Some(request) = item.get("request") {
        out.push(request);
    }
    match item.get("response") {
        Some(r) if r.value.is_array() => out.extend(r.items().unwrap_or_default()),
        Some(r) => out.push(r),
        None => {}
    }
    out
}

/// `generators` maps a category to one generator (`path`, `method`, `status`) or to generators
/// by name or path (`header`, `query`, `body`, `metadata`).
fn check_generators(node: &Node<'_>, out: &mut Vec<ReadWarning>) {
    let Ok(entries) = node.entries() else { return };
    for (category, child) in entries {
        if matches!(category.as_str(), "path" | "method" | "status") || child.value.get("type").is_some() {
            check_generator(&child, out);
        } else if let Ok(inner) = child.entries() {
            for (_, generator) in inner {
                check_generator(&generator, out);
            }
        }
    }
}

fn check_generator(node: &Node<'_>, out: &mut Vec<ReadWarning>) {
    let warn = |out: &mut Vec<ReadWarning>, message: String| {
        out.push(ReadWarning { path: node.path.clone(), message });
    };
    let Some(kind) = node.value.get("type") else {
        if node.value.is_object() {
            warn(out, "a generator without a \"type\"; it is ignored and the example is sent".into());
        }
        return;
    };
    let Some(kind) = kind.as_str() else {
        warn(out, format!("a generator type should be a string, not {kind}; the example is sent"));
        return;
    };
    if !GENERATORS.contains(&kind) {
        warn(
            out,
            format!(
                "unknown generator type {kind:?} (known: {}); the example is sent instead",
                GENERATORS.join(", ")
            ),
        );
    } else if let Generator::Unsupported { reason, .. } = Generator::from_json(node.value) {
        warn(
            out,
            format!("a {kind} generator this engine cannot run ({reason}); the example is sent instead"),
        );
    }
    if kind == "ProviderState" {
        if let Some(expression) = node.value.get("expression").and_then(Value::as_str) {
            if let Some(at) = unterminated(expression) {
                warn(
                    out,
                    format!(
                        "the expression {expression:?} has an unterminated \"${{\" at character {at}; \
                         the example is sent instead"
                    ),
                );
            }
        }
    }
    if kind == "RandomInt" {
        let (min, max) = (node.value.get("min"), node.value.get("max"));
        if let (Some(min), Some(max)) = (min.and_then(Value::as_i64), max.and_then(Value::as_i64)) {
            if min > max {
                warn(out, format!("min {min} is greater than max {max}; the generator always gives {min}"));
            }
        }
    }
}

/// Any matcher object under `matchingRules` with numeric `min` and `max` where `min > max`.
fn check_min_max(node: &Node<'_>, out: &mut Vec<ReadWarning>) {
    let mut path = node.path.clone();
    check_min_max_at(node.value, &mut path, out);
}

/// [`check_min_max`] on `value` at `path`, which it extends for each container it walks into and
/// restores (scalars hold no matcher, so no path is built for them).
fn check_min_max_at(value: &Value, path: &mut String, out: &mut Vec<ReadWarning>) {
    let container = |v: &Value| matches!(v, Value::Object(_) | Value::Array(_));
    match value {
        Value::Object(map) => {
            let number = |key: &str| map.get(key).and_then(size);
            if let (Some(min), Some(max)) = (number("min"), number("max")) {
                if min > max {
                    out.push(ReadWarning {
                        path: path.clone(),
                        message: format!(
                            "min {min} is greater than max {max}: no array can satisfy this matcher"
                        ),
                    });
                }
            }
            for (key, value) in map.iter().filter(|(_, v)| container(v)) {
                let len = path.len();
                push_key(path, key);
                check_min_max_at(value, path, out);
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate().filter(|(_, v)| container(v)) {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                check_min_max_at(item, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// A `min`/`max` as the rules reader takes it: an integer, a whole float or a numeric string.
fn size(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => {
            n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64))
        }
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::generators::unterminated;

    #[test]
    fn unterminated_expressions_are_found() {
        assert_eq!(unterminated("/users/${name}"), None);
        assert_eq!(unterminated("${a}/${b"), Some(5));
        assert_eq!(unterminated("${"), Some(0));
        assert_eq!(unterminated("é${x"), Some(1));
        assert_eq!(unterminated("no expression {"), None);
    }
}
