//! Setting up and tearing down provider states: over HTTP (the state-change URL of any
//! provider), or in-process through the handlers registered with `#[provider_state]`.

use crate::model::ProviderState;
use crate::provider::{Action, Injected, StateCall, StateRegistry};

use super::fetch::{describe_reqwest, read_capped};
use super::target::BoxFuture;
use super::CallError;

/// The largest answer a state-change call may give: it is a JSON object of values to inject.
const MAX_STATE_ANSWER_BYTES: u64 = 4 << 20;

/// Brings provider states about.
pub trait StateSetup: Send + Sync {
    /// Sets up (or tears down) one state for `consumer`'s pact; returns the values to inject.
    fn call<'a>(
        &'a self,
        consumer: &'a str,
        state: &'a ProviderState,
        action: Action,
    ) -> BoxFuture<'a, Result<Injected, CallError>>;

    /// The states this setup handles, when it knows them in advance (in-process handlers do;
    /// a URL does not). The verifier checks every state of the pacts against it before sending
    /// any request.
    fn known_states(&self) -> Option<Vec<String>> {
        None
    }

    /// Whether teardowns should be sent.
    fn wants_teardown(&self) -> bool {
        true
    }
}

/// A provider's state-change URL, called with `POST` and the union of both protocols' bodies.
///
/// The URL is parsed and checked once; redirects are not followed (a state-change route that
/// redirects is an error, not a silent success), and answers over 4 MiB are refused.
pub struct HttpStates {
    url: reqwest::Url,
    client: reqwest::Client,
    teardown: bool,
    as_query: bool,
}

impl HttpStates {
    /// Calls `url` for setups, and for teardowns when `teardown` is set. (Providers written for
    /// the Ruby verifier know no teardown and would take one for a setup, so it is off by
    /// default on the command line.)
    pub fn new(url: &str, teardown: bool) -> Result<Self, CallError> {
        Self::with_tls(url, teardown, &crate::tls::TlsOptions::default())
    }

    /// As [`new`](Self::new), with these HTTPS options.
    pub fn with_tls(url: &str, teardown: bool, tls: &crate::tls::TlsOptions) -> Result<Self, CallError> {
        let url = super::url::parse_http_url(url, "the state-change URL").map_err(CallError::Url)?;
        // No redirect is followed, so the client stays on the URL's origin.
        let client = tls
            .build_client_for_origin(&url, |b| {
                b.tcp_nodelay(true).redirect(reqwest::redirect::Policy::none())
            })
            .map_err(|e| CallError::Client(e.to_string()))?;
        Ok(HttpStates { url, client, teardown, as_query: false })
    }

    /// Sends the state, the action and each param as query parameters of the `POST`, with no
    /// body, as pact_verifier_cli's `--state-change-as-query` does (params that are not strings
    /// are sent as JSON text).
    pub fn as_query(mut self, as_query: bool) -> Self {
        self.as_query = as_query;
        self
    }
}

impl StateSetup for HttpStates {
    fn call<'a>(
        &'a self,
        consumer: &'a str,
        state: &'a ProviderState,
        action: Action,
    ) -> BoxFuture<'a, Result<Injected, CallError>> {
        Box::pin(async move {
            let body = StateCall::body(&state.name, &state.params, action, consumer);
            let fail = |e: reqwest::Error| {
                CallError::Transport(format!("POST {} failed: {}", self.url, describe_reqwest(&e)))
            };
            let request = if self.as_query {
                let mut url = self.url.clone();
                {
                    let mut query = url.query_pairs_mut();
                    query.append_pair("state", &state.name).append_pair("action", action.as_str());
                    for (key, value) in &state.params {
                        match value {
                            serde_json::Value::String(text) => query.append_pair(key, text),
                            other => query.append_pair(key, &other.to_string()),
                        };
                    }
                }
                self.client.post(url)
            } else {
                self.client.post(self.url.clone()).json(&body)
            };
            let response = request.send().await.map_err(fail)?;
            let status = response.status();
            let what = format!("the answer of POST {}", self.url);
            let bytes = read_capped(
                response,
                MAX_STATE_ANSWER_BYTES,
                &what,
                "a state-change answer holds values to inject",
            )
            .await?;
            if !status.is_success() {
                let text = String::from_utf8_lossy(&bytes);
                let text: String = text.chars().take(300).collect();
                return Err(CallError::Status(format!("POST {} answered {status}: {text}", self.url)));
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(Injected::new());
            }
            // A JSON object is injected; anything else is ignored, as the official verifiers do.
            Ok(match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(serde_json::Value::Object(map)) => map,
                _ => Injected::new(),
            })
        })
    }

    fn wants_teardown(&self) -> bool {
        self.teardown
    }
}

/// In-process handlers for the application state `S`.
pub struct RegistryStates<S> {
    app: S,
    registry: StateRegistry<S>,
}

impl<S: Send + Sync + 'static> RegistryStates<S> {
    /// The handlers registered with `#[provider_state]` for `S`, called with `app`.
    pub fn registered(app: S) -> Self {
        RegistryStates { app, registry: StateRegistry::registered() }
    }

    /// Explicitly registered handlers, called with `app`.
    pub fn new(app: S, registry: StateRegistry<S>) -> Self {
        RegistryStates { app, registry }
    }
}

impl<S: Send + Sync + 'static> StateSetup for RegistryStates<S> {
    fn call<'a>(
        &'a self,
        _consumer: &'a str,
        state: &'a ProviderState,
        action: Action,
    ) -> BoxFuture<'a, Result<Injected, CallError>> {
        Box::pin(async move { Ok(self.registry.run(&self.app, &state.name, &state.params, action).await?) })
    }

    fn known_states(&self) -> Option<Vec<String>> {
        Some(self.registry.names())
    }
}
