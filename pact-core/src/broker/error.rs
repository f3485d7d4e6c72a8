//! What can go wrong talking to a broker, and how the broker's own error bodies are read.

use serde_json::Value;

/// A failure talking to a Pact Broker.
///
/// Every variant names the URL it concerns; the variants that come from an HTTP answer carry
/// the broker's own messages (`errors`, `error`, `notices`, or an RFC 7807 problem).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrokerError {
    /// The client is not set up correctly (no broker URL, an invalid URL...).
    #[error("{0}")]
    Config(String),
    /// The HTTPS client could not be set up.
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    /// The broker could not be reached, after the retries.
    #[error("{method} {url}: cannot connect to the broker: {cause}{}", retried(*attempts))]
    Connect {
        /// The method.
        method: String,
        /// The URL.
        url: String,
        /// The root cause.
        cause: String,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The broker did not answer in time, after the retries.
    #[error("{method} {url}: the broker did not answer within {seconds} s{}", retried(*attempts))]
    Timeout {
        /// The method.
        method: String,
        /// The URL.
        url: String,
        /// The timeout of one request.
        seconds: u64,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The broker refused the credentials (401) or the operation (403).
    #[error("{method} {url}: {status}{}: check the broker credentials (--broker-username/--broker-password or --broker-token, or PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD/PACT_BROKER_TOKEN)", messages_suffix(messages))]
    Unauthorized {
        /// The method.
        method: String,
        /// The URL.
        url: String,
        /// The status line, such as `401 Unauthorized`.
        status: String,
        /// The broker's messages.
        messages: Vec<String>,
    },
    /// The resource does not exist (404).
    #[error("{method} {url}: not found (404){}", messages_suffix(messages))]
    NotFound {
        /// The method.
        method: String,
        /// The URL.
        url: String,
        /// The broker's messages.
        messages: Vec<String>,
    },
    /// Any other unsuccessful answer.
    #[error("{method} {url}: {status}{}{}", messages_suffix(messages), retried(*attempts))]
    Status {
        /// The method.
        method: String,
        /// The URL.
        url: String,
        /// The status code.
        code: u16,
        /// The status line, such as `400 Bad Request`.
        status: String,
        /// The broker's messages.
        messages: Vec<String>,
        /// How many attempts were made.
        attempts: u32,
    },
    /// A successful answer that is not what the API promises (not JSON, not the expected shape).
    #[error("{url}: {message}")]
    InvalidResponse {
        /// The URL.
        url: String,
        /// What was wrong.
        message: String,
    },
    /// An answer larger than the client accepts.
    #[error("{url}: the answer is larger than {limit} bytes")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit.
        limit: u64,
    },
    /// A resource lacks a relation the operation needs.
    #[error("{url}: the broker offers no {relation:?} link{}", hint.as_deref().map(|h| format!(" ({h})")).unwrap_or_default())]
    MissingRelation {
        /// The resource that was read.
        url: String,
        /// The relation.
        relation: String,
        /// What it usually means.
        hint: Option<String>,
    },
    /// A templated link needs a value that was not given.
    #[error("the link {href:?} needs a value for {{{placeholder}}}")]
    Template {
        /// The href.
        href: String,
        /// The missing placeholder.
        placeholder: String,
    },
    /// A pact read from the broker or from disk is invalid.
    #[error("{0}")]
    Pact(#[from] crate::model::Error),
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The broker has no pacts for the provider with these selectors.
    #[error("no pacts found for provider {provider:?} at {url}{}", messages_suffix(messages))]
    NoPacts {
        /// The provider.
        provider: String,
        /// The broker resource that answered.
        url: String,
        /// The broker's messages, or the selectors used.
        messages: Vec<String>,
    },
    /// A named thing (an environment, a version) does not exist on the broker.
    #[error("{0}")]
    Unknown(String),
}

impl BrokerError {
    /// The broker's own messages, when the error came from an answer.
    pub fn messages(&self) -> &[String] {
        match self {
            BrokerError::Unauthorized { messages, .. }
            | BrokerError::NotFound { messages, .. }
            | BrokerError::Status { messages, .. }
            | BrokerError::NoPacts { messages, .. } => messages,
            _ => &[],
        }
    }

    /// Whether the error is a network failure or a server error (worth retrying later).
    pub fn is_transient(&self) -> bool {
        match self {
            BrokerError::Connect { .. } | BrokerError::Timeout { .. } => true,
            BrokerError::Status { code, .. } => *code >= 500 || *code == 408 || *code == 429,
            _ => false,
        }
    }
}

fn messages_suffix(messages: &[String]) -> String {
    if messages.is_empty() {
        String::new()
    } else {
        format!(": {}", messages.join("; "))
    }
}

fn retried(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

/// The longest message kept from a broker body, in characters.
const MAX_MESSAGE: usize = 500;
/// The most messages kept from one body.
const MAX_MESSAGES: usize = 20;

/// The broker's own messages in an error body: `errors` (an object of field -> messages, an
/// array, or a string; RFC 7807 `errors` items with `detail`/`pointer`), `error` (a string or an
/// object with `message`), `notices` that are not debug output, RFC 7807 `title`/`detail`, and
/// a short plain-text body.
///
/// ```
/// use pact_core::broker::messages_from_body;
///
/// let body = br#"{"errors": {"pacticipantVersionNumber": ["is missing"], "consumer": {"name": ["does not match"]}}}"#;
/// assert_eq!(
///     messages_from_body(body),
///     vec!["consumer.name: does not match".to_string(), "pacticipantVersionNumber: is missing".to_string()]
/// );
/// assert_eq!(messages_from_body(br#"{"error": {"message": "boom", "reference": "x1"}}"#), vec!["boom (reference x1)"]);
/// ```
pub fn messages_from_body(body: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => {
            if let Some(errors) = map.get("errors") {
                collect_errors("", errors, &mut out);
            }
            match map.get("error") {
                Some(Value::String(s)) => out.push(s.clone()),
                Some(Value::Object(e)) => {
                    let message = e.get("message").and_then(Value::as_str).unwrap_or("error");
                    match e.get("reference").and_then(Value::as_str) {
                        Some(r) => out.push(format!("{message} (reference {r})")),
                        None => out.push(message.to_string()),
                    }
                }
                _ => {}
            }
            if let Some(Value::Array(notices)) = map.get("notices") {
                for notice in notices {
                    let kind = notice.get("type").and_then(Value::as_str).unwrap_or("info");
                    if matches!(kind, "error" | "danger" | "warning") {
                        if let Some(text) = notice.get("text").and_then(Value::as_str) {
                            // The same text is often in `errors` too, under a field name.
                            let known = out.iter().any(|m| m == text || m.ends_with(&format!(": {text}")));
                            if !known {
                                out.push(text.to_string());
                            }
                        }
                    }
                }
            }
            if out.is_empty() {
                for key in ["detail", "title", "message"] {
                    if let Some(text) = map.get(key).and_then(Value::as_str) {
                        out.push(text.to_string());
                        break;
                    }
                }
            }
        }
        Ok(Value::Array(items)) => collect_errors("", &Value::Array(items), &mut out),
        Ok(Value::String(s)) => out.push(s),
        Ok(_) => {}
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
            // HTML error pages say nothing useful in their first line.
            if !line.is_empty() && !line.starts_with('<') {
                out.push(line.to_string());
            }
        }
    }
    out.truncate(MAX_MESSAGES);
    for message in &mut out {
        if message.chars().count() > MAX_MESSAGE {
            *message = message.chars().take(MAX_MESSAGE).collect::<String>() + "...";
        }
    }
    out
}

fn collect_errors(prefix: &str, value: &Value, out: &mut Vec<String>) {
    let label = |text: &str| if prefix.is_empty() { text.to_string() } else { format!("{prefix}: {text}") };
    match value {
        Value::String(s) => out.push(label(s)),
        Value::Array(items) => {
            let strings: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            if !strings.is_empty() && strings.len() == items.len() {
                out.push(label(&strings.join(", ")));
                return;
            }
            for item in items {
                match item {
                    // RFC 7807 validation items: {"detail", "pointer", "title"}.
                    Value::Object(o) if o.contains_key("detail") || o.contains_key("title") => {
                        let text = o.get("detail").or_else(|| o.get("title")).and_then(Value::as_str);
                        let text = text.unwrap_or_default();
                        match o.get("pointer").and_then(Value::as_str).filter(|p| !p.is_empty()) {
                            Some(pointer) => out.push(label(&format!("{pointer}: {text}"))),
                            None => out.push(label(text)),
                        }
                    }
                    other => collect_errors(prefix, other, out),
                }
            }
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for key in keys {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                collect_errors(&path, &map[key], out);
            }
        }
        Value::Null => {}
        other => out.push(label(&other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::messages_from_body;

    #[test]
    fn every_error_shape_the_brokers_use_is_read() {
        assert_eq!(messages_from_body(br#"{"errors": ["a", "b"]}"#), vec!["a, b"]);
        assert_eq!(messages_from_body(br#"{"errors": "plain"}"#), vec!["plain"]);
        assert_eq!(
            messages_from_body(br#"{"errors": {"contracts": {"0": ["bad content"]}}}"#),
            vec!["contracts.0: bad content"]
        );
        assert_eq!(
            messages_from_body(br#"{"error": "Cannot change the content"}"#),
            vec!["Cannot change the content"]
        );
        let problem = br#"{"title": "Validation errors", "type": "x", "status": 400,
            "errors": [{"type": "y", "title": "Invalid body parameter", "detail": "is missing", "pointer": "/name"}]}"#;
        assert_eq!(messages_from_body(problem), vec!["/name: is missing"]);
        assert_eq!(
            messages_from_body(br#"{"title": "Not found", "detail": "No pacticipant Foo"}"#),
            vec!["No pacticipant Foo"]
        );
        let notices =
            br#"{"notices": [{"type": "debug", "text": "x"}, {"type": "error", "text": "Cannot change"}],
            "errors": {"contracts": ["Cannot change"]}}"#;
        assert_eq!(messages_from_body(notices), vec!["contracts: Cannot change"]);
        assert_eq!(messages_from_body(b"Service Unavailable\n"), vec!["Service Unavailable"]);
        assert!(messages_from_body(b"<html><body>502</body></html>").is_empty());
        assert!(messages_from_body(b"").is_empty());
    }

    #[test]
    fn messages_are_bounded() {
        let long = format!(r#"{{"error": "{}"}}"#, "x".repeat(10_000));
        let messages = messages_from_body(long.as_bytes());
        assert_eq!(messages[0].chars().count(), 503);
        let many = format!(
            r#"{{"errors": [{}]}}"#,
            (0..100).map(|i| format!("{{\"detail\": \"{i}\"}}")).collect::<Vec<_>>().join(",")
        );
        assert_eq!(messages_from_body(many.as_bytes()).len(), 20);
    }
}
