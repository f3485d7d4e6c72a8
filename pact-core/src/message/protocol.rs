//! The message protocol of the official verifiers, both sides: the call the verifier `POST`s to
//! a provider's message endpoint, and the `Pact-Message-Metadata` header the answer carries.

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::model::{Interaction, MessageContents, ProviderState, SpecVersion, SyncMessageInteraction};

/// The header that carries a message's metadata: base64 (standard alphabet) of a JSON object.
pub const METADATA_HEADER: &str = "Pact-Message-Metadata";

/// The path of the message endpoint that `with_message_route` mounts.
pub const MESSAGE_ROUTE: &str = "/_pact/messages";

/// The largest metadata header read (a JSON object of topic, key and the like).
const MAX_METADATA_BYTES: usize = 64 << 10;

/// A verifier's request for a message: `{"description", "providerStates", "request"}`.
///
/// ```
/// use pact_core::message::MessageCall;
///
/// let call = MessageCall::parse(br#"{"description": "an order created event",
///     "providerStates": [{"name": "an order exists", "params": {"id": 7}}]}"#).unwrap();
/// assert_eq!(call.description, "an order created event");
/// assert_eq!(call.provider_states[0].params["id"], 7);
/// assert!(call.request.is_none());
/// assert_eq!(MessageCall::parse(&call.to_json().to_string().into_bytes()).unwrap(), call);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MessageCall {
    /// The message's description, which names its producer.
    pub description: String,
    /// The interaction's provider states.
    pub provider_states: Vec<ProviderState>,
    /// The request message of a synchronous message, as the pact states it.
    pub request: Option<MessageContents>,
}

impl MessageCall {
    /// Reads a call. Unknown fields are ignored; a field of the wrong type is an error naming it.
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let value: Value =
            serde_json::from_slice(body).map_err(|e| format!("the message request is not JSON: {e}"))?;
        let obj = value.as_object().ok_or("the message request must be a JSON object")?;
        let wrong = |field: &str, expected: &str, found: &Value| {
            format!("\"{field}\" must be {expected}, not {}", crate::model::json::describe(found))
        };
        let description = match obj.get("description") {
            Some(Value::String(d)) => d.clone(),
            Some(other) => return Err(wrong("description", "a string", other)),
            None => return Err("the message request has no \"description\"".into()),
        };
        let mut provider_states = Vec::new();
        match obj.get("providerStates") {
            None | Some(Value::Null) => {}
            Some(Value::Array(states)) => {
                for (i, state) in states.iter().enumerate() {
                    let field = format!("providerStates[{i}]");
                    provider_states.push(match state {
                        Value::String(name) => ProviderState::new(name.clone()),
                        Value::Object(fields) => {
                            let name = match fields.get("name") {
                                Some(Value::String(n)) => n.clone(),
                                Some(other) => {
                                    return Err(wrong(&format!("{field}.name"), "a string", other))
                                }
                                None => return Err(format!("\"{field}\" has no \"name\"")),
                            };
                            let params = match fields.get("params") {
                                None | Some(Value::Null) => Map::new(),
                                Some(Value::Object(p)) => p.clone(),
                                Some(other) => {
                                    return Err(wrong(&format!("{field}.params"), "a JSON object", other))
                                }
                            };
                            ProviderState { name, params }
                        }
                        other => return Err(wrong(&field, "a provider state object", other)),
                    });
                }
            }
            Some(other) => return Err(wrong("providerStates", "an array", other)),
        }
        let request = match obj.get("request") {
            None | Some(Value::Null) => None,
            Some(request @ Value::Object(_)) => Some(
                crate::model::parts::message_from_json(request, SpecVersion::V4)
                    .map_err(|e| format!("\"request\" is not a message: {e}"))?,
            ),
            Some(other) => return Err(wrong("request", "a message object", other)),
        };
        Ok(MessageCall { description, provider_states, request })
    }

    /// The body the verifier sends, as pact-reference's verifier writes it: `providerStates` only
    /// when there are states, `request` only for a synchronous message.
    pub fn to_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("description".into(), Value::String(self.description.clone()));
        if !self.provider_states.is_empty() {
            let states = self
                .provider_states
                .iter()
                .map(|s| {
                    let mut state = Map::new();
                    state.insert("name".into(), Value::String(s.name.clone()));
                    if !s.params.is_empty() {
                        state.insert("params".into(), Value::Object(s.params.clone()));
                    }
                    Value::Object(state)
                })
                .collect();
            obj.insert("providerStates".into(), Value::Array(states));
        }
        if let Some(request) = &self.request {
            let written = Interaction::SyncMessage(SyncMessageInteraction {
                request: request.clone(),
                ..SyncMessageInteraction::default()
            })
            .to_json(SpecVersion::V4);
            if let Some(request) = written.get("request") {
                obj.insert("request".into(), request.clone());
            }
        }
        Value::Object(obj)
    }
}

/// The value of the [`METADATA_HEADER`] for this metadata.
///
/// ```
/// use pact_core::message::{decode_metadata, encode_metadata};
/// use serde_json::json;
///
/// let metadata = json!({"topic": "orders", "partition": 3}).as_object().unwrap().clone();
/// let header = encode_metadata(&metadata);
/// assert_eq!(decode_metadata(&header).unwrap(), metadata);
/// assert!(decode_metadata("not base64!").is_err());
/// ```
pub fn encode_metadata(metadata: &Map<String, Value>) -> String {
    base64::engine::general_purpose::STANDARD.encode(Value::Object(metadata.clone()).to_string())
}

/// Reads a [`METADATA_HEADER`] value: base64 (standard or URL-safe, padded or not) of a JSON
/// object.
pub fn decode_metadata(header: &str) -> Result<Map<String, Value>, String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let text = header.trim();
    if text.len() > MAX_METADATA_BYTES {
        return Err(format!(
            "the {METADATA_HEADER} header is {} bytes long; at most {MAX_METADATA_BYTES} are read",
            text.len()
        ));
    }
    let bytes = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
        .ok_or_else(|| format!("the {METADATA_HEADER} header is not base64: {text:?}"))?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(format!(
            "the {METADATA_HEADER} header must hold a JSON object, not {}",
            crate::model::json::describe(&other)
        )),
        Err(e) => Err(format!("the {METADATA_HEADER} header does not hold JSON: {e}")),
    }
}
