//! The consumer test context: [`Contract`] ties the DSL, the mock provider and the pact file
//! together. `#[contract]` builds one per test; it can also be used by hand.
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

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::dsl::Pattern;
use crate::matching::{match_request, match_response};
use crate::mock::{MockProvider, MockReport};
use crate::model::{Body, Content, Data, HttpInteraction, Interaction, ProviderState, RuleList, SpecVersion};
use crate::pactfile::{self, WriteRequest};

/// A consumer contract test in progress: the interactions it declares and the mock provider that
/// serves them.
pub struct Contract {
    consumer: String,
    provider: String,
    test: String,
    given: Vec<ProviderState>,
    version: SpecVersion,
    output_dir: PathBuf,
    mock: MockProvider,
}

/// Why a contract test failed at its end.
#[derive(Debug)]
#[non_exhaustive]
pub enum ContractError {
    /// The mock provider saw missing, unexpected or mismatched requests.
    Verification {
        /// Consumer and provider, for the message.
        pair: String,
        /// What went wrong.
        report: MockReport,
    },
    /// The pact file could not be written.
    PactFile(pactfile::Error),
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContractError::Verification { pair, report } => {
                write!(f, "contract {pair}: {report}The pact file was not written.")
            }
            ContractError::PactFile(e) => write!(f, "the pact file was not written: {e}"),
        }
    }
}

impl std::error::Error for ContractError {}

impl Contract {
    /// Starts a contract between `consumer` and `provider`, with its mock provider. Pacts go to
    /// `PACT_OUTPUT_DIR`, or `pacts/` at the workspace root of the current directory.
    pub fn new(consumer: impl Into<String>, provider: impl Into<String>) -> Self {
        Self::with_mock(consumer.into(), provider.into(), MockProvider::start())
    }

    /// Like [`Contract::new`], from async code.
    pub async fn new_async(consumer: impl Into<String>, provider: impl Into<String>) -> Self {
        Self::with_mock(consumer.into(), provider.into(), MockProvider::start_async().await)
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
            mock,
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
        self.given.push(state_with(state.into(), params));
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
        let mut interaction = HttpInteraction::default();
        interaction.meta.description = description.into();
        interaction.meta.provider_states = self.given.clone();
        let index = self.mock.add(interaction);
        RequestBuilder { contract: self, index }
    }

    /// Checks the mock provider saw exactly the expected requests, that every interaction's
    /// examples satisfy its own rules, and that no two interactions share a description and
    /// provider states (the pact file could hold only one of them).
    pub fn verify(&self) -> Result<(), ContractError> {
        let mut result = self.mock.verify();
        let interactions = self.mock.interactions();
        let mut problems = Vec::new();
        for interaction in &interactions {
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
        for interaction in &interactions {
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
    /// is written when verification fails.
    pub fn finish(self) -> Result<PathBuf, ContractError> {
        self.verify()?;
        let (mode, run) = pactfile::mode_from_env();
        let interactions = self.mock.interactions().into_iter().map(Interaction::Http).collect();
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

    fn update(&self, index: usize, change: impl FnOnce(&mut HttpInteraction)) {
        self.mock.update(index, change);
    }

    fn record(&self, context: &str, result: Result<(), String>) {
        if let Err(e) = result {
            self.mock.add_error(format!("{context}: {e}"));
        }
    }
}

fn state_with(name: String, params: Value) -> ProviderState {
    let params = match params {
        Value::Object(map) => map,
        Value::Null => Default::default(),
        other => [("value".to_string(), other)].into_iter().collect(),
    };
    ProviderState { name, params }
}

/// Sets a single-valued part (header, query, path) from a pattern: its example text and root rules.
fn text_part(pattern: &Pattern) -> Result<(String, Option<RuleList>), String> {
    Ok((pattern.example_text(), pattern.root_rules()?))
}

/// Builds the request side of an interaction. Every call edits the interaction in place.
pub struct RequestBuilder<'a> {
    contract: &'a mut Contract,
    index: usize,
}

/// Builds the response side of an interaction. Every call edits the interaction in place.
pub struct ResponseBuilder<'a> {
    contract: &'a mut Contract,
    index: usize,
}

macro_rules! methods {
    ($($name:ident => $method:literal),*) => {$(
        #[doc = concat!("A `", $method, "` of `path` (a string, or a pattern such as `term!`).")]
        pub fn $name(self, path: impl Into<Pattern>) -> Self {
            self.method($method).path(path)
        }
    )*};
}

impl<'a> RequestBuilder<'a> {
    /// Adds a provider state to this interaction.
    pub fn given(self, state: impl Into<String>) -> Self {
        let state = ProviderState::new(state);
        self.contract.update(self.index, |i| i.meta.provider_states.push(state));
        self
    }

    /// Adds a provider state with parameters to this interaction.
    pub fn given_with(self, state: impl Into<String>, params: Value) -> Self {
        let state = state_with(state.into(), params);
        self.contract.update(self.index, |i| i.meta.provider_states.push(state));
        self
    }

    /// Sets the method.
    pub fn method(self, method: &str) -> Self {
        let method = method.to_ascii_uppercase();
        self.contract.update(self.index, |i| i.request.method = method);
        self
    }

    methods!(get => "GET", post => "POST", put => "PUT", patch => "PATCH", delete => "DELETE", head => "HEAD", options => "OPTIONS");

    /// Sets the path, from a string or a pattern such as `term!("^/users/\\w+$", "/users/UserA")`.
    pub fn path(self, path: impl Into<Pattern>) -> Self {
        let result = text_part(&path.into()).map(|(example, rules)| {
            self.contract.update(self.index, |i| {
                i.request.path = example;
                i.request.matching_rules.path = rules;
            });
        });
        self.contract.record("path", result);
        self
    }

    /// Adds a query parameter value (call again for more values of the same name).
    pub fn query(self, name: &str, value: impl Into<Pattern>) -> Self {
        let result = text_part(&value.into()).map(|(example, rules)| {
            self.contract.update(self.index, |i| {
                i.request
                    .query
                    .get_or_insert_with(Default::default)
                    .entry(name.to_string())
                    .or_default()
                    .push(example);
                if let Some(rules) = rules {
                    i.request.matching_rules.query.insert(name.to_string(), rules);
                }
            });
        });
        self.contract.record(&format!("query parameter {name}"), result);
        self
    }

    /// Adds a header value (`Content-Type` is single-valued: setting it replaces the previous one).
    pub fn header(self, name: &str, value: impl Into<Pattern>) -> Self {
        let result = text_part(&value.into()).map(|(example, rules)| {
            self.contract.update(self.index, |i| {
                set_header(&mut i.request.headers, name, example);
                if let Some(rules) = rules {
                    i.request.matching_rules.header.insert(name.to_string(), rules);
                }
            });
        });
        self.contract.record(&format!("header {name}"), result);
        self
    }

    /// A JSON body (with `Content-Type: application/json` unless a content type is set).
    pub fn json_body(self, body: impl Into<Pattern>) -> Self {
        let body = body.into();
        let result = body.body_rules().map(|rules| {
            self.contract.update(self.index, |i| {
                i.request.body = Body::json(body.example());
                i.request.matching_rules.body = rules;
                default_content_type(&mut i.request.headers, "application/json");
            });
        });
        self.contract.record("request body", result);
        self
    }

    /// A text body with a content type, such as `("text/plain", "hello")`.
    pub fn body(self, content_type: &str, body: impl Into<String>) -> Self {
        let body = text_body(content_type, body.into());
        self.contract.update(self.index, |i| {
            i.request.body = body;
            set_header(&mut i.request.headers, "Content-Type", content_type.to_string());
        });
        self
    }

    /// A form-urlencoded body from name/value pairs.
    pub fn form_body(self, fields: &[(&str, &str)]) -> Self {
        let text = fields
            .iter()
            .map(|(k, v)| format!("{}={}", crate::model::encode(k), crate::model::encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.body("application/x-www-form-urlencoded", text)
    }

    /// Switches to the response, with its status.
    pub fn will_respond_with(self, status: u16) -> ResponseBuilder<'a> {
        self.contract.update(self.index, |i| i.response.status = status);
        ResponseBuilder { contract: self.contract, index: self.index }
    }

    /// Shorthand for `.will_respond_with(status).json_body(body)`.
    pub fn responds(self, status: u16, body: impl Into<Pattern>) -> ResponseBuilder<'a> {
        self.will_respond_with(status).json_body(body)
    }
}

impl<'a> ResponseBuilder<'a> {
    /// Sets the status.
    pub fn status(self, status: u16) -> Self {
        self.contract.update(self.index, |i| i.response.status = status);
        self
    }

    /// Accepts any status of a class instead of the exact one (V4 `statusCode`).
    pub fn status_class(self, class: crate::model::StatusCodeRule) -> Self {
        self.contract.update(self.index, |i| {
            i.response.matching_rules.status =
                Some(RuleList::one(crate::model::MatchingRule::StatusCode(class)));
        });
        self
    }

    /// Adds a header value (`Content-Type` is single-valued: setting it replaces the previous one).
    pub fn header(self, name: &str, value: impl Into<Pattern>) -> Self {
        let result = text_part(&value.into()).map(|(example, rules)| {
            self.contract.update(self.index, |i| {
                set_header(&mut i.response.headers, name, example);
                if let Some(rules) = rules {
                    i.response.matching_rules.header.insert(name.to_string(), rules);
                }
            });
        });
        self.contract.record(&format!("response header {name}"), result);
        self
    }

    /// A JSON body (with `Content-Type: application/json` unless a content type is set).
    pub fn json_body(self, body: impl Into<Pattern>) -> Self {
        let body = body.into();
        let result = body.body_rules().map(|rules| {
            self.contract.update(self.index, |i| {
                i.response.body = Body::json(body.example());
                i.response.matching_rules.body = rules;
                default_content_type(&mut i.response.headers, "application/json");
            });
        });
        self.contract.record("response body", result);
        self
    }

    /// A text body with a content type.
    pub fn body(self, content_type: &str, body: impl Into<String>) -> Self {
        let body = text_body(content_type, body.into());
        self.contract.update(self.index, |i| {
            i.response.body = body;
            set_header(&mut i.response.headers, "Content-Type", content_type.to_string());
        });
        self
    }

    /// Declares the next interaction.
    pub fn upon_receiving(self, description: impl Into<String>) -> RequestBuilder<'a> {
        self.contract.upon_receiving(description)
    }
}

fn text_body(content_type: &str, text: String) -> Body {
    if text.is_empty() {
        return Body::Empty;
    }
    Body::Present(Content { data: Data::Text(text), content_type: Some(content_type.to_string()) })
}

fn set_header(headers: &mut Option<crate::model::Headers>, name: &str, value: String) {
    let headers = headers.get_or_insert_with(Default::default);
    let key =
        headers.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned().unwrap_or_else(|| name.to_string());
    let values = headers.entry(key).or_default();
    // A body has one content type: a later one (or the header after `json_body`) replaces it.
    if name.eq_ignore_ascii_case("content-type") {
        values.clear();
    }
    values.push(value);
}

fn default_content_type(headers: &mut Option<crate::model::Headers>, content_type: &str) {
    let has = headers.as_ref().is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("content-type")));
    if !has {
        set_header(headers, "Content-Type", content_type.to_string());
    }
}

/// What `#[contract]` passes to the runtime.
#[doc(hidden)]
pub struct ContractSpec {
    pub consumer: &'static str,
    pub provider: &'static str,
    pub given: Vec<ProviderState>,
    pub test: &'static str,
    pub manifest_dir: &'static str,
    pub spec: Option<&'static str>,
}

impl Contract {
    fn from_spec(spec: ContractSpec, mock: MockProvider) -> Self {
        let version = spec.spec.and_then(SpecVersion::parse).unwrap_or(SpecVersion::V3);
        Contract {
            consumer: spec.consumer.to_string(),
            provider: spec.provider.to_string(),
            test: spec.test.to_string(),
            given: spec.given,
            version,
            output_dir: pactfile::output_dir(Path::new(spec.manifest_dir)),
            mock,
        }
    }

    #[doc(hidden)]
    pub fn start(spec: ContractSpec) -> Self {
        Self::from_spec(spec, MockProvider::start())
    }

    #[doc(hidden)]
    pub async fn start_async(spec: ContractSpec) -> Self {
        Self::from_spec(spec, MockProvider::start_async().await)
    }
}

/// Whether a test body succeeded, so that its pact may be written.
#[doc(hidden)]
pub trait Outcome {
    fn succeeded(&self) -> bool;
}

impl Outcome for () {
    fn succeeded(&self) -> bool {
        true
    }
}

impl<T, E> Outcome for Result<T, E> {
    fn succeeded(&self) -> bool {
        self.is_ok()
    }
}

/// Ends a contract test: when the body succeeded, verify and write, failing the test with the
/// report otherwise.
#[doc(hidden)]
#[allow(clippy::panic)]
pub fn finish<R: Outcome>(contract: Contract, outcome: R) -> R {
    if outcome.succeeded() {
        if let Err(e) = contract.finish() {
            // The deliberate failure of a contract test: the report is the panic message.
            panic!("{e}");
        }
    }
    outcome
}

#[doc(hidden)]
pub fn run_sync<R: Outcome>(spec: ContractSpec, body: impl FnOnce(&mut Contract) -> R) -> R {
    let mut contract = Contract::start(spec);
    let outcome = body(&mut contract);
    finish(contract, outcome)
}

#[doc(hidden)]
#[allow(clippy::panic)]
pub fn run_async<R: Outcome>(
    spec: ContractSpec,
    body: impl for<'c> FnOnce(&'c mut Contract) -> std::pin::Pin<Box<dyn std::future::Future<Output = R> + 'c>>,
) -> R {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => panic!("cannot start a Tokio runtime for the contract test: {e}"),
    };
    runtime.block_on(async move {
        let mut contract = Contract::start_async(spec).await;
        let outcome = body(&mut contract).await;
        finish(contract, outcome)
    })
}
