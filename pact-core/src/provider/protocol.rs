//! The state-change protocol: the bodies (and query strings) that verifiers send, and the body
//! this crate's verifier sends.

use serde_json::{json, Value};

use super::{Action, Params};

/// Why a state-change call cannot be read: its body is not JSON, not an object, or a field has the
/// wrong type. The route answers it with a 400 whose `error` is this message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The body is not JSON.
    #[error("the state-change body is not JSON: {0}")]
    NotJson(String),
    /// The body is JSON, but not an object.
    #[error("the state-change body must be a JSON object")]
    NotObject,
    /// The body names no state.
    #[error("the state-change body names no state (expected \"state\" or \"states\")")]
    NoState,
    /// A field has the wrong type or value.
    #[error("\"{field}\" must be {expected}, not {found}")]
    Field {
        /// The field, such as `states[1]`.
        field: String,
        /// What it must be.
        expected: &'static str,
        /// What it is.
        found: String,
    },
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
    pub fn parse(body: &[u8]) -> Result<Self, ProtocolError> {
        let value: Value = serde_json::from_slice(body).map_err(|e| ProtocolError::NotJson(e.to_string()))?;
        let obj = value.as_object().ok_or(ProtocolError::NotObject)?;
        let wrong = |field: &str, expected: &'static str, found: &Value| ProtocolError::Field {
            field: field.to_string(),
            expected,
            found: crate::model::json::describe(found),
        };
        let optional_str = |field: &str| -> Result<Option<&str>, ProtocolError> {
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
            return Err(ProtocolError::NoState);
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
                return Err(ProtocolError::Field {
                    field: "action".into(),
                    expected: "\"setup\" or \"teardown\"",
                    found: format!("{other:?}"),
                })
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
    pub fn from_query(query: &str) -> Result<Self, ProtocolError> {
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
