//! Pact content: validation, the canonical form that is stored and hashed, and merging.
//!
//! A published pact must be a pact `pact_core::model` can read (any specification version);
//! otherwise the publish is refused with 400 and the reader's message, which names the JSON
//! path (`$.interactions[0].response.status: expected an integer, found "200"`). The content
//! is stored in a canonical form (keys sorted, no insignificant whitespace), so that the same
//! pact always has the same hash: a re-publish of identical content is recognised whatever its
//! formatting. The hash is the SHA-256 of that form, in hex.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Validated pact content: its canonical text and hash. The parsed document is not kept (on
/// SQLite the content moves to the one writer thread, which should not also free it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PactContent {
    /// The canonical text.
    pub canonical: String,
    /// The hash of the canonical text.
    pub sha: String,
}

/// Why content was refused; the message is for the `errors` object of a 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContentError {
    /// The consumer or provider name in the content differs from the one in the request.
    #[error("{role} name in the pact ({found:?}) does not match the {role} name in the {source_of_name} ({expected:?})")]
    NameMismatch {
        /// `consumer` or `provider`.
        role: &'static str,
        /// The name in the request.
        expected: String,
        /// The name in the content.
        found: String,
        /// Where the expected name came from: `path` or `contract`.
        source_of_name: &'static str,
    },
    /// Not a pact.
    #[error("{0}")]
    Invalid(String),
}

impl ContentError {
    /// The field the error belongs to in the broker's `errors` object.
    pub fn field(&self) -> &'static str {
        match self {
            ContentError::NameMismatch { role, .. } => role,
            ContentError::Invalid(_) => "pact",
        }
    }
}

/// Validates `value` as a pact between `consumer` and `provider`.
///
/// `source_of_name` says where the expected names come from, for the message.
///
/// ```
/// use pact_broker::domain::pact_content::validate;
/// use serde_json::json;
///
/// let pact = json!({"consumer": {"name": "Foo"}, "provider": {"name": "Bar"}, "interactions": []});
/// let content = validate(pact, "Foo", "Bar", "path").unwrap();
/// assert_eq!(content.canonical, r#"{"consumer":{"name":"Foo"},"interactions":[],"provider":{"name":"Bar"}}"#);
/// assert!(validate(json!({"consumer": {"name": "Baz"}}), "Foo", "Bar", "path").is_err());
/// ```
///
/// # Errors
///
/// A name that does not match, or content that is not a readable pact.
pub fn validate(
    value: Value,
    consumer: &str,
    provider: &str,
    source_of_name: &'static str,
) -> Result<PactContent, ContentError> {
    if !value.is_object() {
        return Err(ContentError::Invalid(format!(
            "$: expected a pact (a JSON object), found {}",
            kind(&value)
        )));
    }
    for (role, expected) in [("consumer", consumer), ("provider", provider)] {
        if let Some(found) = value.get(role).and_then(|p| p.get("name")).and_then(Value::as_str) {
            if found != expected {
                return Err(ContentError::NameMismatch {
                    role,
                    expected: expected.to_string(),
                    found: found.to_string(),
                    source_of_name,
                });
            }
        }
    }
    pact_core::model::Pact::from_value(&value).map_err(|e| ContentError::Invalid(e.to_string()))?;
    Ok(from_value(&value))
}

/// The canonical text and hash of a document already known to be a pact.
pub fn from_value(value: &Value) -> PactContent {
    let canonical = canonical_json(value);
    let sha = hex(&Sha256::digest(canonical.as_bytes()));
    PactContent { canonical, sha }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// JSON with object keys sorted and no whitespace.
pub fn canonical_json(value: &Value) -> String {
    let mut out = Vec::new();
    write_canonical(value, &mut out);
    // serde_json writes UTF-8, and only whole values.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_scalar(*key, out);
                out.push(b':');
                if let Some(v) = map.get(*key) {
                    write_canonical(v, out);
                }
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        other => write_scalar(other, out),
    }
}

/// A string or scalar as serde_json writes it, compact.
fn write_scalar<T: serde::Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) {
    // Writing to a Vec cannot fail, and strings and scalars always serialize.
    let _ = serde_json::to_writer(out, value);
}

/// Two interactions with the same key but different content, found while merging.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Cannot merge pacts: the interaction {description:?}{states} differs from the one already published")]
pub struct MergeConflict {
    /// The interaction's description.
    pub description: String,
    /// Its provider states, as text (`" given A, B"`).
    pub states: String,
}

/// The identity of an interaction when merging: type, description and provider states.
fn interaction_key(interaction: &Value) -> Value {
    let mut key = Map::new();
    for field in ["type", "description", "providerState", "providerStates"] {
        if let Some(v) = interaction.get(field) {
            key.insert(field.into(), v.clone());
        }
    }
    Value::Object(key)
}

fn states_text(interaction: &Value) -> String {
    let names: Vec<String> = match interaction.get("providerStates").and_then(Value::as_array) {
        Some(states) => {
            states.iter().filter_map(|s| s.get("name").and_then(Value::as_str)).map(str::to_string).collect()
        }
        None => interaction
            .get("providerState")
            .and_then(Value::as_str)
            .map(|s| vec![s.to_string()])
            .unwrap_or_default(),
    };
    if names.is_empty() {
        String::new()
    } else {
        format!(" given {}", names.join(", "))
    }
}

/// Merges the interactions (and messages) of `new` into `existing`: interactions with a new key
/// are appended, identical ones are kept once, and a changed one is a conflict. Metadata of
/// `new` wins.
///
/// # Errors
///
/// An interaction of `new` with the key of one in `existing` and different content.
pub fn merge(existing: &Value, new: &Value) -> Result<Value, MergeConflict> {
    let mut merged = existing.clone();
    for list in ["interactions", "messages"] {
        let Some(incoming) = new.get(list).and_then(Value::as_array) else { continue };
        let mut items: Vec<Value> = existing.get(list).and_then(Value::as_array).cloned().unwrap_or_default();
        for interaction in incoming {
            let key = interaction_key(interaction);
            match items.iter().find(|i| interaction_key(i) == key) {
                Some(found) if canonical_json(found) == canonical_json(interaction) => {}
                Some(_) => {
                    return Err(MergeConflict {
                        description: interaction
                            .get("description")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        states: states_text(interaction),
                    })
                }
                None => items.push(interaction.clone()),
            }
        }
        if let Some(object) = merged.as_object_mut() {
            object.insert(list.into(), Value::Array(items));
        }
    }
    if let (Some(object), Some(metadata)) = (merged.as_object_mut(), new.get("metadata")) {
        object.insert("metadata".into(), metadata.clone());
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pact(interactions: Value) -> Value {
        json!({"consumer": {"name": "Foo"}, "provider": {"name": "Bar"}, "interactions": interactions,
               "metadata": {"pactSpecification": {"version": "3.0.0"}}})
    }

    fn interaction(description: &str, status: u16) -> Value {
        json!({"description": description, "request": {"method": "GET", "path": "/"}, "response": {"status": status}})
    }

    #[test]
    fn the_hash_ignores_key_order_and_whitespace() {
        let a: Value = serde_json::from_str(
            r#"{"consumer":{"name":"Foo"},"provider":{"name":"Bar"},"interactions":[]}"#,
        )
        .unwrap();
        let b: Value =
            serde_json::from_str("{ \"interactions\": [],\n \"provider\": {\"name\": \"Bar\"}, \"consumer\": {\"name\": \"Foo\"} }")
                .unwrap();
        assert_eq!(from_value(&a).sha, from_value(&b).sha);
        let sha = from_value(&json!({"a": 1})).sha;
        // SHA-256 of `{"a":1}`.
        assert_eq!(sha, "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
    }

    /// Stored hashes depend on this text: it must not change between releases.
    #[test]
    fn the_canonical_text_is_compact_sorted_and_escaped_as_serde_json_writes_it() {
        let value = json!({"b": "é\n\"", "a": [1, 2.5, -3, true, null], "c": {"z": 0, "y": "\u{1F600}"}});
        assert_eq!(canonical_json(&value), r#"{"a":[1,2.5,-3,true,null],"b":"é\n\"","c":{"y":"😀","z":0}}"#);
    }

    #[test]
    fn a_malformed_pact_names_the_json_path() {
        let bad = pact(
            json!([{"description": "x", "request": {"method": "GET", "path": "/"}, "response": {"status": "200"}}]),
        );
        let err = validate(bad, "Foo", "Bar", "path").unwrap_err();
        assert_eq!(err.field(), "pact");
        assert!(err.to_string().contains("$.interactions[0].response.status"), "{err}");
        assert!(validate(json!([1]), "Foo", "Bar", "path")
            .unwrap_err()
            .to_string()
            .contains("found an array"));
    }

    #[test]
    fn names_in_the_content_must_match_the_request() {
        let err = validate(pact(json!([])), "Foo", "Baz", "path").unwrap_err();
        assert_eq!(err.field(), "provider");
        assert_eq!(
            err.to_string(),
            "provider name in the pact (\"Bar\") does not match the provider name in the path (\"Baz\")"
        );
    }

    #[test]
    fn merging_appends_new_interactions_keeps_identical_ones_and_refuses_changed_ones() {
        let existing = pact(json!([interaction("a", 200)]));
        let merged = merge(&existing, &pact(json!([interaction("a", 200), interaction("b", 404)]))).unwrap();
        assert_eq!(merged["interactions"].as_array().unwrap().len(), 2);
        let err = merge(&existing, &pact(json!([interaction("a", 500)]))).unwrap_err();
        assert_eq!(err.description, "a");
    }
}
