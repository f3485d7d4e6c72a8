//! HTTP plumbing the verifier's calls share: reading a body under a size cap (checking
//! `Content-Length` first, then counting while streaming), the one retry a closed keep-alive
//! connection deserves, and one-line descriptions of reqwest errors.

use super::CallError;
use crate::model::human_size;

/// Reads a response body, refusing it as soon as it is known to be over `cap` bytes: from its
/// `Content-Length` before anything is read, or while it streams. `what` names the response
/// in the error (`the response to GET http://...`), and `flag` the setting that raises the cap.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    cap: u64,
    what: &str,
    flag: &str,
) -> Result<Vec<u8>, CallError> {
    let too_big = |size: String| {
        CallError::TooLarge(format!(
            "{what} has a body of {size}, more than the {} allowed ({flag})",
            human_size(cap as usize)
        ))
    };
    if let Some(length) = response.content_length().filter(|&l| l > cap) {
        return Err(too_big(format!("{} (its Content-Length)", human_size(length as usize))));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| CallError::Transport(format!("{what}: {}", describe_reqwest(&e))))?
    {
        if (body.len() + chunk.len()) as u64 > cap {
            return Err(too_big(format!("more than {} (the rest was not read)", human_size(cap as usize))));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Whether a request may be sent twice: RFC 9110's idempotent methods.
pub(crate) fn is_idempotent(method: &reqwest::Method) -> bool {
    matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS" | "TRACE" | "PUT" | "DELETE")
}

/// Whether an error may come from a pooled keep-alive connection that the provider had already
/// closed: the request failed before any response came, and not by a timeout or a refused
/// connection. Such a request is sent once more on a fresh connection, when it is idempotent.
pub(crate) fn is_stale_connection(error: &reqwest::Error) -> bool {
    error.is_request() && !error.is_timeout() && !error.is_connect() && !error.is_redirect()
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
