//! A Pact Broker client (feature `broker`): publish pacts, fetch the pacts a provider should
//! verify (selectors, pending, WIP), publish verification results, ask can-i-deploy, and manage
//! environments, deployments and releases.
//!
//! It speaks the Pact Broker's HAL API as the official Ruby broker, PactFlow and our own
//! `pact-broker` serve it:
//!
//! - **Links, not paths.** Every operation starts at the index (`GET /`) and follows relations
//!   such as `pb:publish-contracts` or `pb:provider-pacts-for-verification`; a pact's results go
//!   to that pact's own `pb:publish-verification-results` link. See [`Link`] for templates and
//!   how hrefs are resolved. (The matrix has no relation; like pact-broker-cli, can-i-deploy asks
//!   `/matrix` below the base URL.)
//! - **Credentials**: basic auth or a bearer token ([`Auth`]), from arguments or from
//!   `PACT_BROKER_USERNAME`, `PACT_BROKER_PASSWORD` and `PACT_BROKER_TOKEN`
//!   ([`BrokerConfig::from_env`] also reads `PACT_BROKER_BASE_URL`).
//! - **Retries**: connection errors, timeouts, 5xx, 408 and 429 are retried
//!   ([`BrokerConfig::retries`], 3 by default) with exponential back-off from 500 ms, at most
//!   8 s a wait, honouring `Retry-After`.
//! - **Errors** ([`BrokerError`]) name the method and URL and carry the broker's own messages
//!   (`errors`, `error`, `notices`, RFC 7807 problems).
//! - **Bounded**: answers larger than [`BrokerConfig::max_response_bytes`] are refused.
//! - **HTTPS** through [`crate::tls`].
//!
//! ```no_run
//! use pact_core::broker::{load_contracts, Auth, BrokerClient, BrokerConfig, CanIDeploy, PublishOptions, Selector};
//!
//! # async fn run() -> Result<(), pact_core::broker::BrokerError> {
//! let config = BrokerConfig::new("http://127.0.0.1:9292")
//!     .auth(Auth::Basic { username: "pactbroker".into(), password: "pactbroker".into() });
//! let client = BrokerClient::new(config)?;
//! let contracts = load_contracts(&["pacts".to_string()])?;
//! client.publish(&contracts, &PublishOptions { version: "0.1".into(), ..Default::default() }).await?;
//! let matrix = client
//!     .can_i_deploy(&CanIDeploy { selectors: vec![Selector::version("UserServiceClient", "0.1")], ..Default::default() })
//!     .await?;
//! println!("deployable: {:?}", matrix.deployable);
//! # Ok(())
//! # }
//! ```

mod client;
mod environments;
mod error;
mod hal;
mod matrix;
mod pacts;
mod publish;
mod results;
#[cfg(feature = "verifier")]
pub mod verification;
mod versions;

use serde_json::Value;

pub use client::{Auth, BrokerClient, BrokerConfig};
pub use environments::{Environment, Recorded, StoredEnvironment};
pub use error::{messages_from_body, BrokerError};
pub use hal::{percent_encode, Link, Resource};
pub use matrix::{CanIDeploy, Matrix, MatrixRow, Selector};
pub use pacts::{BrokerPact, PactSelection, PactVersion, VerificationNotice};
pub use publish::{load_contracts, Contract, PublishOptions, Published};
pub use results::{ProviderVersion, VerificationResult};

/// A notice from the broker: `{"type": "success", "text": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// `debug`, `info`, `warning`, `prompt`, `success`, `error` or `danger`.
    pub kind: String,
    /// The text.
    pub text: String,
}

impl Notice {
    /// The `notices` of an answer.
    pub fn list(body: &Value) -> Vec<Notice> {
        body.get("notices")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|n| {
                        Some(Notice {
                            kind: n.get("type").and_then(Value::as_str).unwrap_or("info").to_string(),
                            text: n.get("text")?.as_str()?.to_string(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn info(text: String) -> Self {
        Notice { kind: "info".into(), text }
    }

    pub(crate) fn success(text: String) -> Self {
        Notice { kind: "success".into(), text }
    }
}
