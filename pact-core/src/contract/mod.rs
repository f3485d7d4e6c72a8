//! The consumer test context: [`Contract`] ties the DSL, the mock provider and the pact file
//! together. `#[contract]` builds one per provider of a test; it can also be used by hand.
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
//! // The code under test calls the mock provider (here, a bare HTTP/1.1 request).
//! let address = pact.base_url().trim_start_matches("http://").to_string();
//! let mut stream = std::net::TcpStream::connect(address).unwrap();
//! stream.write_all(b"GET /users/UserA HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
//! let mut answer = String::new();
//! stream.read_to_string(&mut answer).unwrap();
//! assert!(answer.contains(r#""name":"UserA""#));
//!
//! let file = pact.finish().unwrap();
//! assert!(file.ends_with("UserServiceClient-UserService.json"));
//! ```
//!
//! A contract that declared interactions must end with [`Contract::finish`]: dropped without it,
//! it fails the test (unless the test is already failing), because its pact would silently
//! never be written.
//!
//! ```should_panic
//! use pact_core::prelude::*;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let mut pact = Contract::new("UserServiceClient", "UserService").with_output_dir(dir.path());
//! pact.upon_receiving("a request for UserA").get("/users/UserA").will_respond_with(404);
//! drop(pact); // panics: "... was dropped without `finish()` ..."
//! ```

mod runtime;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::dsl::{InteractionSink, RequestBuilder};
use crate::matching::{match_request, match_response};
use crate::mock::{MockProvider, MockReport};
use crate::model::{HttpInteraction, Interaction, ProviderState, SpecVersion};
use crate::pactfile::{self, WriteRequest};

#[doc(hidden)]
pub use runtime::{
    conclude, conclude_all, run_async, run_async_all, run_attached, run_attached_all, run_sync, run_sync_all,
    Body, ContractSpec, Failures, Outcome,
};

/// A consumer contract test in progress: the interactions it declares and the mock provider that
/// serves them.
///
/// The contract owns its interactions. Each is built by a [`RequestBuilder`] and handed to the
/// contract, finished, when the statement that declares it ends; the contract then hands it to the
/// mock provider, and at [`finish`](Contract::finish) writes the whole set to the pact file.
#[must_use = "a contract is verified and its pact written only by `finish()`; dropped unfinished, it fails the test"]
pub struct Contract {
    consumer: String,
    provider: String,
    test: String,
    given: Vec<ProviderState>,
    version: SpecVersion,
    output_dir: PathBuf,
    interactions: Vec<HttpInteraction>,
    /// Mistakes found while declaring the interactions.
    mistakes: Vec<String>,
    mock: MockProvider,
    /// Whether `finish` ran, or the runtime gave up on the contract after the test failed.
    settled: bool,
}

/// Why a contract test failed at its end.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContractError {
    /// Declaration errors, or missing, unexpected or mismatched requests.
    #[error("contract {pair}: {report}The pact file was not written.")]
    Verification {
        /// Consumer and provider, for the message.
        pair: String,
        /// What went wrong.
        report: MockReport,
    },
    /// The pact file could not be written.
    #[error("the pact file was not written")]
    PactFile(#[source] pactfile::Error),
}

/// An error with its causes, one after the other: `the pact file was not written: <why>`.
pub(crate) fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Starts a mock provider, or fails the test saying why none could start.
#[track_caller]
#[allow(clippy::panic)]
fn start_mock() -> MockProvider {
    match MockProvider::start() {
        Ok(mock) => mock,
        // A contract test cannot run without its mock provider; nothing else can be done.
        Err(e) => panic!("{e}"),
    }
}

impl Contract {
    /// Starts a contract between `consumer` and `provider`, with its mock provider. Pacts go to
    /// `PACT_OUTPUT_DIR`, or `pacts/` at the workspace root of the current directory.
    ///
    /// # Panics
    ///
    /// When no mock provider can start (no port free on `127.0.0.1`).
    #[track_caller]
    pub fn new(consumer: impl Into<String>, provider: impl Into<String>) -> Self {
        Self::with_mock(consumer.into(), provider.into(), start_mock())
    }

    /// Like [`Contract::new`], from async code.
    ///
    /// # Panics
    ///
    /// When no mock provider can start (no port free on `127.0.0.1`).
    #[track_caller]
    pub fn new_async(
        consumer: impl Into<String>,
        provider: impl Into<String>,
    ) -> impl std::future::Future<Output = Self> {
        let contract = Self::new(consumer, provider);
        async move { contract }
    }

    fn with_mock(consumer: String, provider: String, mock: MockProvider) -> Self {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        Contract {
            consumer,
            provider,
            test: String::new(),
            given: Vec::new(),
            version: SpecVersion::V3,
            output_dir: pactfile::output_dir(&cwd),
            interactions: Vec::new(),
            mistakes: Vec::new(),
            mock,
            settled: false,
        }
    }

    /// Writes the pact to `dir` instead.
    pub fn with_output_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.output_dir = dir.as_ref().to_path_buf();
        self
    }

    /// Writes the pact in `version` (V3 by default).
    pub fn with_spec_version(mut self, version: SpecVersion) -> Self {
        self.version = version;
        self
    }

    /// Names the test, for conflict reports between tests.
    pub fn with_test_name(mut self, test: impl Into<String>) -> Self {
        self.test = test.into();
        self
    }

    /// A provider state for every interaction declared after it.
    pub fn given(mut self, state: impl Into<String>) -> Self {
        self.given.push(ProviderState::new(state));
        self
    }

    /// A provider state with parameters for every interaction declared after it.
    pub fn given_with(mut self, state: impl Into<String>, params: Value) -> Self {
        self.given.push(crate::dsl::state_with(state.into(), params));
        self
    }

    /// The mock provider's URL for `path`, such as `http://127.0.0.1:41234/users/UserA`; with an
    /// empty path, the base URL.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.mock.url(), path)
    }

    /// The mock provider's base URL, such as `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        self.mock.url()
    }

    /// The mock provider.
    pub fn mock(&self) -> &MockProvider {
        &self.mock
    }

    /// Declares an interaction: what the consumer sends, then what the provider answers.
    pub fn upon_receiving(&mut self, description: impl Into<String>) -> RequestBuilder<'_> {
        RequestBuilder::new(self, description)
    }

    /// The interactions declared so far, in order.
    pub fn interactions(&self) -> &[HttpInteraction] {
        &self.interactions
    }

    /// Checks the mock provider saw exactly the expected requests, that every interaction's
    /// examples satisfy its own rules, and that no two interactions share a description and
    /// provider states (the pact file could hold only one of them).
    pub fn verify(&self) -> Result<(), ContractError> {
        let mut result = self.mock.verify();
        let interactions = &self.interactions;
        let mut problems = self.mistakes.clone();
        for interaction in interactions {
            let mut own = match_request(&interaction.request, &interaction.request);
            own.extend(match_response(&interaction.response, &interaction.response));
            if !own.is_empty() {
                problems.push(format!(
                    "the examples of {:?} break its own rules: {}",
                    interaction.meta.description,
                    own.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
                ));
            }
        }
        let mut seen: BTreeMap<String, &HttpInteraction> = BTreeMap::new();
        for interaction in interactions {
            let key = pactfile::interaction_key(&Interaction::Http(interaction.clone()));
            match seen.get(&key) {
                Some(first) if *first != interaction => problems.push(format!(
                    "{key} is declared twice with different content; only one could be written to the pact, \
                     so give each its own description or provider states"
                )),
                Some(_) => {}
                None => {
                    seen.insert(key, interaction);
                }
            }
        }
        if !problems.is_empty() {
            match result.as_mut() {
                Err(report) => report.errors.extend(problems),
                Ok(()) => result = Err(MockReport { errors: problems, ..MockReport::default() }),
            }
        }
        result.map_err(|report| ContractError::Verification { pair: self.pair(), report })
    }

    fn pair(&self) -> String {
        format!("{} -> {}", self.consumer, self.provider)
    }

    /// Verifies, then merges the interactions into the pact file and returns its path. Nothing
    /// is written when verification fails, or when `PACT_FILE_WRITE_MODE` holds an unknown mode.
    pub fn finish(mut self) -> Result<PathBuf, ContractError> {
        self.settled = true;
        self.verify()?;
        let (mode, run) = pactfile::mode_from_env().map_err(ContractError::PactFile)?;
        let interactions = self.interactions.iter().cloned().map(Interaction::Http).collect();
        pactfile::merge(WriteRequest {
            dir: &self.output_dir,
            consumer: &self.consumer,
            provider: &self.provider,
            interactions,
            test: &self.test,
            version: self.version,
            mode,
            run,
        })
        .map_err(ContractError::PactFile)
    }

    /// Gives up on the contract of a test that failed: prints what the mock provider saw, and
    /// writes nothing.
    fn abandon(mut self, why: &str) {
        self.settled = true;
        eprintln!("{}", self.failure_report(why));
    }

    /// The report printed for a test that failed: why, then what the mock provider saw.
    fn failure_report(&self, why: &str) -> String {
        let pair = self.pair();
        let report = match self.verify() {
            Ok(()) => {
                return format!(
                "contract {pair}: {why}; the mock provider received every expected request, and no other.\n\
                     The pact file was not written."
            )
            }
            Err(ContractError::Verification { report, .. }) => report,
            Err(other) => return format!("contract {pair}: {why}; {}", with_causes(&other)),
        };
        let mut text = format!("contract {pair}: {why}; the mock provider's report:\n");
        for error in &report.errors {
            text.push_str(&format!("  declaration error: {error}\n"));
        }
        let _ = report.write_exchanges(&mut text);
        text.push_str("The pact file was not written.");
        text
    }
}

impl InteractionSink for Contract {
    fn start(&self, description: String) -> HttpInteraction {
        let mut interaction = HttpInteraction::default();
        interaction.meta.description = description;
        interaction.meta.provider_states = self.given.clone();
        interaction
    }

    fn finish(&mut self, interaction: HttpInteraction, mistakes: Vec<String>) {
        let description = &interaction.meta.description;
        self.mistakes.extend(mistakes.into_iter().map(|m| format!("{description:?}: {m}")));
        self.mock.add(interaction.clone());
        self.interactions.push(interaction);
    }
}

impl Drop for Contract {
    #[allow(clippy::panic)]
    fn drop(&mut self) {
        if self.settled || self.interactions.is_empty() {
            return;
        }
        if std::thread::panicking() {
            // The test is failing already: say what the mock provider saw, which is often why
            // (a client that unwrapped the mock's 500).
            eprintln!("{}", self.failure_report("the test panicked"));
            return;
        }
        // The deliberate failure of a contract left unfinished: without it, the test passes with
        // no pact and no warning.
        let count = self.interactions.len();
        panic!(
            "contract {} was dropped without `finish()`, holding {count} interaction{}: nothing was verified, \
             and no pact was written. End the test with `pact.finish()` (it returns the pact file's path, or \
             what went wrong).",
            self.pair(),
            if count == 1 { "" } else { "s" }
        );
    }
}
