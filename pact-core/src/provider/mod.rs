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
//!
//! The module is split by job: `registry` holds the handlers and runs them, `protocol` reads and
//! writes state-change calls, and `route` is the axum route that joins the two.

mod protocol;
mod registry;
#[cfg(feature = "axum")]
mod route;

use serde_json::{Map, Value};

pub use protocol::{ProtocolError, StateCall};
#[doc(hidden)]
pub use registry::StateHandlerEntry;
pub use registry::{HandlerFuture, IntoStateResult, StateError, StateRegistry};
#[cfg(feature = "axum")]
pub use route::{with_state_route, with_state_route_from};

/// The parameters of a provider state (V3 `params`).
pub type Params = Map<String, Value>;

/// Values a setup handler returns for the verifier to inject into the request.
pub type Injected = Map<String, Value>;

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

/// The path of the state-change route.
pub const STATE_ROUTE: &str = "/_pact/provider_states";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::future::Future;

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
