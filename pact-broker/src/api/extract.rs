//! Reading requests: path parameters, JSON bodies (content type, size limit, syntax) and the
//! Rack-style query strings (`q[][pacticipant]=Foo`) the broker's clients send.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{header, Method};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::api::AppState;
use crate::domain::names;
use crate::error::ApiError;

/// Path parameters, percent-decoded; a path that does not decode is a 400 in the broker's shape.
#[derive(Debug)]
pub struct PathParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(PathParams(value)),
            Err(e) => Err(ApiError::BadRequest(format!("invalid path: {}", e.body_text()))),
        }
    }
}

/// A JSON request body, read with the configured size limit.
///
/// - A body whose `Content-Type` does not contain `json` is refused with 415.
/// - An empty body reads as `{}` (clients send `PUT .../tags/prod` with no body).
/// - A body over the limit is refused with 413; one that is not JSON with 400.
#[derive(Debug)]
pub struct JsonBody(pub Value);

impl FromRequest<AppState> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        let limit = state.config.max_body_bytes;
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge { limit }
            } else {
                ApiError::BadRequest(format!("cannot read the request body: {}", rejection.body_text()))
            }
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonBody(Value::Object(Map::new())));
        }
        match &content_type {
            Some(ct) if ct.contains("json") => {}
            Some(ct) => {
                return Err(ApiError::UnsupportedMediaType(format!(
                    "expected a JSON body (Content-Type: application/json), found Content-Type: {ct}"
                )))
            }
            None => {
                return Err(ApiError::UnsupportedMediaType(
                    "expected a JSON body (Content-Type: application/json), found no Content-Type".into(),
                ))
            }
        }
        let text = std::str::from_utf8(&bytes)
            .map_err(|e| ApiError::BadRequest(format!("the request body is not UTF-8: {e}")))?;
        serde_json::from_str(text)
            .map(JsonBody)
            .map_err(|e| ApiError::BadRequest(format!("the request body is not valid JSON: {e}")))
    }
}

/// The raw query string's pairs, percent-decoded, in order.
pub fn query_pairs(parts_uri: &axum::http::Uri) -> Vec<(String, String)> {
    parts_uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
        })
        .unwrap_or_default()
}

/// Rack's nested arrays of hashes: `q[][pacticipant]=A&q[][version]=1&q[][pacticipant]=B`
/// gives `[{pacticipant: A, version: 1}, {pacticipant: B}]` (a key repeating starts a new
/// hash). `q[0][pacticipant]`-style indexed keys are read too.
pub fn nested_list(pairs: &[(String, String)], name: &str) -> Vec<Vec<(String, String)>> {
    let mut items: Vec<Vec<(String, String)>> = Vec::new();
    let mut indexed: std::collections::BTreeMap<String, Vec<(String, String)>> =
        std::collections::BTreeMap::new();
    for (key, value) in pairs {
        let Some(rest) = key.strip_prefix(name) else { continue };
        let Some(rest) = rest.strip_prefix('[') else { continue };
        let Some((index, field)) = rest.split_once(']') else { continue };
        let Some(field) = field.strip_prefix('[').and_then(|f| f.strip_suffix(']')) else { continue };
        if index.is_empty() {
            let start_new = match items.last() {
                None => true,
                Some(last) => last.iter().any(|(k, _)| k == field),
            };
            if start_new {
                items.push(Vec::new());
            }
            if let Some(last) = items.last_mut() {
                last.push((field.to_string(), value.clone()));
            }
        } else {
            indexed.entry(index.to_string()).or_default().push((field.to_string(), value.clone()));
        }
    }
    items.extend(indexed.into_values());
    items
}

/// The first value of `key` among `fields`.
pub fn field<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Checks names (from the path or a body) before they are stored; errors are keyed by the
/// given field names.
///
/// # Errors
///
/// A 400 listing every invalid name.
pub fn check_names(names: &[(&str, &str)]) -> Result<(), ApiError> {
    let mut errors = Map::new();
    for (field, value) in names {
        if let Err(message) = names::check(value) {
            errors.insert((*field).to_string(), Value::Array(vec![Value::String(message)]));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::fields(errors))
    }
}

/// Whether a method changes data (everything but `GET`, `HEAD` and `OPTIONS`).
pub fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}
