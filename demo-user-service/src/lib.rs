//! The demo provider: a user service, the Rust counterpart of the classic Flask user-app.
//!
//! - `GET /users/{name}`: `200` with `{"name", "id", "created_on", "admin"}`, or `404`.
//! - `GET /users?admin=<bool>&limit=<n>`: `{"users", "count", "admin_ratio", "generated_at", "service"}`
//!   with an `X-Request-Id` header.
//! - `POST /users` with `{"name", "admin"}`: `201` with the user and a `Location` header.
//! - `POST /_pact/provider_states` and `POST /_pact/messages`: only when the service runs for
//!   contract tests (see [`app`]).
//!
//! Users live in an in-memory store held in the app state. Creating a user publishes a
//! `UserCreated` event (see [`user_created_event`]) to an in-memory queue ([`AppState::events`]),
//! the stand-in for a topic.
//!
//! ```
//! let state = demo_user_service::AppState::default();
//! state.insert("UserA", false);
//! let app = demo_user_service::app(state, true);
//! # let _ = app;
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use pact_core::message::{Message, MessageRequest};
use pact_core::provider::{optional_param, param, ParamError, Params};
use pact_core::{message_provider, provider_state};
use serde::Deserialize;
use serde_json::{json, Value};

/// A user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The name, which is also the key.
    pub name: String,
    /// A random version-4 UUID.
    pub id: String,
    /// When the user was created, as `yyyy-MM-dd'T'HH:mm:ss` (UTC).
    pub created_on: String,
    /// Whether the user is an administrator.
    pub admin: bool,
}

/// Deliberate faults, so that tests can show the verifier catching a broken provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Broken {
    /// `admin` is a string (`"false"`) instead of a boolean.
    AdminAsString,
    /// `id` is not a UUID.
    BadId,
}

/// The service's state: the user store, and the fault to inject if any.
#[derive(Debug, Clone, Default)]
pub struct AppState {
    users: Arc<Mutex<BTreeMap<String, User>>>,
    events: Arc<Mutex<Vec<Message>>>,
    broken: Option<Broken>,
}

/// The topic `UserCreated` events are published to.
pub const USER_EVENTS_TOPIC: &str = "user-events";

impl AppState {
    /// An empty store that serves `broken` answers.
    pub fn broken(broken: Option<Broken>) -> Self {
        AppState { broken, ..AppState::default() }
    }

    fn users(&self) -> MutexGuard<'_, BTreeMap<String, User>> {
        self.users.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds (or replaces) a user and returns it.
    pub fn insert(&self, name: &str, admin: bool) -> User {
        let user = User { name: name.to_string(), id: uuid_v4(), created_on: now_timestamp(), admin };
        self.users().insert(name.to_string(), user.clone());
        user
    }

    /// Removes a user.
    pub fn remove(&self, name: &str) {
        self.users().remove(name);
    }

    /// Removes every user.
    pub fn clear(&self) {
        self.users().clear();
    }

    /// Creates a user as `POST /users` does, publishing its `UserCreated` event; `None` when a
    /// user of that name exists.
    pub fn create(&self, name: &str, admin: bool) -> Option<User> {
        let user = {
            let mut users = self.users();
            if users.contains_key(name) {
                return None;
            }
            let user = User { name: name.to_string(), id: uuid_v4(), created_on: now_timestamp(), admin };
            users.insert(name.to_string(), user.clone());
            user
        };
        let event = user_created_event(&self.to_json(&user));
        self.events.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(event);
        Some(user)
    }

    /// The events published so far, oldest first.
    pub fn events(&self) -> Vec<Message> {
        self.events.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// A user by name.
    pub fn get(&self, name: &str) -> Option<User> {
        self.users().get(name).cloned()
    }

    fn to_json(&self, user: &User) -> Value {
        let id = if self.broken == Some(Broken::BadId) { json!("not-a-uuid") } else { json!(user.id) };
        let admin = if self.broken == Some(Broken::AdminAsString) {
            json!(user.admin.to_string())
        } else {
            json!(user.admin)
        };
        json!({"name": user.name, "id": id, "created_on": user.created_on, "admin": admin})
    }
}

/// The `UserCreated` event for a user (as the service serialises it for `GET /users/{name}`):
/// `{"type": "UserCreated", "user": {...}}` as JSON, with the topic and the user's name as the
/// message key in the metadata.
pub fn user_created_event(user: &Value) -> Message {
    let key = user.get("name").cloned().unwrap_or(Value::Null);
    let body = json!({"type": "UserCreated", "user": user});
    Message::from_bytes(body.to_string().as_bytes(), "application/json")
        .with_metadata("topic", USER_EVENTS_TOPIC)
        .with_metadata("key", key)
}

/// The service's routes. `provider_states` mounts `POST /_pact/provider_states` and the message
/// endpoint `POST /_pact/messages`, which let any caller reset the data or run the service's
/// code: enable them only for contract tests.
pub fn app(state: AppState, provider_states: bool) -> Router {
    let router = Router::new()
        .route("/users", get(list_users).post(create_user))
        .route("/users/{name}", get(get_user));
    let router = if provider_states {
        pact_core::message::with_message_route(pact_core::provider::with_state_route(router))
    } else {
        router
    };
    router.with_state(state)
}

async fn get_user(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    match state.get(&name) {
        Some(user) => Json(state.to_json(&user)).into_response(),
        None => {
            (StatusCode::NOT_FOUND, Json(json!({"error": format!("no user named {name}")}))).into_response()
        }
    }
}

#[derive(Deserialize)]
struct ListQuery {
    admin: Option<bool>,
    limit: Option<usize>,
}

async fn list_users(State(state): State<AppState>, Query(query): Query<ListQuery>) -> Response {
    let all: Vec<User> = state.users().values().cloned().collect();
    let admins = all.iter().filter(|u| u.admin).count();
    let ratio = if all.is_empty() { 0.0 } else { admins as f64 / all.len() as f64 };
    let users: Vec<Value> = all
        .iter()
        .filter(|u| query.admin.is_none_or(|a| u.admin == a))
        .take(query.limit.unwrap_or(10))
        .map(|u| state.to_json(u))
        .collect();
    let body = json!({
        "users": users,
        "count": users.len(),
        "admin_ratio": ratio,
        "generated_at": now_timestamp(),
        "service": concat!("demo-user-service ", env!("CARGO_PKG_VERSION")),
    });
    let mut headers = HeaderMap::new();
    if let Ok(id) = HeaderValue::from_str(&uuid_v4()) {
        headers.insert("X-Request-Id", id);
    }
    (headers, Json(body)).into_response()
}

#[derive(Deserialize)]
struct NewUser {
    name: String,
    #[serde(default)]
    admin: bool,
}

async fn create_user(
    State(state): State<AppState>,
    body: Result<Json<NewUser>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Json(new) = match body {
        Ok(b) => b,
        Err(e) => return (StatusCode::BAD_REQUEST, Json(json!({"error": e.body_text()}))).into_response(),
    };
    let Some(user) = state.create(&new.name, new.admin) else {
        return (StatusCode::CONFLICT, Json(json!({"error": format!("a user named {} exists", new.name)})))
            .into_response();
    };
    let location =
        HeaderValue::from_str(&format!("/users/{}", user.name)).unwrap_or(HeaderValue::from_static("/users"));
    (StatusCode::CREATED, [(header::LOCATION, location)], Json(state.to_json(&user))).into_response()
}

// Provider states. Setups add or remove users; every teardown empties the store, so each
// interaction starts from the state its pact names.

#[provider_state("UserA exists and is not an administrator")]
fn user_a_exists_not_admin(app: &AppState) {
    app.insert("UserA", false);
}

#[provider_state("UserA exists")]
fn user_a_exists(app: &AppState) {
    app.insert("UserA", false);
}

#[provider_state("UserA does not exist")]
fn user_a_does_not_exist(app: &AppState) {
    app.remove("UserA");
}

#[provider_state("no user named UserB exists")]
fn no_user_b(app: &AppState) {
    app.remove("UserB");
}

#[provider_state("there are users")]
fn there_are_users(app: &AppState) {
    app.insert("UserA", false);
    app.insert("AdminA", true);
}

/// `a user exists` with params `{"name", "admin"}`; returns the user's `name` and `id` for the
/// verifier to inject. A missing or ill-typed parameter is the caller's mistake: the state route
/// answers 400 naming it.
#[provider_state("a user exists")]
fn a_user_exists(app: &AppState, params: &Params) -> Result<Value, ParamError> {
    let name: String = param(params, "name")?;
    let admin: bool = optional_param(params, "admin")?.unwrap_or(false);
    let user = app.insert(&name, admin);
    Ok(json!({"name": user.name, "id": user.id}))
}

// Messages. The producer runs the service's own creation path and hands back the event it
// published, so the contract covers the real serialisation.

/// `a UserCreated event`: creates the user named by the state's `name` param (default `UserC`,
/// not an administrator unless `admin` says so) and returns the event that publishes.
#[message_provider("a UserCreated event")]
fn user_created(app: &AppState, request: &MessageRequest) -> Result<Message, String> {
    let name = request.params.get("name").and_then(Value::as_str).unwrap_or("UserC").to_string();
    let admin = request.params.get("admin").and_then(Value::as_bool).unwrap_or(false);
    app.remove(&name);
    app.create(&name, admin).ok_or_else(|| format!("could not create {name}"))?;
    app.events().pop().ok_or_else(|| "creating the user published no event".to_string())
}

macro_rules! teardowns {
    ($($fn_name:ident => $state:literal),* $(,)?) => {$(
        #[provider_state($state, teardown)]
        fn $fn_name(app: &AppState) {
            app.clear();
        }
    )*};
}

teardowns! {
    reset_after_user_a_not_admin => "UserA exists and is not an administrator",
    reset_after_user_a => "UserA exists",
    reset_after_no_user_a => "UserA does not exist",
    reset_after_no_user_b => "no user named UserB exists",
    reset_after_users => "there are users",
    reset_after_a_user => "a user exists",
}

/// A version-4 UUID from a fast non-cryptographic generator (good enough for demo ids).
pub fn uuid_v4() -> String {
    let (a, b) = (random_u64(), random_u64());
    let bytes: Vec<u8> = a.to_be_bytes().into_iter().chain(b.to_be_bytes()).collect();
    let mut b16 = [0u8; 16];
    b16.copy_from_slice(&bytes);
    b16[6] = (b16[6] & 0x0f) | 0x40;
    b16[8] = (b16[8] & 0x3f) | 0x80;
    let hex: String = b16.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    hasher.finish()
}

/// The current UTC time as `yyyy-MM-dd'T'HH:mm:ss`.
pub fn now_timestamp() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_ids_have_their_formats() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(17_150), (2016, 12, 15));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        let id = uuid_v4();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(uuid_v4(), uuid_v4());
        let ts = now_timestamp();
        assert_eq!(ts.len(), 19);
        assert_eq!(&ts[10..11], "T");
    }
}
