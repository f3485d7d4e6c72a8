//! The axum route `POST /_pact/provider_states`, joining the protocol and the registry.

use std::sync::Arc;

use serde_json::json;

use super::{StateCall, StateRegistry, STATE_ROUTE};

/// The axum route: `POST /_pact/provider_states`, dispatching to the handlers registered for
/// the router's state type.
///
/// Mount it only when the service runs for contract tests: anyone who can call it can reset the
/// service's data.
///
/// ```
/// # #[derive(Clone, Default)] struct AppState;
/// let app: axum::Router<AppState> = axum::Router::new();
/// let app = pact_core::provider::with_state_route(app);
/// # let _ = app;
/// ```
pub fn with_state_route<S: Clone + Send + Sync + 'static>(router: axum::Router<S>) -> axum::Router<S> {
    let registry = StateRegistry::<S>::registered();
    with_state_route_from(router, registry)
}

/// Like [`with_state_route`], with an explicit registry.
pub fn with_state_route_from<S: Clone + Send + Sync + 'static>(
    router: axum::Router<S>,
    registry: StateRegistry<S>,
) -> axum::Router<S> {
    use axum::extract::State;
    let registry = Arc::new(registry);
    router.route(
        STATE_ROUTE,
        axum::routing::post(
            move |State(app): State<S>, query: axum::extract::RawQuery, body: axum::body::Bytes| {
                let registry = registry.clone();
                async move {
                    // A call with no body and the state in the query (`--state-change-as-query`).
                    let query_call = query.0.filter(|_| body.iter().all(u8::is_ascii_whitespace));
                    let (status, body) = match query_call {
                        Some(query) => match StateCall::from_query(&query) {
                            Ok(call) => registry.handle_call(&app, call).await,
                            Err(error) => (400, json!({ "error": error.to_string() })),
                        },
                        None => registry.handle(&app, &body).await,
                    };
                    let status = axum::http::StatusCode::from_u16(status)
                        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
                    (status, axum::Json(body))
                }
            },
        ),
    )
}
