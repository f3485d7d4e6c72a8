//! Message pacts, both sides.
//!
//! - The consumer (`MessagePact`, feature `consumer`) declares the messages it expects to
//!   receive, hands each example to its real handler, and writes the pact when all succeed.
//! - The provider (feature `provider`) registers producers with `#[message_provider]`: the
//!   functions that build the messages a service sends to its queues and topics with the
//!   service's own code, returning a [`Message`] (contents and metadata). See
//!   `MessageProducers::registered` for an example.
//!
//! The verifier runs them in-process (`Verifier::message_producers`), or asks a running service
//! over HTTP with the protocol of the official verifiers, which
//! `with_message_route` serves:
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
//! Registration is automatic, as for `#[provider_state]` (with `inventory`);
//! `MessageProducers::register` is the explicit fallback.

#[cfg(feature = "consumer")]
mod consumer;
mod produced;
#[cfg(feature = "provider")]
mod protocol;
#[cfg(feature = "provider")]
mod registry;
#[cfg(feature = "axum")]
mod route;
#[cfg(feature = "consumer")]
pub(crate) mod runtime;

#[cfg(feature = "consumer")]
pub use consumer::{MessageBuilder, MessageContractError, MessagePact, ReceivedMessage};
pub use produced::{IntoMessages, Message};
#[cfg(feature = "provider")]
pub use protocol::{decode_metadata, encode_metadata, MessageCall, MESSAGE_ROUTE, METADATA_HEADER};
#[cfg(feature = "provider")]
pub use registry::{MessageProducerEntry, MessageProducers, MessageRequest, ProduceError, ProduceFuture};
#[cfg(feature = "axum")]
pub use route::{with_message_route, with_message_route_from};
