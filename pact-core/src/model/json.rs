//! A read-only cursor over a JSON document that remembers where it is, so that every error names
//! the JSON path of the offending value.

use serde_json::{Map, Value};

use super::error::{Error, Result};

/// A JSON value together with its path from the document root (for example
/// `$.interactions[0].request`).
#[derive(Clone)]
pub(crate) struct Node<'a> {
    pub value: &'a Value,
    pub path: String,
}

impl<'a> Node<'a> {
    /// A node for a document root, whose path is rendered as `root` (normally `$`).
    pub fn root(value: &'a Value, root: &str) -> Self {
        Node { value, path: root.to_string() }
    }

    /// The child at `key`, if this is an object holding it; `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        match self.value.get(key) {
            Some(Value::Null) | None => None,
            Some(value) => Some(self.child(key, value)),
        }
    }

    /// The child at `key`, even when it is `null`.
    pub fn get_raw(&self, key: &str) -> Option<Node<'a>> {
        self.value.get(key).map(|value| self.child(key, value))
    }

    /// The child node of an object member.
    pub fn child(&self, key: &str, value: &'a Value) -> Node<'a> {
        // Sized once: a clone would be exactly full and grow on the first push.
        let mut path = String::with_capacity(self.path.len() + key.len() + 4);
        path.push_str(&self.path);
        push_key(&mut path, key);
        Node { value, path }
    }

    /// The members of an object node, each with its path.
    pub fn entries(&self) -> Result<impl Iterator<Item = (&'a String, Node<'a>)> + '_> {
        let map = self.object()?;
        Ok(map.iter().map(move |(k, v)| (k, self.child(k, v))))
    }

    /// The elements of an array node, each with its path.
    pub fn items(&self) -> Result<Vec<Node<'a>>> {
        let items = self.array()?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| Node { value, path: format!("{}[{i}]", self.path) })
            .collect())
    }

    /// An error for this node: `expected` says what the reader wanted.
    pub fn error(&self, expected: impl Into<String>) -> Error {
        Error::invalid(self.path.clone(), expected, describe(self.value))
    }

    /// An error for a missing child `key` of this node.
    pub fn missing(&self, key: &str, expected: impl Into<String>) -> Error {
        let mut path = self.path.clone();
        push_key(&mut path, key);
        Error::invalid(path, expected, "nothing")
    }

    /// The value as a string.
    pub fn str(&self) -> Result<&'a str> {
        self.value.as_str().ok_or_else(|| self.error("a string"))
    }

    /// The value as an object.
    pub fn object(&self) -> Result<&'a Map<String, Value>> {
        self.value.as_object().ok_or_else(|| self.error("an object"))
    }

    /// The value as an array.
    pub fn array(&self) -> Result<&'a Vec<Value>> {
        self.value.as_array().ok_or_else(|| self.error("an array"))
    }

    /// The value as a non-negative integer that fits a `usize`.
    pub fn usize(&self) -> Result<usize> {
        self.value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| self.error("a non-negative integer"))
    }

    /// The value as a boolean.
    pub fn bool(&self) -> Result<bool> {
        self.value.as_bool().ok_or_else(|| self.error("a boolean"))
    }
}

/// Appends `.key` to a path, or `['key']` when the key is not a plain identifier.
pub(crate) fn push_key(out: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        out.push('.');
        out.push_str(key);
    } else {
        out.push_str("['");
        for c in key.chars() {
            // Escaped so that the path parser reads the key back as written.
            if c == '\'' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push_str("']");
    }
}

/// A short description of a JSON value for messages: strings quoted and cut at 60 characters,
/// numbers and literals as written, containers by kind.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => {
            let cut: String = s.chars().take(60).collect();
            if cut.len() < s.len() {
                format!("{}...", Value::String(cut))
            } else {
                Value::String(cut).to_string()
            }
        }
        Value::Object(_) => "an object".into(),
        Value::Array(_) => "an array".into(),
        other => other.to_string(),
    }
}
