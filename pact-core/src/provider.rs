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
pub type HandlerFuture<'a> = Pin<Box<dyn Future<Output = Result<Injected, HandlerError>> + Send + 'a>>;

/// Why a handler did not set its state up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HandlerError {
    /// A parameter the handler needs is missing or has the wrong type: the caller's mistake, so
    /// the state route answers 400.
    #[error(transparent)]
    BadParam(#[from] ParamError),
    /// The handler failed (the route answers 500).
    #[error("{0}")]
    Failed(String),
}

impl From<String> for HandlerError {
    fn from(message: String) -> Self {
        HandlerError::Failed(message)
    }
}

impl From<&str> for HandlerError {
    fn from(message: &str) -> Self {
        HandlerError::Failed(message.to_string())
    }
}

/// A provider-state parameter is missing or has the wrong type.
///
/// Returned by [`param`] and [`optional_param`]; a handler that returns it (with `?`) makes the
/// state route answer 400 naming the parameter, instead of 500.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the provider-state parameter {name:?} {problem}")]
pub struct ParamError {
    /// The parameter.
    pub name: String,
    /// What is wrong with it: `is missing`, `must be a string, not 5`...
    pub problem: String,
}

/// Reads a required parameter of a provider state.
///
/// ```
/// use pact_core::provider::{param, optional_param, Params, ParamError};
/// use serde_json::json;
///
/// fn a_user_exists(params: &Params) -> Result<(String, bool), ParamError> {
///     let name: String = param(params, "name")?;
///     let admin = optional_param(params, "admin")?.unwrap_or(false);
///     Ok((name, admin))
/// }
///
/// let params = json!({"name": "UserA"}).as_object().unwrap().clone();
/// assert_eq!(a_user_exists(&params).unwrap(), ("UserA".to_string(), false));
/// let err = a_user_exists(&json!({"name": 5}).as_object().unwrap().clone()).unwrap_err();
/// assert_eq!(err.to_string(), "the provider-state parameter \"name\" has the wrong type (5: invalid type: integer `5`, expected a string)");
/// assert_eq!(a_user_exists(&Params::new()).unwrap_err().problem, "is missing");
/// ```
pub fn param<T: serde::de::DeserializeOwned>(params: &Params, name: &str) -> Result<T, ParamError> {
    optional_param(params, name)?
        .ok_or_else(|| ParamError { name: name.to_string(), problem: "is missing".into() })
}

/// Reads an optional parameter of a provider state: `None` when it is absent or `null`.
pub fn optional_param<T: serde::de::DeserializeOwned>(
    params: &Params,
    name: &str,
) -> Result<Option<T>, ParamError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => T::deserialize(value).map(Some).map_err(|e| ParamError {
            name: name.to_string(),
            problem: format!("has the wrong type ({}: {e})", crate::model::json::describe(value)),
        }),
    }
}

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
/// `Result` of those whose error fails the state setup. A [`ParamError`] (or a
/// [`HandlerError::BadParam`]) as the error makes the state route answer 400 instead of 500.
pub trait IntoStateResult {
    /// The injected values, or why the state could not be set up.
    fn into_state_result(self) -> Result<Injected, HandlerError>;
}

impl IntoStateResult for () {
    fn into_state_result(self) -> Result<Injected, HandlerError> {
        Ok(Injected::new())
    }
}

impl IntoStateResult for Injected {
    fn into_state_result(self) -> Result<Injected, HandlerError> {
        Ok(self)
    }
}

impl IntoStateResult for Value {
    fn into_state_result(self) -> Result<Injected, HandlerError> {
        match self {
            Value::Object(map) => Ok(map),
            Value::Null => Ok(Injected::new()),
            other => Err(HandlerError::Failed(format!(
                "a provider-state handler must return a JSON object, not {other}"
            ))),
        }
    }
}

impl<T: IntoStateResult, E: std::fmt::Display + 'static> IntoStateResult for Result<T, E> {
    fn into_state_result(self) -> Result<Injected, HandlerError> {
        match self {
            Ok(value) => value.into_state_result(),
            Err(e) => {
                let any: &dyn Any = &e;
                Err(match (any.downcast_ref::<ParamError>(), any.downcast_ref::<HandlerError>()) {
                    (Some(param), _) => HandlerError::BadParam(param.clone()),
                    (_, Some(handler)) => handler.clone(),
                    _ => HandlerError::Failed(e.to_string()),
                })
            }
        }
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
            Some(handler) => handler(app, params).await.map_err(|e| match e {
                HandlerError::BadParam(error) => StateError::BadParam { state: name.to_string(), error },
                HandlerError::Failed(message) => StateError::Failed { state: name.to_string(), message },
            }),
            None if action == Action::Teardown => Ok(Injected::new()),
            None => Err(StateError::Unknown { state: name.to_string(), known: self.names() }),
        }
    }

    /// Checks, before anything runs, that every state of a call can run: a setup needs a
    /// handler, and no state may have two.
    fn check(&self, call: &StateCall) -> Result<(), StateError> {
        for state in &call.states {
            let key = (state.clone(), call.action == Action::Teardown);
            if let Some(functions) = self.duplicates.get(&key) {
                return Err(StateError::Failed {
                    state: state.clone(),
                    message: format!(
                        "{} {} handlers are registered for it ({}); keep one",
                        functions.len(),
                        call.action.as_str(),
                        functions.join(", ")
                    ),
                });
            }
            if call.action == Action::Setup && !self.handlers.contains_key(&key) {
                return Err(StateError::Unknown { state: state.clone(), known: self.names() });
            }
        }
        Ok(())
    }

    /// Handles the body of a state-change call in either protocol, returning the HTTP status
    /// and the JSON body to answer with.
    ///
    /// A call the caller got wrong is a 400 that names what is wrong, and applies nothing: a body
    /// that is not a state-change call, a field of the wrong type, an unknown state (every state
    /// is checked before any handler runs), a parameter a handler rejects with a [`ParamError`].
    /// A handler that fails is a 500. When a handler fails, the states this call set up before
    /// it are torn down again (by their teardown handlers, where there are any), in reverse order.
    pub async fn handle(&self, app: &S, body: &[u8]) -> (u16, Value) {
        match StateCall::parse(body) {
            Ok(call) => self.handle_call(app, call).await,
            Err(message) => (400, json!({ "error": message })),
        }
    }

    /// As [`handle`](Self::handle), for a call already read (from a body or a query string).
    pub async fn handle_call(&self, app: &S, call: StateCall) -> (u16, Value) {
        match self.check(&call) {
            Ok(()) => {}
            Err(e @ StateError::Unknown { .. }) => {
                return (400, json!({ "error": e.to_string(), "known_states": self.names() }))
            }
            Err(e) => return (500, json!({ "error": e.to_string() })),
        }
        let mut injected = Injected::new();
        for (done, state) in call.states.iter().enumerate() {
            let error = match self.run(app, state, &call.params, call.action).await {
                Ok(values) => {
                    injected.extend(values);
                    continue;
                }
                Err(error) => error,
            };
            if call.action == Action::Setup {
                for earlier in call.states[..done].iter().rev() {
                    if let Err(e) = self.run(app, earlier, &call.params, Action::Teardown).await {
                        tracing::warn!(state = %earlier, error = %e, "undoing a provider state failed");
                    }
                }
            }
            return match error {
                StateError::BadParam { error: ref param, .. } => {
                    (400, json!({ "error": error.to_string(), "parameter": param.name }))
                }
                other => (500, json!({ "error": other.to_string() })),
            };
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
    /// The handler rejected a parameter.
    #[error("provider state {state:?}: {error}")]
    BadParam {
        /// The state.
        state: String,
        /// The parameter and what is wrong with it.
        error: ParamError,
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
        let wrong = |field: &str, expected: &str, found: &Value| {
            format!("\"{field}\" must be {expected}, not {}", crate::model::json::describe(found))
        };
        let optional_str = |field: &str| -> Result<Option<&str>, String> {
            match obj.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.as_str())),
                Some(other) => Err(wrong(field, "a string", other)),
            }
        };
        // An empty name is how the Rust core's verifiers call for an interaction that has no
        // provider state (`{"state": "", "action": "setup"}`): a call with nothing to do.
        let mut states: Vec<String> = Vec::new();
        let named = obj.contains_key("state") || obj.contains_key("states");
        if let Some(state) = optional_str("state")?.filter(|s| !s.is_empty()) {
            states.push(state.to_string());
        }
        match obj.get("states") {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) => {
                for (i, state) in list.iter().enumerate() {
                    let state =
                        state.as_str().ok_or_else(|| wrong(&format!("states[{i}]"), "a string", state))?;
                    if !state.is_empty() && !states.iter().any(|s| s == state) {
                        states.push(state.to_string());
                    }
                }
            }
            Some(other) => return Err(wrong("states", "an array of state names", other)),
        }
        if !named {
            return Err("the state-change body names no state (expected \"state\" or \"states\")".into());
        }
        let params = match obj.get("params") {
            Some(Value::Object(p)) => p.clone(),
            None | Some(Value::Null) => Params::new(),
            Some(other) => return Err(wrong("params", "a JSON object", other)),
        };
        let action = match optional_str("action")? {
            None | Some("setup") => Action::Setup,
            Some("teardown") => Action::Teardown,
            Some(other) => {
                return Err(format!("\"action\" must be \"setup\" or \"teardown\", not {other:?}"))
            }
        };
        let consumer = optional_str("consumer")?.map(str::to_string);
        Ok(StateCall { states, params, action, consumer })
    }

    /// Reads a call sent as query parameters, as pact_verifier_cli's `--state-change-as-query`
    /// sends it: `state`, `action`, and every other parameter as a param (a string: the query
    /// cannot say more). An empty `state` is a call for an interaction without a state.
    ///
    /// ```
    /// use pact_core::provider::{Action, StateCall};
    ///
    /// let call = StateCall::from_query("state=a%20user%20exists&action=teardown&name=Ann").unwrap();
    /// assert_eq!((call.states, call.action), (vec!["a user exists".to_string()], Action::Teardown));
    /// assert_eq!(call.params["name"], "Ann");
    /// ```
    pub fn from_query(query: &str) -> Result<Self, String> {
        let mut body = serde_json::Map::new();
        let mut params = Params::new();
        for (key, value) in form_urlencoded_pairs(query) {
            match key.as_str() {
                "state" | "action" | "consumer" => {
                    body.insert(key, Value::String(value));
                }
                _ => {
                    params.insert(key, Value::String(value));
                }
            }
        }
        body.insert("params".into(), Value::Object(params));
        Self::parse(Value::Object(body).to_string().as_bytes())
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
        axum::routing::post(
            move |State(app): State<S>, query: axum::extract::RawQuery, body: axum::body::Bytes| {
                let registry = registry.clone();
                async move {
                    // A call with no body and the state in the query (`--state-change-as-query`).
                    let query_call = query.0.filter(|_| body.iter().all(u8::is_ascii_whitespace));
                    let (status, body) = match query_call {
                        Some(query) => match StateCall::from_query(&query) {
                            Ok(call) => registry.handle_call(&app, call).await,
                            Err(message) => (400, json!({ "error": message })),
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

/// `a=1&b=x%20y` as decoded pairs (`+` is a space; a `%` not followed by two hex digits stays).
fn form_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
    fn hex(byte: u8) -> Option<u8> {
        (byte as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
    }
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let escaped = match bytes.get(i..i + 3) {
                Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| h * 16 + l),
                _ => None,
            };
            match (escaped, bytes[i]) {
                (Some(byte), _) => {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                (None, b'+') => out.push(b' '),
                (None, other) => out.push(other),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) => (decode(key), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
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
