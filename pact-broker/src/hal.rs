//! HAL helpers: absolute hrefs built with `url`, links, and `application/hal+json` responses.
//!
//! Every href is built from a parsed base URL (the configured `--public-url`, or the request's
//! `Host`) by pushing path segments, each percent-encoded so that a name such as `a/b`, `50%`
//! or `Consumer 2` survives the round trip through a client. Templated links (`{provider}`)
//! append a constant template, written in this crate, after the encoded segments; no user
//! input is ever concatenated into a URL.
//!
//! ```
//! use pact_broker::hal::BaseUrl;
//!
//! let base = BaseUrl::parse("http://broker.example/ci").unwrap();
//! assert_eq!(base.href(&["pacticipants", "a/b c"]), "http://broker.example/ci/pacticipants/a%2Fb%20c");
//! assert_eq!(base.href(&["pacticipants", "50%", "x\\y"]), "http://broker.example/ci/pacticipants/50%25/x%5Cy");
//! assert_eq!(
//!     base.templated(&["pacticipants", "Foo"], "versions/{version}"),
//!     "http://broker.example/ci/pacticipants/Foo/versions/{version}"
//! );
//! ```

use std::convert::Infallible;
use std::str::FromStr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::uri::Authority;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use url::Url;

use crate::api::AppState;

/// The content type of HAL responses.
pub const HAL_JSON: &str = "application/hal+json;charset=utf-8";

/// The base of every href: scheme, host, port and an optional path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

/// Why a base URL was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BaseUrlError {
    /// Not a URL at all.
    #[error("{url:?} is not a URL: {source}")]
    Parse {
        /// The text.
        url: String,
        /// The parser's reason.
        #[source]
        source: url::ParseError,
    },
    /// A URL that cannot be a base: not http(s), or with a query or fragment.
    #[error("{0:?} must be an http:// or https:// URL without query or fragment")]
    Unsupported(String),
}

impl BaseUrl {
    /// Parses a public URL such as `https://broker.example/pact`.
    ///
    /// # Errors
    ///
    /// When `text` is not an absolute http(s) URL, or has a query or a fragment.
    pub fn parse(text: &str) -> Result<Self, BaseUrlError> {
        let url = Url::parse(text).map_err(|source| BaseUrlError::Parse { url: text.to_string(), source })?;
        if !matches!(url.scheme(), "http" | "https")
            || url.query().is_some()
            || url.fragment().is_some()
            || url.cannot_be_a_base()
        {
            return Err(BaseUrlError::Unsupported(text.to_string()));
        }
        Ok(BaseUrl(url))
    }

    /// `http://<authority>` from a `Host` header value such as `127.0.0.1:9292`; `None` when the
    /// value is not a plain host and port.
    pub fn from_host(host: &str) -> Option<Self> {
        let authority = Authority::from_str(host).ok()?;
        if authority.as_str().contains('@') {
            return None;
        }
        let mut url = Url::parse("http://localhost/").ok()?;
        url.set_host(Some(authority.host())).ok()?;
        url.set_port(authority.port_u16()).ok()?;
        Some(BaseUrl(url))
    }

    /// The base itself, as text without a trailing slash (`http://host:port` or with its prefix).
    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    fn with_segments(&self, segments: &[&str]) -> Url {
        let mut url = self.0.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            // `extend` percent-encodes each segment (including `/`, `%` and `\`); it skips `.`
            // and `..`, which names are not allowed to be (see `domain::names`).
            path.extend(segments);
        }
        url
    }

    /// The absolute href of a path made of `segments` (each one encoded).
    pub fn href(&self, segments: &[&str]) -> String {
        self.with_segments(segments).to_string()
    }

    /// The absolute href of `segments` with a query string made of `pairs` (form-encoded).
    pub fn href_with_query(&self, segments: &[&str], pairs: &[(&str, &str)]) -> String {
        let mut url = self.with_segments(segments);
        url.query_pairs_mut().extend_pairs(pairs);
        url.to_string()
    }

    /// A templated href: the encoded `segments`, then the constant `template` (for example
    /// `versions/{version}`, or `?pacticipant={pacticipant}` for a query template).
    pub fn templated(&self, segments: &[&str], template: &'static str) -> String {
        let url = self.with_segments(segments);
        let base = url.as_str().trim_end_matches('/');
        if template.starts_with('?') {
            format!("{base}{template}")
        } else {
            format!("{base}/{template}")
        }
    }

    /// The `curies` relation of the index and other resources.
    pub fn curies(&self, context: &'static str) -> Value {
        let doc = |name: &str| {
            let template: &'static str = match context {
                "index" => "doc/{rel}?context=index",
                "pact" => "doc/{rel}?context=pact",
                "pacticipant" => "doc/{rel}?context=pacticipant",
                "version" => "doc/{rel}?context=version",
                _ => "doc/{rel}",
            };
            json!({ "name": name, "href": self.templated(&[], template), "templated": true })
        };
        json!([doc("pb"), doc("beta")])
    }
}

impl FromRequestParts<AppState> for BaseUrl {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(public) = &state.config.public_url {
            return Ok(public.clone());
        }
        let from_header = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .and_then(BaseUrl::from_host)
            .or_else(|| parts.uri.authority().and_then(|a| BaseUrl::from_host(a.as_str())));
        Ok(from_header.unwrap_or_else(|| state.listen_base.clone()))
    }
}

/// A HAL link object: `{"href", "title"?, "name"?, "templated"?}`.
#[derive(Debug, Clone)]
pub struct Link(Map<String, Value>);

impl Link {
    /// A link to `href`.
    pub fn new(href: impl Into<String>) -> Self {
        let mut map = Map::new();
        map.insert("href".into(), Value::String(href.into()));
        Link(map)
    }

    /// A templated link (`"templated": true`).
    pub fn templated(href: impl Into<String>) -> Self {
        let mut link = Link::new(href);
        link.0.insert("templated".into(), Value::Bool(true));
        link
    }

    /// Adds a title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.0.insert("title".into(), Value::String(title.into()));
        self
    }

    /// Adds a name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.0.insert("name".into(), Value::String(name.into()));
        self
    }

    /// Adds any other property.
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.0.insert(key.into(), value);
        self
    }
}

impl serde::Serialize for Link {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl From<Link> for Value {
    fn from(link: Link) -> Value {
        Value::Object(link.0)
    }
}

/// A JSON response with the HAL content type.
#[derive(Debug)]
pub struct Hal {
    /// The status.
    pub status: StatusCode,
    /// The body.
    pub body: Value,
    /// A `Location` header, for resources that were created.
    pub location: Option<String>,
}

impl Hal {
    /// 200 with `body`.
    pub fn ok(body: Value) -> Self {
        Hal { status: StatusCode::OK, body, location: None }
    }

    /// 201 with `body` and a `Location`.
    pub fn created(body: Value, location: String) -> Self {
        Hal { status: StatusCode::CREATED, body, location: Some(location) }
    }

    /// 201 when `created`, 200 otherwise; `Location` is set on 201.
    pub fn created_or_ok(created: bool, body: Value, location: String) -> Self {
        if created {
            Hal::created(body, location)
        } else {
            Hal::ok(body)
        }
    }
}

/// A `200` HAL document already serialized (an answer from the response cache).
#[derive(Debug, Clone)]
pub struct HalBytes(pub axum::body::Bytes);

impl IntoResponse for HalBytes {
    fn into_response(self) -> Response {
        let mut response = (StatusCode::OK, self.0).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(HAL_JSON));
        response
    }
}

impl IntoResponse for Hal {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(HAL_JSON));
        if let Some(location) = self.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            headers.insert(header::LOCATION, location);
        }
        response
    }
}
