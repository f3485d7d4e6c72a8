//! The demo consumer: a client of the user service's `GET /users/{name}`, and a handler of
//! its `UserCreated` events ([`handle_user_created`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), demo_client::Error> {
//! let client = demo_client::UserClient::new("http://127.0.0.1:5001");
//! match client.get_user("UserA").await? {
//!     Some(user) => println!("{} (admin: {})", user.name, user.admin),
//!     None => println!("no such user"),
//! }
//! # Ok(())
//! # }
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use serde::Deserialize;

/// A user as the service returns it.
///
/// With the `pact` feature (the contract tests turn it on) it derives `pact_core::PactExample`:
/// the type is its own contract, and a test declares the response as `like_type!(User { ... })`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "pact", derive(pact_core::PactExample))]
pub struct User {
    /// The user's name.
    pub name: String,
    /// A version-4 UUID.
    #[cfg_attr(feature = "pact", pact(term = "^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$"))]
    pub id: String,
    /// When the user was created, as an ISO timestamp such as `2016-12-15T20:16:01`.
    #[cfg_attr(feature = "pact", pact(term = r"^\d+-\d+-\d+T\d+:\d+:\d+$"))]
    pub created_on: String,
    /// Whether the user is an administrator.
    pub admin: bool,
}

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service could not be reached or did not answer.
    #[error("request to {url} failed: {source}")]
    Request {
        /// The URL called.
        url: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
    /// The service answered with a status other than 200 or 404.
    #[error("{url} answered {status}")]
    Status {
        /// The URL called.
        url: String,
        /// The status.
        status: u16,
    },
    /// The body was not a user.
    #[error("{url} answered with a body that is not a user: {source}")]
    Body {
        /// The URL called.
        url: String,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
}

/// A client of the user service.
#[derive(Debug, Clone)]
pub struct UserClient {
    base_url: String,
    http: reqwest::Client,
}

impl UserClient {
    /// A client of the service at `base_url`, such as `http://127.0.0.1:5001`.
    pub fn new(base_url: impl Into<String>) -> Self {
        UserClient {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            http: reqwest::Client::new(),
        }
    }

    /// Fetches a user: `Some` on 200, `None` on 404, an error otherwise.
    pub async fn get_user(&self, name: &str) -> Result<Option<User>, Error> {
        let url = format!("{}/users/{}", self.base_url, name);
        let response = self
            .http
            .get(&url)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|source| Error::Request { url: url.clone(), source })?;
        match response.status().as_u16() {
            200 => {
                let bytes =
                    response.bytes().await.map_err(|source| Error::Request { url: url.clone(), source })?;
                serde_json::from_slice(&bytes).map(Some).map_err(|source| Error::Body { url, source })
            }
            404 => Ok(None),
            status => Err(Error::Status { url, status }),
        }
    }
}

/// Why an event from the user service's topic was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// The payload is not a known event.
    #[error("the event is not a UserCreated event with a user: {0}")]
    Malformed(#[source] serde_json::Error),
    /// The event came from another topic.
    #[error("the event came from the topic {found:?}, not {expected:?}")]
    WrongTopic {
        /// The topic the handler listens to.
        expected: String,
        /// The topic in the message.
        found: String,
    },
}

/// The topic the user service publishes its events to.
pub const USER_EVENTS_TOPIC: &str = "user-events";

#[derive(Deserialize)]
#[serde(tag = "type")]
enum UserEvent {
    UserCreated { user: User },
}

/// Handles a `UserCreated` event from the user service's topic: checks the topic, reads the
/// JSON payload `{"type": "UserCreated", "user": {...}}` and returns the new user.
///
/// ```
/// let payload = br#"{"type": "UserCreated", "user": {"name": "UserC", "id": "x", "created_on": "2016-12-15T20:16:01", "admin": false}}"#;
/// let user = demo_client::handle_user_created(payload, Some("user-events")).unwrap();
/// assert_eq!(user.name, "UserC");
/// assert!(demo_client::handle_user_created(payload, Some("orders")).is_err());
/// ```
pub fn handle_user_created(payload: &[u8], topic: Option<&str>) -> Result<User, EventError> {
    if let Some(topic) = topic.filter(|t| *t != USER_EVENTS_TOPIC) {
        return Err(EventError::WrongTopic { expected: USER_EVENTS_TOPIC.into(), found: topic.into() });
    }
    match serde_json::from_slice::<UserEvent>(payload).map_err(EventError::Malformed)? {
        UserEvent::UserCreated { user } => Ok(user),
    }
}
