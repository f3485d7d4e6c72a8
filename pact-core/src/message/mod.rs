//! Message producers on the provider's side: the functions that build the messages a service
//! sends to its queues and topics, registered with `#[message_provider]`, and the HTTP endpoint
//! the verifiers ask them through.
//!
//! A producer is an ordinary function, sync or async, that builds a message with the service's
//! own code and returns it as a [`Message`] (contents and metadata):
//!
//! ```
//! use pact_core::message::{Message, MessageProducers, MessageRequest};
//! use pact_core::message_provider;
//!
//! struct AppState;
//!
//! #[message_provider("an order created event")]
//! fn order_created(app: &AppState, request: &MessageRequest) -> Message {
//!     let _ = (app, request);
//!     Message::from_bytes(br#"{"id": 7}"#, "application/json").with_metadata("topic", "orders")
//! }
//!
//! let producers = MessageProducers::<AppState>::registered();
//! assert!(producers.knows("an order created event"));
//! ```
//!
//! The verifier runs them in-process (`Verifier::message_producers`), or asks a running service
//! over HTTP with the protocol of the official verifiers, which
//! [`with_message_route`](route::with_message_route) serves:
//!
//! - the verifier `POST`s `{"description", "providerStates": [{"name", "params"}]}` (the states
//!   only when there are some) to the message endpoint; for a synchronous message (V4) the body
//!   also holds `"request"`, the request message as the pact writes it (`contents`, `metadata`,
//!   `matchingRules`, `generators`);
//! - the provider answers `2xx` with the message's contents as the body, their content type as
//!   `Content-Type`, and the metadata as base64 of a JSON object in the `Pact-Message-Metadata`
//!   header. The verifier reads `contentType` from the `Content-Type` header, and then every key
//!   of that object.
//!
//! Registration is automatic, as for `#[provider_state]` ([`inventory`]);
//! [`MessageProducers::register`] is the explicit fallback.

mod produced;
mod protocol;
mod registry;
#[cfg(feature = "axum")]
mod route;

pub use produced::{IntoMessages, Message};
pub use protocol::{decode_metadata, encode_metadata, MessageCall, MESSAGE_ROUTE, METADATA_HEADER};
pub use registry::{MessageProducerEntry, MessageProducers, MessageRequest, ProduceError, ProduceFuture};
#[cfg(feature = "axum")]
pub use route::{with_message_route, with_message_route_from};
