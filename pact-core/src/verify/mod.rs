//! Provider verification: replays each interaction of a pact against the provider and reports
//! every mismatch.
//!
//! For each interaction the [`Verifier`]:
//! 1. sets up each provider state, through the provider's state-change URL or in-process
//!    handlers registered with `#[provider_state]`;
//! 2. builds the request from the expected one, applying generators and the values the state
//!    setup returned (provider-state injected values);
//! 3. sends it, over HTTP with one reused connection pool, or in-process to a `tower::Service`
//!    such as an axum `Router` (no port is bound);
//! 4. compares the response with [`crate::matching`], gathering every mismatch;
//! 5. tears the states down.
//!
//! With in-process handlers, a **pre-flight check** lists every state in the pacts that has no
//! handler before any request is sent.
//!
//! ```no_run
//! use pact_core::verify::{PactSource, Verifier};
//!
//! # async fn run() -> Result<(), pact_core::verify::VerifyError> {
//! let report = Verifier::http("http://127.0.0.1:5001")?
//!     .pact(PactSource::File("pacts/UserServiceClient-UserService.json".into()))
//!     .state_url("http://127.0.0.1:5001/_pact/provider_states")?
//!     .verify()
//!     .await?;
//! println!("{}", report.to_human(false));
//! assert!(report.success());
//! # Ok(())
//! # }
//! ```

mod fetch;
mod message;
mod report;
mod source;
mod states;
mod target;
mod url;

use std::sync::Arc;
use std::time::{Duration, Instant};

use regex::Regex;
use serde_json::{Map, Value};

pub use message::{HttpMessages, MessageSource, RegistryMessages};
pub use report::{InteractionResult, Outcome, PactReport, VerificationReport};
pub use source::PactSource;
pub use states::{HttpStates, RegistryStates, StateSetup};
#[cfg(feature = "axum")]
pub use target::ServiceTarget;
pub use target::{BoxFuture, HttpTarget, Target, DEFAULT_MAX_RESPONSE_BYTES};

use crate::matching::match_response;
use crate::model::{Interaction, InteractionMeta, Pact, ReadOptions};
use crate::provider::Action;
use source::Loaded;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a verification could not run (as opposed to running and finding mismatches).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A pact could not be read.
    #[error("{0}")]
    Pact(crate::model::Error),
    /// A pact source could not be read.
    #[error("{origin}: {message}")]
    Source {
        /// The file, directory or URL.
        origin: String,
        /// Why.
        message: String,
    },
    /// The verifier is not set up correctly.
    #[error("{0}")]
    Config(String),
    /// The pre-flight check found states without a handler.
    #[error("{} provider state(s) in the pacts have no handler, so nothing was sent:\n{}\nregistered states: {}",
        missing.len(),
        missing.iter().map(|m| format!("  - {m}")).collect::<Vec<_>>().join("\n"),
        if known.is_empty() { "(none)".to_string() } else { known.join(", ") })]
    MissingStates {
        /// Each missing state, with the interactions that need it.
        missing: Vec<String>,
        /// The states that have handlers.
        known: Vec<String>,
    },
    /// The pre-flight check found messages without a producer.
    #[error("{} message(s) in the pacts have no producer, so nothing was verified:\n{}\n{}",
        missing.len(),
        missing.iter().map(|m| format!("  - {m}")).collect::<Vec<_>>().join("\n"),
        match known {
            Some(known) if known.is_empty() => "registered messages: (none)".to_string(),
            Some(known) => format!("registered messages: {}", known.join(", ")),
            None => "no message producers or endpoint are configured: give a message URL \
                     (`pact verify --message-url`) or in-process producers (`Verifier::message_producers`)".to_string(),
        })]
    MissingProducers {
        /// Each message without a producer, with the pact that expects it.
        missing: Vec<String>,
        /// The messages that have producers, or `None` when no producers are configured.
        known: Option<Vec<String>>,
    },
    /// There was nothing to verify.
    #[error("no pacts to verify{0}")]
    NothingToVerify(String),
    /// The pacts hold no interaction this verifier can verify: a run that verifies nothing
    /// must not pass.
    #[error("nothing to verify: {0}")]
    NothingVerifiable(String),
}

/// Why a call the verifier made (a request to the provider, or a provider-state change) gave no
/// answer to compare. Each message names the URL or state and the cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// A URL (the provider's base URL, a state-change URL, or where a request would go) cannot be
    /// used.
    #[error("{0}")]
    Url(String),
    /// The HTTP client could not be built (for example from the HTTPS options).
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// The request cannot be sent as the pact writes it.
    #[error("{0}")]
    Request(String),
    /// The call failed: no connection, a redirect away from the provider, a body that could not
    /// be read.
    #[error("{0}")]
    Transport(String),
    /// An answer was larger than allowed.
    #[error("{0}")]
    TooLarge(String),
    /// A state-change call answered with an error status.
    #[error("{0}")]
    Status(String),
    /// An in-process provider-state handler failed.
    #[error(transparent)]
    State(#[from] crate::provider::StateError),
    /// The call took longer than the request timeout.
    #[error("{0}")]
    Timeout(String),
    /// A message producer (in-process or at the message endpoint) failed or answered something
    /// that is not a message.
    #[error("{0}")]
    Producer(String),
}

/// Which interactions to verify.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only interactions whose description matches.
    pub description: Option<Regex>,
    /// Only interactions with a provider state that matches.
    pub state: Option<Regex>,
    /// Only interactions with no provider state.
    pub no_state: bool,
    /// Only pacts of these consumers (all when empty).
    pub consumers: Vec<String>,
}

impl Filter {
    fn keeps_pact(&self, pact: &Pact) -> bool {
        self.consumers.is_empty() || self.consumers.iter().any(|c| c == &pact.consumer)
    }

    fn keeps(&self, interaction: &Interaction) -> bool {
        let states = interaction.provider_states();
        self.description.as_ref().is_none_or(|re| re.is_match(interaction.description()))
            && self.state.as_ref().is_none_or(|re| states.iter().any(|s| re.is_match(&s.name)))
            && (!self.no_state || states.is_empty())
    }
}

/// The longest timeout of a request or state-change call (10 minutes).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);

/// What the verifier sends requests to; built when the verification runs, with the settings
/// given by then.
enum TargetSpec {
    /// A provider over HTTP, at this (checked) base URL.
    Http(String),
    /// An in-process service, built with the response cap.
    #[cfg(feature = "axum")]
    Service(Box<dyn Fn(u64) -> Arc<dyn Target> + Send + Sync>),
    /// A target given whole.
    Ready(Arc<dyn Target>),
}

/// Where message interactions get their messages; built when the verification runs.
enum MessagesSpec {
    /// From the provider: its message URL when given, else (as the official verifier does) its
    /// base URL; none for an in-process target.
    Provider,
    /// From this message endpoint.
    Url(String),
    /// From this source.
    Ready(Arc<dyn MessageSource>),
}

/// Verifies pacts against a provider. Build it, then `verify().await` once.
pub struct Verifier {
    target: TargetSpec,
    messages: MessagesSpec,
    states: Option<Arc<dyn StateSetup>>,
    sources: Vec<PactSource>,
    filter: Filter,
    headers: Vec<(String, String)>,
    timeout: Duration,
    provider: Option<String>,
    progress: Option<Arc<dyn Fn(usize, usize) + Send + Sync>>,
    tls: crate::tls::TlsOptions,
    follow_redirects: bool,
    max_response_bytes: u64,
    read_options: ReadOptions,
}

impl Verifier {
    /// Verifies a provider reached over HTTP at `base_url` (`http` or `https`, a host, a valid
    /// port, and no query or fragment; a path such as `/api` is kept before each pact's path).
    pub fn http(base_url: &str) -> Result<Self, VerifyError> {
        Self::http_with_tls(base_url, &crate::tls::TlsOptions::default())
    }

    /// Verifies a provider reached over HTTP or HTTPS at `base_url`, with these HTTPS options
    /// (extra CA files, or no certificate verification), which also apply to pact URLs and to
    /// the state-change URL.
    pub fn http_with_tls(base_url: &str, tls: &crate::tls::TlsOptions) -> Result<Self, VerifyError> {
        url::parse_base_url(base_url).map_err(VerifyError::Config)?;
        // The CA files are read here, so that a wrong one is reported before anything runs;
        // the clients are built when the verification runs.
        let _checked = tls.client_builder().map_err(|e| VerifyError::Config(e.to_string()))?;
        let mut verifier = Self::with_spec(TargetSpec::Http(base_url.to_string()), DEFAULT_TIMEOUT);
        verifier.tls = tls.clone();
        Ok(verifier)
    }

    /// Verifies a `tower::Service`, such as an axum `Router`, in-process: no port is bound.
    #[cfg(feature = "axum")]
    pub fn service<S>(service: S) -> Self
    where
        S: Clone + Send + Sync + 'static,
        ServiceTarget<S>: Target + 'static,
    {
        let build = move |cap: u64| -> Arc<dyn Target> {
            Arc::new(ServiceTarget::new(service.clone()).max_response_bytes(cap))
        };
        Self::with_spec(TargetSpec::Service(Box::new(build)), DEFAULT_TIMEOUT)
    }

    /// Verifies any [`Target`].
    pub fn with_target(target: Arc<dyn Target>, timeout: Duration) -> Self {
        Self::with_spec(TargetSpec::Ready(target), timeout)
    }

    fn with_spec(target: TargetSpec, timeout: Duration) -> Self {
        Verifier {
            target,
            messages: MessagesSpec::Provider,
            states: None,
            sources: Vec::new(),
            filter: Filter::default(),
            headers: Vec::new(),
            timeout,
            provider: None,
            progress: None,
            tls: crate::tls::TlsOptions::default(),
            follow_redirects: false,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            read_options: ReadOptions::default(),
        }
    }

    /// Follows the provider's redirects (off by default, as in Pact-JVM: a provider answering
    /// 302 must not pass a pact that expects 200). Only redirects within the base URL's scheme,
    /// host and port are followed, at most 10; a redirect elsewhere is an error.
    pub fn follow_redirects(mut self, follow: bool) -> Self {
        self.follow_redirects = follow;
        self
    }

    /// Sets the largest response body read from the provider (64 MiB by default). A larger one
    /// is an error for its interaction, found from `Content-Length` before it is read, or while
    /// it streams.
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Sets the limits pacts are read under (file and body sizes; see [`ReadOptions`]). A pact
    /// fetched from a URL is capped at `max_file_bytes` while it streams.
    pub fn read_options(mut self, options: ReadOptions) -> Self {
        self.read_options = options;
        self
    }

    fn build_target(&self) -> Result<Arc<dyn Target>, VerifyError> {
        Ok(match &self.target {
            TargetSpec::Http(base) => Arc::new(
                HttpTarget::with_options(base, self.follow_redirects, self.max_response_bytes, &self.tls)
                    .map_err(|e| VerifyError::Config(e.to_string()))?,
            ),
            #[cfg(feature = "axum")]
            TargetSpec::Service(build) => build(self.max_response_bytes),
            TargetSpec::Ready(target) => target.clone(),
        })
    }

    /// Asks this message endpoint for the messages of message interactions, with the protocol of
    /// the official verifiers (see [`crate::message`]). Without it, a provider verified over
    /// HTTP is asked at its base URL, as pact_verifier_cli does.
    pub fn message_url(mut self, url: &str) -> Result<Self, VerifyError> {
        url::parse_base_url(url)
            .map_err(|e| VerifyError::Config(e.replace("provider base URL", "message URL")))?;
        self.messages = MessagesSpec::Url(url.to_string());
        Ok(self)
    }

    /// Produces the messages of message interactions in-process, with the producers registered
    /// with `#[message_provider]` for `app`'s type (and those that take no application state).
    /// A pre-flight check lists the messages in the pacts that have no producer.
    pub fn message_producers<S: Send + Sync + 'static>(mut self, app: S) -> Self {
        self.messages = MessagesSpec::Ready(Arc::new(RegistryMessages::registered(app)));
        self
    }

    /// Produces the messages of message interactions with any [`MessageSource`].
    pub fn messages(mut self, source: Arc<dyn MessageSource>) -> Self {
        self.messages = MessagesSpec::Ready(source);
        self
    }

    fn build_messages(&self) -> Result<Option<Arc<dyn MessageSource>>, VerifyError> {
        let endpoint = |url: &str| -> Result<Option<Arc<dyn MessageSource>>, VerifyError> {
            let target =
                HttpTarget::with_options(url, self.follow_redirects, self.max_response_bytes, &self.tls)
                    .map_err(|e| VerifyError::Config(e.to_string()))?;
            Ok(Some(Arc::new(HttpMessages::new(Arc::new(target), self.headers.clone()))))
        };
        match (&self.messages, &self.target) {
            (MessagesSpec::Ready(source), _) => Ok(Some(source.clone())),
            (MessagesSpec::Url(url), _) => endpoint(url),
            (MessagesSpec::Provider, TargetSpec::Http(base)) => endpoint(base),
            (MessagesSpec::Provider, _) => Ok(None),
        }
    }

    /// Adds a pact source.
    pub fn pact(mut self, source: PactSource) -> Self {
        self.sources.push(source);
        self
    }

    /// Sets provider states up through a state-change URL (setups only; see
    /// [`state_url_with_teardown`](Self::state_url_with_teardown)).
    pub fn state_url(self, url: &str) -> Result<Self, VerifyError> {
        self.state_url_with_teardown(url, false)
    }

    /// Sets provider states up through a state-change URL, also sending teardowns when asked.
    /// The URL is checked here, or every interaction would fail its state setup with the same
    /// error.
    pub fn state_url_with_teardown(mut self, url: &str, teardown: bool) -> Result<Self, VerifyError> {
        let states =
            HttpStates::with_tls(url, teardown, &self.tls).map_err(|e| VerifyError::Config(e.to_string()))?;
        self.states = Some(Arc::new(states));
        Ok(self)
    }

    /// Sets provider states up in-process, with the handlers registered for `app`'s type.
    pub fn state_handlers<S: Send + Sync + 'static>(mut self, app: S) -> Self {
        self.states = Some(Arc::new(RegistryStates::registered(app)));
        self
    }

    /// Sets provider states up with any [`StateSetup`].
    pub fn states(mut self, states: Arc<dyn StateSetup>) -> Self {
        self.states = Some(states);
        self
    }

    /// Keeps only some interactions.
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filter = filter;
        self
    }

    /// Adds a header to every request (replacing the pact's value of that header).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the timeout of each request and each state-change call (5 s by default; between
    /// 1 ms and [`MAX_TIMEOUT`], to which longer ones are cut).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout.clamp(Duration::from_millis(1), MAX_TIMEOUT);
        self
    }

    /// Verifies only pacts with this provider name.
    pub fn provider_name(mut self, name: &str) -> Self {
        self.provider = Some(name.to_string());
        self
    }

    /// Calls `progress(done, total)` after each interaction, for long runs.
    pub fn on_progress(mut self, progress: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// Loads the pacts the sources name, with the filters applied.
    pub async fn load(&self) -> Result<Vec<(String, Pact)>, VerifyError> {
        Ok(self.load_checked().await?.into_iter().map(|l| (l.origin, l.pact)).collect())
    }

    async fn load_checked(&self) -> Result<Vec<Loaded>, VerifyError> {
        // Only pact URLs need an HTTP client (and it reads the system's trust store, which
        // costs about 20 ms): none is built for files.
        let client = if self.sources.iter().any(|s| matches!(s, PactSource::Url(_))) {
            Some(self.tls.build_client(|b| b).map_err(|e| VerifyError::Config(e.to_string()))?)
        } else {
            None
        };
        let mut pacts = Vec::new();
        for source in &self.sources {
            for loaded in source.load(client.as_ref(), self.timeout, self.read_options).await? {
                let provider_ok = self.provider.as_ref().is_none_or(|p| p == &loaded.pact.provider);
                if provider_ok && self.filter.keeps_pact(&loaded.pact) {
                    pacts.push(loaded);
                }
            }
        }
        if pacts.is_empty() {
            let why = if self.sources.is_empty() {
                String::from(": give at least one pact source")
            } else {
                String::from(" after the filters")
            };
            return Err(VerifyError::NothingToVerify(why));
        }
        Ok(pacts)
    }

    /// Runs the verification.
    ///
    /// A run that would verify nothing is an error: pacts with no interactions, or filters that
    /// select none. HTTP interactions go to the target; message interactions to the message
    /// source (see [`message_url`](Self::message_url) and
    /// [`message_producers`](Self::message_producers)), and a run with messages that no source
    /// can produce stops before anything is sent ([`VerifyError::MissingProducers`]).
    pub async fn verify(&self) -> Result<VerificationReport, VerifyError> {
        let pacts = self.load_checked().await?;
        self.preflight(&pacts)?;
        let selected = |p: &Pact| p.interactions.iter().filter(|i| self.filter.keeps(i)).count();
        let total: usize = pacts.iter().map(|l| selected(&l.pact)).sum();
        let filtered =
            self.filter.description.is_some() || self.filter.state.is_some() || self.filter.no_state;
        if total == 0 && filtered {
            // As for a consumer filter that leaves no pact: a mistyped filter must not pass.
            let pairs: Vec<String> =
                pacts.iter().map(|l| format!("{} ({})", l.pact.consumer, l.origin)).collect();
            return Err(VerifyError::NothingToVerify(format!(
                ": no interaction matched the filters in the pacts of {}",
                pairs.join(", ")
            )));
        }
        if pacts.iter().all(|l| selected(&l.pact) == 0) {
            let why: Vec<String> = pacts.iter().map(|l| why_nothing(l, selected(&l.pact))).collect();
            return Err(VerifyError::NothingVerifiable(why.join("; ")));
        }
        // The message source (an HTTP client for the provider's message endpoint) is built only
        // when there are messages to verify.
        let has_messages = pacts.iter().any(|l| {
            l.pact.interactions.iter().any(|i| !matches!(i, Interaction::Http(_)) && self.filter.keeps(i))
        });
        let messages = if has_messages { self.build_messages()? } else { None };
        self.preflight_messages(&pacts, messages.as_deref())?;
        let target = self.build_target()?;
        let mut report = VerificationReport { target: target.describe(), pacts: Vec::new() };
        let mut done = 0;
        for loaded in &pacts {
            let pact = &loaded.pact;
            let mut warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
            if selected(pact) == 0 {
                warnings.push(why_nothing(loaded, selected(pact)));
            }
            let mut pact_report = PactReport {
                consumer: pact.consumer.clone(),
                provider: pact.provider.clone(),
                source: loaded.origin.clone(),
                warnings,
                interactions: Vec::new(),
            };
            for interaction in pact.interactions.iter().filter(|i| self.filter.keeps(i)) {
                pact_report.interactions.push(
                    self.verify_interaction(
                        target.as_ref(),
                        messages.as_deref(),
                        &pact.consumer,
                        interaction,
                    )
                    .await,
                );
                done += 1;
                if let Some(progress) = &self.progress {
                    progress(done, total);
                }
            }
            report.pacts.push(pact_report);
        }
        Ok(report)
    }

    /// Every state the selected interactions need must have a handler, when the handlers are
    /// known in advance.
    fn preflight(&self, pacts: &[Loaded]) -> Result<(), VerifyError> {
        let Some(known) = self.states.as_ref().and_then(|s| s.known_states()) else { return Ok(()) };
        let mut missing: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for Loaded { pact, .. } in pacts {
            for interaction in pact.interactions.iter().filter(|i| self.filter.keeps(i)) {
                for state in interaction.provider_states() {
                    if !known.contains(&state.name) {
                        missing.entry(state.name.clone()).or_default().push(format!(
                            "{}: {:?}",
                            pact.consumer,
                            interaction.description()
                        ));
                    }
                }
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        Err(VerifyError::MissingStates {
            missing: missing
                .into_iter()
                .map(|(state, users)| format!("{state:?} (needed by {})", users.join(", ")))
                .collect(),
            known,
        })
    }

    /// Every message the selected interactions expect must have a producer: when the producers
    /// are known in advance, or when there is no message source at all.
    fn preflight_messages(
        &self,
        pacts: &[Loaded],
        source: Option<&dyn MessageSource>,
    ) -> Result<(), VerifyError> {
        let known = match source {
            Some(source) => match source.known_messages() {
                Some(known) => Some(known),
                None => return Ok(()),
            },
            None => None,
        };
        let mut missing: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for Loaded { pact, origin, .. } in pacts {
            for interaction in pact.interactions.iter().filter(|i| self.filter.keeps(i)) {
                if matches!(interaction, Interaction::Http(_)) {
                    continue;
                }
                let description = interaction.description();
                if known.as_ref().is_none_or(|k| !k.iter().any(|d| d == description)) {
                    missing.entry(description.to_string()).or_default().push(format!(
                        "{} ({}, {origin})",
                        pact.consumer,
                        interaction.type_name()
                    ));
                }
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        Err(VerifyError::MissingProducers {
            missing: missing
                .into_iter()
                .map(|(description, users)| format!("{description:?} (expected by {})", users.join(", ")))
                .collect(),
            known,
        })
    }

    async fn verify_interaction(
        &self,
        target: &dyn Target,
        messages: Option<&dyn MessageSource>,
        consumer: &str,
        interaction: &Interaction,
    ) -> InteractionResult {
        let started = Instant::now();
        let meta = interaction.meta();
        let states: Vec<String> = meta.provider_states.iter().map(|s| s.name.clone()).collect();
        let outcome = match interaction {
            Interaction::Http(http) => {
                self.with_states(consumer, meta, |context| self.exchange_http(target, http, context)).await
            }
            _ => match (message::call_for(interaction), messages) {
                (Some(call), Some(source)) => {
                    let exchange = |_| async move {
                        let what = || {
                            format!("producing the message {:?} ({})", call.description, source.describe())
                        };
                        let produce = async { source.produce(&call).await.map_err(CallError::Producer) };
                        match self.within(produce, what).await {
                            Ok(actual) => message::compare(interaction, &actual),
                            Err(e) => Outcome::Error(e.to_string()),
                        }
                    };
                    self.with_states(consumer, meta, exchange).await
                }
                // The pre-flight check stops a run with messages and no source before this.
                _ => Outcome::Error(format!("no producer for the {} interaction", interaction.type_name())),
            },
        };
        InteractionResult {
            description: meta.description.clone(),
            states,
            pending: meta.pending,
            outcome,
            duration: started.elapsed(),
        }
    }

    /// Runs a call under the request timeout.
    async fn within<T>(
        &self,
        call: impl std::future::Future<Output = Result<T, CallError>>,
        what: impl FnOnce() -> String,
    ) -> Result<T, CallError> {
        match tokio::time::timeout(self.timeout, call).await {
            Ok(result) => result,
            Err(_) => Err(CallError::Timeout(format!(
                "{} timed out after {} ms (raise --request-timeout if the provider is slow)",
                what(),
                self.timeout.as_millis()
            ))),
        }
    }

    /// Sets the interaction's states up, runs `exchange` with the values to inject (the states'
    /// params and what their setups returned), then tears the states down in reverse order.
    async fn with_states<F, Fut>(&self, consumer: &str, meta: &InteractionMeta, exchange: F) -> Outcome
    where
        F: FnOnce(Map<String, Value>) -> Fut,
        Fut: std::future::Future<Output = Outcome>,
    {
        // 1. States, collecting injected values over the params.
        let mut context: Map<String, Value> = Map::new();
        let mut set_up = Vec::new();
        let mut outcome = None;
        if let Some(states) = &self.states {
            for state in &meta.provider_states {
                context.extend(state.params.clone());
                match self
                    .within(states.call(consumer, state, Action::Setup), || {
                        format!("the setup of {:?}", state.name)
                    })
                    .await
                {
                    Ok(injected) => {
                        context.extend(injected);
                        set_up.push(state);
                    }
                    Err(e) => {
                        outcome = Some(Outcome::Error(format!(
                            "provider state {:?} could not be set up: {e}",
                            state.name
                        )));
                        break;
                    }
                }
            }
        } else {
            for state in &meta.provider_states {
                context.extend(state.params.clone());
            }
        }
        // 2-4. The exchange and the comparison.
        let outcome = match outcome {
            Some(error) => error,
            None => exchange(context).await,
        };
        // 5. Teardown, in reverse order.
        if let Some(states) = self.states.as_ref().filter(|s| s.wants_teardown()) {
            for state in set_up.iter().rev() {
                let teardown = states.call(consumer, state, Action::Teardown);
                if let Err(e) = self.within(teardown, || format!("the teardown of {:?}", state.name)).await {
                    tracing::warn!(state = %state.name, error = %e, "provider state teardown failed");
                    if outcome == Outcome::Passed {
                        return Outcome::Error(format!(
                            "provider state {:?} could not be torn down: {e}",
                            state.name
                        ));
                    }
                }
            }
        }
        outcome
    }

    /// Sends an HTTP interaction's request and compares the response.
    async fn exchange_http(
        &self,
        target: &dyn Target,
        interaction: &crate::model::HttpInteraction,
        context: Map<String, Value>,
    ) -> Outcome {
        let context = crate::generate::Context::with_values(context);
        let mut request = crate::generate::request(&interaction.request, &context);
        for (name, value) in &self.headers {
            let headers = request.to_mut().headers.get_or_insert_with(Default::default);
            headers.set(name.clone(), vec![value.clone()]);
        }
        let what = || format!("{} {}{}", request.method, target.describe(), request.path);
        match self.within(target.send(&request), what).await {
            Ok(actual) => {
                let expected = crate::generate::expected_response(&interaction.response, &context);
                let mismatches = match_response(&expected, &actual);
                if mismatches.is_empty() {
                    Outcome::Passed
                } else {
                    Outcome::Failed(mismatches)
                }
            }
            Err(e) => Outcome::Error(e.to_string()),
        }
    }
}

/// Why a pact gives nothing to verify, in a few words.
fn why_nothing(loaded: &Loaded, selected: usize) -> String {
    let pact = &loaded.pact;
    if pact.interactions.is_empty() {
        format!("the pact {} has no interactions", loaded.origin)
    } else if selected == 0 {
        format!("no interaction of the pact {} matched the filters", loaded.origin)
    } else {
        format!("the pact {} has {selected} interaction(s) to verify", loaded.origin)
    }
}
