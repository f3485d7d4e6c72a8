//! The options every broker command shares: where the broker is, credentials, retries and
//! HTTPS. Flag names are pact-broker-cli's; each falls back to its `PACT_BROKER_*` variable.

use std::path::PathBuf;

use clap::Args;
use pact_core::broker::{Auth, BrokerClient, BrokerConfig};
use pact_core::tls::TlsOptions;

use crate::failure::Failure;

/// Where the broker is and how to talk to it.
#[derive(Args, Debug, Clone, Default)]
pub struct BrokerArgs {
    /// The base URL of the Pact Broker.
    #[arg(short = 'b', long = "broker-base-url", visible_aliases = ["broker-url", "pact-broker-url"], env = "PACT_BROKER_BASE_URL", value_name = "URL")]
    pub url: Option<String>,
    /// Pact Broker basic auth username.
    #[arg(short = 'u', long = "broker-username", env = "PACT_BROKER_USERNAME", value_name = "USERNAME")]
    pub username: Option<String>,
    /// Pact Broker basic auth password.
    #[arg(
        short = 'p',
        long = "broker-password",
        env = "PACT_BROKER_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub password: Option<String>,
    /// Pact Broker bearer token.
    #[arg(
        short = 'k',
        long = "broker-token",
        env = "PACT_BROKER_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Retries after a connection error, a timeout, 5xx, 408 or 429 (back-off from 500 ms).
    #[arg(long, env = "PACT_BROKER_HTTP_RETRIES", value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// A header sent with every request, as "Name: value" (repeatable).
    #[arg(long = "custom-header", value_name = "HEADER")]
    pub custom_headers: Vec<String>,
    /// A PEM file of CA certificates to trust beside the system's roots.
    #[arg(short = 'c', long = "ssl-certificate", visible_alias = "cacert", value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Accept any TLS certificate (for tests only).
    #[arg(long = "skip-ssl-verification", visible_alias = "disable-ssl-verification")]
    pub skip_ssl_verification: bool,
    /// Log level (off, error, warn, info, debug, trace); -v does the same.
    #[arg(long = "log-level", value_name = "LEVEL")]
    pub log_level: Option<String>,
}

impl BrokerArgs {
    /// The HTTPS options.
    pub fn tls(&self) -> TlsOptions {
        TlsOptions {
            ca_files: self.ca_file.iter().cloned().collect(),
            disable_verification: self.skip_ssl_verification,
        }
    }

    /// A client for the broker.
    pub fn client(&self) -> Result<BrokerClient, Failure> {
        let url = self.url.as_deref().filter(|u| !u.trim().is_empty()).ok_or_else(|| {
            Failure::config("no broker URL: give --broker-base-url or set PACT_BROKER_BASE_URL")
        })?;
        let mut config = BrokerConfig::new(url);
        config.auth =
            Auth::from_parts(self.username.as_deref(), self.password.as_deref(), self.token.as_deref())?;
        config.retries = self.retries;
        config.tls = self.tls();
        for header in &self.custom_headers {
            let (name, value) = crate::parse_header(header)?;
            config.headers.push((name, value));
        }
        Ok(BrokerClient::new(config)?)
    }
}

/// A value on one line, or a usage error naming the flag.
pub fn single_line(flag: &str, value: &str) -> Result<(), Failure> {
    if value.trim().is_empty() || value.contains(['\n', '\r']) {
        return Err(Failure::config(format!("{flag}: expected a non-blank single line, found {value:?}")));
    }
    Ok(())
}
