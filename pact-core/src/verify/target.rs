//! What the verifier sends requests to: a provider over HTTP, or (with the `axum` feature) a
//! `tower::Service` such as an axum `Router`, called in-process without binding a port.

use std::future::Future;
use std::pin::Pin;

use crate::model::{unfold, Body, Headers, Request, Response};

use super::fetch::{describe_reqwest, is_idempotent, is_stale_connection, read_capped};
use super::CallError;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Something that answers requests.
pub trait Target: Send + Sync {
    /// Sends a request and returns the response, or why none came.
    fn send<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Result<Response, CallError>>;
    /// What the target is, for reports (`http://127.0.0.1:5001`, `in-process service`).
    fn describe(&self) -> String;
}

/// The default cap on a provider's response body: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 << 20;

/// How many redirects an opted-in provider may chain.
const MAX_REDIRECTS: usize = 10;

/// A provider reached over HTTP, with one connection pool for the whole run.
///
/// Requests go to URLs built from the parsed base URL (see the `url` module); redirects are not
/// followed unless asked, and then only within the base URL's scheme, host and port; response
/// bodies are capped; an idempotent request that fails on a keep-alive connection the provider
/// closed is sent once more.
pub struct HttpTarget {
    base: reqwest::Url,
    client: reqwest::Client,
    max_response_bytes: u64,
}

impl HttpTarget {
    /// A provider at `base_url`, following no redirects, with 64 MiB response bodies at most.
    /// The verifier enforces its own timeout around each call.
    pub fn new(base_url: &str) -> Result<Self, CallError> {
        Self::with_options(base_url, false, DEFAULT_MAX_RESPONSE_BYTES, &crate::tls::TlsOptions::default())
    }

    /// A provider at `base_url`, with these HTTPS options (extra CAs, no verification).
    pub fn with_tls(base_url: &str, tls: &crate::tls::TlsOptions) -> Result<Self, CallError> {
        Self::with_options(base_url, false, DEFAULT_MAX_RESPONSE_BYTES, tls)
    }

    /// A provider at `base_url`: `follow_redirects` follows up to 10 redirects within the base
    /// URL's scheme, host and port (a redirect elsewhere is an error); a response body over
    /// `max_response_bytes` is an error; `tls` holds the HTTPS options (extra CAs, no verification).
    pub fn with_options(
        base_url: &str,
        follow_redirects: bool,
        max_response_bytes: u64,
        tls: &crate::tls::TlsOptions,
    ) -> Result<Self, CallError> {
        let base = super::url::parse_base_url(base_url).map_err(CallError::Url)?;
        let policy = if follow_redirects {
            reqwest::redirect::Policy::custom(|attempt| {
                let Some(first) = attempt.previous().first() else { return attempt.stop() };
                if !super::url::same_origin(first, attempt.url()) {
                    let message = format!(
                        "the provider redirected to {}, away from {}; only redirects within the provider are followed",
                        attempt.url(),
                        first.origin().ascii_serialization()
                    );
                    attempt.error(message)
                } else if attempt.previous().len() > MAX_REDIRECTS {
                    attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
                } else {
                    attempt.follow()
                }
            })
        } else {
            reqwest::redirect::Policy::none()
        };
        // Requests are built from the base URL and redirects stay within its origin.
        let client = tls
            .build_client_for_origin(&base, |b| {
                b.tcp_nodelay(true).pool_max_idle_per_host(8).redirect(policy)
            })
            .map_err(|e| CallError::Client(e.to_string()))?;
        Ok(HttpTarget { base, client, max_response_bytes })
    }

    /// The URL a request goes to, or why it cannot be sent as written.
    pub fn url_of(&self, request: &Request) -> Result<reqwest::Url, CallError> {
        super::url::request_url(&self.base, request).map_err(CallError::Url)
    }

    fn build(
        &self,
        request: &Request,
        url: &reqwest::Url,
        method: &reqwest::Method,
    ) -> reqwest::RequestBuilder {
        let mut builder = self.client.request(method.clone(), url.clone());
        if let Some(headers) = &request.headers {
            for (name, values) in headers.iter() {
                let joined = values.iter().map(|v| unfold(v)).collect::<Vec<_>>().join(", ");
                builder = builder.header(name, joined);
            }
        }
        let bytes = request.body.to_bytes();
        if !bytes.is_empty() {
            builder = builder.body(bytes);
        }
        builder
    }
}

impl Target for HttpTarget {
    fn send<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Result<Response, CallError>> {
        Box::pin(async move {
            let url = self.url_of(request)?;
            let method = reqwest::Method::from_bytes(request.method.as_bytes())
                .map_err(|_| CallError::Request(format!("{:?} is not an HTTP method", request.method)))?;
            let fail = |e: reqwest::Error| {
                CallError::Transport(format!("{method} {url} failed: {}", describe_reqwest(&e)))
            };
            let response = match self.build(request, &url, &method).send().await {
                Ok(response) => response,
                Err(e) if is_idempotent(&method) && is_stale_connection(&e) => {
                    tracing::debug!(%url, error = %e, "retrying once on a fresh connection");
                    self.build(request, &url, &method).send().await.map_err(fail)?
                }
                Err(e) => return Err(fail(e)),
            };
            let status = response.status().as_u16();
            let headers = headers_of(response.headers());
            let what = format!("the response to {method} {url}");
            let bytes =
                read_capped(response, self.max_response_bytes, &what, "raise it with --max-response-size")
                    .await?;
            Ok(to_response(status, headers, &bytes))
        })
    }

    fn describe(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_string()
    }
}

/// Response headers as the model keeps them (reqwest and axum share the `http` types).
fn headers_of(map: &reqwest::header::HeaderMap) -> Headers {
    let mut headers = Headers::new();
    for (name, value) in map {
        headers.append(name.as_str(), String::from_utf8_lossy(value.as_bytes()).into_owned());
    }
    headers
}

pub(crate) fn to_response(status: u16, headers: Headers, bytes: &[u8]) -> Response {
    let content_type = headers.content_type().map(str::to_string);
    Response {
        status,
        body: Body::from_bytes(bytes, content_type.as_deref()),
        headers: Some(headers),
        ..Response::default()
    }
}

/// A `tower::Service` (for example an axum `Router`) called in-process.
#[cfg(feature = "axum")]
pub struct ServiceTarget<S> {
    service: S,
    max_response_bytes: u64,
}

#[cfg(feature = "axum")]
impl<S> ServiceTarget<S> {
    /// Wraps a service; its response bodies may have 64 MiB at most.
    pub fn new(service: S) -> Self {
        ServiceTarget { service, max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES }
    }

    /// Sets the largest response body accepted.
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }
}

#[cfg(feature = "axum")]
impl<S, B> Target for ServiceTarget<S>
where
    S: tower::Service<axum::http::Request<axum::body::Body>, Response = axum::http::Response<B>>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send,
    S::Error: std::fmt::Display,
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    fn send<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Result<Response, CallError>> {
        use tower::ServiceExt as _;
        Box::pin(async move {
            let uri = super::url::request_target(request);
            let mut builder = axum::http::Request::builder().method(request.method.as_str()).uri(&uri);
            if let Some(headers) = &request.headers {
                for (name, values) in headers.iter() {
                    let joined = values.iter().map(|v| unfold(v)).collect::<Vec<_>>().join(", ");
                    builder = builder.header(name, joined);
                }
            }
            let http_request =
                builder.body(axum::body::Body::from(request.body.to_bytes())).map_err(|e| {
                    CallError::Request(format!("cannot build the request {} {uri}: {e}", request.method))
                })?;
            let response = self
                .service
                .clone()
                .oneshot(http_request)
                .await
                .map_err(|e| CallError::Transport(format!("{} {uri} failed: {e}", request.method)))?;
            let status = response.status().as_u16();
            let headers = headers_of(response.headers());
            let body = axum::body::Body::new(response.into_body());
            let cap = usize::try_from(self.max_response_bytes).unwrap_or(usize::MAX);
            let bytes = axum::body::to_bytes(body, cap).await.map_err(|e| {
                CallError::TooLarge(format!(
                    "the response to {} {uri}: {e} (at most {} is read; raise it with max_response_bytes)",
                    request.method,
                    crate::model::human_size(cap)
                ))
            })?;
            Ok(to_response(status, headers, &bytes))
        })
    }

    fn describe(&self) -> String {
        "in-process service".to_string()
    }
}
