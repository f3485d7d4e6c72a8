//! Interactions: HTTP request/response pairs, asynchronous messages and synchronous messages,
//! with the fields they share (description, provider states, V4 key, pending, comments).

use serde_json::{Map, Value};

use super::body::Body;
use super::error::Result;
use super::generators::Generators;
use super::http::{read_generators, read_rules, Request, Response};
use super::json::Node;
use super::rules::MatchingRules;
use super::SpecVersion;

/// A provider state: the name the provider recognises, and optional parameters (V3+).
///
/// ```
/// use pact_core::model::ProviderState;
/// use serde_json::json;
///
/// let state = ProviderState::new("UserA exists").with_param("name", json!("UserA"));
/// assert_eq!(state.params["name"], "UserA");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProviderState {
    /// The state's name.
    pub name: String,
    /// Its parameters.
    pub params: Map<String, Value>,
}

impl ProviderState {
    /// A state with no parameters.
    pub fn new(name: impl Into<String>) -> Self {
        ProviderState { name: name.into(), params: Map::new() }
    }

    /// Adds a parameter.
    pub fn with_param(mut self, key: impl Into<String>, value: Value) -> Self {
        self.params.insert(key.into(), value);
        self
    }

    fn to_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("name".into(), Value::String(self.name.clone()));
        if !self.params.is_empty() {
            obj.insert("params".into(), Value::Object(self.params.clone()));
        }
        Value::Object(obj)
    }
}

/// Fields every kind of interaction has.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InteractionMeta {
    /// What the interaction is, for example "a request for UserA".
    pub description: String,
    /// The states the provider must be in.
    pub provider_states: Vec<ProviderState>,
    /// The V4 unique key, if stated.
    pub key: Option<String>,
    /// V4: a pending interaction does not fail verification.
    pub pending: bool,
    /// V4 comments (`testname`, `text`, ...), kept as written.
    pub comments: Map<String, Value>,
    /// Other V4 fields (`transport`, `interactionMarkup`, `pluginConfiguration`...), kept as written.
    pub extra: Map<String, Value>,
}

/// The V4 comment that names the test which declared an interaction (`comments.testname`, as
/// pact-reference's consumer DSL and FFI, and so pact-js, write it; the official verifier prints it
/// as "Test Name").
pub const TEST_NAME_COMMENT: &str = "testname";

impl InteractionMeta {
    /// The name of the test that declared the interaction (V4 `comments.testname`), if written.
    ///
    /// ```
    /// use pact_core::model::InteractionMeta;
    ///
    /// let mut meta = InteractionMeta::default();
    /// assert_eq!(meta.test_name(), None);
    /// meta.name_test("my_crate::tests::gets_user_a");
    /// meta.name_test("ignored: the first name stays");
    /// assert_eq!(meta.test_name(), Some("my_crate::tests::gets_user_a"));
    /// ```
    pub fn test_name(&self) -> Option<&str> {
        self.comments.get(TEST_NAME_COMMENT).and_then(Value::as_str)
    }

    /// Records `test` as the test that declared the interaction (V4 `comments.testname`), unless
    /// a test name is already there or `test` is empty. Other comments are left as they are.
    pub fn name_test(&mut self, test: &str) {
        if !test.is_empty() && !self.comments.contains_key(TEST_NAME_COMMENT) {
            self.comments.insert(TEST_NAME_COMMENT.into(), Value::String(test.to_string()));
        }
    }
}

/// An HTTP interaction: a request and the response it gets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HttpInteraction {
    /// Description, states and V4 fields.
    pub meta: InteractionMeta,
    /// The expected request.
    pub request: Request,
    /// The response it gets.
    pub response: Response,
}

/// The contents of a message: body, metadata and their rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MessageContents {
    /// The message body.
    pub contents: Body,
    /// Message metadata (for example `contentType`).
    pub metadata: Map<String, Value>,
    /// Matching rules (body rules apply to the contents).
    pub matching_rules: MatchingRules,
    /// Generators (body generators apply to the contents).
    pub generators: Generators,
}

impl MessageContents {
    /// The content type: the metadata's `contentType` (or `content-type`, in any case), else the
    /// body's own.
    pub fn content_type(&self) -> Option<&str> {
        metadata_content_type(&self.metadata).or_else(|| self.contents.content_type())
    }
}

/// Whether a metadata key names the content type: `contentType` or `content-type`, in any case.
pub fn is_content_type_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("contentType") || key.eq_ignore_ascii_case("content-type")
}

/// The content type a message's metadata states.
fn metadata_content_type(metadata: &Map<String, Value>) -> Option<&str> {
    metadata.iter().find(|(k, _)| is_content_type_key(k)).and_then(|(_, v)| v.as_str())
}

/// An asynchronous message interaction (V3 `messages`, V4 `Asynchronous/Messages`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MessageInteraction {
    /// Description, states and V4 fields.
    pub meta: InteractionMeta,
    /// The message.
    pub message: MessageContents,
}

/// A synchronous message interaction (V4 `Synchronous/Messages`): a request message and its
/// response messages.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncMessageInteraction {
    /// Description, states and V4 fields.
    pub meta: InteractionMeta,
    /// The request message.
    pub request: MessageContents,
    /// The response messages.
    pub response: Vec<MessageContents>,
}

/// Any interaction a pact can hold.
///
/// The variants differ in size; they are not boxed because pacts hold few interactions and
/// matching them is far costlier than moving them.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum Interaction {
    /// HTTP request and response.
    Http(HttpInteraction),
    /// Asynchronous message.
    Message(MessageInteraction),
    /// Synchronous message exchange.
    SyncMessage(SyncMessageInteraction),
}

impl Interaction {
    /// The shared fields.
    pub fn meta(&self) -> &InteractionMeta {
        match self {
            Interaction::Http(i) => &i.meta,
            Interaction::Message(i) => &i.meta,
            Interaction::SyncMessage(i) => &i.meta,
        }
    }

    /// The shared fields, mutably.
    pub fn meta_mut(&mut self) -> &mut InteractionMeta {
        match self {
            Interaction::Http(i) => &mut i.meta,
            Interaction::Message(i) => &mut i.meta,
            Interaction::SyncMessage(i) => &mut i.meta,
        }
    }

    /// The description.
    pub fn description(&self) -> &str {
        &self.meta().description
    }

    /// The provider states.
    pub fn provider_states(&self) -> &[ProviderState] {
        &self.meta().provider_states
    }

    /// The HTTP interaction, if this is one.
    pub fn as_http(&self) -> Option<&HttpInteraction> {
        match self {
            Interaction::Http(i) => Some(i),
            _ => None,
        }
    }

    /// The V4 `type` name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Interaction::Http(_) => "Synchronous/HTTP",
            Interaction::Message(_) => "Asynchronous/Messages",
            Interaction::SyncMessage(_) => "Synchronous/Messages",
        }
    }

    /// Reads an interaction. `message` says it came from a V3 `messages` array.
    pub(crate) fn from_json(node: &Node<'_>, version: SpecVersion, message: bool) -> Result<Self> {
        node.object()?;
        let meta = read_meta(node)?;
        let kind = match node.get("type") {
            Some(t) => match t.str()? {
                "Synchronous/HTTP" => Kind::Http,
                "Asynchronous/Messages" => Kind::Message,
                "Synchronous/Messages" => Kind::Sync,
                _ => {
                    return Err(t.error(
                        "\"Synchronous/HTTP\", \"Asynchronous/Messages\" or \"Synchronous/Messages\"",
                    ))
                }
            },
            None if message => Kind::Message,
            None if node.get("contents").is_some() && node.get("request").is_none() => Kind::Message,
            None => Kind::Http,
        };
        Ok(match kind {
            Kind::Http => {
                let request = match node.get("request") {
                    Some(r) => Request::from_json(&r, version)?,
                    None => return Err(node.missing("request", "an object")),
                };
                let response = match node.get("response") {
                    Some(r) => Response::from_json(&r, version)?,
                    None => return Err(node.missing("response", "an object")),
                };
                Interaction::Http(HttpInteraction { meta, request, response })
            }
            Kind::Message => {
                Interaction::Message(MessageInteraction { meta, message: read_message(node, version)? })
            }
            Kind::Sync => {
                let request = match node.get("request") {
                    Some(r) => read_message(&r, version)?,
                    None => return Err(node.missing("request", "an object")),
                };
                let response = match node.get("response") {
                    Some(r) => {
                        r.items()?.iter().map(|m| read_message(m, version)).collect::<Result<Vec<_>>>()?
                    }
                    None => Vec::new(),
                };
                Interaction::SyncMessage(SyncMessageInteraction { meta, request, response })
            }
        })
    }

    /// Writes the interaction in `version`'s format (V4 for anything but HTTP in V2/V3 is
    /// checked by the caller).
    pub(crate) fn to_json(&self, version: SpecVersion) -> Value {
        let meta = self.meta();
        let mut out = Map::new();
        out.insert("description".into(), Value::String(meta.description.clone()));
        if version >= SpecVersion::V3 {
            if !meta.provider_states.is_empty() {
                out.insert(
                    "providerStates".into(),
                    Value::Array(meta.provider_states.iter().map(ProviderState::to_json).collect()),
                );
            }
        } else if let Some(state) = meta.provider_states.first() {
            out.insert("providerState".into(), Value::String(state.name.clone()));
        }
        if version >= SpecVersion::V4 {
            out.insert("type".into(), Value::String(self.type_name().into()));
            out.insert("pending".into(), Value::Bool(meta.pending));
            if !meta.comments.is_empty() {
                out.insert("comments".into(), Value::Object(meta.comments.clone()));
            }
            for (k, v) in &meta.extra {
                out.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        match self {
            Interaction::Http(http) => {
                out.insert("request".into(), http.request.to_json(version));
                out.insert("response".into(), http.response.to_json(version));
            }
            Interaction::Message(m) => write_message(&mut out, &m.message, version),
            Interaction::SyncMessage(s) => {
                let mut request = Map::new();
                write_message(&mut request, &s.request, version);
                out.insert("request".into(), Value::Object(request));
                out.insert(
                    "response".into(),
                    Value::Array(
                        s.response
                            .iter()
                            .map(|m| {
                                let mut obj = Map::new();
                                write_message(&mut obj, m, version);
                                Value::Object(obj)
                            })
                            .collect(),
                    ),
                );
            }
        }
        if version >= SpecVersion::V4 {
            if let Some(key) = &meta.key {
                out.insert("key".into(), Value::String(key.clone()));
            }
        }
        Value::Object(out)
    }
}

enum Kind {
    Http,
    Message,
    Sync,
}

fn read_meta(node: &Node<'_>) -> Result<InteractionMeta> {
    let description = match node.get("description") {
        Some(d) => d.str()?.to_string(),
        None => return Err(node.missing("description", "a string")),
    };
    let mut provider_states = Vec::new();
    if let Some(states) = node.get("providerStates") {
        for state in states.items()? {
            match state.value {
                Value::String(name) => provider_states.push(ProviderState::new(name.clone())),
                _ => {
                    let name = match state.get("name") {
                        Some(n) => n.str()?.to_string(),
                        None => return Err(state.missing("name", "a string")),
                    };
                    let params = match state.get("params") {
                        Some(p) => p.object()?.clone(),
                        None => Map::new(),
                    };
                    provider_states.push(ProviderState { name, params });
                }
            }
        }
    } else if let Some(state) = node.get("providerState").or_else(|| node.get("provider_state")) {
        let name = state.str()?;
        if !name.is_empty() {
            provider_states.push(ProviderState::new(name));
        }
    }
    let key = node.get("key").map(|k| k.str().map(str::to_string)).transpose()?;
    let pending = node.get("pending").map(|p| p.bool()).transpose()?.unwrap_or(false);
    let comments = match node.get("comments") {
        Some(c) => c.object()?.clone(),
        None => Map::new(),
    };
    let mut extra = Map::new();
    for key in ["transport", "interactionMarkup", "pluginConfiguration"] {
        if let Some(v) = node.get(key) {
            extra.insert(key.into(), v.value.clone());
        }
    }
    Ok(InteractionMeta { description, provider_states, key, pending, comments, extra })
}

fn read_message(node: &Node<'_>, version: SpecVersion) -> Result<MessageContents> {
    let metadata = match node.get("metadata").or_else(|| node.get("metaData")) {
        Some(m) => m.object()?.clone(),
        None => Map::new(),
    };
    let contents = Body::from_json(
        node.get("contents"),
        metadata_content_type(&metadata),
        version >= SpecVersion::V1_1 && matches!(node.value.get("contents"), Some(Value::Null)),
        version < SpecVersion::V4,
    )?;
    Ok(MessageContents {
        contents,
        metadata,
        matching_rules: read_rules(node)?,
        generators: read_generators(node)?,
    })
}

fn write_message(out: &mut Map<String, Value>, message: &MessageContents, version: SpecVersion) {
    let content_type = metadata_content_type(&message.metadata);
    let contents = if version >= SpecVersion::V4 {
        message.contents.to_v4_json(content_type)
    } else {
        message.contents.to_inline_json()
    };
    if let Some(contents) = contents {
        out.insert("contents".into(), contents);
    }
    if !message.metadata.is_empty() {
        out.insert("metadata".into(), Value::Object(message.metadata.clone()));
    }
    if !message.matching_rules.is_empty() {
        out.insert("matchingRules".into(), message.matching_rules.to_v3_json(version >= SpecVersion::V4));
    }
    if !message.generators.is_empty() {
        out.insert("generators".into(), message.generators.to_json());
    }
}
