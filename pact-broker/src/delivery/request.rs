//! Sending one webhook request: the template rendered with its variables, checked against the
//! webhook rules again (they may have changed since the webhook was saved), sent with a
//! timeout and without following redirects, the response read up to a bound; and the
//! execution log, in the official broker's format (`[time] LEVEL: message` lines).
//!
//! The broker's own credentials are never sent: the request carries only the headers and the
//! basic auth of the webhook. Passwords and `Authorization`/token headers are never written to
//! the log. Response headers and bodies are logged only when a host whitelist is configured,
//! as in the official broker (otherwise a webhook could read internal services through the
//! logs); the status line always is.

use std::fmt::Write as _;

use reqwest::header::{HeaderName, HeaderValue};

use crate::domain::webhook_template::{render_body, render_text, render_url, Variables};
use crate::domain::webhooks::{sensitive_header, Policy, RequestTemplate, REDACTED};

/// The most of a response body that is read; the rest is dropped.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// The most of a request or response body written to a log.
pub const MAX_LOGGED_BODY_BYTES: usize = 4 * 1024;

/// The result of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// Whether the receiver answered with a 2xx status.
    pub success: bool,
    /// The response status, if a response came.
    pub status: Option<u16>,
    /// The rendered request, for display (credentials redacted).
    pub request: RenderedRequest,
    /// The response body read (bounded), for the test execution endpoint.
    pub response_body: Option<String>,
    /// The log lines of the attempt, without the final outcome line.
    pub logs: String,
}

/// A rendered request, as shown in logs and test executions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderedRequest {
    /// Method.
    pub method: String,
    /// URL.
    pub url: String,
    /// Headers, sensitive values redacted.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Option<String>,
}

/// Appends one log line in the official broker's format.
pub fn log_line(log: &mut String, level: &str, message: &str) {
    let at = crate::storage::now();
    let at = at.trim_end_matches("+00:00");
    let _ = writeln!(log, "[{at}Z] {level}: {message}");
}

fn bounded(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} more bytes not shown)", &text[..end], text.len() - end)
}

fn failed(log: String, request: RenderedRequest, uuid: &str, message: String) -> Attempt {
    let mut logs = log;
    log_line(&mut logs, "ERROR", &format!("Error executing webhook {uuid}: {message}"));
    Attempt { success: false, status: None, request, response_body: None, logs }
}

/// Renders and sends a webhook request.
pub async fn send(
    client: &reqwest::Client,
    policy: &Policy,
    template: &RequestTemplate,
    vars: &Variables,
    uuid: &str,
) -> Attempt {
    let mut log = String::new();
    let context: Vec<String> =
        vars.all().iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={v}")).collect();
    log_line(&mut log, "DEBUG", &format!("Webhook context {}", context.join(", ")));
    let url_text = render_url(&template.url, vars);
    let mut shown =
        RenderedRequest { method: template.method.clone(), url: url_text.clone(), ..Default::default() };
    let url = match url::Url::parse(&url_text) {
        Ok(url) => url,
        Err(e) => return failed(log, shown, uuid, format!("invalid URL {url_text:?}: {e}")),
    };
    if let Err(e) = policy.check_url(&url) {
        return failed(log, shown, uuid, format!("URL {url_text:?} is not allowed: {e}"));
    }
    if let Err(e) = policy.check_method(&template.method) {
        return failed(log, shown, uuid, format!("method {} is not allowed: it {e}", template.method));
    }
    let method = match reqwest::Method::from_bytes(template.method.as_bytes()) {
        Ok(m) => m,
        Err(e) => return failed(log, shown, uuid, format!("invalid method {:?}: {e}", template.method)),
    };
    let mut request = client.request(method, url);
    for (name, value) in &template.headers {
        let rendered = render_text(value, vars);
        let (Ok(header_name), Ok(header_value)) =
            (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&rendered))
        else {
            return failed(log, shown, uuid, format!("header {name:?} does not render to a valid header"));
        };
        let display = if sensitive_header(name) { REDACTED.to_string() } else { rendered.clone() };
        shown.headers.push((name.clone(), display));
        request = request.header(header_name, header_value);
    }
    if let Some(user) = &template.username {
        let password = template.password.as_ref().map(|p| render_text(p, vars));
        request = request.basic_auth(render_text(user, vars), password);
        shown.headers.push(("Authorization".into(), REDACTED.into()));
    }
    if let Some(body) = render_body(&template.body, vars) {
        shown.body = Some(body.clone());
        request = request.body(body);
    }
    log_line(&mut log, "INFO", &format!("HTTP/1.1 {} {}", shown.method, shown.url));
    for (name, value) in &shown.headers {
        log_line(&mut log, "INFO", &format!("{name}: {value}"));
    }
    if let Some(body) = &shown.body {
        log_line(&mut log, "INFO", &bounded(body, MAX_LOGGED_BODY_BYTES));
    }
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(e) => {
            let kind = if e.is_timeout() {
                "timed out"
            } else if e.is_connect() {
                "could not connect"
            } else {
                "request failed"
            };
            return failed(log, shown, uuid, format!("{kind}: {}", error_chain(&e)));
        }
    };
    let status = response.status();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    let mut truncated = false;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_RESPONSE_BYTES - body.len();
                if chunk.len() > room {
                    body.extend_from_slice(&chunk[..room]);
                    truncated = true;
                    break;
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => {
                log_line(
                    &mut log,
                    "WARN",
                    &format!("the response body could not be read to its end: {}", error_chain(&e)),
                );
                break;
            }
        }
    }
    let body_text = String::from_utf8_lossy(&body).to_string();
    log_line(
        &mut log,
        "INFO",
        &format!("HTTP/1.1 {} {}", status.as_u16(), status.canonical_reason().unwrap_or("")),
    );
    if policy.hosts.is_empty() {
        log_line(
            &mut log,
            "INFO",
            "For security purposes, the response headers and body are not logged. To log them, configure \
             the webhook host whitelist (--webhook-host-whitelist).",
        );
    } else {
        for (name, value) in &headers {
            log_line(&mut log, "INFO", &format!("{name}: {}", value.to_str().unwrap_or("<not text>")));
        }
        if !body_text.is_empty() {
            let mut shown_body = bounded(&body_text, MAX_LOGGED_BODY_BYTES);
            if truncated {
                shown_body.push_str(&format!(
                    " (response larger than {MAX_RESPONSE_BYTES} bytes: the rest was not read)"
                ));
            }
            log_line(&mut log, "INFO", &shown_body);
        }
    }
    Attempt {
        success: status.is_success(),
        status: Some(status.as_u16()),
        request: shown,
        response_body: Some(body_text),
        logs: log,
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_bodies_are_cut_at_a_character_boundary() {
        let text = "é".repeat(10);
        let cut = bounded(&text, 5);
        assert!(cut.starts_with("éé..."), "{cut}");
        assert_eq!(bounded("short", 10), "short");
    }
}
