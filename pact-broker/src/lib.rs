//! A Pact Broker server: the official Pact Broker's HAL API, on SQLite (the default, a file in
//! WAL mode) or PostgreSQL (for teams and several replicas), so that the official Pact clients
//! (`pact_verifier_cli`, `pact-broker-cli`, the Pact libraries) and ours work with it.
//!
//! Run it with the `pact-broker` binary (`pact-broker --port 9292`), or embed it:
//!
//! ```no_run
//! # async fn run() -> Result<(), pact_broker::server::ServerError> {
//! use pact_broker::config::Config;
//! use pact_broker::server::{shutdown_signal, Broker};
//! use pact_broker::storage::DatabaseUrl;
//!
//! let config = Config::new(DatabaseUrl::Sqlite("pact_broker.sqlite".into()));
//! let broker = Broker::bind(config, "127.0.0.1", 0).await?;
//! println!("listening on {}", broker.url());
//! broker.serve(shutdown_signal()).await
//! # }
//! ```
//!
//! # The whole flow against a broker of its own
//!
//! A broker on a temporary SQLite file; the consumer publishes the demo pact as version 0.1;
//! the provider fetches the pacts to verify, verifies them in-process against the demo user
//! service and publishes the results as version 0.2; can-i-deploy then says yes. The `pact`
//! command does each step from a shell (`pact publish`, `pact verify --broker-url … --publish`,
//! `pact can-i-deploy`).
//!
//! ```
//! use pact_broker::config::Config;
//! use pact_broker::server::Broker;
//! use pact_broker::storage::DatabaseUrl;
//! use pact_core::broker::{
//!     load_contracts, verification, BrokerClient, BrokerConfig, CanIDeploy, PactSelection,
//!     ProviderVersion, PublishOptions, Selector,
//! };
//! use pact_core::verify::Verifier;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let dir = tempfile::tempdir().unwrap();
//! let config = Config::new(DatabaseUrl::Sqlite(dir.path().join("broker.sqlite")));
//! let broker = Broker::bind(config, "127.0.0.1", 0).await.unwrap();
//! let client = BrokerClient::new(BrokerConfig::new(&broker.url())).unwrap();
//! let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
//! let server = tokio::spawn(broker.serve(async { let _ = stopped.await; }));
//!
//! // The consumer publishes its pact.
//! let contracts = load_contracts(&["../tests/pacts/UserServiceClient-UserService.json".to_string()]).unwrap();
//! let options = PublishOptions { version: "0.1".into(), branch: Some("main".into()), ..Default::default() };
//! let published = client.publish(&contracts, &options).await.unwrap();
//! assert_eq!(published[0].provider, "UserService");
//!
//! // Not verified yet: the broker cannot say yes.
//! let question = CanIDeploy { selectors: vec![Selector::version("UserServiceClient", "0.1")], ..Default::default() };
//! assert_ne!(client.can_i_deploy(&question).await.unwrap().deployable, Some(true));
//!
//! // The provider verifies the pacts the broker selects, and publishes the results.
//! let pacts = client.pacts_for_verification(&PactSelection::provider("UserService")).await.unwrap();
//! let state = demo_user_service::AppState::default();
//! let mut verifier = Verifier::service(demo_user_service::app(state.clone(), false)).state_handlers(state);
//! for source in verification::sources(&pacts) {
//!     verifier = verifier.pact(source);
//! }
//! let report = verifier.verify().await.unwrap();
//! assert!(report.success(), "{}", report.to_human(false));
//! let provider = ProviderVersion { version: "0.2".into(), branch: Some("main".into()), ..Default::default() };
//! for (_, result) in verification::publish(&client, &pacts, &report, &provider).await {
//!     result.unwrap();
//! }
//!
//! // Now UserServiceClient 0.1 can be deployed with UserService 0.2.
//! assert_eq!(client.can_i_deploy(&question).await.unwrap().deployable, Some(true));
//! # stop.send(()).unwrap();
//! # server.await.unwrap().unwrap();
//! # }
//! ```
//!
//! The crate has one module per job, and data flows one way: `api` (HTTP) → `domain` (rules)
//! → `storage` (SQL).
//!
//! | module | job |
//! |---|---|
//! | [`config`] | flags and `PACT_BROKER_*` environment variables |
//! | [`server`] | bind, serve, graceful shutdown |
//! | [`auth`] | basic auth with a read/write and a read-only user |
//! | [`api`] | the HAL resources, one module per family |
//! | [`hal`] | absolute hrefs from a parsed base URL, links, HAL responses |
//! | [`error`] | the broker's error shapes (and RFC 7807 on request) |
//! | [`domain`] | names, pact content, publishing, selectors, pending/WIP, the matrix |
//! | [`storage`] | sqlx on SQLite or PostgreSQL: migrations and repositories |
//! | [`events`] | what happened, after it committed (a hook for embedders) |
//! | [`delivery`] | webhook delivery: the outbox worker, retries, execution logs |
//! | [`ui`] | the HTML pages: pacticipants and latest pacts, a pact, the matrix |
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod api;
pub mod auth;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod error;
pub mod events;
pub mod hal;
pub mod server;
pub mod storage;
pub mod ui;
