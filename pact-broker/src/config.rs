//! Configuration: the command-line flags of `pact-broker`, each with the environment variable
//! the official Pact Broker uses for the same setting, and their validation.
//!
//! ```
//! use clap::Parser;
//! use pact_broker::config::Args;
//!
//! let args = Args::try_parse_from(["pact-broker", "--port", "0", "--public-url", "https://broker.example"]).unwrap();
//! let config = args.config().unwrap();
//! assert_eq!(config.public_url.unwrap().as_str(), "https://broker.example");
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::webhooks::Policy;
use crate::hal::{BaseUrl, BaseUrlError};
use crate::storage::{ConnectOptions, DatabaseUrl, SqliteSync};

/// Default request body limit: 10 MiB (a publish carries base64, a third larger than the pact).
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// The flags of the `pact-broker` binary.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "pact-broker", version, about = "A Pact Broker: SQLite by default, PostgreSQL for teams")]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "PACT_BROKER_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on; 0 picks a free one (the chosen URL is printed on stdout).
    #[arg(long, env = "PACT_BROKER_PORT", default_value_t = 9292)]
    pub port: u16,
    /// `postgres://user:pass@host:port/db`, `sqlite:///relative.sqlite`, `sqlite:////absolute.sqlite`
    /// or a file path [default: ./pact_broker.sqlite].
    #[arg(long, env = "PACT_BROKER_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Maximum number of database connections (PostgreSQL; SQLite uses one writer and this many readers).
    #[arg(long, env = "PACT_BROKER_DATABASE_MAX_CONNECTIONS", default_value_t = 10)]
    pub database_max_connections: u32,
    /// SQLite durability: `full` flushes every commit to the disk; `normal` survives a crash or
    /// kill of the broker but may lose the latest writes on a power cut, and is faster.
    #[arg(long, env = "PACT_BROKER_SQLITE_SYNCHRONOUS", value_enum, default_value_t = SqliteSync::Full)]
    pub sqlite_synchronous: SqliteSync,
    /// User allowed to read and write (turns basic auth on, with its password).
    #[arg(long, env = "PACT_BROKER_BASIC_AUTH_USERNAME", requires = "basic_auth_password")]
    pub basic_auth_username: Option<String>,
    /// Password of the read/write user.
    #[arg(
        long,
        env = "PACT_BROKER_BASIC_AUTH_PASSWORD",
        hide_env_values = true,
        requires = "basic_auth_username"
    )]
    pub basic_auth_password: Option<String>,
    /// User allowed to read only (and to ask for pacts for verification).
    #[arg(long, env = "PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME", requires = "read_only_password")]
    pub read_only_username: Option<String>,
    /// Password of the read-only user.
    #[arg(
        long,
        env = "PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD",
        hide_env_values = true,
        requires = "read_only_username"
    )]
    pub read_only_password: Option<String>,
    /// Let anyone read without credentials when basic auth is on.
    #[arg(long, env = "PACT_BROKER_ALLOW_PUBLIC_READ")]
    pub allow_public_read: bool,
    /// The URL clients reach the broker at, used for every href (set it behind a proxy).
    /// Without it, hrefs are built from the request's Host header.
    #[arg(long, env = "PACT_BROKER_BASE_URL")]
    pub public_url: Option<String>,
    /// Largest accepted request body, in bytes (larger ones get 413).
    #[arg(long, env = "PACT_BROKER_MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Let a publish change the content of an existing pact (otherwise 409).
    #[arg(long, env = "PACT_BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION")]
    pub allow_dangerous_contract_modification: bool,
    /// URL schemes webhooks may use, space-separated (only `http` and `https` are possible).
    #[arg(long, env = "PACT_BROKER_WEBHOOK_SCHEME_WHITELIST", default_value = "http https")]
    pub webhook_scheme_whitelist: String,
    /// HTTP methods webhooks may use, space-separated.
    #[arg(long, env = "PACT_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST", default_value = "POST")]
    pub webhook_http_method_whitelist: String,
    /// Hosts webhooks may call, space-separated: names, `*.domain`, IP addresses, `a.b.c.d/n`
    /// ranges. Empty: any host, and the execution logs leave out response headers and bodies.
    #[arg(long, env = "PACT_BROKER_WEBHOOK_HOST_WHITELIST", default_value = "")]
    pub webhook_host_whitelist: String,
    /// Seconds to wait before each retry of a failed webhook, space-separated.
    #[arg(long, env = "PACT_BROKER_WEBHOOK_RETRY_SCHEDULE", default_value = "10 60 120 300 600 1200")]
    pub webhook_retry_schedule: String,
    /// Seconds a webhook request may take, connecting included.
    #[arg(long, env = "PACT_BROKER_WEBHOOK_REQUEST_TIMEOUT", default_value_t = 15)]
    pub webhook_request_timeout: u64,
}

/// The settings of a running broker.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the data lives.
    pub database: DatabaseUrl,
    /// Pool size and SQLite durability.
    pub connect: ConnectOptions,
    /// Who may do what.
    pub auth: AuthConfig,
    /// The base of every href, when configured.
    pub public_url: Option<BaseUrl>,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Whether a publish may change the content of an existing pact.
    pub allow_dangerous_contract_modification: bool,
    /// Webhook rules, retries and timeouts.
    pub webhooks: WebhookConfig,
}

/// Where webhooks may send requests, how often a failed one is retried, and how long a
/// request may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    /// Allowed schemes, methods and hosts.
    pub policy: Policy,
    /// Seconds before each retry; a webhook is attempted at most `len + 1` times.
    pub retry_schedule: Vec<u64>,
    /// How long one request may take.
    pub request_timeout: Duration,
}

impl Default for WebhookConfig {
    /// The official broker's defaults (but `http` allowed beside `https`): retries after 10 s,
    /// 1, 2, 5, 10 and 20 minutes; 15 s per request.
    fn default() -> Self {
        WebhookConfig {
            policy: Policy::default(),
            retry_schedule: vec![10, 60, 120, 300, 600, 1200],
            request_timeout: Duration::from_secs(15),
        }
    }
}

impl Config {
    /// A configuration for `database` with every other setting at its default: no auth, hrefs
    /// from the request's Host, 10 MiB bodies.
    pub fn new(database: DatabaseUrl) -> Self {
        Config {
            database,
            connect: ConnectOptions::default(),
            auth: AuthConfig::default(),
            public_url: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            allow_dangerous_contract_modification: false,
            webhooks: WebhookConfig::default(),
        }
    }
}

/// Basic-auth users. With neither user configured, every request is allowed.
#[derive(Debug, Clone, Default)]
pub struct AuthConfig {
    /// The read/write user and password.
    pub write: Option<(String, String)>,
    /// The read-only user and password.
    pub read_only: Option<(String, String)>,
    /// Reads need no credentials.
    pub allow_public_read: bool,
}

impl AuthConfig {
    /// Whether any credentials are configured.
    pub fn enabled(&self) -> bool {
        self.write.is_some() || self.read_only.is_some()
    }
}

/// A configuration that cannot run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// `--public-url` is not usable.
    #[error("--public-url: {0}")]
    PublicUrl(#[from] BaseUrlError),
    /// `--database-url` is not usable.
    #[error("--database-url: {0}")]
    Database(String),
    /// A user name or password is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// A webhook setting is not usable.
    #[error("{0}")]
    Webhook(String),
}

impl Args {
    /// Validates the flags into a [`Config`].
    ///
    /// # Errors
    ///
    /// An unusable public URL or database URL, or an empty user name or password.
    pub fn config(&self) -> Result<Config, ConfigError> {
        let database = match &self.database_url {
            Some(url) => DatabaseUrl::parse(url).map_err(ConfigError::Database)?,
            None => DatabaseUrl::Sqlite(default_sqlite_path()),
        };
        let pair =
            |user: &Option<String>, password: &Option<String>, what: &'static str| match (user, password) {
                (Some(u), Some(p)) => {
                    if u.is_empty() || p.is_empty() {
                        Err(ConfigError::Empty(what))
                    } else {
                        Ok(Some((u.clone(), p.clone())))
                    }
                }
                _ => Ok(None),
            };
        Ok(Config {
            database,
            connect: ConnectOptions {
                max_connections: self.database_max_connections.max(1),
                sqlite_sync: self.sqlite_synchronous,
            },
            auth: AuthConfig {
                write: pair(
                    &self.basic_auth_username,
                    &self.basic_auth_password,
                    "the basic auth user and password",
                )?,
                read_only: pair(
                    &self.read_only_username,
                    &self.read_only_password,
                    "the read-only user and password",
                )?,
                allow_public_read: self.allow_public_read,
            },
            public_url: self.public_url.as_deref().map(BaseUrl::parse).transpose()?,
            max_body_bytes: self.max_body_bytes,
            allow_dangerous_contract_modification: self.allow_dangerous_contract_modification,
            webhooks: self.webhook_config()?,
        })
    }

    fn webhook_config(&self) -> Result<WebhookConfig, ConfigError> {
        let words = |text: &str| text.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let schemes: Vec<String> =
            words(&self.webhook_scheme_whitelist).iter().map(|s| s.to_ascii_lowercase()).collect();
        if schemes.is_empty() || schemes.iter().any(|s| s != "http" && s != "https") {
            return Err(ConfigError::Webhook(format!(
                "--webhook-scheme-whitelist: only http and https are possible, found {:?}",
                self.webhook_scheme_whitelist
            )));
        }
        let methods: Vec<String> =
            words(&self.webhook_http_method_whitelist).iter().map(|m| m.to_ascii_uppercase()).collect();
        if methods.is_empty() || methods.iter().any(|m| !m.bytes().all(|b| b.is_ascii_alphabetic())) {
            return Err(ConfigError::Webhook(format!(
                "--webhook-http-method-whitelist: expected HTTP methods such as POST, found {:?}",
                self.webhook_http_method_whitelist
            )));
        }
        let retry_schedule = words(&self.webhook_retry_schedule)
            .iter()
            .map(|s| s.parse::<u64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| {
                ConfigError::Webhook(format!(
                    "--webhook-retry-schedule: expected seconds such as \"10 60 120\", found {:?}",
                    self.webhook_retry_schedule
                ))
            })?;
        if self.webhook_request_timeout == 0 {
            return Err(ConfigError::Webhook("--webhook-request-timeout must be at least 1 second".into()));
        }
        Ok(WebhookConfig {
            policy: Policy { schemes, methods, hosts: words(&self.webhook_host_whitelist) },
            retry_schedule,
            request_timeout: Duration::from_secs(self.webhook_request_timeout),
        })
    }
}

/// `./pact_broker.sqlite`, the database used when none is configured.
pub fn default_sqlite_path() -> PathBuf {
    Path::new(".").join("pact_broker.sqlite")
}
