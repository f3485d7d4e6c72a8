//! A message as a producer sends it: contents and metadata, with no matching rules.

use serde_json::{Map, Value};

use crate::model::{Body, Content, Data, MessageContents};

/// A message as the producer builds it: the contents (bytes of a content type, as they would go
/// on the queue) and the metadata (topic, key, content type...).
///
/// ```
/// use pact_core::message::Message;
/// use serde_json::json;
///
/// let message = Message::from_bytes(br#"{"id": 7}"#, "application/json")
///     .with_metadata("topic", "orders")
///     .with_metadata("partition", 3);
/// assert_eq!(message.contents.as_json(), Some(&json!({"id": 7})));
/// assert_eq!(message.metadata["contentType"], "application/json");
/// assert_eq!(message.metadata["partition"], 3);
///
/// let text = Message::text("hello", "text/plain");
/// assert_eq!(text.contents.as_text().as_deref(), Some("hello"));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    /// The contents.
    pub contents: Body,
    /// The metadata. The constructors that take a content type also set `contentType`.
    pub metadata: Map<String, Value>,
}

impl Message {
    /// JSON contents (`application/json`).
    pub fn json(value: Value) -> Self {
        Message::with_content(Data::Json(value), "application/json")
    }

    /// Text contents of this content type.
    pub fn text(text: impl Into<String>, content_type: &str) -> Self {
        Message::with_content(Data::Text(text.into()), content_type)
    }

    /// Binary contents of this content type.
    pub fn binary(bytes: impl Into<Vec<u8>>, content_type: &str) -> Self {
        Message::with_content(Data::Binary(bytes.into()), content_type)
    }

    /// Contents as the producer serialised them: JSON content types are parsed as JSON (kept as
    /// text when that fails, so the comparison says so), text types kept as text, anything else
    /// as bytes.
    pub fn from_bytes(bytes: &[u8], content_type: &str) -> Self {
        let contents = Body::from_bytes(bytes, Some(content_type));
        let mut metadata = Map::new();
        metadata.insert("contentType".into(), Value::String(content_type.to_string()));
        Message { contents, metadata }
    }

    fn with_content(data: Data, content_type: &str) -> Self {
        let mut metadata = Map::new();
        metadata.insert("contentType".into(), Value::String(content_type.to_string()));
        Message {
            contents: Body::Present(Content { data, content_type: Some(content_type.to_string()) }),
            metadata,
        }
    }

    /// Adds (or replaces) a metadata entry.
    pub fn with_metadata(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    /// The content type: the metadata's `contentType` (or `content-type`), else the contents'.
    pub fn content_type(&self) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("contentType") || k.eq_ignore_ascii_case("content-type"))
            .and_then(|(_, v)| v.as_str())
            .or_else(|| self.contents.content_type())
    }

    /// As the model's message contents, with no rules, for the matching engine.
    pub fn to_contents(&self) -> MessageContents {
        MessageContents {
            contents: self.contents.clone(),
            metadata: self.metadata.clone(),
            ..MessageContents::default()
        }
    }

    /// The example of an expected message (its rules and generators left out).
    pub fn from_contents(contents: &MessageContents) -> Self {
        Message { contents: contents.contents.clone(), metadata: contents.metadata.clone() }
    }
}

/// What a message producer may return: one [`Message`] (an asynchronous message, or the one
/// response of a synchronous one), several (the responses of a synchronous message), or a
/// `Result` of those whose error fails the interaction.
pub trait IntoMessages {
    /// The messages, or why none could be produced.
    fn into_messages(self) -> Result<Vec<Message>, String>;
}

impl IntoMessages for Message {
    fn into_messages(self) -> Result<Vec<Message>, String> {
        Ok(vec![self])
    }
}

impl IntoMessages for Vec<Message> {
    fn into_messages(self) -> Result<Vec<Message>, String> {
        Ok(self)
    }
}

impl<T: IntoMessages, E: std::fmt::Display> IntoMessages for Result<T, E> {
    fn into_messages(self) -> Result<Vec<Message>, String> {
        self.map_err(|e| e.to_string()).and_then(IntoMessages::into_messages)
    }
}
