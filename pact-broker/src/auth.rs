//! Basic auth, with the official broker's two users and access rules.
//!
//! With no user configured every request is allowed. Otherwise, first match wins:
//!
//! - the read/write user may do anything;
//! - the read-only user may `GET`, `HEAD` and `OPTIONS` anything, and `POST` to
//!   `/pacts/provider/{provider}/for-verification` (a query); any other write gets 403;
//! - without credentials (or with wrong ones), `/diagnostic/status/heartbeat` is open, reads
//!   are open with `--allow-public-read`, and everything else gets 401 with
//!   `WWW-Authenticate: Basic realm="Restricted area"`.

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::api::AppState;
use crate::error::ApiError;

/// Who a request authenticated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read and write.
    Write,
    /// Read only.
    Read,
    /// No (valid) credentials.
    Anonymous,
}

/// Whether the request only reads: `GET`, `HEAD`, `OPTIONS`, or the for-verification query.
pub fn is_read(method: &Method, path: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if *method == Method::POST {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        return segments.len() == 4
            && segments[0] == "pacts"
            && segments[1] == "provider"
            && !segments[2].is_empty()
            && segments[3] == "for-verification";
    }
    false
}

/// Compares secrets in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    diff == 0
}

fn matches(credentials: &Option<(String, String)>, user: &[u8], password: &[u8]) -> bool {
    credentials.as_ref().is_some_and(|(u, p)| same(u.as_bytes(), user) & same(p.as_bytes(), password))
}

/// Who the `Authorization` header says the caller is.
pub fn access(state: &AppState, authorization: Option<&str>) -> Access {
    let auth = &state.config.auth;
    let Some(encoded) =
        authorization.and_then(|h| h.strip_prefix("Basic ").or_else(|| h.strip_prefix("basic ")))
    else {
        return Access::Anonymous;
    };
    let Ok(decoded) = STANDARD.decode(encoded.trim()) else { return Access::Anonymous };
    let Some(colon) = decoded.iter().position(|b| *b == b':') else { return Access::Anonymous };
    let (user, password) = (&decoded[..colon], &decoded[colon + 1..]);
    if matches(&auth.write, user, password) {
        Access::Write
    } else if matches(&auth.read_only, user, password) {
        Access::Read
    } else {
        Access::Anonymous
    }
}

/// The middleware.
pub async fn require_auth(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !state.config.auth.enabled() {
        return next.run(request).await;
    }
    let path = request.uri().path().to_string();
    let read = is_read(request.method(), &path);
    let authorization = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let allowed = match access(&state, authorization) {
        Access::Write => Ok(()),
        Access::Read if read => Ok(()),
        Access::Read => Err(ApiError::Forbidden("The read-only user may not change anything".into())),
        Access::Anonymous if path == "/diagnostic/status/heartbeat" => Ok(()),
        Access::Anonymous if read && state.config.auth.allow_public_read => Ok(()),
        Access::Anonymous => Err(ApiError::Unauthorized),
    };
    match allowed {
        Ok(()) => next.run(request).await,
        Err(error) => {
            let headers = request.headers().clone();
            error.into_response_for(&headers).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_gets_and_the_for_verification_query_are_reads() {
        assert!(is_read(&Method::GET, "/pacticipants"));
        assert!(is_read(&Method::OPTIONS, "/pacticipants"));
        assert!(is_read(&Method::POST, "/pacts/provider/Bar/for-verification"));
        assert!(!is_read(&Method::POST, "/pacts/provider/Bar/for-verification/x"));
        assert!(!is_read(&Method::POST, "/contracts/publish"));
        assert!(!is_read(&Method::PUT, "/pacts/provider/Bar/consumer/Foo/version/1"));
    }

    #[test]
    fn secrets_compare_by_content_and_length() {
        assert!(same(b"secret", b"secret"));
        assert!(!same(b"secret", b"secreT"));
        assert!(!same(b"secret", b"secret!"));
        assert!(!same(b"", b"x"));
    }
}
