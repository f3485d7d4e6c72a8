//! Pact contract testing for Rust.
//!
//! A consumer writes an ordinary test with `#[contract]`; it declares the interactions it
//! expects, runs its real client against a mock provider, and on success merges the interactions
//! into a pact file. A provider verifies pacts against its running service.
//!
//! The crate is organised by the stages of the data flow, one module each:
//!
//! | module | job | feature |
//! |---|---|---|
//! | [`model`] | pacts, interactions and matching rules; read V1-V4, write V2-V4 | always |
//! | [`matching`] | compare an expected request, response or message with an actual one | always |
//! | [`generate`] | apply an interaction's generators: the mock's responses, the verifier's requests | always |
//! | [`dsl`] | example values with matchers: `like!`, `term!`, `each_like!`, `json_pattern!` ... | `consumer` |
//! | [`mock`] | the mock provider, an HTTP server of its own per contract | `consumer` |
//! | [`pactfile`] | write and merge pact files safely under parallel tests | `consumer` |
//! | [`contract`](mod@contract) | the consumer test context that ties the three above together | `consumer` |
#![cfg_attr(
    feature = "provider",
    doc = "| [`provider`] | provider-state handlers (`#[provider_state]`) and their HTTP route | `provider` (route: `axum`) |"
)]
#![cfg_attr(
    not(feature = "provider"),
    doc = "| `provider` | provider-state handlers (`#[provider_state]`) and their HTTP route | `provider` (route: `axum`) |"
)]
#![cfg_attr(
    any(feature = "consumer", feature = "provider"),
    doc = "| [`message`] | message pacts: the consumer's `MessagePact`, producers (`#[message_provider]`) and their HTTP endpoint | `consumer`, `provider` (route: `axum`) |"
)]
#![cfg_attr(
    not(any(feature = "consumer", feature = "provider")),
    doc = "| `message` | message pacts: the consumer's `MessagePact`, producers (`#[message_provider]`) and their HTTP endpoint | `consumer`, `provider` (route: `axum`) |"
)]
#![cfg_attr(
    feature = "verifier",
    doc = "| [`verify`] | provider verification over HTTP or in-process, with reports | `verifier` (in-process: `axum`) |"
)]
#![cfg_attr(
    not(feature = "verifier"),
    doc = "| `verify` | provider verification over HTTP or in-process, with reports | `verifier` (in-process: `axum`) |"
)]
#![cfg_attr(
    feature = "broker",
    doc = "| [`broker`] | the Pact Broker client: publish, pacts for verification, results, can-i-deploy | `broker` |"
)]
#![cfg_attr(
    not(feature = "broker"),
    doc = "| `broker` | the Pact Broker client: publish, pacts for verification, results, can-i-deploy | `broker` |"
)]
#![cfg_attr(
    feature = "tls",
    doc = "| [`tls`] | HTTPS options (rustls, system roots, extra CAs) for the two above | `verifier` or `broker` |"
)]
#![cfg_attr(
    not(feature = "tls"),
    doc = "| `tls` | HTTPS options (rustls, system roots, extra CAs) for the two above | `verifier` or `broker` |"
)]
//!
//! `contract` is a module the design did not name: it is the one place where the DSL, the mock
//! and the pact file meet, so that each of those stays independent of the others.
//!
//! The `consumer` feature is on by default. A crate that only writes consumer tests compiles
//! nothing of the verifier or the broker client.
//!
//! The guide in the repository's `docs/` walks through each workflow (consumer tests, provider
//! verification, the broker and CI, moving from `pact_consumer`/`pact_verifier`); the examples
//! below are the short version.
//!
//! # A consumer test
//!
//! `#[contract]` turns a test into a contract test: the body declares the interactions, runs the
//! real client against the mock provider at `pact.base_url()`, and when the test passes the
//! interactions are merged into `pacts/<Consumer>-<Provider>.json`:
//!
//! ```no_run,test_harness
//! use pact_core::prelude::*;
//!
//! #[contract(consumer = "UserServiceClient", provider = "UserService", given = "UserA exists")]
//! fn gets_user_a(pact: &mut Contract) {
//!     pact.upon_receiving("a request for UserA")
//!         .get("/users/UserA")
//!         .will_respond_with(200)
//!         .json_body(json_pattern!({"name": "UserA", "admin": like!(false)}));
//!     // ... call the real client with pact.base_url() and check what it returns ...
//! #   let _ = pact.base_url();
//! }
//! ```
//!
//! The same by hand, without the attribute (for a second provider in one test, or outside a
//! test function): [`Contract::new`], then [`Contract::finish`] checks the requests and writes
//! the pact.
//!
//! ```
//! use pact_core::prelude::*;
//! use std::io::{Read, Write};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let mut pact = Contract::new("UserServiceClient", "UserService")
//!     .with_output_dir(dir.path())
//!     .given("UserA exists");
//! pact.upon_receiving("a request for UserA")
//!     .get("/users/UserA")
//!     .will_respond_with(200)
//!     .json_body(json_pattern!({"name": "UserA", "admin": like!(false)}));
//!
//! // The client under test (here a bare HTTP/1.1 request) calls the mock provider.
//! let mut stream = std::net::TcpStream::connect(pact.base_url().trim_start_matches("http://")).unwrap();
//! stream.write_all(b"GET /users/UserA HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
//! let mut answer = String::new();
//! stream.read_to_string(&mut answer).unwrap();
//! assert!(answer.contains(r#""admin":false"#));
//!
//! let file = pact.finish().unwrap();
//! assert!(file.ends_with("UserServiceClient-UserService.json"));
//! ```
// The provider-side tour is compiled (and its doc tests run) when the features it needs are on.
#![cfg_attr(
    all(feature = "consumer", feature = "axum", feature = "verifier"),
    doc = r#"
# A provider state, and a verification

The provider registers a handler per provider state with `#[provider_state]`, and verifies the
pact against its service: here in-process against an axum `Router` (no port), with the
handlers run directly (feature `axum`). `Verifier::http(url)` verifies a running service over
HTTP instead, and the `pact verify` command does the same from the command line.

```
use std::sync::{Arc, Mutex};

use axum::{extract::{Path, State}, http::StatusCode, routing::get, Json, Router};
use pact_core::prelude::*;
use pact_core::provider_state;
use pact_core::verify::{PactSource, Verifier};

#[derive(Clone, Default)]
struct AppState { users: Arc<Mutex<Vec<String>>> }

#[provider_state("UserA exists")]
fn user_a_exists(app: &AppState) {
    app.users.lock().unwrap().push("UserA".into());
}

#[provider_state("UserA exists", teardown)]
fn no_users(app: &AppState) {
    app.users.lock().unwrap().clear();
}

async fn get_user(State(app): State<AppState>, Path(name): Path<String>) -> Result<Json<serde_json::Value>, StatusCode> {
    let users = app.users.lock().unwrap();
    users.iter().find(|u| **u == name).map(|u| Json(json!({"name": u, "admin": false}))).ok_or(StatusCode::NOT_FOUND)
}

# fn main() {
// The consumer's side wrote this pact (see above).
let dir = tempfile::tempdir().unwrap();
let mut contract = Contract::new("UserServiceClient", "UserService")
    .with_output_dir(dir.path())
    .given("UserA exists");
contract.upon_receiving("a request for UserA")
    .get("/users/UserA")
    .will_respond_with(200)
    .json_body(json_pattern!({"name": "UserA", "admin": like!(true)}));
# use std::io::{Read, Write};
# let mut stream = std::net::TcpStream::connect(contract.base_url().trim_start_matches("http://")).unwrap();
# stream.write_all(b"GET /users/UserA HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
# stream.read_to_end(&mut Vec::new()).unwrap();
let pact_file = contract.finish().unwrap();

// The provider's side verifies it.
let app = AppState::default();
let router = Router::new().route("/users/{name}", get(get_user)).with_state(app.clone());
let verifier = Verifier::service(router).state_handlers(app).pact(PactSource::File(pact_file));
# let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
let report = runtime.block_on(verifier.verify()).unwrap();
assert!(report.success(), "{}", report.to_human(false));
# }
```
"#
)]
#![cfg_attr(
    feature = "broker",
    doc = r#"
# Publishing to a broker

The broker client (feature `broker`) publishes the pacts of a directory under the consumer's
version and branch (the `pact publish` command does the same; see [`broker`] for fetching
pacts for verification, publishing results and can-i-deploy):

```no_run
use pact_core::broker::{load_contracts, BrokerClient, BrokerConfig, PublishOptions};

# async fn run() -> Result<(), pact_core::broker::BrokerError> {
let client = BrokerClient::new(BrokerConfig::from_env()?)?;     // PACT_BROKER_BASE_URL, _USERNAME ...
let contracts = load_contracts(&["pacts".to_string()])?;
let options = PublishOptions { version: "0.1".into(), branch: Some("main".into()), ..Default::default() };
client.publish(&contracts, &options).await?;
# Ok(())
# }
```

The `pact-broker` crate's documentation has the same, run against a broker it starts.
"#
)]
// Library code returns errors; it does not unwrap or panic (tests may).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The macros' generated code names `::pact_core`; this lets it work inside this crate too.
extern crate self as pact_core;

pub mod generate;
pub mod matching;
pub mod model;

#[cfg(feature = "consumer")]
pub mod contract;
#[cfg(feature = "consumer")]
pub mod dsl;
#[cfg(feature = "consumer")]
pub mod mock;
#[cfg(feature = "consumer")]
pub mod pactfile;

#[cfg(any(feature = "consumer", feature = "provider"))]
pub mod message;
#[cfg(feature = "provider")]
pub mod provider;
#[cfg(feature = "verifier")]
pub mod verify;

#[cfg(feature = "broker")]
pub mod broker;
#[cfg(feature = "tls")]
pub mod tls;

#[cfg(feature = "consumer")]
pub use contract::{Contract, ContractError};
#[cfg(feature = "consumer")]
pub use dsl::PactExample;
#[cfg(feature = "consumer")]
pub use dsl::{RequestBuilder, ResponseBuilder};
#[cfg(feature = "consumer")]
pub use pact_macros::message_contract;
#[cfg(feature = "consumer")]
pub use pact_macros::PactExample;
#[cfg(feature = "consumer")]
pub use pact_macros::{
    array_contains, contract, date, datetime, each_key, each_like, each_value, equality, json_pattern, like,
    term, time,
};
#[cfg(feature = "provider")]
pub use pact_macros::{message_provider, provider_state};

/// What a consumer test needs: `use pact_core::prelude::*;`.
#[cfg(feature = "consumer")]
pub mod prelude {
    pub use crate::contract::Contract;
    pub use crate::dsl::{Pattern, Scalar};
    /// Message pacts: `#[message_contract]` tests take a `&mut MessagePact`.
    pub use crate::message::{MessagePact, ReceivedMessage};
    pub use crate::message_contract;
    pub use crate::{
        any_of, array_contains, boolean, content_type, contract, date, datetime, decimal, each_key,
        each_like, each_value, equality, from_provider_state, includes, integer, json_pattern, like,
        mock_server_url, not_empty, null, nullable, number, random_boolean, random_decimal, random_hex,
        random_int, random_string, semver, term, time, uuid, values,
    };
    /// Types as contracts: `#[derive(PactExample)]` and `like_type!(User { ... })`.
    pub use crate::{like_type, PactExample};
    /// For provider-state params: `.given_with("a user exists", json!({"name": "UserA"}))`.
    pub use serde_json::json;
}

/// Used by the code the macros generate; not a public API.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "consumer")]
    pub use crate::contract::{
        conclude, conclude_all, run_async, run_async_all, run_attached, run_attached_all, run_sync,
        run_sync_all, Body, Contract, ContractSpec, Failures, Outcome,
    };
    #[cfg(feature = "consumer")]
    pub use crate::dsl::{example_field, example_variant, PactExample, RefinedExample, Refinement};
    #[cfg(feature = "consumer")]
    pub use crate::dsl::{AnyOf, Pattern, Scalar};
    #[cfg(feature = "provider")]
    pub use crate::provider::{Action, HandlerFuture, IntoStateResult, Params, StateHandlerEntry};
    pub use serde_json;

    #[cfg(feature = "consumer")]
    pub use crate::message::runtime::{
        conclude_messages, run_messages_async, run_messages_attached, run_messages_sync, MessageBody,
        MessageContractSpec,
    };

    #[cfg(feature = "provider")]
    pub use inventory;

    /// The application state a provider-state handler asked for, or why it is not that type.
    #[cfg(feature = "provider")]
    pub fn downcast<'a, T: 'static>(
        app: &'a (dyn std::any::Any + Send + Sync),
        type_name: &str,
    ) -> Result<&'a T, crate::provider::HandlerError> {
        app.downcast_ref::<T>().ok_or_else(|| {
            crate::provider::HandlerError::Failed(format!(
                "the provider-state handler expects the application state {type_name}"
            ))
        })
    }

    /// A provider state with parameters.
    pub fn state(name: &str, params: Vec<(&str, serde_json::Value)>) -> crate::model::ProviderState {
        crate::model::ProviderState {
            name: name.to_string(),
            params: params.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        }
    }

    /// Any value a pattern macro is given, as a pattern.
    #[cfg(feature = "consumer")]
    pub fn pattern(value: impl Into<crate::dsl::Pattern>) -> crate::dsl::Pattern {
        value.into()
    }

    /// Any value a macro argument gives, as JSON.
    pub fn json(value: impl Into<serde_json::Value>) -> serde_json::Value {
        value.into()
    }
}
