//! The provider-state handlers of one application state type: those `#[provider_state]`
//! registered (through `inventory`) and those registered explicitly, and running them for a
//! state-change call.

use std::any::{Any, TypeId};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::{json, Value};

use super::{Action, HandlerError, Injected, ParamError, Params, StateCall};

/// A boxed future of a handler's result.
pub type HandlerFuture<'a> = Pin<Box<dyn Future<Output = Result<Injected, HandlerError>> + Send + 'a>>;

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
            Err(error) => (400, json!({ "error": error.to_string() })),
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
