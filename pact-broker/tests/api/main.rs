//! The broker's HTTP API, tested against a real `pact-broker` process, each test on SQLite and
//! on PostgreSQL (its own fresh database on each).

#[path = "../support/mod.rs"]
mod support;

mod deploy;
mod http;
mod names;
mod publish;
mod verification;
