//! The message endpoint as an axum route: `POST /_pact/messages`, answering each verifier's call
//! with the message a registered producer builds.

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::protocol::{encode_metadata, MessageCall, MESSAGE_ROUTE, METADATA_HEADER};
use super::registry::{MessageProducers, MessageRequest, ProduceError};

/// Mounts `POST /_pact/messages`, which produces messages with the producers registered for the
/// router's state type, for `pact verify --message-url` and for the official verifiers
/// (`pact_verifier_cli --transports message:PORT/_pact/messages`).
///
/// Mount it only when the service runs for contract tests: it runs the service's code on
/// anyone's request.
///
/// ```
/// # #[derive(Clone, Default)] struct AppState;
/// let app: axum::Router<AppState> = axum::Router::new();
/// let app = pact_core::message::with_message_route(app);
/// # let _ = app;
/// ```
///
/// The answer is the message's contents with their content type, and its metadata in the
/// `Pact-Message-Metadata` header; a synchronous message's producer must give one response here.
/// A call that is not a message call is a 400, an unknown description a 404 naming the known
/// ones, a producer that fails a 500 with its error.
pub fn with_message_route<S: Clone + Send + Sync + 'static>(router: axum::Router<S>) -> axum::Router<S> {
    with_message_route_from(router, MessageProducers::<S>::registered())
}

/// Like [`with_message_route`], with an explicit set of producers.
pub fn with_message_route_from<S: Clone + Send + Sync + 'static>(
    router: axum::Router<S>,
    producers: MessageProducers<S>,
) -> axum::Router<S> {
    use axum::extract::State;
    let producers = Arc::new(producers);
    router.route(
        MESSAGE_ROUTE,
        axum::routing::post(move |State(app): State<S>, body: axum::body::Bytes| {
            let producers = producers.clone();
            async move { answer(&producers, &app, &body).await }
        }),
    )
}

async fn answer<S: Send + Sync + 'static>(producers: &MessageProducers<S>, app: &S, body: &[u8]) -> Response {
    let error = |status: StatusCode, value: serde_json::Value| (status, axum::Json(value)).into_response();
    let call = match MessageCall::parse(body) {
        Ok(call) => call,
        Err(message) => return error(StatusCode::BAD_REQUEST, json!({ "error": message })),
    };
    let request = MessageRequest::from_call(&call);
    let mut messages = match producers.produce(app, &request).await {
        Ok(messages) => messages,
        Err(e @ ProduceError::Unknown { .. }) => {
            return error(
                StatusCode::NOT_FOUND,
                json!({ "error": e.to_string(), "known_messages": producers.descriptions() }),
            )
        }
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, json!({ "error": e.to_string() })),
    };
    if messages.len() != 1 {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({ "error": format!(
                "the producer of {:?} gave {} messages; over HTTP a message call is answered with exactly one \
                 (verify synchronous messages with several responses in process)",
                call.description,
                messages.len()
            ) }),
        );
    }
    let message = messages.remove(0);
    let mut response = message.contents.to_bytes().into_response();
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_TYPE);
    if let Some(value) = message.content_type().and_then(|ct| HeaderValue::from_str(ct).ok()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if !message.metadata.is_empty() {
        if let Ok(value) = HeaderValue::from_str(&encode_metadata(&message.metadata)) {
            headers.insert(METADATA_HEADER, value);
        }
    }
    response
}
