//! The consumer side of message pacts: a test declares the messages it expects to receive,
//! hands each example to the consumer's real handler, and only when every handler succeeds are
//! the interactions merged into `<Consumer>-<Provider>.json` (with the same locked, byte-stable
//! writer as HTTP pacts).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::produced::Message;
use crate::dsl::Pattern;
use crate::matching::match_message;
use crate::model::{
    Body, Content, Data, Interaction, InteractionMeta, MessageContents, MessageInteraction, ProviderState,
    SpecVersion, SyncMessageInteraction,
};
use crate::pactfile::{self, WriteRequest};

/// Why a message contract did not write its pact.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MessageContractError {
    /// A message was declared wrongly (an invalid matcher, examples that break their own rules,
    /// two messages under one key, a V4-only message in an older pact).
    #[error("message contract {pair}: {problems}")]
    Declaration {
        /// `Consumer -> Provider`.
        pair: String,
        /// What is wrong, one problem after another.
        problems: String,
    },
    /// The consumer's handler failed (or panicked) on a message's example: nothing was written.
    #[error("message contract {pair}: the handler failed on {description:?}: {message}; the pact file was not written")]
    Handler {
        /// `Consumer -> Provider`.
        pair: String,
        /// The message.
        description: String,
        /// The handler's error, or its panic message.
        message: String,
    },
    /// The pact file could not be written.
    #[error("message contract {pair}: {source}")]
    PactFile {
        /// `Consumer -> Provider`.
        pair: String,
        /// The cause.
        source: pactfile::Error,
    },
}

/// One message's example as the consumer's handler receives it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedMessage {
    /// The message's description.
    pub description: String,
    /// The provider states the message is expected in.
    pub provider_states: Vec<ProviderState>,
    /// The message (for a synchronous message, the request the consumer sends).
    pub message: Message,
    /// For a synchronous message, the examples of the responses to feed to the client; empty
    /// for an asynchronous message.
    pub responses: Vec<Message>,
}

/// A message pact under construction: the messages a consumer expects from a provider.
///
/// ```
/// use pact_core::message::MessagePact;
/// use pact_core::prelude::*;
///
/// let dir = tempfile::tempdir().unwrap();
/// let mut pact = MessagePact::new("UserEventsClient", "UserService").with_output_dir(dir.path());
/// pact.expects_to_receive("a UserCreated event")
///     .given("no user named UserC exists")
///     .with_content(json_pattern!({"type": "UserCreated", "user": {"name": "UserC", "admin": like!(false)}}))
///     .with_metadata("topic", "user-events");
/// let path = pact
///     .verify(|received| {
///         let event = received.message.contents.as_json().ok_or("not JSON")?;
///         if event["type"] == "UserCreated" { Ok(()) } else { Err("unknown event") }
///     })
///     .unwrap();
/// let written: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
/// assert_eq!(written["messages"][0]["metadata"]["topic"], "user-events");
/// ```
#[derive(Debug)]
pub struct MessagePact {
    consumer: String,
    provider: String,
    test: String,
    given: Vec<ProviderState>,
    version: SpecVersion,
    output_dir: PathBuf,
    interactions: Vec<Interaction>,
    problems: Vec<String>,
    /// How many of the interactions (in order) were handed to a handler.
    handled: usize,
}

impl MessagePact {
    /// A message pact between `consumer` and `provider`, written in V3 (`messages`) to
    /// `PACT_OUTPUT_DIR`, or `pacts/` at the workspace root of the current directory.
    pub fn new(consumer: impl Into<String>, provider: impl Into<String>) -> Self {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        MessagePact {
            consumer: consumer.into(),
            provider: provider.into(),
            test: String::new(),
            given: Vec::new(),
            version: SpecVersion::V3,
            output_dir: pactfile::output_dir(&cwd),
            interactions: Vec::new(),
            problems: Vec::new(),
            handled: 0,
        }
    }

    /// Writes the pact to `dir` instead.
    pub fn with_output_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.output_dir = dir.as_ref().to_path_buf();
        self
    }

    /// Writes the pact in `version`: V3 writes `messages`, V4 `interactions` (which may also
    /// hold the HTTP interactions of other tests). Synchronous messages need V4.
    pub fn with_spec_version(mut self, version: SpecVersion) -> Self {
        self.version = version;
        self
    }

    /// Names the test, for conflict reports between tests.
    pub fn with_test_name(mut self, test: impl Into<String>) -> Self {
        self.test = test.into();
        self
    }

    /// A provider state for every message declared after it.
    pub fn given(&mut self, state: impl Into<String>) -> &mut Self {
        self.given.push(ProviderState::new(state));
        self
    }

    /// A provider state with params for every message declared after it.
    pub fn given_with(&mut self, state: impl Into<String>, params: Value) -> &mut Self {
        self.given.push(state_with(state.into(), params));
        self
    }

    /// Declares an asynchronous message the consumer expects to receive.
    pub fn expects_to_receive(&mut self, description: impl Into<String>) -> MessageBuilder<'_> {
        let meta = InteractionMeta {
            description: description.into(),
            provider_states: self.given.clone(),
            ..InteractionMeta::default()
        };
        self.interactions
            .push(Interaction::Message(MessageInteraction { meta, message: MessageContents::default() }));
        let index = self.interactions.len() - 1;
        MessageBuilder { pact: self, index, part: Part::Message }
    }

    /// Declares a synchronous message (V4): the request the consumer sends, built with the
    /// returned builder, then each response with [`MessageBuilder::will_respond_with`].
    pub fn synchronous_message(&mut self, description: impl Into<String>) -> MessageBuilder<'_> {
        let meta = InteractionMeta {
            description: description.into(),
            provider_states: self.given.clone(),
            ..InteractionMeta::default()
        };
        self.interactions
            .push(Interaction::SyncMessage(SyncMessageInteraction { meta, ..Default::default() }));
        let index = self.interactions.len() - 1;
        MessageBuilder { pact: self, index, part: Part::Request }
    }

    /// The examples of the declared messages, in declaration order.
    pub fn received(&self) -> Vec<ReceivedMessage> {
        self.interactions
            .iter()
            .filter_map(|interaction| match interaction {
                Interaction::Message(m) => Some(ReceivedMessage {
                    description: m.meta.description.clone(),
                    provider_states: m.meta.provider_states.clone(),
                    message: Message::from_contents(&m.message),
                    responses: Vec::new(),
                }),
                Interaction::SyncMessage(s) => Some(ReceivedMessage {
                    description: s.meta.description.clone(),
                    provider_states: s.meta.provider_states.clone(),
                    message: Message::from_contents(&s.request),
                    responses: s.response.iter().map(Message::from_contents).collect(),
                }),
                _ => None,
            })
            .collect()
    }

    fn pair(&self) -> String {
        format!("{} -> {}", self.consumer, self.provider)
    }

    /// Checks the declarations: valid matchers, examples that satisfy their own rules, no two
    /// messages under one key, synchronous messages only in V4.
    pub fn check(&self) -> Result<(), MessageContractError> {
        let mut problems = self.problems.clone();
        let mut keys = std::collections::BTreeSet::new();
        for interaction in &self.interactions {
            let key = pactfile::interaction_key(interaction);
            if !keys.insert(key.clone()) {
                problems.push(format!(
                    "{key} is declared twice; give each its own description or provider states"
                ));
            }
            let parts: Vec<&MessageContents> = match interaction {
                Interaction::Message(m) => vec![&m.message],
                Interaction::SyncMessage(s) => {
                    if self.version < SpecVersion::V4 {
                        problems.push(format!(
                            "{key} is a synchronous message, which only a V4 pact holds; write V4 (spec = \"v4\")"
                        ));
                    }
                    if s.response.is_empty() {
                        problems.push(format!("{key} declares no response (will_respond_with)"));
                    }
                    std::iter::once(&s.request).chain(&s.response).collect()
                }
                _ => Vec::new(),
            };
            for part in parts {
                let own = match_message(part, &Message::from_contents(part).to_contents());
                if !own.is_empty() {
                    problems.push(format!(
                        "the example of {key} breaks its own rules: {}",
                        own.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(MessageContractError::Declaration { pair: self.pair(), problems: problems.join("; ") })
        }
    }

    /// Checks the declarations and passes the example of every message declared since the last
    /// call to `handler` (the consumer's real handler). The first failure stops it; a panic in
    /// the handler is turned into [`MessageContractError::Handler`].
    pub fn handle<F, E>(&mut self, mut handler: F) -> Result<(), MessageContractError>
    where
        F: FnMut(&ReceivedMessage) -> Result<(), E>,
        E: std::fmt::Display,
    {
        self.check()?;
        for received in self.received().into_iter().skip(self.handled) {
            let outcome = catch_unwind(AssertUnwindSafe(|| handler(&received)));
            let message = match outcome {
                Ok(Ok(())) => {
                    self.handled += 1;
                    continue;
                }
                Ok(Err(e)) => e.to_string(),
                Err(panic) => format!("it panicked: {}", panic_text(panic.as_ref())),
            };
            return Err(MessageContractError::Handler {
                pair: self.pair(),
                description: received.description,
                message,
            });
        }
        Ok(())
    }

    /// Like [`handle`](Self::handle), with an async handler.
    pub async fn handle_async<F, Fut, E>(&mut self, mut handler: F) -> Result<(), MessageContractError>
    where
        F: FnMut(ReceivedMessage) -> Fut,
        Fut: std::future::Future<Output = Result<(), E>>,
        E: std::fmt::Display,
    {
        self.check()?;
        for received in self.received().into_iter().skip(self.handled) {
            let description = received.description.clone();
            if let Err(e) = handler(received).await {
                return Err(MessageContractError::Handler {
                    pair: self.pair(),
                    description,
                    message: e.to_string(),
                });
            }
            self.handled += 1;
        }
        Ok(())
    }

    /// Checks the declarations, and that every message was handed to a handler
    /// ([`handle`](Self::handle)); then merges the messages into the pact file and returns its
    /// path. A pact whose messages no handler saw would promise what no code was tested on, so
    /// it is refused.
    pub fn finish(self) -> Result<PathBuf, MessageContractError> {
        self.check()?;
        if self.interactions.is_empty() {
            return Err(MessageContractError::Declaration {
                pair: self.pair(),
                problems: "no message was declared (expects_to_receive or synchronous_message)".into(),
            });
        }
        let unhandled: Vec<String> =
            self.interactions.iter().skip(self.handled).map(|i| format!("{:?}", i.description())).collect();
        if !unhandled.is_empty() {
            return Err(MessageContractError::Declaration {
                pair: self.pair(),
                problems: format!(
                    "{} declared but never passed to a handler (call pact.handle(...) with the consumer's handler)",
                    unhandled.join(", ")
                ),
            });
        }
        self.write()
    }

    /// [`handle`](Self::handle) then [`finish`](Self::finish): passes every message's example
    /// to `handler`, and when all succeed writes the pact and returns its path. A handler that
    /// fails or panics fails the contract, and nothing is written.
    pub fn verify<F, E>(mut self, handler: F) -> Result<PathBuf, MessageContractError>
    where
        F: FnMut(&ReceivedMessage) -> Result<(), E>,
        E: std::fmt::Display,
    {
        self.handle(handler)?;
        self.finish()
    }

    /// Like [`verify`](Self::verify), with an async handler.
    pub async fn verify_async<F, Fut, E>(mut self, handler: F) -> Result<PathBuf, MessageContractError>
    where
        F: FnMut(ReceivedMessage) -> Fut,
        Fut: std::future::Future<Output = Result<(), E>>,
        E: std::fmt::Display,
    {
        self.handle_async(handler).await?;
        self.finish()
    }

    fn write(self) -> Result<PathBuf, MessageContractError> {
        let pair = self.pair();
        let (mode, run) = pactfile::mode_from_env()
            .map_err(|source| MessageContractError::PactFile { pair: pair.clone(), source })?;
        pactfile::merge(WriteRequest {
            dir: &self.output_dir,
            consumer: &self.consumer,
            provider: &self.provider,
            interactions: self.interactions,
            test: &self.test,
            version: self.version,
            mode,
            run,
        })
        .map_err(|source| MessageContractError::PactFile { pair, source })
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}

fn state_with(name: String, params: Value) -> ProviderState {
    let params = match params {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            let mut map = Map::new();
            map.insert("value".into(), other);
            map
        }
    };
    ProviderState { name, params }
}

/// Which message of an interaction a builder writes.
#[derive(Debug, Clone, Copy)]
enum Part {
    Message,
    Request,
    Response(usize),
}

/// Builds one message: its states, contents and metadata.
#[derive(Debug)]
pub struct MessageBuilder<'a> {
    pact: &'a mut MessagePact,
    index: usize,
    part: Part,
}

impl MessageBuilder<'_> {
    fn meta(&mut self) -> &mut InteractionMeta {
        self.pact.interactions[self.index].meta_mut()
    }

    /// The message this builder writes (a builder only points at a message interaction).
    fn contents(&mut self) -> Option<&mut MessageContents> {
        match (&mut self.pact.interactions[self.index], self.part) {
            (Interaction::SyncMessage(s), Part::Request) => Some(&mut s.request),
            (Interaction::SyncMessage(s), Part::Response(i)) => s.response.get_mut(i),
            (Interaction::Message(m), _) => Some(&mut m.message),
            _ => None,
        }
    }

    /// A provider state for this message.
    pub fn given(mut self, state: impl Into<String>) -> Self {
        self.meta().provider_states.push(ProviderState::new(state));
        self
    }

    /// A provider state with params for this message.
    pub fn given_with(mut self, state: impl Into<String>, params: Value) -> Self {
        let state = state_with(state.into(), params);
        self.meta().provider_states.push(state);
        self
    }

    /// JSON contents from a pattern (`json_pattern!`, `like!`...), with its matching rules.
    pub fn with_content(mut self, content: impl Into<Pattern>) -> Self {
        let content = content.into();
        match content.body_rules() {
            Ok(rules) => {
                let Some(contents) = self.contents() else { return self };
                contents.contents = Body::json(content.example());
                contents.matching_rules.body = rules;
                contents
                    .metadata
                    .entry("contentType")
                    .or_insert_with(|| Value::String("application/json".into()));
            }
            Err(e) => {
                let what = format!("the contents of {:?}: {e}", self.meta().description);
                self.pact.problems.push(what);
            }
        }
        self
    }

    /// Text contents of a content type.
    pub fn with_text(mut self, content_type: &str, text: impl Into<String>) -> Self {
        self.set_content(Data::Text(text.into()), content_type);
        self
    }

    /// Binary contents of a content type (written base64-encoded).
    pub fn with_binary(mut self, content_type: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.set_content(Data::Binary(bytes.into()), content_type);
        self
    }

    fn set_content(&mut self, data: Data, content_type: &str) {
        let Some(contents) = self.contents() else { return };
        contents.contents = Body::Present(Content { data, content_type: Some(content_type.to_string()) });
        contents.metadata.insert("contentType".into(), Value::String(content_type.to_string()));
    }

    /// A metadata entry: a plain value, or a matcher (`term!`, `like!`...) whose example is
    /// written and whose rule applies to the key.
    pub fn with_metadata(mut self, key: &str, value: impl Into<Pattern>) -> Self {
        let value = value.into();
        match value.root_rules() {
            Ok(rules) => {
                let Some(contents) = self.contents() else { return self };
                contents.metadata.insert(key.to_string(), value.example());
                match rules {
                    Some(rules) => {
                        contents.matching_rules.metadata.insert(key.to_string(), rules);
                    }
                    None => {
                        contents.matching_rules.metadata.remove(key);
                    }
                }
            }
            Err(e) => {
                let what = format!("the metadata {key:?} of {:?}: {e}", self.meta().description);
                self.pact.problems.push(what);
            }
        }
        self
    }

    /// Starts a response of a synchronous message; the calls after it build that response.
    pub fn will_respond_with(mut self) -> Self {
        match &mut self.pact.interactions[self.index] {
            Interaction::SyncMessage(s) => {
                s.response.push(MessageContents::default());
                self.part = Part::Response(s.response.len() - 1);
            }
            other => {
                let what = format!(
                    "{:?} is an asynchronous message, which has no response; declare it with synchronous_message",
                    other.description()
                );
                self.pact.problems.push(what);
            }
        }
        self
    }
}
