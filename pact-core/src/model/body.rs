//! Bodies of requests, responses and messages, and how each pact version writes them.

use base64::Engine as _;
use serde_json::{json, Value};

use super::error::Result;
use super::json::Node;

/// A body as a pact states it.
///
/// `Missing` (no `body` key) means "any body is acceptable"; `Null` (`"body": null`) and `Empty`
/// (`""`) mean that no body is expected.
///
/// ```
/// use pact_core::model::Body;
/// use serde_json::json;
///
/// let body = Body::json(json!({"name": "UserA"}));
/// assert_eq!(body.as_json(), Some(&json!({"name": "UserA"})));
/// assert_eq!(Body::text("hello").as_text().as_deref(), Some("hello"));
/// assert!(Body::Missing.is_missing());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Body {
    /// Not stated: any body is acceptable.
    #[default]
    Missing,
    /// Stated as `null`: no body.
    Null,
    /// Stated as empty.
    Empty,
    /// Content.
    Present(Content),
}

/// The content of a present body.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// The data.
    pub data: Data,
    /// The content type stated with the body (V4 `contentType`), if any. For V2/V3 pacts the
    /// `Content-Type` header says it instead.
    pub content_type: Option<String>,
}

/// Body data, parsed once when the pact is read.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// JSON content.
    Json(Value),
    /// Text content: XML, plain text, form-urlencoded...
    Text(String),
    /// Binary content (base64 in pact files).
    Binary(Vec<u8>),
}

impl Body {
    /// A JSON body.
    pub fn json(value: Value) -> Self {
        Body::Present(Content { data: Data::Json(value), content_type: Some("application/json".into()) })
    }

    /// A text body with no stated content type.
    pub fn text(text: impl Into<String>) -> Self {
        let text = text.into();
        if text.is_empty() {
            return Body::Empty;
        }
        Body::Present(Content { data: Data::Text(text), content_type: None })
    }

    /// A body from raw bytes received over HTTP, with the `Content-Type` they came with.
    /// JSON content types are parsed as JSON (kept as text if that fails), text types kept as
    /// text, anything else as bytes.
    pub fn from_bytes(bytes: &[u8], content_type: Option<&str>) -> Self {
        if bytes.is_empty() {
            return Body::Empty;
        }
        let ct = content_type.map(str::to_string);
        let data = match content_type.map(ContentKind::of).unwrap_or(ContentKind::Unknown) {
            ContentKind::Json => match serde_json::from_slice::<Value>(bytes) {
                Ok(v) => Data::Json(v),
                Err(_) => text_or_binary(bytes),
            },
            ContentKind::Binary => Data::Binary(bytes.to_vec()),
            ContentKind::Unknown => match serde_json::from_slice::<Value>(bytes) {
                Ok(v @ (Value::Object(_) | Value::Array(_))) => Data::Json(v),
                _ => text_or_binary(bytes),
            },
            _ => text_or_binary(bytes),
        };
        Body::Present(Content { data, content_type: ct })
    }

    /// Whether the body is [`Body::Missing`].
    pub fn is_missing(&self) -> bool {
        matches!(self, Body::Missing)
    }

    /// Whether the body is stated and has no content (`Null` or `Empty`).
    pub fn is_empty(&self) -> bool {
        matches!(self, Body::Null | Body::Empty)
    }

    /// The JSON content, if the body is JSON.
    pub fn as_json(&self) -> Option<&Value> {
        match self {
            Body::Present(Content { data: Data::Json(v), .. }) => Some(v),
            _ => None,
        }
    }

    /// The content as text (JSON rendered compactly), if it is text.
    pub fn as_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Body::Present(Content { data: Data::Text(s), .. }) => Some(s.as_str().into()),
            Body::Present(Content { data: Data::Json(v), .. }) => Some(v.to_string().into()),
            Body::Present(Content { data: Data::Binary(b), .. }) => {
                std::str::from_utf8(b).ok().map(Into::into)
            }
            _ => None,
        }
    }

    /// The bytes to send over HTTP.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Body::Present(Content { data: Data::Json(v), .. }) => v.to_string().into_bytes(),
            Body::Present(Content { data: Data::Text(s), .. }) => s.clone().into_bytes(),
            Body::Present(Content { data: Data::Binary(b), .. }) => b.clone(),
            _ => Vec::new(),
        }
    }

    /// The content type stated with the body, if any.
    pub fn content_type(&self) -> Option<&str> {
        match self {
            Body::Present(c) => c.content_type.as_deref(),
            _ => None,
        }
    }

    /// Size of the content in bytes (JSON measured as written compactly).
    pub fn size(&self) -> usize {
        match self {
            Body::Present(Content { data: Data::Json(v), .. }) => json_size(v),
            Body::Present(Content { data: Data::Text(s), .. }) => s.len(),
            Body::Present(Content { data: Data::Binary(b), .. }) => b.len(),
            _ => 0,
        }
    }

    /// Reads a V1-V3 inline body (`header_type` is the `Content-Type` header, if any), or a V4
    /// body object `{"content", "contentType", "encoded"}`; a V4 pact may also hold a bare value.
    ///
    /// `inline_base64` (V1-V3): as pact-reference reads such a pact, a string body whose header
    /// states a type that is not text (not `text/*`, JSON, XML or a form) is base64 when it
    /// decodes as base64, and is then read as those bytes; pact-reference writes a body that is
    /// not UTF-8 that way, having no `encoded` flag before V4.
    pub(crate) fn from_json(
        node: Option<Node<'_>>,
        header_type: Option<&str>,
        present_null: bool,
        inline_base64: bool,
    ) -> Result<Self> {
        let Some(node) = node else {
            return Ok(if present_null { Body::Null } else { Body::Missing });
        };
        if let Some(obj) = node.value.as_object() {
            let is_v4 = obj.contains_key("content")
                && obj
                    .keys()
                    .all(|k| matches!(k.as_str(), "content" | "contentType" | "encoded" | "contentTypeHint"));
            if is_v4 {
                return Self::from_v4(&node, header_type);
            }
        }
        if let (true, Value::String(text), Some(ct)) = (inline_base64, node.value, header_type) {
            if !text.is_empty() && !is_textual(ct) {
                if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(text) {
                    let data = Data::Binary(bytes);
                    return Ok(Body::Present(Content { data, content_type: Some(ct.to_string()) }));
                }
            }
        }
        Ok(inline(node.value, header_type.map(str::to_string)))
    }

    fn from_v4(node: &Node<'_>, header_type: Option<&str>) -> Result<Self> {
        let content_type = match node.get("contentType") {
            Some(ct) => Some(ct.str()?.to_string()),
            None => header_type.map(str::to_string),
        };
        let Some(content) = node.get_raw("content") else {
            return Ok(Body::Missing);
        };
        let encoded = match node.get("encoded") {
            None => None,
            Some(e) => match e.value {
                Value::Bool(false) => None,
                Value::Bool(true) => Some("base64".to_string()),
                Value::String(s) => Some(s.to_ascii_lowercase()),
                _ => return Err(e.error("false, \"base64\" or \"json\"")),
            },
        };
        match encoded.as_deref() {
            None => Ok(inline(content.value, content_type)),
            Some("base64") => {
                let text = content.str()?;
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(text.trim())
                    .map_err(|e| content.error(format!("base64 content ({e})")))?;
                Ok(Body::from_bytes(&bytes, content_type.as_deref()).with_type(content_type))
            }
            Some("json") => {
                let text = content.str()?;
                let value: Value = serde_json::from_str(text)
                    .map_err(|e| content.error(format!("JSON-encoded content ({e})")))?;
                Ok(Body::Present(Content { data: Data::Json(value), content_type }))
            }
            Some(other) => Err(node.error(format!("an encoding of false, base64 or json, not {other:?}"))),
        }
    }

    fn with_type(self, content_type: Option<String>) -> Self {
        match self {
            Body::Present(mut c) => {
                c.content_type = content_type;
                Body::Present(c)
            }
            other => other,
        }
    }

    /// The V1-V3 inline form; `None` when the body is missing.
    pub(crate) fn to_inline_json(&self) -> Option<Value> {
        match self {
            Body::Missing => None,
            Body::Null => Some(Value::Null),
            Body::Empty => Some(Value::String(String::new())),
            Body::Present(Content { data: Data::Json(v), .. }) => Some(v.clone()),
            Body::Present(Content { data: Data::Text(s), .. }) => Some(Value::String(s.clone())),
            Body::Present(Content { data: Data::Binary(b), .. }) => {
                Some(Value::String(base64::engine::general_purpose::STANDARD.encode(b)))
            }
        }
    }

    /// The V4 body object; `None` when the body is missing. `header_type` fills in the content
    /// type when the body does not state one.
    pub(crate) fn to_v4_json(&self, header_type: Option<&str>) -> Option<Value> {
        match self {
            Body::Missing => None,
            Body::Null => Some(Value::Null),
            Body::Empty => Some(json!({"content": ""})),
            Body::Present(c) => {
                let ct = c
                    .content_type
                    .as_deref()
                    .or(header_type)
                    .map(str::to_string)
                    .unwrap_or_else(|| infer_content_type(&c.data).to_string());
                Some(match &c.data {
                    Data::Json(v) => json!({"content": v, "contentType": ct, "encoded": false}),
                    Data::Text(s) => json!({"content": s, "contentType": ct, "encoded": false}),
                    Data::Binary(b) => json!({
                        "content": base64::engine::general_purpose::STANDARD.encode(b),
                        "contentType": ct,
                        "encoded": "base64",
                    }),
                })
            }
        }
    }
}

fn text_or_binary(bytes: &[u8]) -> Data {
    match std::str::from_utf8(bytes) {
        Ok(s) => Data::Text(s.to_string()),
        Err(_) => Data::Binary(bytes.to_vec()),
    }
}

/// Reads an inline body value under a content type. Without one, the type is inferred from the
/// content (JSON, XML or plain text), so that a pact keeps its meaning when written as V4, where
/// every body states its type.
fn inline(value: &Value, content_type: Option<String>) -> Body {
    let data = match value {
        Value::Null => return Body::Null,
        Value::String(s) if s.is_empty() => return Body::Empty,
        Value::String(s) => match content_type.as_deref().map(ContentKind::of) {
            // A JSON body written as a string holds either encoded JSON or a JSON string.
            Some(ContentKind::Json) => match serde_json::from_str::<Value>(s) {
                Ok(v) => Data::Json(v),
                Err(_) => Data::Json(Value::String(s.clone())),
            },
            None | Some(ContentKind::Unknown) => match serde_json::from_str::<Value>(s) {
                Ok(v @ (Value::Object(_) | Value::Array(_))) => Data::Json(v),
                _ => Data::Text(s.clone()),
            },
            _ => Data::Text(s.clone()),
        },
        other => Data::Json(other.clone()),
    };
    let content_type = content_type.or_else(|| Some(infer_content_type(&data).to_string()));
    Body::Present(Content { data, content_type })
}

/// Whether pact-reference takes a content type for text (`ContentType::is_text`): `text/*`,
/// JSON (`application/json*`, `application/*+json`, `application/graphql`), XML
/// (`application/` or `text/` `xml` or `*+xml`) and `application/x-www-form-urlencoded`. A body of
/// any other type in a V1-V3 pact may be base64.
pub(crate) fn is_textual(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let (main, sub) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    let suffix = sub.rsplit_once('+').map(|(_, s)| s);
    let application = main == "application";
    let json = application && (sub.starts_with("json") || suffix == Some("json") || sub == "graphql");
    let xml = (application || main == "text") && (sub == "xml" || suffix == Some("xml"));
    main == "text" || json || xml || (application && sub == "x-www-form-urlencoded")
}

/// The content type a body without one is taken to have.
pub(crate) fn infer_content_type(data: &Data) -> &'static str {
    match data {
        Data::Json(_) => "application/json",
        Data::Text(s) => {
            let t = s.trim_start();
            if t.starts_with("<?xml") || (t.starts_with('<') && roxmltree::Document::parse(s).is_ok()) {
                "application/xml"
            } else {
                "text/plain"
            }
        }
        Data::Binary(_) => "application/octet-stream",
    }
}

/// The family of a content type, which decides how bodies are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    /// `application/json`, `*+json`.
    Json,
    /// `application/xml`, `text/xml`, `*+xml`.
    Xml,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `text/*` and other textual types.
    Text,
    /// Images, octet streams and other binary types.
    Binary,
    /// No content type.
    Unknown,
}

impl ContentKind {
    /// Classifies a content type such as `application/json; charset=utf-8`.
    pub fn of(content_type: &str) -> Self {
        let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let (main, sub) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
        if sub == "json" || sub.ends_with("+json") || sub.starts_with("json") || sub.starts_with("x-json") {
            ContentKind::Json
        } else if sub == "xml" || sub.ends_with("+xml") {
            ContentKind::Xml
        } else if sub == "x-www-form-urlencoded" {
            ContentKind::Form
        } else if main == "text" || sub == "javascript" || sub == "x-javascript" {
            ContentKind::Text
        } else if essence.is_empty() {
            ContentKind::Unknown
        } else {
            ContentKind::Binary
        }
    }
}

/// Length of a JSON value as written compactly, without building the string.
fn json_size(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, value) {
        Ok(()) => counter.0,
        Err(_) => 0,
    }
}
