//! `pact verify` (and `pact verifier`): replay pacts against a provider, from files,
//! directories, URLs or a Pact Broker, and publish the results to the broker.
//!
//! Both flag sets work: the Ruby-style flags of the seed (`--provider-base-url`, `--pact-url`,
//! `--provider-states-setup-url`, `--pact-broker-url`, `--provider-app-version`,
//! `--publish-verification-results`) and pact_verifier_cli's (`-f/-d/-u/-b`, `-h/-p`,
//! `--transport`, `--base-path`, `-n`, `-s`, `--provider-version`, `--publish`, selectors...),
//! each with its environment variable.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args};
use pact_core::broker::{
    verification, Auth, BrokerClient, BrokerConfig, BrokerError, BrokerPact, PactSelection, ProviderVersion,
};
use pact_core::tls::TlsOptions;
use pact_core::verify::{Filter, HttpStates, PactSource, VerificationReport, Verifier};
use serde_json::Value;

use crate::failure::Failure;
use crate::{parse_header, regex};

/// One `--transports` entry.
struct Transport {
    name: String,
    port: u16,
    path: String,
}

/// The flags of `pact verify`.
#[derive(Args, Debug, Clone)]
#[command(disable_help_flag = true)]
pub struct VerifyArgs {
    /// Print help (`-h` is the provider's host name, as in pact_verifier_cli).
    #[arg(long, action = ArgAction::Help)]
    pub help: Option<bool>,

    // --- Pact sources ---
    /// A pact file, a directory of pact files, or a pact URL (repeatable).
    #[arg(long = "pact-url", value_name = "PATH_OR_URL", help_heading = "Pacts")]
    pub pact_urls: Vec<String>,
    /// A pact file (repeatable).
    #[arg(short = 'f', long = "file", value_name = "FILE", help_heading = "Pacts")]
    pub files: Vec<PathBuf>,
    /// A directory of pact files (repeatable).
    #[arg(short = 'd', long = "dir", value_name = "DIR", help_heading = "Pacts")]
    pub dirs: Vec<PathBuf>,
    /// A pact URL (repeatable); fetched with the broker credentials.
    #[arg(short = 'u', long = "url", value_name = "URL", help_heading = "Pacts")]
    pub urls: Vec<String>,
    /// The Pact Broker to fetch pacts from (with --provider-name) and to publish results to.
    #[arg(short = 'b', long = "broker-url", visible_aliases = ["pact-broker-url", "broker-base-url"], env = "PACT_BROKER_BASE_URL", value_name = "URL", help_heading = "Pacts")]
    pub broker_url: Option<String>,
    /// A pact URL from a broker webhook (verified alone, with the broker's credentials).
    #[arg(long, env = "PACT_WEBHOOK_CALLBACK_URL", value_name = "URL", help_heading = "Pacts")]
    pub webhook_callback_url: Option<String>,
    /// Exit 0 when the broker has no pacts for the provider.
    #[arg(long, help_heading = "Pacts")]
    pub ignore_no_pacts_error: bool,

    // --- Broker credentials and selection ---
    /// Broker user name.
    #[arg(
        long = "user",
        visible_aliases = ["broker-username", "pact-broker-username"],
        env = "PACT_BROKER_USERNAME",
        value_name = "USER",
        help_heading = "Broker"
    )]
    pub user: Option<String>,
    /// Broker password.
    #[arg(
        long = "password",
        visible_aliases = ["broker-password", "pact-broker-password"],
        env = "PACT_BROKER_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true,
        help_heading = "Broker"
    )]
    pub password: Option<String>,
    /// Broker bearer token.
    #[arg(
        short = 't',
        long = "token",
        visible_aliases = ["broker-token", "pact-broker-token"],
        env = "PACT_BROKER_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true,
        help_heading = "Broker"
    )]
    pub token: Option<String>,
    /// A consumer version selector as JSON, such as '{"mainBranch": true}' (repeatable).
    #[arg(long = "consumer-version-selectors", value_name = "JSON", help_heading = "Broker")]
    pub consumer_version_selectors: Vec<String>,
    /// Consumer tags: the latest pact with each (comma-separated or repeated).
    #[arg(
        long = "consumer-version-tags",
        visible_alias = "consumer-version-tag",
        value_delimiter = ',',
        value_name = "TAGS",
        help_heading = "Broker"
    )]
    pub consumer_version_tags: Vec<String>,
    /// Ask the broker which pacts are pending: their failures do not fail the verification.
    #[arg(long, help_heading = "Broker")]
    pub enable_pending: bool,
    /// Also verify work-in-progress pacts published since this date (with --enable-pending,
    /// which keeps their failures from failing the verification).
    #[arg(long, value_name = "DATE", help_heading = "Broker")]
    pub include_wip_pacts_since: Option<String>,
    /// Retries of broker requests after connection errors, timeouts, 5xx, 408 and 429.
    #[arg(
        long,
        env = "PACT_BROKER_HTTP_RETRIES",
        value_name = "N",
        default_value_t = 3,
        help_heading = "Broker"
    )]
    pub retries: u32,

    // --- Provider ---
    /// Base URL of the provider, such as http://localhost:5001 (or -h/-p/--transport/--base-path).
    #[arg(long, value_name = "URL", help_heading = "Provider")]
    pub provider_base_url: Option<String>,
    /// Provider host name.
    #[arg(short = 'h', long, env = "PACT_PROVIDER_HOSTNAME", value_name = "HOST", help_heading = "Provider")]
    pub hostname: Option<String>,
    /// Provider port (default 80 for http, 443 for https).
    #[arg(short = 'p', long, env = "PACT_PROVIDER_PORT", value_name = "PORT", help_heading = "Provider")]
    pub port: Option<u16>,
    /// Provider scheme: http or https.
    #[arg(
        long,
        visible_alias = "scheme",
        env = "PACT_PROVIDER_TRANSPORT",
        value_name = "SCHEME",
        help_heading = "Provider"
    )]
    pub transport: Option<String>,
    /// A path prefix for every request to the provider.
    #[arg(long, env = "PACT_PROVIDER_BASE_PATH", value_name = "PATH", help_heading = "Provider")]
    pub base_path: Option<String>,
    /// The provider's message endpoint (POST), such as http://localhost:5001/_pact/messages: the
    /// verifier asks it for the messages of message interactions. Without it (and without a
    /// message transport) they are asked of the provider's base URL, as pact_verifier_cli does.
    #[arg(long, env = "PACT_PROVIDER_MESSAGE_URL", value_name = "URL", help_heading = "Provider")]
    pub message_url: Option<String>,
    /// pact_verifier_cli's transports, as NAME:PORT[/PATH] (repeatable, space-separated):
    /// `message:5001/_pact/messages` (or async-message, sync-message) is the message endpoint on
    /// the provider's host; `http:PORT` and `https:PORT` give the provider's port.
    #[arg(long, num_args = 1.., value_name = "NAME:PORT[/PATH]", help_heading = "Provider")]
    pub transports: Vec<String>,
    /// The provider's name: which pacts the broker gives, and a filter on other pacts.
    #[arg(short = 'n', long, env = "PACT_PROVIDER_NAME", value_name = "NAME", help_heading = "Provider")]
    pub provider_name: Option<String>,
    /// A header added to every request, as "Name: value" or NAME=VALUE (repeatable).
    #[arg(long, short = 'H', value_name = "HEADER", help_heading = "Provider")]
    pub header: Vec<String>,
    /// Timeout of each request and state-change call, in milliseconds (1 to 600000).
    #[arg(
        long,
        env = "PACT_PROVIDER_REQUEST_TIMEOUT",
        value_name = "MS",
        default_value_t = 5000,
        value_parser = clap::value_parser!(u64).range(1..=600_000),
        help_heading = "Provider"
    )]
    pub request_timeout: u64,
    /// Follow the provider's redirects (only within its scheme, host and port). Off by default:
    /// a provider answering 302 does not pass a pact that expects 200.
    #[arg(long, help_heading = "Provider")]
    pub follow_redirects: bool,
    /// The largest response body read from the provider: bytes, or with a unit (KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size, help_heading = "Provider")]
    pub max_response_size: u64,
    /// A PEM file of CA certificates to trust beside the system's roots (providers and brokers).
    #[arg(long, visible_alias = "ssl-certificate", value_name = "FILE", help_heading = "Provider")]
    pub cacert: Option<PathBuf>,
    /// Accept any TLS certificate (providers and brokers; for tests only).
    #[arg(long, visible_alias = "skip-ssl-verification", help_heading = "Provider")]
    pub disable_ssl_verification: bool,

    // --- Provider states ---
    /// The provider's state-change URL (POST), such as http://localhost:5001/_pact/provider_states.
    #[arg(
        short = 's',
        long = "state-change-url",
        visible_alias = "provider-states-setup-url",
        env = "PACT_PROVIDER_STATE_CHANGE_URL",
        value_name = "URL",
        help_heading = "Provider states"
    )]
    pub state_change_url: Option<String>,
    /// Send the state as query parameters instead of a JSON body.
    #[arg(long, env = "PACT_PROVIDER_STATE_CHANGE_AS_QUERY", help_heading = "Provider states")]
    pub state_change_as_query: bool,
    /// Also call the state-change URL with "action": "teardown" after each interaction.
    #[arg(long, env = "PACT_PROVIDER_STATE_CHANGE_TEARDOWN", help_heading = "Provider states")]
    pub state_change_teardown: bool,

    // --- Filters ---
    /// Only interactions whose description matches this regular expression.
    #[arg(long, env = "PACT_DESCRIPTION", value_name = "REGEX", help_heading = "Filters")]
    pub filter_description: Option<String>,
    /// Only interactions with a provider state matching this regular expression.
    #[arg(long, env = "PACT_PROVIDER_STATE", value_name = "REGEX", help_heading = "Filters")]
    pub filter_state: Option<String>,
    /// Only interactions without a provider state.
    #[arg(long, env = "PACT_PROVIDER_NO_STATE", help_heading = "Filters")]
    pub filter_no_state: bool,
    /// Only pacts of this consumer (repeatable).
    #[arg(long, short = 'c', value_name = "NAME", help_heading = "Filters")]
    pub filter_consumer: Vec<String>,

    // --- Publishing ---
    /// Publish the verification results to the broker.
    #[arg(long, visible_alias = "publish-verification-results", help_heading = "Publishing")]
    pub publish: bool,
    /// The provider version verified (required to publish).
    #[arg(long, visible_alias = "provider-app-version", value_name = "VERSION", help_heading = "Publishing")]
    pub provider_version: Option<String>,
    /// The provider version's branch (also what pending is computed against).
    #[arg(
        long,
        visible_alias = "provider-version-branch",
        value_name = "BRANCH",
        help_heading = "Publishing"
    )]
    pub provider_branch: Option<String>,
    /// The provider version's tags (comma-separated or repeated).
    #[arg(
        long,
        visible_alias = "provider-version-tag",
        value_delimiter = ',',
        value_name = "TAGS",
        help_heading = "Publishing"
    )]
    pub provider_tags: Vec<String>,
    /// The URL of the build that verified.
    #[arg(long, value_name = "URL", help_heading = "Publishing")]
    pub build_url: Option<String>,

    // --- Reports ---
    /// Also write the report as JSON to this file.
    #[arg(
        short = 'j',
        long,
        env = "PACT_VERIFIER_JSON_REPORT",
        value_name = "FILE",
        help_heading = "Reports"
    )]
    pub json: Option<PathBuf>,
    /// Also write the report as JUnit XML to this file.
    #[arg(
        short = 'x',
        long,
        env = "PACT_VERIFIER_JUNIT_REPORT",
        value_name = "FILE",
        help_heading = "Reports"
    )]
    pub junit: Option<PathBuf>,
    /// Also write the report as one self-contained HTML page to this file.
    #[arg(long, env = "PACT_VERIFIER_HTML_REPORT", value_name = "FILE", help_heading = "Reports")]
    pub html: Option<PathBuf>,
    /// No colour, even on a terminal (also NO_COLOR).
    #[arg(long, visible_alias = "no-color", help_heading = "Reports")]
    pub no_colour: bool,
    /// Log level (error, warn, info, debug, trace, none); -v does the same.
    #[arg(
        short = 'l',
        long = "loglevel",
        visible_alias = "log-level",
        value_name = "LEVEL",
        help_heading = "Reports"
    )]
    pub loglevel: Option<String>,
}

impl VerifyArgs {
    fn tls(&self) -> TlsOptions {
        TlsOptions {
            ca_files: self.cacert.iter().cloned().collect(),
            disable_verification: self.disable_ssl_verification,
        }
    }

    fn auth(&self) -> Result<Auth, Failure> {
        Ok(Auth::from_parts(self.user.as_deref(), self.password.as_deref(), self.token.as_deref())?)
    }

    /// The message endpoint: `--message-url`, or a message transport of `--transports` on the
    /// provider's host.
    fn message_url(&self) -> Result<Option<String>, Failure> {
        let mut found: Option<String> = None;
        for transport in self.transports() {
            let Transport { name, port, path } = transport?;
            if !matches!(name.as_str(), "message" | "async-message" | "sync-message") {
                continue;
            }
            let host = self.hostname.as_deref().unwrap_or("localhost");
            let mut url = url::Url::parse("http://localhost")
                .map_err(|e| Failure::config(format!("--transports {name}: {e}")))?;
            url.set_host(Some(host)).map_err(|e| Failure::config(format!("--hostname {host:?}: {e}")))?;
            url.set_port(Some(port))
                .map_err(|_| Failure::config("--transports: this URL cannot take a port"))?;
            url.set_path(&path);
            let url = url.as_str().to_string();
            if found.as_ref().is_some_and(|f| f != &url) {
                return Err(Failure::config(format!(
                    "--transports names two message endpoints ({} and {url}); give one",
                    found.unwrap_or_default()
                )));
            }
            found = Some(url);
        }
        match (&self.message_url, found) {
            (Some(_), Some(_)) => Err(Failure::config("give --message-url or a message transport, not both")),
            (Some(url), None) => Ok(Some(url.clone())),
            (None, found) => Ok(found),
        }
    }

    /// The `--transports` entries, each as `NAME:PORT[/PATH]`.
    fn transports(&self) -> impl Iterator<Item = Result<Transport, Failure>> + '_ {
        self.transports.iter().map(|text| {
            let bad = || {
                Failure::config(format!(
                    "--transports {text:?}: expected NAME:PORT[/PATH], such as message:5001/_pact/messages"
                ))
            };
            let (name, rest) = text.split_once(':').ok_or_else(bad)?;
            let (port, path) = match rest.find('/') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, "/"),
            };
            let port: u16 = port.parse().map_err(|_| bad())?;
            let name = name.to_ascii_lowercase();
            if !matches!(name.as_str(), "http" | "https" | "message" | "async-message" | "sync-message") {
                return Err(Failure::config(format!(
                    "--transports {text:?}: the transport {name:?} is not supported (http, https, message, \
                     async-message, sync-message)"
                )));
            }
            Ok(Transport { name, port, path: path.to_string() })
        })
    }

    /// The provider's base URL: `--provider-base-url`, or built from `--transport`,
    /// `--hostname`, `--port` (or an http/https entry of `--transports`) and `--base-path`.
    fn provider_url(&self) -> Result<String, Failure> {
        if let Some(url) = &self.provider_base_url {
            if self.hostname.is_some() || self.port.is_some() {
                return Err(Failure::config("give --provider-base-url or --hostname/--port, not both"));
            }
            return Ok(url.clone());
        }
        let mut scheme = self.transport.as_deref().unwrap_or("http").to_ascii_lowercase();
        let mut port = self.port;
        for transport in self.transports() {
            let transport = transport?;
            if port.is_none() && matches!(transport.name.as_str(), "http" | "https") {
                port = Some(transport.port);
                if self.transport.is_none() {
                    scheme = transport.name;
                }
            }
        }
        if scheme != "http" && scheme != "https" {
            return Err(Failure::config(format!(
                "--transport {scheme:?}: only http and https providers are verified over HTTP"
            )));
        }
        let host = self.hostname.as_deref().unwrap_or("localhost");
        let mut url = url::Url::parse(&format!("{scheme}://localhost"))
            .map_err(|e| Failure::config(format!("--transport {scheme:?}: {e}")))?;
        url.set_host(Some(host)).map_err(|e| Failure::config(format!("--hostname {host:?}: {e}")))?;
        url.set_port(port).map_err(|_| Failure::config("--port: this URL cannot take a port"))?;
        if let Some(path) = &self.base_path {
            url.set_path(path);
        }
        Ok(url.as_str().trim_end_matches('/').to_string())
    }

    fn selection(&self, provider: &str) -> Result<PactSelection, Failure> {
        let mut selectors = Vec::new();
        for text in &self.consumer_version_selectors {
            let value: Value = serde_json::from_str(text).map_err(|e| {
                Failure::config(format!("--consumer-version-selectors {text:?}: not JSON: {e}"))
            })?;
            if !value.is_object() {
                return Err(Failure::config(format!(
                    "--consumer-version-selectors {text:?}: expected a JSON object such as {{\"mainBranch\": true}}"
                )));
            }
            selectors.push(value);
        }
        Ok(PactSelection {
            provider: provider.to_string(),
            selectors,
            consumer_tags: self
                .consumer_version_tags
                .iter()
                .filter(|t| !t.trim().is_empty())
                .cloned()
                .collect(),
            provider_branch: self.provider_branch.clone(),
            provider_tags: self.provider_tags.clone(),
            include_pending: self.enable_pending,
            include_wip_since: self.include_wip_pacts_since.clone(),
        })
    }

    /// A broker client: for the broker URL, or for the origin of a pact URL.
    fn broker_client(&self, fallback_url: Option<&str>) -> Result<BrokerClient, Failure> {
        let url = match (&self.broker_url, fallback_url) {
            (Some(url), _) if !url.trim().is_empty() => url.clone(),
            (_, Some(pact_url)) => {
                let parsed = url::Url::parse(pact_url)
                    .map_err(|e| Failure::config(format!("{pact_url:?} is not a URL: {e}")))?;
                parsed.origin().ascii_serialization()
            }
            _ => return Err(Failure::config("no broker URL: give --broker-url or set PACT_BROKER_BASE_URL")),
        };
        let mut config = BrokerConfig::new(url);
        config.auth = self.auth()?;
        config.retries = self.retries;
        config.tls = self.tls();
        Ok(BrokerClient::new(config)?)
    }
}

/// Where the pacts come from, once read.
struct Sources {
    /// Pacts read from a broker (or a broker URL), with their links.
    broker: Vec<BrokerPact>,
    /// Other sources (files, directories, plain URLs).
    plain: Vec<PactSource>,
    /// The client that read the broker pacts.
    client: Option<BrokerClient>,
}

async fn sources(args: &VerifyArgs) -> Result<Option<Sources>, Failure> {
    let mut plain: Vec<PactSource> = Vec::new();
    let mut urls: Vec<String> = Vec::new();
    for text in &args.pact_urls {
        match PactSource::parse(text) {
            PactSource::Url(url) => urls.push(url),
            other => plain.push(other),
        }
    }
    plain.extend(args.files.iter().cloned().map(PactSource::File));
    plain.extend(args.dirs.iter().cloned().map(PactSource::Dir));
    urls.extend(args.urls.iter().cloned());
    urls.extend(args.webhook_callback_url.iter().cloned());
    let explicit = !plain.is_empty() || !urls.is_empty();
    let credentials = args.user.is_some() || args.token.is_some();
    // URLs are fetched by the broker client when their results are published or they need
    // credentials: it keeps each pact's links, and sends the credentials.
    let through_broker = args.publish || credentials || args.webhook_callback_url.is_some();
    let mut broker = Vec::new();
    let mut client = None;
    if through_broker && !urls.is_empty() {
        let c = args.broker_client(urls.first().map(String::as_str))?;
        for url in &urls {
            let parsed =
                url::Url::parse(url).map_err(|e| Failure::config(format!("{url:?} is not a URL: {e}")))?;
            broker.push(c.fetch_pact(parsed).await?);
        }
        client = Some(c);
    } else {
        plain.extend(urls.into_iter().map(PactSource::Url));
    }
    if !explicit {
        if args.broker_url.as_deref().is_none_or(|u| u.trim().is_empty()) {
            return Err(Failure::config(
                "no pacts to verify: give --pact-url, --file, --dir, --url, or --broker-url with --provider-name",
            ));
        }
        let provider = args.provider_name.clone().filter(|n| !n.trim().is_empty()).ok_or_else(|| {
            Failure::config("--broker-url needs --provider-name: the broker gives the pacts of one provider")
        })?;
        if args.include_wip_pacts_since.is_some() && !args.enable_pending {
            eprintln!(
                "pact: warning: --include-wip-pacts-since without --enable-pending: failures of work-in-progress pacts fail the verification"
            );
        }
        let c = args.broker_client(None)?;
        match c.pacts_for_verification(&args.selection(&provider)?).await {
            Ok(pacts) => broker = pacts,
            Err(e @ BrokerError::NoPacts { .. }) if args.ignore_no_pacts_error => {
                println!("{e} (ignored: --ignore-no-pacts-error)");
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        }
        client = Some(c);
    }
    Ok(Some(Sources { broker, plain, client }))
}

/// Runs `pact verify`.
pub async fn run(args: VerifyArgs) -> Result<u8, Failure> {
    for (flag, path) in [("--json", &args.json), ("--junit", &args.junit), ("--html", &args.html)] {
        if let Some(path) = path {
            check_report_path(flag, path)?;
        }
    }
    let timeout = Duration::from_millis(args.request_timeout);
    let filter = Filter {
        description: regex("--filter-description", &args.filter_description)?,
        state: regex("--filter-state", &args.filter_state)?,
        no_state: args.filter_no_state,
        consumers: args.filter_consumer.clone(),
    };
    let provider_version = match (&args.provider_version, args.publish) {
        (Some(version), _) => {
            crate::broker_args::single_line("--provider-version", version)?;
            Some(version.clone())
        }
        (None, true) => {
            return Err(Failure::config(
                "--publish needs the provider version (--provider-version or --provider-app-version)",
            ))
        }
        (None, false) => None,
    };
    let tls = args.tls();
    let mut verifier = Verifier::http_with_tls(&args.provider_url()?, &tls)?
        .timeout(timeout)
        .filter(filter)
        .follow_redirects(args.follow_redirects)
        .max_response_bytes(args.max_response_size);
    if let Some(url) = &args.state_change_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Failure::config(format!(
                "the state-change URL {url:?} must start with http:// or https://"
            )));
        }
        let states = HttpStates::with_tls(url, args.state_change_teardown, &tls)
            .map_err(|e| Failure::config(e.to_string()))?
            .as_query(args.state_change_as_query);
        verifier = verifier.states(std::sync::Arc::new(states));
    }
    if let Some(url) = args.message_url()? {
        verifier = verifier.message_url(&url)?;
    }
    if let Some(name) = &args.provider_name {
        verifier = verifier.provider_name(name);
    }
    for header in &args.header {
        let (name, value) = parse_header(header)?;
        verifier = verifier.header(&name, &value);
    }
    let Some(sources) = sources(&args).await? else { return Ok(0) };
    if args.publish && sources.broker.is_empty() {
        return Err(Failure::config(
            "--publish: results go to a broker through the pacts' own links, and no pact came from a broker",
        ));
    }
    for source in sources.plain {
        verifier = verifier.pact(source);
    }
    for source in verification::sources(&sources.broker) {
        verifier = verifier.pact(source);
    }
    if std::io::stderr().is_terminal() {
        verifier = verifier.on_progress(|done, total| {
            eprint!("\rverifying interaction {done}/{total}");
            if done == total {
                eprint!("\r\x1b[K");
            }
        });
    }
    for pact in &sources.broker {
        for text in pact.notices_for("before_verification") {
            println!("{text}");
        }
    }
    let report = verifier.verify().await?;
    let colour = !args.no_colour && std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
    print!("{}", report.to_human(colour));
    let pending = verification::pending_summary(&sources.broker, &report);
    if !pending.is_empty() {
        println!("\nPending pacts:");
        for line in &pending {
            println!("{line}");
        }
    }
    let mut publish_failure = None;
    if let (true, Some(client), Some(version)) = (args.publish, &sources.client, &provider_version) {
        let provider = ProviderVersion {
            version: version.clone(),
            branch: args.provider_branch.clone(),
            tags: args.provider_tags.clone(),
            build_url: args.build_url.clone(),
        };
        println!();
        for (pact, outcome) in verification::publish(client, &sources.broker, &report, &provider).await {
            match outcome {
                Ok(url) => println!(
                    "Published the verification result of the pact between {} and {} for {} {version}{}",
                    pact.pact.consumer,
                    pact.pact.provider,
                    pact.pact.provider,
                    url.map(|u| format!(": {u}")).unwrap_or_default()
                ),
                Err(e) => {
                    eprintln!("pact: publishing the result of {} failed: {e}", pact.url);
                    publish_failure.get_or_insert(e);
                }
            }
        }
    }
    for pact in &sources.broker {
        let Some(pact_report) = verification::report_of(&report, pact) else { continue };
        let success = verification::result_of(pact, pact_report).success;
        let when = format!(
            "after_verification:success_{success}_published_{}",
            args.publish && publish_failure.is_none()
        );
        for text in pact.notices_for(&when) {
            println!("{text}");
        }
    }
    write_reports(&args, &report, &sources.broker)?;
    if let Some(e) = publish_failure {
        return Err(e.into());
    }
    Ok(if report.success() { 0 } else { 1 })
}

fn write_reports(
    args: &VerifyArgs,
    report: &VerificationReport,
    broker: &[BrokerPact],
) -> Result<(), Failure> {
    if let Some(path) = &args.json {
        let mut json = report.to_json();
        if !broker.is_empty() {
            json["brokerPacts"] = Value::Array(
                broker
                    .iter()
                    .map(|p| {
                        serde_json::json!({
                            "url": p.url.as_str(),
                            "consumer": p.pact.consumer,
                            "description": p.description,
                            "pending": p.pending,
                            "wip": p.wip,
                            "pendingReason": p.pending_reason(),
                            "notices": p.notices.iter().map(|n| serde_json::json!({"when": n.when, "text": n.text})).collect::<Vec<_>>(),
                        })
                    })
                    .collect(),
            );
        }
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        std::fs::write(path, text + "\n")
            .map_err(|e| Failure::config(format!("--json {}: {e}", path.display())))?;
    }
    if let Some(path) = &args.junit {
        std::fs::write(path, report.to_junit())
            .map_err(|e| Failure::config(format!("--junit {}: {e}", path.display())))?;
    }
    if let Some(path) = &args.html {
        let pending = verification::pending_summary(broker, report);
        std::fs::write(path, crate::report_html::render(report, &pending))
            .map_err(|e| Failure::config(format!("--html {}: {e}", path.display())))?;
    }
    Ok(())
}

/// `1048576`, `512KiB`, `64MiB`, `1GiB` (also `K`, `M`, `G`, `KB`, `MB`, `GB`, all powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| format!("{text:?} is not a size such as 64MiB"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        other => return Err(format!("unknown unit {other:?} (use KiB, MiB or GiB)")),
    };
    let bytes = number.checked_mul(1 << shift).ok_or_else(|| format!("{text:?} is too large"))?;
    if bytes == 0 {
        return Err("the size must be at least 1 byte".into());
    }
    Ok(bytes)
}

/// A report file must be writable before the run starts, not found unwritable after it. The
/// file is not changed: when it does not exist yet, it is created and removed again.
fn check_report_path(flag: &str, path: &std::path::Path) -> Result<(), Failure> {
    let fail = |why: String| Failure::config(format!("{flag} {}: {why}", path.display()));
    if path.is_dir() {
        return Err(fail("is a directory".into()));
    }
    let existed = path.exists();
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| fail(format!("cannot be written ({e})")))?;
    if !existed {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

#[cfg(test)]
mod size_tests {
    use super::parse_size;

    #[test]
    fn sizes_take_binary_units() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("512 KiB"), Ok(512 << 10));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12 parsecs").unwrap_err().contains("unknown unit"));
        assert!(parse_size("99999999999999GiB").unwrap_err().contains("too large"));
        assert!(parse_size("MiB").is_err());
    }
}
