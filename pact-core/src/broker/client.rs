//! The HTTP side of the broker client: configuration, credentials, retries, bounded reads and
//! the broker's error bodies.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use super::error::messages_from_body;
use super::hal::{resolve, Resource};
use super::BrokerError;
use crate::tls::TlsOptions;

/// How the client proves who it is.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Auth {
    /// No credentials.
    #[default]
    None,
    /// HTTP basic authentication.
    Basic {
        /// The user name.
        username: String,
        /// The password (may be empty).
        password: String,
    },
    /// A bearer token (PactFlow, or a broker configured with one).
    Bearer(String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets stay out of logs.
        match self {
            Auth::None => f.write_str("None"),
            Auth::Basic { username, .. } => write!(f, "Basic({username}, ***)"),
            Auth::Bearer(_) => f.write_str("Bearer(***)"),
        }
    }
}

impl Auth {
    /// Credentials from the parts a command line gives: a token wins over a user name; a
    /// password without a user name is an error.
    pub fn from_parts(
        username: Option<&str>,
        password: Option<&str>,
        token: Option<&str>,
    ) -> Result<Self, BrokerError> {
        let username = username.filter(|u| !u.is_empty());
        let token = token.filter(|t| !t.is_empty());
        match (username, password.filter(|p| !p.is_empty()), token) {
            (_, _, Some(token)) => {
                if username.is_some() {
                    tracing::warn!("both a broker token and a user name are set; using the token");
                }
                Ok(Auth::Bearer(token.to_string()))
            }
            (Some(user), password, None) => Ok(Auth::Basic {
                username: user.to_string(),
                password: password.unwrap_or_default().to_string(),
            }),
            (None, Some(_), None) => Err(BrokerError::Config(
                "a broker password was given without a user name (--broker-username or PACT_BROKER_USERNAME)"
                    .into(),
            )),
            (None, None, None) => Ok(Auth::None),
        }
    }

    /// Credentials from `PACT_BROKER_USERNAME`, `PACT_BROKER_PASSWORD` and `PACT_BROKER_TOKEN`.
    pub fn from_env() -> Result<Self, BrokerError> {
        let var = |name: &str| std::env::var(name).ok();
        Auth::from_parts(
            var("PACT_BROKER_USERNAME").as_deref(),
            var("PACT_BROKER_PASSWORD").as_deref(),
            var("PACT_BROKER_TOKEN").as_deref(),
        )
    }
}

/// Everything a [`BrokerClient`] needs.
#[derive(Debug, Clone)]
pub struct BrokerConfig {
    /// The broker's base URL, such as `https://broker.example.com` (a context path is kept).
    pub url: String,
    /// Credentials.
    pub auth: Auth,
    /// How HTTPS certificates are checked.
    pub tls: TlsOptions,
    /// How many times a request is retried after a connection error, a timeout, a 5xx, 408 or
    /// 429 (3 by default; `PACT_BROKER_HTTP_RETRIES`).
    pub retries: u32,
    /// The first back-off delay; it doubles with each retry, up to 8 s (500 ms by default).
    pub backoff: Duration,
    /// The timeout of one request (30 s by default).
    pub timeout: Duration,
    /// The largest answer read, in bytes (the largest pact file the model reads, 256 MiB, by
    /// default).
    pub max_response_bytes: u64,
    /// Headers sent with every request.
    pub headers: Vec<(String, String)>,
}

impl BrokerConfig {
    /// A configuration for the broker at `url`, with no credentials and the defaults.
    pub fn new(url: impl Into<String>) -> Self {
        BrokerConfig {
            url: url.into(),
            auth: Auth::None,
            tls: TlsOptions::default(),
            retries: 3,
            backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(30),
            max_response_bytes: crate::model::ReadOptions::default().max_file_bytes,
            headers: Vec::new(),
        }
    }

    /// A configuration from `PACT_BROKER_BASE_URL`, `PACT_BROKER_USERNAME`,
    /// `PACT_BROKER_PASSWORD`, `PACT_BROKER_TOKEN` and `PACT_BROKER_HTTP_RETRIES`.
    pub fn from_env() -> Result<Self, BrokerError> {
        let url = std::env::var("PACT_BROKER_BASE_URL").map_err(|_| {
            BrokerError::Config("no broker URL: give --broker-base-url or set PACT_BROKER_BASE_URL".into())
        })?;
        let mut config = BrokerConfig::new(url);
        config.auth = Auth::from_env()?;
        if let Ok(retries) = std::env::var("PACT_BROKER_HTTP_RETRIES") {
            config.retries = retries.trim().parse().map_err(|_| {
                BrokerError::Config(format!("PACT_BROKER_HTTP_RETRIES={retries:?} is not a number"))
            })?;
        }
        Ok(config)
    }

    /// Sets the credentials.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }
}

/// A Pact Broker client: follows the HAL links from the broker's index.
///
/// The operations live beside it: [publishing](BrokerClient::publish),
/// [pacts for verification](BrokerClient::pacts_for_verification),
/// [verification results](BrokerClient::publish_verification_results),
/// [can-i-deploy](BrokerClient::can_i_deploy), [environments](BrokerClient::create_environment)
/// and [deployments](BrokerClient::record_deployment).
#[derive(Clone)]
pub struct BrokerClient {
    base: Url,
    config: Arc<BrokerConfig>,
    http: reqwest::Client,
    headers: HeaderMap,
    index: Arc<Mutex<Option<Resource>>>,
}

impl std::fmt::Debug for BrokerClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrokerClient")
            .field("base", &self.base.as_str())
            .field("auth", &self.config.auth)
            .finish()
    }
}

/// A successful answer from the broker: its final URL, `Location` and JSON body.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) url: Url,
    pub(crate) location: Option<String>,
    pub(crate) body: Value,
}

impl BrokerClient {
    /// A client for the configured broker.
    pub fn new(config: BrokerConfig) -> Result<Self, BrokerError> {
        let url = config.url.trim();
        if url.is_empty() {
            return Err(BrokerError::Config(
                "no broker URL: give --broker-base-url or set PACT_BROKER_BASE_URL".into(),
            ));
        }
        let base = Url::parse(url)
            .map_err(|e| BrokerError::Config(format!("the broker URL {url:?} is not a URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(BrokerError::Config(format!(
                "the broker URL {url:?} must be an http:// or https:// URL with a host"
            )));
        }
        if !base.username().is_empty() || base.password().is_some() {
            return Err(BrokerError::Config(
                "put broker credentials in --broker-username/--broker-password (or PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD), not in the URL".into(),
            ));
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &config.headers {
            let name = HeaderName::from_bytes(name.trim().as_bytes())
                .map_err(|_| BrokerError::Config(format!("{name:?} is not a valid header name")))?;
            let value = HeaderValue::from_str(value.trim())
                .map_err(|_| BrokerError::Config(format!("the value of the header {name} is not valid")))?;
            headers.append(name, value);
        }
        let http = config.tls.build_client(|b| b.timeout(config.timeout).user_agent(user_agent()))?;
        Ok(BrokerClient { base, config: Arc::new(config), http, headers, index: Arc::new(Mutex::new(None)) })
    }

    /// The broker's base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// A URL on the broker: an href from a link, resolved against the broker's URL.
    pub fn resolve(&self, href: &str) -> Result<Url, BrokerError> {
        resolve(&self.base, href)
    }

    /// The broker's index (`GET /`), read once per client.
    pub async fn index(&self) -> Result<Resource, BrokerError> {
        if let Some(index) = self.index.lock().ok().and_then(|i| i.clone()) {
            return Ok(index);
        }
        let index = self.get(self.base.clone()).await?;
        if let Ok(mut slot) = self.index.lock() {
            *slot = Some(index.clone());
        }
        Ok(index)
    }

    /// The index link of a relation, expanded with `values`, as a URL on the broker.
    pub async fn index_link(
        &self,
        relations: &[&str],
        values: &[(&str, &str)],
        hint: Option<&str>,
    ) -> Result<Url, BrokerError> {
        let index = self.index().await?;
        let link = relations
            .iter()
            .find_map(|r| index.link(r))
            .map(Ok)
            .unwrap_or_else(|| index.require(relations.first().copied().unwrap_or_default(), hint))?;
        self.resolve(&link.expand(values)?)
    }

    /// `GET` a resource.
    pub async fn get(&self, url: Url) -> Result<Resource, BrokerError> {
        let answer = self.send(Method::GET, url, None).await?;
        Ok(Resource { url: answer.url, body: answer.body })
    }

    /// `GET` a resource, `None` when it does not exist (404).
    pub async fn get_optional(&self, url: Url) -> Result<Option<Resource>, BrokerError> {
        match self.get(url).await {
            Ok(resource) => Ok(Some(resource)),
            Err(BrokerError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `POST` JSON.
    pub async fn post(&self, url: Url, body: &Value) -> Result<Resource, BrokerError> {
        let answer = self.send(Method::POST, url, Some(body)).await?;
        Ok(Resource { url: answer.url, body: answer.body })
    }

    /// `PUT` JSON.
    pub async fn put(&self, url: Url, body: &Value) -> Result<Resource, BrokerError> {
        let answer = self.send(Method::PUT, url, Some(body)).await?;
        Ok(Resource { url: answer.url, body: answer.body })
    }

    /// Sends a request with retries and reads the JSON answer.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Answer, BrokerError> {
        let bytes = match body {
            Some(body) => Some(serde_json::to_vec(body).map_err(|e| BrokerError::Config(e.to_string()))?),
            None => None,
        };
        let attempts = self.config.retries.saturating_add(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= attempts;
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .headers(self.headers.clone())
                .header(ACCEPT, "application/hal+json, application/json");
            request = match &self.config.auth {
                Auth::None => request,
                Auth::Basic { username, password } => request.basic_auth(username, Some(password)),
                Auth::Bearer(token) => request.bearer_auth(token),
            };
            if let Some(bytes) = &bytes {
                let content_type =
                    if method == Method::PATCH { "application/merge-patch+json" } else { "application/json" };
                request = request.header(CONTENT_TYPE, content_type).body(bytes.clone());
            }
            tracing::debug!(%method, %url, attempt, "broker request");
            let response = match request.send().await {
                Ok(response) => response,
                Err(e) if !last && (e.is_connect() || e.is_timeout() || e.is_request()) => {
                    let delay = self.backoff(attempt, None);
                    tracing::info!(%method, %url, error = %root_cause(&e), ?delay, "broker request failed; retrying");
                    tokio::time::sleep(delay).await;
                    continue;
                }
                Err(e) => return Err(self.transport_error(&method, &url, &e, attempt)),
            };
            let status = response.status();
            let retryable = status.is_server_error()
                || status == StatusCode::REQUEST_TIMEOUT
                || status == StatusCode::TOO_MANY_REQUESTS;
            if retryable && !last {
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let delay = self.backoff(attempt, retry_after);
                tracing::info!(%method, %url, %status, ?delay, "the broker answered with an error; retrying");
                drop(response);
                tokio::time::sleep(delay).await;
                continue;
            }
            return self.read(method, url, response, attempt).await;
        }
    }

    fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exponential = self.config.backoff.saturating_mul(1 << (attempt - 1).min(16));
        let delay = retry_after.unwrap_or(exponential);
        delay.min(Duration::from_secs(8))
    }

    fn transport_error(&self, method: &Method, url: &Url, e: &reqwest::Error, attempts: u32) -> BrokerError {
        if e.is_timeout() {
            BrokerError::Timeout {
                method: method.to_string(),
                url: url.to_string(),
                seconds: self.config.timeout.as_secs(),
                attempts,
            }
        } else {
            BrokerError::Connect {
                method: method.to_string(),
                url: url.to_string(),
                cause: root_cause(e),
                attempts,
            }
        }
    }

    async fn read(
        &self,
        method: Method,
        url: Url,
        mut response: reqwest::Response,
        attempts: u32,
    ) -> Result<Answer, BrokerError> {
        let status = response.status();
        let final_url = response.url().clone();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let limit = self.config.max_response_bytes;
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(BrokerError::TooLarge { url: url.to_string(), limit });
        }
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() as u64 + chunk.len() as u64 > limit {
                        return Err(BrokerError::TooLarge { url: url.to_string(), limit });
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(self.transport_error(&method, &url, &e, attempts)),
            }
        }
        if !status.is_success() {
            let messages = messages_from_body(&bytes);
            let status_line = status_line(status);
            return Err(match status {
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => BrokerError::Unauthorized {
                    method: method.to_string(),
                    url: url.to_string(),
                    status: status_line,
                    messages,
                },
                StatusCode::NOT_FOUND => {
                    BrokerError::NotFound { method: method.to_string(), url: url.to_string(), messages }
                }
                _ => BrokerError::Status {
                    method: method.to_string(),
                    url: url.to_string(),
                    code: status.as_u16(),
                    status: status_line,
                    messages,
                    attempts,
                },
            });
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Answer { url: final_url, location, body: Value::Null });
        }
        if !content_type.contains("json") {
            let found = if content_type.is_empty() { "no content type".to_string() } else { content_type };
            return Err(BrokerError::InvalidResponse {
                url: url.to_string(),
                message: format!(
                    "expected a JSON answer (application/hal+json), found {found}; is this a Pact Broker?"
                ),
            });
        }
        let body = serde_json::from_slice(&bytes).map_err(|e| BrokerError::InvalidResponse {
            url: url.to_string(),
            message: format!("the answer is not valid JSON: {e}"),
        })?;
        Ok(Answer { url: final_url, location, body })
    }
}

fn status_line(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

fn root_cause(error: &reqwest::Error) -> String {
    let mut cause = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    cause
}

fn user_agent() -> String {
    format!("pact-rs/{}", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_from_parts() {
        assert_eq!(Auth::from_parts(None, None, None).unwrap(), Auth::None);
        assert_eq!(
            Auth::from_parts(Some("u"), Some("p"), None).unwrap(),
            Auth::Basic { username: "u".into(), password: "p".into() }
        );
        assert_eq!(Auth::from_parts(Some("u"), None, Some("t")).unwrap(), Auth::Bearer("t".into()));
        assert!(Auth::from_parts(None, Some("p"), None).is_err());
        assert_eq!(
            format!("{:?}", Auth::Basic { username: "u".into(), password: "secret".into() }),
            "Basic(u, ***)"
        );
    }

    #[test]
    fn bad_broker_urls_are_configuration_errors() {
        for bad in ["", "broker.example.com", "ftp://x", "http://user:pw@host"] {
            let err = BrokerClient::new(BrokerConfig::new(bad)).unwrap_err();
            assert!(matches!(err, BrokerError::Config(_)), "{bad}: {err}");
        }
    }
}
