//! HTTP headers: names keep the case they were written with, and every lookup ignores case, as
//! HTTP says. Every part of the crate that looks a header up goes through [`Headers`] (or
//! [`get_ignoring_case`] for maps keyed by header name, such as the header rules).

use std::collections::BTreeMap;

/// Header names to values.
///
/// Names keep the case they were first written with (a pact written from them keeps it too), and
/// are ordered by it, so that a pact always writes the same bytes. Lookups ignore case: `get`,
/// `append` and `set` find `content-type` under `Content-Type`.
///
/// ```
/// use pact_core::model::Headers;
///
/// let mut headers = Headers::new();
/// headers.append("Content-Type", "application/json");
/// headers.append("X-Tag", "a");
/// headers.append("x-tag", "b");
/// assert_eq!(headers.get("content-type"), Some(&["application/json".to_string()][..]));
/// assert_eq!(headers.content_type(), Some("application/json"));
/// assert_eq!(headers.get("X-TAG").unwrap().len(), 2);
/// let names: Vec<&str> = headers.iter().map(|(name, _)| name).collect();
/// assert_eq!(names, ["Content-Type", "X-Tag"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Headers(BTreeMap<String, Vec<String>>);

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Headers(BTreeMap::new())
    }

    /// The values of a header, looked up ignoring case.
    pub fn get(&self, name: &str) -> Option<&[String]> {
        get_ignoring_case(&self.0, name).map(Vec::as_slice)
    }

    /// The values of a header, mutably, looked up ignoring case.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Vec<String>> {
        let key = self.key_of(name)?.to_string();
        self.0.get_mut(&key)
    }

    /// The first value of a header.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.first()).map(String::as_str)
    }

    /// The `Content-Type` header's value.
    pub fn content_type(&self) -> Option<&str> {
        self.first("content-type")
    }

    /// Whether the header is present, ignoring case.
    pub fn contains(&self, name: &str) -> bool {
        self.key_of(name).is_some()
    }

    /// Adds a value to a header (under the name as first written, if present).
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        let key = self.key_of(&name).map(str::to_string).unwrap_or(name);
        self.0.entry(key).or_default().push(value.into());
    }

    /// Replaces a header's values (a header of that name in another case is replaced too, and the
    /// name is now written as given).
    pub fn set(&mut self, name: impl Into<String>, values: Vec<String>) {
        let name = name.into();
        self.remove(&name);
        self.0.insert(name, values);
    }

    /// Removes a header, ignoring case, and returns its values.
    pub fn remove(&mut self, name: &str) -> Option<Vec<String>> {
        let key = self.key_of(name)?.to_string();
        self.0.remove(&key)
    }

    /// The headers, ordered by name as written.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The headers with their values, mutably.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut Vec<String>)> {
        self.0.iter_mut().map(|(k, v)| (k.as_str(), v))
    }

    /// How many headers (names) there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn key_of(&self, name: &str) -> Option<&str> {
        if let Some((key, _)) = self.0.get_key_value(name) {
            return Some(key);
        }
        self.0.keys().find(|k| k.eq_ignore_ascii_case(name)).map(String::as_str)
    }
}

impl FromIterator<(String, Vec<String>)> for Headers {
    /// Headers from names and values; names that differ only in case are merged.
    fn from_iter<I: IntoIterator<Item = (String, Vec<String>)>>(iter: I) -> Self {
        let mut headers = Headers::new();
        for (name, values) in iter {
            for value in values {
                headers.append(name.clone(), value);
            }
            if !headers.contains(&name) {
                headers.0.insert(name, Vec::new());
            }
        }
        headers
    }
}

impl<'a> IntoIterator for &'a Headers {
    type Item = (&'a String, &'a Vec<String>);
    type IntoIter = std::collections::btree_map::Iter<'a, String, Vec<String>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// The entry of a map keyed by header name (such as the header rules), looked up ignoring case:
/// the exact name first, then any other case.
pub fn get_ignoring_case<'a, V>(map: &'a BTreeMap<String, V>, name: &str) -> Option<&'a V> {
    map.get(name).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

/// The headers whose values are comma-separated lists (RFC 9110), as pact-reference lists them
/// (`pact_models/src/headers.rs`, `MULTI_VALUE_HEADERS`). Only these are split at commas; any
/// other header (`Date`, `Set-Cookie`, `User-Agent`, a custom header holding JSON) is one value.
pub const MULTI_VALUE_HEADERS: [&str; 12] = [
    "accept",
    "accept-encoding",
    "accept-language",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-expose-headers",
    "access-control-request-headers",
    "allow",
    "cache-control",
    "if-match",
    "if-none-match",
    "vary",
];

/// One header value as the values it holds: a known multi-value header splits at commas, and every
/// part (or the whole value, for any other header) is trimmed, as pact-reference's
/// `parse_header` does.
///
/// ```
/// use pact_core::model::split_header_value;
///
/// assert_eq!(split_header_value("Vary", "Accept,  Origin"), ["Accept", "Origin"]);
/// assert_eq!(split_header_value("Date", " Mon, 01 Dec 2008 01:15:39 GMT"), ["Mon, 01 Dec 2008 01:15:39 GMT"]);
/// ```
pub fn split_header_value(name: &str, value: &str) -> Vec<String> {
    if MULTI_VALUE_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name)) {
        value.split(',').map(|v| v.trim().to_string()).collect()
    } else {
        vec![value.trim().to_string()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_replaces_any_case_and_from_iter_merges() {
        let mut headers: Headers =
            [("accept".to_string(), vec!["a".to_string()]), ("Accept".to_string(), vec!["b".to_string()])]
                .into_iter()
                .collect();
        assert_eq!(headers.len(), 1);
        assert_eq!(headers.get("ACCEPT").unwrap(), ["a", "b"]);
        headers.set("Accept", vec!["c".into()]);
        assert_eq!(headers.iter().collect::<Vec<_>>(), [("Accept", &["c".to_string()][..])]);
        assert_eq!(headers.remove("accept"), Some(vec!["c".to_string()]));
        assert!(headers.is_empty());
    }
}
