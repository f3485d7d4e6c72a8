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
