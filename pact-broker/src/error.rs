//! The broker's error responses, in the shapes the official Pact Broker uses.
//!
//! | situation | status | HAL body |
//! |---|---|---|
//! | validation | 400 | `{"errors": {"field": ["message"]}}` (or an array, for the matrix) |
//! | one named problem (not found, conflict, ...) | 404, 409, ... | `{"error": "message"}` |
//! | a fault of the server | 500 | `{"error": {"message": "...", "reference": "..."}}` |
//!
//! When the request's `Accept` asks for `application/problem+json`, the same errors are rendered
//! as RFC 7807 documents instead (see [`ApiError::into_response_for`]).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::hal::HAL_JSON;
use crate::storage::StorageError;

/// The content type of RFC 7807 error documents.
pub const PROBLEM_JSON: &str = "application/problem+json;charset=utf-8";

/// An error a resource answers with.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// 400: the request was understood but its content is invalid. `errors` is the broker's
    /// `errors` object (field name → list of messages, nested for nested fields) or array.
    #[error("validation failed: {errors}")]
    Validation {
        /// The `errors` value of the body.
        errors: Value,
    },
    /// 400 with a single message (for example a body that is not JSON).
    #[error("{0}")]
    BadRequest(String),
    /// 401: credentials are required (basic auth is configured).
    #[error("authentication required")]
    Unauthorized,
    /// 403: the credentials do not allow this request.
    #[error("{0}")]
    Forbidden(String),
    /// 404: the resource does not exist.
    #[error("{0}")]
    NotFound(String),
    /// 405: the resource exists but does not answer this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: the request conflicts with stored data. `notices` are added to the body (as
    /// `POST /contracts/publish` does) when not empty.
    #[error("{message}")]
    Conflict {
        /// The message.
        message: String,
        /// The `errors` value, when the resource reports one (publish-contracts does).
        errors: Option<Value>,
        /// Notices to print, as `[{"type", "text"}]`.
        notices: Vec<Value>,
    },
    /// 413: the request body is larger than the configured limit.
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 415: the request body is not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 500: a fault of the server or its database. The message is logged with `reference`
    /// and not shown to the client.
    #[error("internal error {reference}: {message}")]
    Internal {
        /// What went wrong (logged, not returned).
        message: String,
        /// A random reference, returned to the client and written to the log.
        reference: String,
    },
}

impl ApiError {
    /// A validation error for one field: `{"errors": {field: [message]}}`.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Map::new();
        errors.insert(field.to_string(), json!([message.into()]));
        ApiError::Validation { errors: Value::Object(errors) }
    }

    /// A validation error from collected field errors.
    pub fn fields(errors: Map<String, Value>) -> Self {
        ApiError::Validation { errors: Value::Object(errors) }
    }

    /// A 409 conflict with just a message.
    pub fn conflict(message: impl Into<String>) -> Self {
        ApiError::Conflict { message: message.into(), errors: None, notices: Vec::new() }
    }

    /// A 500 error; the cause is logged under a fresh reference.
    pub fn internal(message: impl Into<String>) -> Self {
        let reference = uuid::Uuid::new_v4().simple().to_string()[..10].to_string();
        ApiError::Internal { message: message.into(), reference }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation { .. } | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The HAL (default) body.
    fn hal_body(&self) -> Value {
        match self {
            ApiError::Validation { errors } => json!({ "errors": errors }),
            ApiError::Conflict { message, errors, notices } => {
                let mut body = Map::new();
                body.insert("error".into(), json!(message));
                if let Some(errors) = errors {
                    body.insert("errors".into(), errors.clone());
                }
                if !notices.is_empty() {
                    body.insert("notices".into(), Value::Array(notices.clone()));
                }
                Value::Object(body)
            }
            ApiError::Internal { reference, .. } => json!({
                "error": {
                    "message": format!("An error has occurred. The details have been logged with the reference {reference}"),
                    "reference": reference,
                }
            }),
            other => json!({ "error": other.to_string() }),
        }
    }

    /// The RFC 7807 body.
    fn problem_body(&self) -> Value {
        let status = self.status().as_u16();
        match self {
            ApiError::Validation { errors } => {
                let mut items = Vec::new();
                flatten_errors(errors, String::new(), &mut items);
                json!({
                    "title": "Validation errors",
                    "type": "/problems/validation-error",
                    "status": status,
                    "instance": "/",
                    "errors": items,
                })
            }
            other => {
                let (title, kind) = match other {
                    ApiError::NotFound(_) => ("Not found", "not-found"),
                    ApiError::Conflict { .. } => ("Conflict", "conflict"),
                    ApiError::Unauthorized => ("Unauthorized", "unauthorized"),
                    ApiError::Forbidden(_) => ("Forbidden", "forbidden"),
                    ApiError::PayloadTooLarge { .. } => ("Payload too large", "payload-too-large"),
                    ApiError::UnsupportedMediaType(_) => ("Unsupported media type", "unsupported-media-type"),
                    ApiError::MethodNotAllowed => ("Method not allowed", "method-not-allowed"),
                    ApiError::Internal { .. } => ("Server error", "server-error"),
                    _ => ("Invalid request", "invalid-request"),
                };
                let detail = match other {
                    ApiError::Internal { .. } => self.hal_body()["error"]["message"].clone(),
                    _ => json!(other.to_string()),
                };
                json!({ "title": title, "type": format!("/problem/{kind}"), "detail": detail, "status": status })
            }
        }
    }

    /// Renders the error for a request with these headers: RFC 7807 when `Accept` asks for
    /// `application/problem+json`, the broker's HAL shapes otherwise.
    pub fn into_response_for(self, request_headers: &HeaderMap) -> Response {
        let wants_problem = wants_problem_json(request_headers);
        let mut response = self.clone().render(wants_problem);
        response.extensions_mut().insert(self);
        response
    }

    /// Renders the error as RFC 7807 (`true`) or in the broker's HAL shapes (`false`).
    pub(crate) fn render(self, problem: bool) -> Response {
        if let ApiError::Internal { message, reference } = &self {
            tracing::error!(reference = %reference, "{message}");
        }
        let status = self.status();
        let (body, content_type) =
            if problem { (self.problem_body(), PROBLEM_JSON) } else { (self.hal_body(), HAL_JSON) };
        let mut response = (status, body.to_string()).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Restricted area\""),
            );
        }
        response
    }
}

/// Whether the request's `Accept` header asks for `application/problem+json`.
pub(crate) fn wants_problem_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("application/problem+json"))
}

/// Turns `{"a": {"b": ["m"]}}` into problem items with JSON pointers (`/a/b`).
fn flatten_errors(errors: &Value, pointer: String, out: &mut Vec<Value>) {
    match errors {
        Value::Object(map) => {
            for (key, value) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                flatten_errors(value, format!("{pointer}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::String(_) => out.push(problem_item(item, &pointer)),
                    other => flatten_errors(other, pointer.clone(), out),
                }
            }
        }
        other => out.push(problem_item(other, &pointer)),
    }
}

fn problem_item(detail: &Value, pointer: &str) -> Value {
    let detail = detail.as_str().map(str::to_string).unwrap_or_else(|| detail.to_string());
    json!({
        "type": "/problems/invalid-body-property-value",
        "title": "Invalid body parameter",
        "detail": detail,
        "pointer": if pointer.is_empty() { "/" } else { pointer },
    })
}

/// Rendered in the HAL form, with the error kept in the response's extensions: the router's
/// [`problem_json`](crate::api) layer re-renders it as RFC 7807 when the request asked for that.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.clone().render(false);
        response.extensions_mut().insert(self);
        response
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        ApiError::internal(error.to_string())
    }
}

/// Result alias of the API layer.
pub type ApiResult<T> = Result<T, ApiError>;
