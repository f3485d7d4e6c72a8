//! Verifying message interactions: getting the message from the provider, over HTTP with the
//! official verifiers' protocol or in-process from the `#[message_provider]` producers, and
//! comparing it with the pact's expectation under its rules.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::matching::{match_message, Mismatch, MismatchKind};
use crate::message::{
    decode_metadata, Message, MessageCall, MessageProducers, MessageRequest, METADATA_HEADER,
};
use crate::model::{Body, Interaction, MessageContents, Request};

use super::report::Outcome;
use super::target::{BoxFuture, Target};

/// Gives the verifier the messages a pact expects.
pub trait MessageSource: Send + Sync {
    /// The message(s) the provider produces for `call`: one for an asynchronous message, the
    /// responses of a synchronous one.
    fn produce<'a>(&'a self, call: &'a MessageCall) -> BoxFuture<'a, Result<Vec<Message>, String>>;

    /// The descriptions this source can produce, when it knows them in advance (in-process
    /// producers do; an endpoint does not). The verifier checks every message of the pacts
    /// against it before anything runs.
    fn known_messages(&self) -> Option<Vec<String>> {
        None
    }

    /// What the source is, for reports (`http://127.0.0.1:5001/_pact/messages`).
    fn describe(&self) -> String;
}

/// A provider's message endpoint, called with `POST {"description", "providerStates",
/// "request"}`; the answer's body is the contents, its `Content-Type` the content type and its
/// `Pact-Message-Metadata` header (base64 JSON) the metadata.
pub struct HttpMessages {
    target: Arc<dyn Target>,
    headers: Vec<(String, String)>,
}

impl HttpMessages {
    /// The endpoint at the base URL of `target` (a request with an empty path goes to the base
    /// URL itself), with these extra headers on every call.
    pub fn new(target: Arc<dyn Target>, headers: Vec<(String, String)>) -> Self {
        HttpMessages { target, headers }
    }
}

impl MessageSource for HttpMessages {
    fn produce<'a>(&'a self, call: &'a MessageCall) -> BoxFuture<'a, Result<Vec<Message>, String>> {
        Box::pin(async move {
            let mut request = Request { method: "POST".into(), path: String::new(), ..Request::default() };
            request.body = Body::json(call.to_json());
            let headers = request.headers.get_or_insert_with(Default::default);
            headers.set("Content-Type", vec!["application/json".into()]);
            for (name, value) in &self.headers {
                headers.set(name.clone(), vec![value.clone()]);
            }
            let response = self.target.send(&request).await.map_err(|e| e.to_string())?;
            if !(200..300).contains(&response.status) {
                let body = response.body.as_text().map(|t| t.chars().take(300).collect::<String>());
                return Err(format!(
                    "the message endpoint {} answered {} for {:?}{}",
                    self.target.describe(),
                    response.status,
                    call.description,
                    body.filter(|b| !b.is_empty()).map(|b| format!(": {b}")).unwrap_or_default()
                ));
            }
            let mut metadata = Map::new();
            if let Some(content_type) = response.content_type() {
                metadata.insert("contentType".into(), Value::String(content_type.to_string()));
            }
            let header = response
                .headers
                .as_ref()
                .and_then(|h| h.iter().find(|(k, _)| k.eq_ignore_ascii_case(METADATA_HEADER)))
                .and_then(|(_, values)| values.first());
            if let Some(header) = header {
                metadata.extend(decode_metadata(header)?);
            }
            Ok(vec![Message { contents: response.body, metadata }])
        })
    }

    fn describe(&self) -> String {
        self.target.describe()
    }
}

type Produce = dyn Fn(MessageRequest) -> BoxFuture<'static, Result<Vec<Message>, String>> + Send + Sync;

/// The producers registered with `#[message_provider]` for an application state, run in-process.
pub struct RegistryMessages {
    produce: Box<Produce>,
    known: Vec<String>,
}

impl RegistryMessages {
    /// The producers registered for `app`'s type (and those that take no application state).
    pub fn registered<S: Send + Sync + 'static>(app: S) -> Self {
        Self::new(app, MessageProducers::<S>::registered())
    }

    /// These producers, given `app`.
    pub fn new<S: Send + Sync + 'static>(app: S, producers: MessageProducers<S>) -> Self {
        let known = producers.descriptions();
        let shared: Arc<(S, MessageProducers<S>)> = Arc::new((app, producers));
        let produce = move |request: MessageRequest| -> BoxFuture<'static, Result<Vec<Message>, String>> {
            let shared = shared.clone();
            Box::pin(async move {
                let (app, producers) = &*shared;
                producers.produce(app, &request).await.map_err(|e| e.to_string())
            })
        };
        RegistryMessages { produce: Box::new(produce), known }
    }
}

impl MessageSource for RegistryMessages {
    fn produce<'a>(&'a self, call: &'a MessageCall) -> BoxFuture<'a, Result<Vec<Message>, String>> {
        let request = MessageRequest::from_call(call);
        (self.produce)(request)
    }

    fn known_messages(&self) -> Option<Vec<String>> {
        Some(self.known.clone())
    }

    fn describe(&self) -> String {
        "in-process message producers".into()
    }
}

/// The call for a message interaction, or `None` for an HTTP one.
pub(crate) fn call_for(interaction: &Interaction) -> Option<MessageCall> {
    let meta = interaction.meta();
    let request = match interaction {
        Interaction::Message(_) => None,
        Interaction::SyncMessage(sync) => Some(sync.request.clone()),
        _ => return None,
    };
    Some(MessageCall {
        description: meta.description.clone(),
        provider_states: meta.provider_states.clone(),
        request,
    })
}

/// Compares what the producer gave with what the interaction expects. Asynchronous messages
/// report paths as `$.contents.id` and `$.metadata.topic`; the responses of a synchronous
/// message as `$.response[0].contents.id`.
pub(crate) fn compare(interaction: &Interaction, actual: &[Message]) -> Outcome {
    let mismatches = match interaction {
        Interaction::Message(message) => match actual {
            [one] => match_message(&message.message, &one.to_contents()),
            _ => {
                return Outcome::Error(format!(
                    "the producer gave {} messages for an asynchronous message, which is one message",
                    actual.len()
                ))
            }
        },
        Interaction::SyncMessage(sync) => compare_responses(&sync.response, actual),
        _ => return Outcome::Error("not a message interaction".into()),
    };
    if mismatches.is_empty() {
        Outcome::Passed
    } else {
        Outcome::Failed(mismatches)
    }
}

fn compare_responses(expected: &[MessageContents], actual: &[Message]) -> Vec<Mismatch> {
    let mut out = Vec::new();
    // As pact-reference: a message that expects no response accepts whatever comes back.
    if expected.is_empty() {
        return out;
    }
    if expected.len() != actual.len() {
        out.push(Mismatch::new(
            MismatchKind::Body,
            "$.response",
            format!("{} response message(s)", expected.len()),
            format!("{} response message(s)", actual.len()),
            format!("expected {} response message(s) but the producer gave {}", expected.len(), actual.len()),
        ));
        return out;
    }
    for (i, (expected, actual)) in expected.iter().zip(actual).enumerate() {
        for mut mismatch in match_message(expected, &actual.to_contents()) {
            let rest = mismatch.path.strip_prefix('$').unwrap_or(&mismatch.path).to_string();
            mismatch.path = format!("$.response[{i}]{rest}");
            out.push(mismatch);
        }
    }
    out
}
