//! Provider states on the provider's side: handlers registered with `#[provider_state]`, the
//! dispatch of a state-change call to them, and the `POST /_pact/provider_states` route.
//!
//! A handler is an ordinary function, sync or async, that receives the service's state (any
//! `Send + Sync + 'static` type, such as `AppState`) and the state's V3 parameters, and may
//! return values that the verifier injects into the request:
//!
//! ```
//! use pact_core::provider::{Params, StateRegistry};
//! use pact_core::provider_state;
//! use std::sync::Mutex;
//!
//! #[derive(Default)]
//! struct AppState { users: Mutex<Vec<String>> }
//!
//! #[provider_state("a user exists")]
//! fn a_user_exists(app: &AppState, params: &Params) -> serde_json::Value {
//!     let name = params.get("name").and_then(|n| n.as_str()).unwrap_or("UserA").to_string();
//!     app.users.lock().unwrap().push(name.clone());
//!     serde_json::json!({ "name": name })
//! }
//!
//! #[provider_state("a user exists", teardown)]
//! fn no_more_users(app: &AppState) {
//!     app.users.lock().unwrap().clear();
//! }
//!
//! let registry = StateRegistry::<AppState>::registered();
//! assert!(registry.knows("a user exists"));
//! ```
//!
//! Registration is automatic: the macro submits each handler to a process-wide list
//! ([`inventory`], which runs a constructor before `main` on Linux, macOS, Windows, the BSDs and
//! wasm). [`StateRegistry::register`] is the explicit fallback for platforms or builds where
//! that does not work, and for closures.
//!
//! The state-change protocol accepts both bodies the official verifiers send: the Rust core's
//! `{"state", "params", "action": "setup" | "teardown"}` (pact_verifier_cli, pact-js, pact-python
//! 3+) and the Ruby verifier's `{"consumer", "state", "states", "params"}`, where no action means
//! setup.

use std::any::{Any, TypeId};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::{json, Map, Value};

/// The parameters of a provider state (V3 `params`).
pub type Params = Map<String, Value>;

/// Values a setup handler returns for the verifier to inject into the request.
pub type Injected = Map<String, Value>;

/// A boxed future of a handler's result.
pub type HandlerFuture<'a> = Pin<Box<dyn Future<Output = Result<Injected, String>> + Send + 'a>>;

/// Setup or teardown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Bring the state about before the interaction.
    Setup,
    /// Undo it afterwards.
    Teardown,
}

impl Action {
    /// `"setup"` or `"teardown"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Setup => "setup",
            Action::Teardown => "teardown",
        }
    }
}

/// A handler registered by `#[provider_state]`; built by the macro.
#[doc(hidden)]
pub struct StateHandlerEntry {
    pub name: &'static str,
    pub action: Action,
    pub app_type: fn() -> TypeId,
    pub app_type_name: &'static str,
    pub function: &'static str,
    pub call: for<'a> fn(&'a (dyn Any + Send + Sync), &'a Params) -> HandlerFuture<'a>,
}

inventory::collect!(StateHandlerEntry);

/// What a handler may return: nothing, a JSON object (or `Value`) of injected values, or a
/// `Result` of those whose error fails the state setup.
pub trait IntoStateResult {
    /// The injected values, or why the state could not be set up.
    fn into_state_result(self) -> Result<Injected, String>;
}

impl IntoStateResult for () {
    fn into_state_result(self) -> Result<Injected, String> {
        Ok(Injected::new())
    }
}

impl IntoStateResult for Injected {
    fn into_state_result(self) -> Result<Injected, String> {
        Ok(self)
    }
}

impl IntoStateResult for Value {
    fn into_state_result(self) -> Result<Injected, String> {
        match self {
            Value::Object(map) => Ok(map),
            Value::Null => Ok(Injected::new()),
            other => Err(format!("a provider-state handler must return a JSON object, not {other}")),
        }
    }
}

impl<T: IntoStateResult, E: std::fmt::Display> IntoStateResult for Result<T, E> {
    fn into_state_result(self) -> Result<Injected, String> {
        self.map_err(|e| e.to_string()).and_then(IntoStateResult::into_state_result)
    }
}

type Handler<S> = Arc<dyn for<'a> Fn(&'a S, &'a Params) -> HandlerFuture<'a> + Send + Sync>;

/// The provider-state handlers for one application state type `S`.
pub struct StateRegistry<S> {
    handlers: BTreeMap<(String, bool), Handler<S>>,
    /// States with more than one automatically registered handler: running them is an error,
    /// since which handler would win depends on link order.
    duplicates: BTreeMap<(String, bool), Vec<&'static str>>,
}

impl<S> Clone for StateRegistry<S> {
    fn clone(&self) -> Self {
        StateRegistry { handlers: self.handlers.clone(), duplicates: self.duplicates.clone() }
    }
}

impl<S: Send + Sync + 'static> Default for StateRegistry<S> {
    fn default() -> Self {
        StateRegistry { handlers: BTreeMap::new(), duplicates: BTreeMap::new() }
    }
}

impl<S: Send + Sync + 'static> StateRegistry<S> {
    /// An empty registry, for explicit registration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every handler registered with `#[provider_state]` for `S`, from any crate linked in.
    pub fn registered() -> Self {
        let mut registry = Self::new();
        let mut sources: BTreeMap<(String, bool), Vec<&'static str>> = BTreeMap::new();
        for entry in inventory::iter::<StateHandlerEntry> {
            if (entry.app_type)() != TypeId::of::<S>() {
                continue;
            }
            let call = entry.call;
            let handler: Handler<S> =
                Arc::new(move |app: &S, params: &Params| call(app as &(dyn Any + Send + Sync), params));
            let key = (entry.name.to_string(), entry.action == Action::Teardown);
            sources.entry(key.clone()).or_default().push(entry.function);
            registry.handlers.insert(key, handler);
        }
        registry.duplicates = sources.into_iter().filter(|(_, functions)| functions.len() > 1).collect();
        registry
    }

    /// Registers a setup handler explicitly.
    pub fn register<F, R>(self, name: &str, handler: F) -> Self
    where
        F: Fn(&S, &Params) -> R + Send + Sync + 'static,
        R: IntoStateResult,
    {
        self.insert(name, Action::Setup, handler)
    }

    /// Registers a teardown handler explicitly.
    pub fn register_teardown<F, R>(self, name: &str, handler: F) -> Self
    where
        F: Fn(&S, &Params) -> R + Send + Sync + 'static,
        R: IntoStateResult,
    {
        self.insert(name, Action::Teardown, handler)
    }

    fn insert<F, R>(mut self, name: &str, action: Action, handler: F) -> Self
    where
        F: Fn(&S, &Params) -> R + Send + Sync + 'static,
        R: IntoStateResult,
    {
        let handler: Handler<S> = Arc::new(move |app, params| {
            let result = handler(app, params).into_state_result();
            Box::pin(async move { result })
        });
        self.handlers.insert((name.to_string(), action == Action::Teardown), handler);
        self
    }

    /// Whether a setup handler exists for `name`.
    pub fn knows(&self, name: &str) -> bool {
        self.handlers.contains_key(&(name.to_string(), false))
    }

    /// The names of the states with a setup handler, sorted.
    pub fn names(&self) -> Vec<String> {
        self.handlers.keys().filter(|(_, teardown)| !teardown).map(|(name, _)| name.clone()).collect()
    }

    /// Runs the handler for a state. A teardown with no handler does nothing; a setup with no
    /// handler is [`StateError::Unknown`].
    pub async fn run(
        &self,
        app: &S,
        name: &str,
        params: &Params,
        action: Action,
    ) -> Result<Injected, StateError> {
        let key = (name.to_string(), action == Action::Teardown);
        if let Some(functions) = self.duplicates.get(&key) {
            return Err(StateError::Failed {
                state: name.to_string(),
                message: format!(
                    "{} {} handlers are registered for it ({}); keep one",
                    functions.len(),
                    action.as_str(),
                    functions.join(", ")
                ),
            });
        }
        match self.handlers.get(&key) {
            Some(handler) => handler(app, params)
                .await
                .map_err(|message| StateError::Failed { state: name.to_string(), message }),
            None if action == Action::Teardown => Ok(Injected::new()),
            None => Err(StateError::Unknown { state: name.to_string(), known: self.names() }),
        }
    }

    /// Handles the body of a state-change call in either protocol, returning the HTTP status
    /// and the JSON body to answer with.
    pub async fn handle(&self, app: &S, body: &[u8]) -> (u16, Value) {
        let call = match StateCall::parse(body) {
            Ok(call) => call,
            Err(message) => return (400, json!({ "error": message })),
        };
        let mut injected = Injected::new();
        for state in &call.states {
            match self.run(app, state, &call.params, call.action).await {
                Ok(values) => injected.extend(values),
                Err(e @ StateError::Unknown { .. }) => {
                    return (400, json!({ "error": e.to_string(), "known_states": self.names() }))
                }
                Err(e) => return (500, json!({ "error": e.to_string() })),
            }
        }
        (200, Value::Object(injected))
    }
}

/// Why a provider state could not be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// No handler is registered for the state.
    #[error("no handler for the provider state {state:?}; the registered states are: {}", list(known))]
    Unknown {
        /// The state asked for.
        state: String,
        /// The states that have handlers.
        known: Vec<String>,
    },
    /// The handler failed.
    #[error("the handler of the provider state {state:?} failed: {message}")]
    Failed {
        /// The state.
        state: String,
        /// The handler's error.
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

/// A state-change call, read from either protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct StateCall {
    /// The states to set up or tear down, in order.
    pub states: Vec<String>,
    /// Their parameters.
    pub params: Params,
    /// Setup or teardown.
    pub action: Action,
    /// The consumer, when the caller says.
    pub consumer: Option<String>,
}

impl StateCall {
    /// Reads `{"state", "params", "action"}` (Rust core) or `{"consumer", "state", "states",
    /// "params"}` (Ruby); a missing action is a setup.
    ///
    /// ```
    /// use pact_core::provider::{Action, StateCall};
    ///
    /// let rust = StateCall::parse(br#"{"state": "UserA exists", "params": {"a": 1}, "action": "teardown"}"#).unwrap();
    /// assert_eq!((rust.states, rust.action), (vec!["UserA exists".to_string()], Action::Teardown));
    /// let ruby = StateCall::parse(br#"{"consumer": "C", "state": "UserA exists", "states": ["UserA exists"], "params": {}}"#).unwrap();
    /// assert_eq!((ruby.states.len(), ruby.action), (1, Action::Setup));
    /// ```
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let value: Value =
            serde_json::from_slice(body).map_err(|e| format!("the state-change body is not JSON: {e}"))?;
        let obj = value.as_object().ok_or("the state-change body must be a JSON object")?;
        let mut states: Vec<String> = Vec::new();
        if let Some(state) = obj.get("state").and_then(Value::as_str) {
            states.push(state.to_string());
        }
        if let Some(list) = obj.get("states").and_then(Value::as_array) {
            for state in list.iter().filter_map(Value::as_str) {
                if !states.iter().any(|s| s == state) {
                    states.push(state.to_string());
                }
            }
        }
        if states.is_empty() {
            return Err("the state-change body names no state (expected \"state\" or \"states\")".into());
        }
        let params = match obj.get("params") {
            Some(Value::Object(p)) => p.clone(),
            None | Some(Value::Null) => Params::new(),
            Some(_) => return Err("\"params\" must be a JSON object".into()),
        };
        let action = match obj.get("action").and_then(Value::as_str) {
            None | Some("setup") => Action::Setup,
            Some("teardown") => Action::Teardown,
            Some(other) => {
                return Err(format!("unknown action {other:?}; expected \"setup\" or \"teardown\""))
            }
        };
        let consumer = obj.get("consumer").and_then(Value::as_str).map(str::to_string);
        Ok(StateCall { states, params, action, consumer })
    }

    /// The body this verifier sends: the union of both protocols' fields, so that providers
    /// written for either understand it.
    pub fn body(state: &str, params: &Params, action: Action, consumer: &str) -> Value {
        json!({
            "state": state,
            "states": [state],
            "params": params,
            "action": action.as_str(),
            "consumer": consumer,
        })
    }
}

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
#[cfg(feature = "axum")]
pub fn with_state_route<S: Clone + Send + Sync + 'static>(router: axum::Router<S>) -> axum::Router<S> {
    let registry = StateRegistry::<S>::registered();
    with_state_route_from(router, registry)
}

/// Like [`with_state_route`], with an explicit registry.
#[cfg(feature = "axum")]
pub fn with_state_route_from<S: Clone + Send + Sync + 'static>(
    router: axum::Router<S>,
    registry: StateRegistry<S>,
) -> axum::Router<S> {
    use axum::extract::State;
    let registry = Arc::new(registry);
    router.route(
        STATE_ROUTE,
        axum::routing::post(move |State(app): State<S>, body: axum::body::Bytes| {
            let registry = registry.clone();
            async move {
                let (status, body) = registry.handle(&app, &body).await;
                let status = axum::http::StatusCode::from_u16(status)
                    .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
                (status, axum::Json(body))
            }
        }),
    )
}

/// The path of the state-change route.
pub const STATE_ROUTE: &str = "/_pact/provider_states";

#[cfg(test)]
mod tests {
    use super::*;

    struct App;

    #[crate::provider_state("twice")]
    fn first(_app: &App) {}

    #[crate::provider_state("twice")]
    fn second(_app: &App) {}

    #[crate::provider_state("once")]
    fn only(_app: &App) -> Value {
        json!({"ok": true})
    }

    /// Runs a future that is ready at once (sync handlers are).
    fn now<T>(future: impl Future<Output = T>) -> T {
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        match std::pin::pin!(future).poll(&mut context) {
            std::task::Poll::Ready(value) => value,
            std::task::Poll::Pending => panic!("the handler did not finish at once"),
        }
    }

    #[test]
    fn a_state_registered_twice_fails_naming_both_handlers() {
        let registry = StateRegistry::<App>::registered();
        let err = now(registry.run(&App, "twice", &Params::new(), Action::Setup)).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("2 setup handlers are registered"), "{text}");
        assert!(
            text.contains("provider::tests::first") && text.contains("provider::tests::second"),
            "{text}"
        );
        let ok = now(registry.run(&App, "once", &Params::new(), Action::Setup)).unwrap();
        assert_eq!(ok["ok"], true);
    }
}
