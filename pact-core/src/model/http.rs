//! HTTP requests and responses of interactions, with their headers and query parameters.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::body::Body;
use super::error::{Error, Result};
use super::generators::Generators;
use super::headers::{split_header_value, Headers};
use super::json::Node;
use super::rules::MatchingRules;
use super::SpecVersion;

/// Query parameter names to values, in the order they were given.
pub type Query = BTreeMap<String, Vec<String>>;

/// An HTTP request as a pact describes it.
///
/// ```
/// use pact_core::model::Request;
///
/// let request = Request::get("/users/UserA").with_header("Accept", "application/json");
/// assert_eq!(request.method, "GET");
/// assert_eq!(request.header("accept"), Some(&["application/json".to_string()][..]));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The method, for example `GET`.
    pub method: String,
    /// The path, for example `/users/UserA`.
    pub path: String,
    /// Query parameters; `None` when the pact does not state any.
    pub query: Option<Query>,
    /// Headers; `None` when the pact does not state any.
    pub headers: Option<Headers>,
    /// The body.
    pub body: Body,
    /// Matching rules.
    pub matching_rules: MatchingRules,
    /// Generators, by part.
    pub generators: Generators,
}

/// An HTTP response as a pact describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers; `None` when the pact does not state any.
    pub headers: Option<Headers>,
    /// The body.
    pub body: Body,
    /// Matching rules.
    pub matching_rules: MatchingRules,
    /// Generators, by part.
    pub generators: Generators,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            method: "GET".into(),
            path: "/".into(),
            query: None,
            headers: None,
            body: Body::Missing,
            matching_rules: MatchingRules::default(),
            generators: Generators::default(),
        }
    }
}

impl Default for Response {
    fn default() -> Self {
        Response {
            status: 200,
            headers: None,
            body: Body::Missing,
            matching_rules: MatchingRules::default(),
            generators: Generators::default(),
        }
    }
}

impl Request {
    /// A `GET` of `path`.
    pub fn get(path: impl Into<String>) -> Self {
        Request { path: path.into(), ..Request::default() }
    }

    /// Adds a header value.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.get_or_insert_with(Headers::new).append(name, value);
        self
    }

    /// The values of a header, looked up case-insensitively.
    pub fn header(&self, name: &str) -> Option<&[String]> {
        self.headers.as_ref()?.get(name)
    }

    /// The `Content-Type`, from the headers or the body.
    pub fn content_type(&self) -> Option<&str> {
        content_type(self.headers.as_ref(), &self.body)
    }

    pub(crate) fn from_json(node: &Node<'_>, version: SpecVersion) -> Result<Self> {
        node.object()?;
        let method = match node.get("method") {
            Some(m) => {
                let method = m.str()?;
                if !is_token(method) {
                    return Err(m.error("an HTTP method (a token such as GET or POST)"));
                }
                method.to_ascii_uppercase()
            }
            None => "GET".into(),
        };
        let path = match node.get("path") {
            Some(p) => {
                let path = p.str()?;
                // A path is sent after the provider's base URL; one not starting with `/` (such as
                // `@other-host/x`) would change where the request goes. Empty means the base URL.
                if !(path.is_empty() || path.starts_with('/')) {
                    return Err(p.error("a path starting with \"/\""));
                }
                path.to_string()
            }
            None => "/".into(),
        };
        // An empty query is the same as none.
        let query = match node.get_raw("query") {
            None => None,
            Some(q) => Some(read_query(&q)?).filter(|q| !q.is_empty()),
        };
        let Parts { headers, body, matching_rules, generators } = Parts::read(node, version)?;
        Ok(Request { method, path, query, headers, body, matching_rules, generators })
    }

    pub(crate) fn to_json(&self, version: SpecVersion) -> Value {
        let mut out = Map::new();
        out.insert("method".into(), Value::String(self.method.to_uppercase()));
        out.insert("path".into(), Value::String(self.path.clone()));
        if let Some(query) = &self.query {
            if version >= SpecVersion::V3 {
                out.insert("query".into(), query_to_json(query));
            } else if !query.is_empty() {
                out.insert("query".into(), Value::String(query_to_string(query)));
            }
        }
        write_common(
            &mut out,
            version,
            self.headers.as_ref(),
            &self.body,
            &self.matching_rules,
            &self.generators,
        );
        Value::Object(out)
    }
}

impl Response {
    /// A response with `status` and nothing else stated.
    pub fn status(status: u16) -> Self {
        Response { status, ..Response::default() }
    }

    /// The values of a header, looked up case-insensitively.
    pub fn header(&self, name: &str) -> Option<&[String]> {
        self.headers.as_ref()?.get(name)
    }

    /// The `Content-Type`, from the headers or the body.
    pub fn content_type(&self) -> Option<&str> {
        content_type(self.headers.as_ref(), &self.body)
    }

    pub(crate) fn from_json(node: &Node<'_>, version: SpecVersion) -> Result<Self> {
        node.object()?;
        let status = match node.get("status") {
            None => 200,
            Some(s) => match s.value.as_u64() {
                Some(n) => u16::try_from(n)
                    .ok()
                    .filter(|n| (100..=599).contains(n))
                    .ok_or_else(|| s.error("an HTTP status code from 100 to 599"))?,
                None => return Err(s.error("an integer")),
            },
        };
        let Parts { headers, body, matching_rules, generators } = Parts::read(node, version)?;
        Ok(Response { status, headers, body, matching_rules, generators })
    }

    pub(crate) fn to_json(&self, version: SpecVersion) -> Value {
        let mut out = Map::new();
        out.insert("status".into(), Value::from(self.status));
        write_common(
            &mut out,
            version,
            self.headers.as_ref(),
            &self.body,
            &self.matching_rules,
            &self.generators,
        );
        Value::Object(out)
    }
}

/// What requests and responses share: headers, body, rules and generators.
struct Parts {
    headers: Option<Headers>,
    body: Body,
    matching_rules: MatchingRules,
    generators: Generators,
}

impl Parts {
    fn read(node: &Node<'_>, version: SpecVersion) -> Result<Self> {
        let headers = node.get("headers").map(|h| read_headers(&h)).transpose()?;
        let header_type = headers.as_ref().and_then(Headers::content_type);
        let body = Body::from_json(
            node.get("body"),
            header_type,
            has_null_body(node, version),
            version < SpecVersion::V4,
        )?;
        Ok(Parts { headers, body, matching_rules: read_rules(node)?, generators: read_generators(node)? })
    }
}

/// From V1.1 on, `"body": null` states that no body is expected; in V1 it means nothing.
fn has_null_body(node: &Node<'_>, version: SpecVersion) -> bool {
    version >= SpecVersion::V1_1 && matches!(node.value.get("body"), Some(Value::Null))
}

pub(crate) fn read_rules(node: &Node<'_>) -> Result<MatchingRules> {
    match node.get("matchingRules") {
        Some(rules) => MatchingRules::from_json(&rules),
        None => Ok(MatchingRules::default()),
    }
}

pub(crate) fn read_generators(node: &Node<'_>) -> Result<Generators> {
    match node.get("generators") {
        Some(g) => Generators::from_json(&g),
        None => Ok(Generators::default()),
    }
}

fn write_common(
    out: &mut Map<String, Value>,
    version: SpecVersion,
    headers: Option<&Headers>,
    body: &Body,
    rules: &MatchingRules,
    generators: &Generators,
) {
    if let Some(headers) = headers {
        out.insert("headers".into(), headers_to_json(headers, version));
    }
    let header_type = headers.and_then(Headers::content_type);
    let body = if version >= SpecVersion::V4 { body.to_v4_json(header_type) } else { body.to_inline_json() };
    if let Some(body) = body {
        out.insert("body".into(), body);
    }
    if !rules.is_empty() && version >= SpecVersion::V2 {
        let rules = if version >= SpecVersion::V3 { rules.to_v3_json(false) } else { rules.to_v2_json() };
        out.insert("matchingRules".into(), rules);
    }
    if !generators.is_empty() && version >= SpecVersion::V3 {
        out.insert("generators".into(), generators.to_json());
    }
}

fn content_type<'a>(headers: Option<&'a Headers>, body: &'a Body) -> Option<&'a str> {
    headers.and_then(Headers::content_type).or_else(|| body.content_type())
}

/// Whether `s` is an HTTP token (a method or a header name): letters, digits and
/// ``!#$%&'*+-.^_`|~``, at least one.
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether HTTP can carry `s` as a header value: no control character but tab, except a line
/// break followed by a space or tab (the obsolete line folding, which the specification's own
/// cases use, and which is sent unfolded). Any other CR or LF would end the header and start
/// another.
pub(crate) fn is_header_value(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| match b {
        b'\r' => bytes.get(i + 1) == Some(&b'\n') && matches!(bytes.get(i + 2), Some(b' ' | b'\t')),
        b'\n' => matches!(bytes.get(i + 1), Some(b' ' | b'\t')),
        b'\t' => true,
        _ => b >= 0x20 && b != 0x7f,
    })
}

/// A header value with each folded line break (and the spaces around it) replaced by one space.
#[cfg_attr(not(feature = "verifier"), allow(dead_code))]
pub(crate) fn unfold(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['\r', '\n']) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if i == 0 {
            out.push_str(line);
        } else {
            out.truncate(out.trim_end_matches([' ', '\t']).len());
            out.push(' ');
            out.push_str(line.trim_start_matches([' ', '\t']));
        }
    }
    out.into()
}

/// Headers are `{name: "value"}` (V1-V3) or `{name: ["value", ...]}` (V4).
pub(crate) fn read_headers(node: &Node<'_>) -> Result<Headers> {
    let mut headers = Headers::new();
    for (name, value) in node.entries()? {
        if !is_token(name) {
            return Err(Error::invalid(
                value.path.clone(),
                "a header name HTTP can carry (letters, digits and !#$%&'*+-.^_`|~)",
                Value::String(name.clone()).to_string(),
            ));
        }
        let items = match value.value {
            Value::Array(_) => value.items()?,
            _ => vec![value.clone()],
        };
        let mut values = Vec::with_capacity(items.len());
        for item in &items {
            let text = match item.value {
                Value::String(s) => s.clone(),
                Value::Number(_) | Value::Bool(_) => item.value.to_string(),
                _ => return Err(item.error("a header value (a string or an array of strings)")),
            };
            if !is_header_value(&text) {
                return Err(item.error(
                    "a header value HTTP can carry (no control characters but tab; a line break only \
                     when folded, followed by a space)",
                ));
            }
            // A value written as one string is parsed as pact-reference's `headers_from_json`
            // does: a known multi-value header splits at commas. Array items stay as written.
            if matches!(value.value, Value::Array(_)) {
                values.push(text);
            } else {
                values.extend(split_header_value(name, &text));
            }
        }
        // Names that differ only in case are one header.
        match headers.get_mut(name) {
            Some(existing) => existing.extend(values),
            None => headers.set(name.clone(), values),
        }
    }
    Ok(headers)
}

fn scalar_string(node: &Node<'_>) -> Result<String> {
    match node.value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(_) | Value::Bool(_) => Ok(node.value.to_string()),
        _ => Err(node.error("a string")),
    }
}

pub(crate) fn headers_to_json(headers: &Headers, version: SpecVersion) -> Value {
    Value::Object(
        headers
            .iter()
            .map(|(k, v)| {
                let value = if version >= SpecVersion::V4 {
                    Value::Array(v.iter().cloned().map(Value::String).collect())
                } else {
                    Value::String(v.join(", "))
                };
                (k.to_string(), value)
            })
            .collect(),
    )
}

/// Query is a string `a=1&b=2` (V1-V2) or a map `{"a": ["1"]}` (V3+).
fn read_query(node: &Node<'_>) -> Result<Query> {
    match node.value {
        Value::Null => Ok(Query::new()),
        Value::String(s) => Ok(parse_query_string(s)),
        Value::Object(_) => {
            let mut query = Query::new();
            for (name, value) in node.entries()? {
                let values = match value.value {
                    Value::Array(_) => {
                        value.items()?.iter().map(|v| scalar_string(v)).collect::<Result<Vec<_>>>()?
                    }
                    Value::Null => Vec::new(),
                    _ => vec![scalar_string(&value)?],
                };
                query.insert(name.clone(), values);
            }
            Ok(query)
        }
        _ => Err(node.error("a query string or an object of parameter values")),
    }
}

/// Parses `a=1&b=2&a=3`, decoding `%XX` escapes and `+`.
///
/// ```
/// let q = pact_core::model::parse_query_string("a=1&b=x%3Dy&a=2&flag");
/// assert_eq!(q["a"], vec!["1", "2"]);
/// assert_eq!(q["b"], vec!["x=y"]);
/// assert_eq!(q["flag"], vec![""]);
/// ```
pub fn parse_query_string(s: &str) -> Query {
    let mut query = Query::new();
    for pair in s.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        query.entry(decode(name)).or_default().push(decode(value));
    }
    query
}

/// Writes a query as `a=1&b=2`, escaping what must be escaped.
pub fn query_to_string(query: &Query) -> String {
    let mut parts = Vec::new();
    for (name, values) in query {
        for value in values {
            parts.push(format!("{}={}", encode(name), encode(value)));
        }
    }
    parts.join("&")
}

fn query_to_json(query: &Query) -> Value {
    Value::Object(
        query
            .iter()
            .map(|(k, v)| (k.clone(), Value::Array(v.iter().cloned().map(Value::String).collect())))
            .collect(),
    )
}

/// Percent-decodes a query component (`+` is a space).
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                // Two hex digits (`from_str_radix` alone would also take a sign: `%+1`).
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a query component.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'/'
            | b':'
            | b'@'
            | b'!'
            | b'$'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b','
            | b';' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{is_header_value, unfold};

    #[test]
    fn folded_header_values_are_carried_unfolded_and_others_refused() {
        assert!(is_header_value("text/plain; charset=utf-8\tx"));
        assert!(is_header_value("a;\n    b=c"));
        assert!(is_header_value("a;\r\n\tb"));
        for bad in ["a\r\nX-Injected: 1", "a\nX: 1", "a\r", "a\n", "a\rb", "a\u{0}", "a\u{7f}"] {
            assert!(!is_header_value(bad), "{bad:?}");
        }
        assert_eq!(unfold("a;\n    b=c;\r\n\t d"), "a; b=c; d");
        assert_eq!(unfold("plain"), "plain");
    }
}
