//! `pact stub`: serve pacts as a stub server, for front-end developers and exploratory work.
//!
//! The flags are pact_stub_server's (`pact stub` of the official consolidated CLI), so its
//! command lines work unchanged; pact files and directories may also be given as arguments.
//! The job is split in four: [`load`] reads the pacts (files, directories, URLs, a broker),
//! [`select`] picks the interaction that answers a request with the matching engine,
//! [`serve`] answers over HTTP and logs (generators applied by `pact_core::generate`, with
//! `MockServerURL` values pointing at the stub), and [`watch`] reloads changed files.

mod load;
mod select;
mod serve;
mod watch;

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use pact_core::broker::Auth;
use pact_core::tls::TlsOptions;

use crate::failure::Failure;
use load::{LocalSources, RemoteSources};
use select::StateFilter;
use serve::{Options, Shared};

/// `pact stub PACT_FILES_OR_DIRS... [--port N]`
#[derive(Args, Debug, Clone)]
pub struct StubArgs {
    /// Pact files and directories of pact files (or pact URLs) to serve.
    #[arg(value_name = "PACT_FILES_OR_DIRS")]
    pub inputs: Vec<String>,
    /// A pact file to load (repeatable).
    #[arg(short = 'f', long = "file", value_name = "FILE", help_heading = "Pacts")]
    pub files: Vec<PathBuf>,
    /// A directory of pact files to load (repeatable).
    #[arg(short = 'd', long = "dir", value_name = "DIR", help_heading = "Pacts")]
    pub dirs: Vec<PathBuf>,
    /// The extension of the pact files in a directory.
    #[arg(
        short = 'e',
        long = "extension",
        value_name = "EXT",
        default_value = "json",
        help_heading = "Pacts"
    )]
    pub extension: String,
    /// The URL of a pact file to fetch (repeatable).
    #[arg(short = 'u', long = "url", value_name = "URL", help_heading = "Pacts")]
    pub urls: Vec<String>,
    /// A Pact Broker to fetch the latest pacts from.
    #[arg(
        short = 'b',
        long = "broker-url",
        visible_alias = "broker-base-url",
        env = "PACT_BROKER_BASE_URL",
        value_name = "URL",
        help_heading = "Pacts"
    )]
    pub broker_url: Option<String>,
    /// From the broker, only the pacts of a consumer matching this name or regex (repeatable).
    #[arg(
        long = "consumer-name",
        visible_alias = "consumer",
        value_name = "NAME_OR_REGEX",
        help_heading = "Pacts"
    )]
    pub consumers: Vec<String>,
    /// From the broker, only the pacts of a provider matching this name or regex (repeatable).
    #[arg(
        long = "provider-name",
        visible_alias = "provider",
        value_name = "NAME_OR_REGEX",
        help_heading = "Pacts"
    )]
    pub providers: Vec<String>,
    /// User and password for the URLs and the broker, as user:password.
    #[arg(long = "user", value_name = "USER:PASSWORD", help_heading = "Pacts")]
    pub user: Option<String>,
    /// Bearer token for the URLs and the broker.
    #[arg(
        short = 't',
        long = "token",
        env = "PACT_BROKER_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN",
        help_heading = "Pacts"
    )]
    pub token: Option<String>,
    /// Retries of failed requests to URLs and the broker (5xx, 408, 429, connection errors).
    #[arg(
        long,
        env = "PACT_BROKER_HTTP_RETRIES",
        value_name = "N",
        default_value_t = 8,
        help_heading = "Pacts"
    )]
    pub retries: u32,
    /// Accept any TLS certificate from URLs and the broker.
    #[arg(long = "insecure-tls", help_heading = "Pacts")]
    pub insecure_tls: bool,
    /// Reload the pact files when one changes.
    #[arg(short = 'w', long, help_heading = "Pacts")]
    pub watch: bool,

    /// The port to listen on (0 or none: a free port, printed at start).
    #[arg(short = 'p', long, value_name = "PORT", default_value_t = 0, help_heading = "Server")]
    pub port: u16,
    /// The address to listen on (0.0.0.0 to accept other machines' requests).
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1", help_heading = "Server")]
    pub host: String,
    /// Answer CORS pre-flight (OPTIONS) requests that no interaction answers.
    #[arg(short = 'o', long, help_heading = "Server")]
    pub cors: bool,
    /// In CORS pre-flight replies, allow the request's Referer as the origin.
    #[arg(long = "cors-referer", help_heading = "Server")]
    pub cors_referer: bool,
    /// Answer only from interactions whose provider state matches this regex.
    #[arg(short = 's', long = "provider-state", value_name = "REGEX", help_heading = "Server")]
    pub provider_state: Option<String>,
    /// A request header whose value (a regex) chooses the provider state for that request.
    #[arg(
        long = "provider-state-header-name",
        value_name = "NAME",
        default_value = "X-Pact-Provider-State",
        help_heading = "Server"
    )]
    pub provider_state_header_name: String,
    /// With a provider state regex, interactions without a state may answer too.
    #[arg(long = "empty-provider-state", help_heading = "Server")]
    pub empty_provider_state: bool,

    /// Log level (the log shows every request and how it was answered).
    #[arg(short = 'l', long = "loglevel", visible_alias = "log-level", value_name = "LEVEL", default_value = "info", value_parser = ["off", "none", "error", "warn", "info", "debug", "trace"])]
    pub loglevel: String,
    /// Accepted for pact_stub_server's command lines; OpenTelemetry is not supported (ignored).
    #[arg(long = "enable-otel", hide = true)]
    pub enable_otel: bool,
    /// Ignored (see --enable-otel).
    #[arg(long = "enable-otel-logs", hide = true)]
    pub enable_otel_logs: bool,
    /// Ignored (see --enable-otel).
    #[arg(long = "enable-otel-traces", hide = true)]
    pub enable_otel_traces: bool,
    /// Ignored (see --enable-otel).
    #[arg(long = "otel-exporter", hide = true)]
    pub otel_exporter: Option<String>,
    /// Ignored (see --enable-otel).
    #[arg(long = "otel-exporter-endpoint", hide = true)]
    pub otel_exporter_endpoint: Option<String>,
    /// Ignored (see --enable-otel).
    #[arg(long = "otel-exporter-protocol", hide = true)]
    pub otel_exporter_protocol: Option<String>,
}

impl StubArgs {
    fn sources(&self) -> Result<(LocalSources, RemoteSources), Failure> {
        let mut local = LocalSources {
            files: self.files.clone(),
            dirs: self.dirs.clone(),
            extension: self.extension.trim_start_matches('.').to_string(),
        };
        let auth = match (&self.user, &self.token) {
            (_, Some(token)) if !token.is_empty() => Auth::Bearer(token.clone()),
            (Some(user), _) => {
                let (name, password) = user.split_once(':').unwrap_or((user.as_str(), ""));
                Auth::Basic { username: name.to_string(), password: password.to_string() }
            }
            _ => Auth::None,
        };
        // A name, or a regex that must match the whole name.
        let filters = |flag: &str, values: &[String]| -> Result<Vec<regex::Regex>, Failure> {
            values
                .iter()
                .map(|v| {
                    regex::Regex::new(&format!("^(?:{v})$")).map_err(|e| {
                        Failure::config(format!("{flag}: invalid name or regular expression {v:?}: {e}"))
                    })
                })
                .collect()
        };
        let mut remote = RemoteSources {
            urls: self.urls.clone(),
            broker_url: self.broker_url.clone().filter(|u| !u.trim().is_empty()),
            consumers: filters("--consumer-name", &self.consumers)?,
            providers: filters("--provider-name", &self.providers)?,
            auth,
            retries: self.retries,
            tls: TlsOptions { ca_files: Vec::new(), disable_verification: self.insecure_tls },
        };
        for input in &self.inputs {
            load::classify(input, &mut local, &mut remote);
        }
        if local.is_empty() && remote.is_empty() {
            return Err(Failure::config(
                "no pacts to serve: give pact files or directories, --file, --dir, --url or --broker-url",
            ));
        }
        Ok((local, remote))
    }

    fn options(&self) -> Result<Options, Failure> {
        let states = crate::regex("--provider-state", &self.provider_state)?
            .map(|regex| StateFilter { regex, include_empty: self.empty_provider_state });
        Ok(Options {
            cors: self.cors,
            cors_referer: self.cors_referer,
            states,
            state_header: Some(self.provider_state_header_name.clone()).filter(|h| !h.trim().is_empty()),
            include_empty_states: self.empty_provider_state,
        })
    }
}

/// Runs `pact stub` until the process is stopped.
pub async fn run(args: StubArgs) -> Result<u8, Failure> {
    if args.enable_otel || args.enable_otel_logs || args.enable_otel_traces || args.otel_exporter.is_some() {
        tracing::warn!("OpenTelemetry is not supported by this pact stub; the --otel flags are ignored");
    }
    let (local, remote) = args.sources()?;
    let options = args.options()?;
    let mut pacts = local.load().map_err(Failure::config)?;
    let fetched = remote.load().await?;
    let fetched_again = if args.watch {
        fetched.iter().map(|l| load::Loaded { origin: l.origin.clone(), pact: l.pact.clone() }).collect()
    } else {
        Vec::new()
    };
    pacts.extend(fetched);
    let interactions = load::interactions(&pacts);
    if interactions.is_empty() && !args.watch {
        return Err(Failure::config(format!(
            "the {} pact(s) given hold no HTTP interactions to serve",
            pacts.len()
        )));
    }
    let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|e| Failure::config(format!("cannot listen on {}:{}: {e}", args.host, args.port)))?;
    let addr =
        listener.local_addr().map_err(|e| Failure::config(format!("cannot read the stub's address: {e}")))?;
    let count = interactions.len();
    let shared = Arc::new(Shared::new(interactions, options));
    if args.watch {
        if local.is_empty() {
            tracing::warn!("--watch reloads pact files and directories; none were given");
        } else {
            tokio::spawn(watch::watch(local, fetched_again, shared.clone()));
        }
    }
    // The first line of standard output says where the stub is, for scripts and tests, in the
    // words `pact-broker` and the demo service use.
    println!("listening on http://{addr} (pact stub: {count} interaction(s) from {} pact(s))", pacts.len());
    let _ = std::io::stdout().flush();
    tracing::info!("Server started on port {}", addr.port());
    axum::serve(listener, serve::router(shared)).await.map_err(|e| Failure {
        code: 1,
        message: format!("the stub server stopped: {e}"),
        detail: None,
    })?;
    Ok(0)
}
