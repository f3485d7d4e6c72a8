//! What the verifier sends requests to: a provider over HTTP, or (with the `axum` feature) a
//! `tower::Service` such as an axum `Router`, called in-process without binding a port.

use std::future::Future;
use std::pin::Pin;

use crate::model::{query_to_string, Body, Headers, Request, Response};

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Something that answers requests.
pub trait Target: Send + Sync {
    /// Sends a request and returns the response, or why none came.
    fn send<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Result<Response, String>>;
    /// What the target is, for reports (`http://127.0.0.1:5001`, `in-process service`).
    fn describe(&self) -> String;
}

/// A provider reached over HTTP, with one connection pool for the whole run.
pub struct HttpTarget {
    base_url: String,
    client: reqwest::Client,
}

impl HttpTarget {
    /// A provider at `base_url`.
    /// The verifier enforces its own timeout around each call.
    pub fn new(base_url: &str) -> Result<Self, String> {
        Self::with_tls(base_url, &crate::tls::TlsOptions::default())
    }

    /// A provider at `base_url`, with these HTTPS options (extra CAs, no verification).
    pub fn with_tls(base_url: &str, tls: &crate::tls::TlsOptions) -> Result<Self, String> {
        let client = tls
            .build_client(|b| b.tcp_nodelay(true).pool_max_idle_per_host(8))
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(HttpTarget { base_url: base_url.trim_end_matches('/').to_string(), client })
    }

    /// The URL a request goes to.
    pub fn url_of(&self, request: &Request) -> String {
        url_of(&self.base_url, request)
    }
}

pub(crate) fn url_of(base: &str, request: &Request) -> String {
    let mut url = format!("{base}{}", request.path);
    if let Some(query) = request.query.as_ref().filter(|q| !q.is_empty()) {
        url.push('?');
        url.push_str(&query_to_string(query));
    }
    url
}

impl Target for HttpTarget {
    fn send<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Result<Response, String>> {
        Box::pin(async move {
            let url = self.url_of(request);
            let method = reqwest::Method::from_bytes(request.method.as_bytes())
                .map_err(|_| format!("{:?} is not an HTTP method", request.method))?;
            let mut builder = self.client.request(method, &url);
            if let Some(headers) = &request.headers {
                for (name, values) in headers {
                    builder = builder.header(name.as_str(), values.join(", "));
                }
            }
            let bytes = request.body.to_bytes();
            if !bytes.is_empty() {
                builder = builder.body(bytes);
            }
            let fail =
                |e: reqwest::Error| format!("{} {url} failed: {}", request.method, describe_reqwest(&e));
            let response = builder.send().await.map_err(fail)?;
            let status = response.status().as_u16();
            let headers = headers_of(response.headers());
            let bytes = response.bytes().await.map_err(fail)?;
            Ok(to_response(status, headers, &bytes))
        })
    }

    fn describe(&self) -> String {
        self.base_url.clone()
    }
}

/// Response headers as the model keeps them (reqwest and axum share the `http` types).
fn headers_of(map: &reqwest::header::HeaderMap) -> Headers {
    let mut headers = Headers::new();
    for (name, value) in map {
        headers
            .entry(name.as_str().to_string())
            .or_default()
            .push(String::from_utf8_lossy(value.as_bytes()).into_owned());
    }
    headers
}

pub(crate) fn to_response(status: u16, headers: Headers, bytes: &[u8]) -> Response {
    let content_type =
        crate::model::http::find_header(Some(&headers), "content-type").and_then(|v| v.first()).cloned();
    Response {
        status,
        body: Body::from_bytes(bytes, content_type.as_deref()),
        headers: Some(headers),
        ..Response::default()
    }
}

/// A reqwest error as one line, with its root cause and a hint for the common ones.
pub(crate) fn describe_reqwest(error: &reqwest::Error) -> String {
    let mut cause = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    if error.is_timeout() {
        "timed out (raise --request-timeout if the provider is slow)".to_string()
    } else if error.is_connect() {
        format!("cannot connect: {cause} (is the provider running?)")
    } else {
        cause
    }
}

/// A `tower::Service` (for example an axum `Router`) called in-process.
#[cfg(feature = "axum")]
pub struct ServiceTarget<S> {
    service: S,
}

#[cfg(feature = "axum")]
impl<S> ServiceTarget<S> {
    /// Wraps a service.
    pub fn new(service: S) -> Self {
        ServiceTarget { service }
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
    fn send<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Result<Response, String>> {
        use tower::ServiceExt as _;
        Box::pin(async move {
            let uri = url_of("", request);
            let mut builder = axum::http::Request::builder().method(request.method.as_str()).uri(&uri);
            if let Some(headers) = &request.headers {
                for (name, values) in headers {
                    builder = builder.header(name.as_str(), values.join(", "));
                }
            }
            let http_request = builder
                .body(axum::body::Body::from(request.body.to_bytes()))
                .map_err(|e| format!("cannot build the request {} {uri}: {e}", request.method))?;
            let response = self
                .service
                .clone()
                .oneshot(http_request)
                .await
                .map_err(|e| format!("{} {uri} failed: {e}", request.method))?;
            let status = response.status().as_u16();
            let headers = headers_of(response.headers());
            let body = axum::body::Body::new(response.into_body());
            let bytes = axum::body::to_bytes(body, 64 << 20)
                .await
                .map_err(|e| format!("reading the body of {uri}: {e}"))?;
            Ok(to_response(status, headers, &bytes))
        })
    }

    fn describe(&self) -> String {
        "in-process service".to_string()
    }
}
