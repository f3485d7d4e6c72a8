//! The producers registered with `#[message_provider]` (or by hand), found by the message's
//! description and the application state type they are written for.

use std::any::{Any, TypeId};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::produced::{IntoMessages, Message};
use super::protocol::MessageCall;
use crate::model::ProviderState;

/// A boxed future of a producer's messages.
pub type ProduceFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<Message>, String>> + Send + 'a>>;

/// What the verifier asks a producer for: which message, in which provider states, and for a
/// synchronous message the request it answers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MessageRequest {
    /// The message's description.
    pub description: String,
    /// The interaction's provider states.
    pub provider_states: Vec<ProviderState>,
    /// The parameters of every state, merged in order (later states win).
    pub params: Map<String, Value>,
    /// The request message of a synchronous message (its example), `None` for an asynchronous
    /// message.
    pub request: Option<Message>,
}

impl MessageRequest {
    /// The request for an asynchronous message with these states.
    pub fn new(description: impl Into<String>, provider_states: Vec<ProviderState>) -> Self {
        let mut params = Map::new();
        for state in &provider_states {
            params.extend(state.params.clone());
        }
        MessageRequest { description: description.into(), provider_states, params, request: None }
    }

    /// The request a verifier's call stands for.
    pub fn from_call(call: &MessageCall) -> Self {
        let mut request = Self::new(call.description.clone(), call.provider_states.clone());
        request.request = call.request.as_ref().map(Message::from_contents);
        request
    }
}

/// A producer registered by `#[message_provider]`; built by the macro.
#[doc(hidden)]
pub struct MessageProducerEntry {
    pub description: &'static str,
    /// The application state type, or `None` for a producer that takes none (it then serves
    /// every application state type).
    pub app_type: Option<fn() -> TypeId>,
    pub app_type_name: &'static str,
    pub function: &'static str,
    pub call: for<'a> fn(&'a (dyn Any + Send + Sync), &'a MessageRequest) -> ProduceFuture<'a>,
}

inventory::collect!(MessageProducerEntry);

/// Why a producer gave no message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProduceError {
    /// No producer is registered for the description.
    #[error("no message producer for {description:?}; the registered messages are: {}", list(known))]
    Unknown {
        /// The message asked for.
        description: String,
        /// The messages that have producers.
        known: Vec<String>,
    },
    /// The producer failed (or more than one is registered for the description).
    #[error("the producer of the message {description:?} failed: {message}")]
    Failed {
        /// The message.
        description: String,
        /// Why.
        message: String,
    },
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "(none)".to_string()
    } else {
        names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
    }
}

type Producer<S> = Arc<dyn for<'a> Fn(&'a S, &'a MessageRequest) -> ProduceFuture<'a> + Send + Sync>;

/// The message producers for one application state type `S`.
///
/// ```
/// use pact_core::message::{Message, MessageProducers, MessageRequest};
///
/// struct App { topic: &'static str }
///
/// let producers = MessageProducers::<App>::new().register("a ping", |app: &App, _req: &MessageRequest| {
///     Message::text("ping", "text/plain").with_metadata("topic", app.topic)
/// });
/// let request = MessageRequest::new("a ping", vec![]);
/// let messages = futures_lite(producers.produce(&App { topic: "pings" }, &request)).unwrap();
/// assert_eq!(messages[0].metadata["topic"], "pings");
/// # fn futures_lite<T>(f: impl std::future::Future<Output = T>) -> T {
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     match std::pin::pin!(f).poll(&mut cx) { std::task::Poll::Ready(v) => v, _ => unreachable!() }
/// # }
/// ```
pub struct MessageProducers<S> {
    producers: BTreeMap<String, Producer<S>>,
    /// Descriptions with more than one automatically registered producer: producing them is an
    /// error, since which one would win depends on link order.
    duplicates: BTreeMap<String, Vec<&'static str>>,
}

impl<S> Clone for MessageProducers<S> {
    fn clone(&self) -> Self {
        MessageProducers { producers: self.producers.clone(), duplicates: self.duplicates.clone() }
    }
}

impl<S: Send + Sync + 'static> Default for MessageProducers<S> {
    fn default() -> Self {
        MessageProducers { producers: BTreeMap::new(), duplicates: BTreeMap::new() }
    }
}

impl<S: Send + Sync + 'static> MessageProducers<S> {
    /// No producers, for explicit registration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every producer registered with `#[message_provider]` for `S`, and those that take no
    /// application state, from any crate linked in.
    ///
    /// ```
    /// use pact_core::message::{Message, MessageProducers, MessageRequest};
    /// use pact_core::message_provider;
    ///
    /// struct AppState;
    ///
    /// #[message_provider("an order created event")]
    /// fn order_created(app: &AppState, request: &MessageRequest) -> Message {
    ///     let _ = (app, request);
    ///     Message::from_bytes(br#"{"id": 7}"#, "application/json").with_metadata("topic", "orders")
    /// }
    ///
    /// let producers = MessageProducers::<AppState>::registered();
    /// assert!(producers.knows("an order created event"));
    /// ```
    pub fn registered() -> Self {
        let mut registry = Self::new();
        let mut sources: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
        for entry in inventory::iter::<MessageProducerEntry> {
            if entry.app_type.is_some_and(|t| t() != TypeId::of::<S>()) {
                continue;
            }
            let call = entry.call;
            let producer: Producer<S> = Arc::new(move |app: &S, request: &MessageRequest| {
                call(app as &(dyn Any + Send + Sync), request)
            });
            sources.entry(entry.description.to_string()).or_default().push(entry.function);
            registry.producers.insert(entry.description.to_string(), producer);
        }
        registry.duplicates = sources.into_iter().filter(|(_, functions)| functions.len() > 1).collect();
        registry
    }

    /// Registers a producer explicitly (replacing one registered for the same description).
    pub fn register<F, R>(mut self, description: &str, producer: F) -> Self
    where
        F: Fn(&S, &MessageRequest) -> R + Send + Sync + 'static,
        R: IntoMessages,
    {
        let producer: Producer<S> = Arc::new(move |app, request| {
            let result = producer(app, request).into_messages();
            Box::pin(async move { result })
        });
        self.duplicates.remove(description);
        self.producers.insert(description.to_string(), producer);
        self
    }

    /// Whether a producer exists for `description`.
    pub fn knows(&self, description: &str) -> bool {
        self.producers.contains_key(description)
    }

    /// The descriptions that have a producer, sorted.
    pub fn descriptions(&self) -> Vec<String> {
        self.producers.keys().cloned().collect()
    }

    /// Runs the producer of `request.description`.
    pub async fn produce(&self, app: &S, request: &MessageRequest) -> Result<Vec<Message>, ProduceError> {
        let description = &request.description;
        if let Some(functions) = self.duplicates.get(description) {
            return Err(ProduceError::Failed {
                description: description.clone(),
                message: format!(
                    "{} producers are registered for it ({}); keep one",
                    functions.len(),
                    functions.join(", ")
                ),
            });
        }
        match self.producers.get(description) {
            Some(producer) => producer(app, request)
                .await
                .map_err(|message| ProduceError::Failed { description: description.clone(), message }),
            None => {
                Err(ProduceError::Unknown { description: description.clone(), known: self.descriptions() })
            }
        }
    }
}
