//! Webhook definitions: the official body (`description`, `consumer`, `provider`, `events`,
//! `enabled`, `request`), its validation, the rules on where a webhook may send requests, and
//! how a definition is shown (credentials redacted).
//!
//! ```
//! use pact_broker::domain::webhooks::{parse, Policy};
//! use serde_json::json;
//!
//! let body = json!({
//!     "events": [{"name": "contract_requiring_verification_published"}],
//!     "request": {"method": "POST", "url": "https://ci.example/build?pact=${pactbroker.pactUrl}"}
//! });
//! let spec = parse(&body, &Policy::default()).unwrap();
//! assert_eq!(spec.events, ["contract_requiring_verification_published"]);
//! assert!(parse(&json!({"request": {"method": "POST", "url": "file:///etc/passwd"}}), &Policy::default()).is_err());
//! ```

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::webhook_template::{render_placeholder, uses_variables};

/// A pact was published (every publish).
pub const CONTRACT_PUBLISHED: &str = "contract_published";
/// The content of a pact changed since the previous publication (or it is the first).
pub const CONTRACT_CONTENT_CHANGED: &str = "contract_content_changed";
/// A pact was published that a provider version (the latest of the provider's main branch, or
/// one deployed or released) has not verified yet: once per such provider version.
pub const CONTRACT_REQUIRING_VERIFICATION_PUBLISHED: &str = "contract_requiring_verification_published";
/// A verification result was published.
pub const PROVIDER_VERIFICATION_PUBLISHED: &str = "provider_verification_published";
/// A successful verification result was published.
pub const PROVIDER_VERIFICATION_SUCCEEDED: &str = "provider_verification_succeeded";
/// A failed verification result was published.
pub const PROVIDER_VERIFICATION_FAILED: &str = "provider_verification_failed";

/// Every event name a webhook may name.
pub const EVENT_NAMES: &[&str] = &[
    CONTRACT_PUBLISHED,
    CONTRACT_CONTENT_CHANGED,
    CONTRACT_REQUIRING_VERIFICATION_PUBLISHED,
    PROVIDER_VERIFICATION_PUBLISHED,
    PROVIDER_VERIFICATION_SUCCEEDED,
    PROVIDER_VERIFICATION_FAILED,
];

/// What a webhook's `password` and sensitive headers show as.
pub const REDACTED: &str = "**********";

/// The request a webhook sends, before its variables are rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestTemplate {
    /// The HTTP method, upper case.
    pub method: String,
    /// The URL template.
    pub url: String,
    /// Header names and value templates, in the order given.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body template: a JSON value, a string, or `null` for none.
    #[serde(default)]
    pub body: Value,
    /// Basic auth user name (template).
    #[serde(default)]
    pub username: Option<String>,
    /// Basic auth password (template).
    #[serde(default)]
    pub password: Option<String>,
}

/// A webhook definition, as created or updated through the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSpec {
    /// `description`.
    pub description: Option<String>,
    /// `consumer.name` (any consumer when absent).
    pub consumer: Option<String>,
    /// `provider.name` (any provider when absent).
    pub provider: Option<String>,
    /// `enabled` (default true).
    pub enabled: bool,
    /// The event names (default `contract_content_changed`, as in the official broker).
    pub events: Vec<String>,
    /// The request.
    pub request: RequestTemplate,
}

/// Where webhooks may send requests (the official broker's webhook whitelists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Allowed URL schemes; only `http` and `https` are ever allowed.
    pub schemes: Vec<String>,
    /// Allowed HTTP methods (upper case).
    pub methods: Vec<String>,
    /// Allowed hosts: names, `*.domain` (one label), IP addresses or `a.b.c.d/n` ranges. Empty:
    /// any host (and then response details are not written to the execution logs).
    pub hosts: Vec<String>,
}

impl Default for Policy {
    /// `http` and `https`, `POST` only, any host.
    fn default() -> Self {
        Policy {
            schemes: vec!["http".into(), "https".into()],
            methods: vec!["POST".into()],
            hosts: Vec::new(),
        }
    }
}

impl Policy {
    /// Checks a rendered (or placeholder-rendered) URL against the scheme and host rules.
    ///
    /// # Errors
    ///
    /// The reason the URL is refused.
    pub fn check_url(&self, url: &url::Url) -> Result<(), String> {
        let scheme = url.scheme();
        if !matches!(scheme, "http" | "https") || !self.schemes.iter().any(|s| s.eq_ignore_ascii_case(scheme))
        {
            return Err(format!("scheme must be {}", self.schemes.join(", ")));
        }
        let Some(host) = url.host_str() else { return Err("must have a host".into()) };
        if !self.hosts.is_empty() && !self.hosts.iter().any(|allowed| host_matches(allowed, host)) {
            return Err(format!("host must be in the whitelist {}", self.hosts.join(", ")));
        }
        Ok(())
    }

    /// Checks a method.
    ///
    /// # Errors
    ///
    /// The reason the method is refused.
    pub fn check_method(&self, method: &str) -> Result<(), String> {
        if self.methods.iter().any(|m| m.eq_ignore_ascii_case(method)) {
            Ok(())
        } else if self.methods.len() == 1 {
            Err(format!("must be {}", self.methods[0]))
        } else {
            Err(format!("must be one of {}", self.methods.join(", ")))
        }
    }
}

fn host_matches(allowed: &str, host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if let Some((network, bits)) = allowed.split_once('/') {
        return match (network.parse::<IpAddr>(), bits.parse::<u32>(), host.parse::<IpAddr>()) {
            (Ok(IpAddr::V4(n)), Ok(bits), Ok(IpAddr::V4(h))) if bits <= 32 => {
                let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
                u32::from(n) & mask == u32::from(h) & mask
            }
            (Ok(IpAddr::V6(n)), Ok(bits), Ok(IpAddr::V6(h))) if bits <= 128 => {
                let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
                u128::from(n) & mask == u128::from(h) & mask
            }
            _ => false,
        };
    }
    if let Some(domain) = allowed.strip_prefix("*.") {
        return host.len() > domain.len() + 1
            && host[host.len() - domain.len()..].eq_ignore_ascii_case(domain)
            && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
            && !host[..host.len() - domain.len() - 1].contains('.');
    }
    allowed.eq_ignore_ascii_case(host)
}

fn push(errors: &mut Map<String, Value>, key: &str, message: impl Into<String>) {
    let entry = errors.entry(key.to_string()).or_insert_with(|| json!([]));
    if let Value::Array(items) = entry {
        items.push(Value::String(message.into()));
    }
}

fn optional_string(
    object: &Map<String, Value>,
    key: &str,
    errors: &mut Map<String, Value>,
) -> Option<String> {
    match object.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            push(errors, key, "must be a string");
            None
        }
    }
}

fn pacticipant(object: &Map<String, Value>, key: &str, errors: &mut Map<String, Value>) -> Option<String> {
    match object.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => {
            if p.get("label").is_some_and(|l| !l.is_null()) {
                errors.insert(
                    key.into(),
                    json!({"label": ["labels are not supported by this broker; give a name"]}),
                );
                return None;
            }
            match p.get("name") {
                Some(Value::String(name)) if !name.trim().is_empty() => Some(name.clone()),
                _ => {
                    errors.insert(key.into(), json!({"name": ["cannot be blank"]}));
                    None
                }
            }
        }
        Some(_) => {
            push(errors, key, "must be an object such as {\"name\": \"Foo\"}");
            None
        }
    }
}

/// Reads and validates a webhook body.
///
/// # Errors
///
/// The broker's `errors` object: field name → messages (nested for `request` and the
/// pacticipants). Whether the named pacticipants exist is the caller's check.
pub fn parse(body: &Value, policy: &Policy) -> Result<WebhookSpec, Map<String, Value>> {
    let mut errors = Map::new();
    let Some(object) = body.as_object() else {
        push(&mut errors, "base", "expected a JSON object");
        return Err(errors);
    };
    let description = optional_string(object, "description", &mut errors);
    let consumer = pacticipant(object, "consumer", &mut errors);
    let provider = pacticipant(object, "provider", &mut errors);
    let enabled = match object.get("enabled") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            push(&mut errors, "enabled", "must be a boolean");
            true
        }
    };
    let mut events = Vec::new();
    match object.get("events") {
        None | Some(Value::Null) => events.push(CONTRACT_CONTENT_CHANGED.to_string()),
        Some(Value::Array(items)) if items.is_empty() => {
            push(&mut errors, "events", "size cannot be less than 1")
        }
        Some(Value::Array(items)) => {
            let mut item_errors = Map::new();
            for (i, item) in items.iter().enumerate() {
                match item.get("name").and_then(Value::as_str) {
                    Some(name) if EVENT_NAMES.contains(&name) => {
                        if !events.iter().any(|e| e == name) {
                            events.push(name.to_string());
                        }
                    }
                    Some(name) => {
                        item_errors.insert(
                            i.to_string(),
                            json!({"name": [format!("{name:?} is not one of {}", EVENT_NAMES.join(", "))]}),
                        );
                    }
                    None => {
                        item_errors.insert(i.to_string(), json!({"name": ["is missing"]}));
                    }
                }
            }
            if !item_errors.is_empty() {
                errors.insert("events".into(), Value::Object(item_errors));
            }
        }
        Some(_) => push(&mut errors, "events", "must be an array"),
    }
    let request = match object.get("request") {
        Some(Value::Object(request)) => match parse_request(request, policy) {
            Ok(r) => Some(r),
            Err(e) => {
                errors.insert("request".into(), Value::Object(e));
                None
            }
        },
        None | Some(Value::Null) => {
            push(&mut errors, "request", "is missing");
            None
        }
        Some(_) => {
            push(&mut errors, "request", "must be an object");
            None
        }
    };
    match (request, errors.is_empty()) {
        (Some(request), true) => {
            Ok(WebhookSpec { description, consumer, provider, enabled, events, request })
        }
        _ => Err(errors),
    }
}

fn parse_request(
    object: &Map<String, Value>,
    policy: &Policy,
) -> Result<RequestTemplate, Map<String, Value>> {
    let mut errors = Map::new();
    // pact-broker-cli sends `"method": null` without `-X`; the official broker refuses that, we
    // take the only method it allows by default.
    let method = match object.get("method") {
        None | Some(Value::Null) => Some("POST".to_string()),
        Some(Value::String(m)) => {
            let upper = m.to_ascii_uppercase();
            if upper.is_empty() || !upper.bytes().all(|b| b.is_ascii_alphabetic()) {
                push(&mut errors, "method", "is not a recognised HTTP method");
                None
            } else if let Err(e) = policy.check_method(&upper) {
                push(&mut errors, "method", e);
                None
            } else {
                Some(upper)
            }
        }
        Some(_) => {
            push(&mut errors, "method", "must be a string");
            None
        }
    };
    let url = match object.get("url") {
        Some(Value::String(u)) if !u.trim().is_empty() => {
            match (
                url::Url::parse(&render_placeholder(u, "placeholder")),
                url::Url::parse(&render_placeholder(u, "other")),
            ) {
                (Ok(a), Ok(b)) => {
                    if a.host_str() != b.host_str() {
                        push(&mut errors, "url", "cannot have a template parameter in the host");
                        None
                    } else if let Err(e) = policy.check_url(&a) {
                        push(&mut errors, "url", e);
                        None
                    } else {
                        Some(u.clone())
                    }
                }
                _ => {
                    push(&mut errors, "url", "is not a valid URL eg. http://example.org");
                    None
                }
            }
        }
        None | Some(Value::Null) => {
            push(&mut errors, "url", "is missing");
            None
        }
        Some(_) => {
            push(&mut errors, "url", "must be a non-blank string");
            None
        }
    };
    let mut headers = Vec::new();
    match object.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (name, value) in map {
                let valid_name = axum::http::HeaderName::from_bytes(name.as_bytes()).is_ok();
                match value.as_str() {
                    Some(v) if valid_name && !v.contains(['\r', '\n']) => {
                        headers.push((name.clone(), v.to_string()))
                    }
                    _ => push(
                        &mut errors,
                        "headers",
                        format!("{name:?} must be a header name with a single-line string value"),
                    ),
                }
            }
        }
        Some(_) => push(&mut errors, "headers", "must be an object of header names and values"),
    }
    let body = object.get("body").cloned().unwrap_or(Value::Null);
    let username = optional_string(object, "username", &mut errors);
    let password = optional_string(object, "password", &mut errors);
    match (method, url, errors.is_empty()) {
        (Some(method), Some(url), true) => {
            Ok(RequestTemplate { method, url, headers, body, username, password })
        }
        _ => Err(errors),
    }
}

/// Whether a header's value is hidden when a webhook is shown or logged.
pub fn sensitive_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("authorization") || lower.contains("token")
}

/// The request as shown by the API: the password and sensitive headers redacted (unless they
/// are only a template variable, as in the official broker).
pub fn redacted_request(request: &RequestTemplate) -> Value {
    let mut headers = Map::new();
    for (name, value) in &request.headers {
        let shown = if sensitive_header(name) && !uses_variables(value) { REDACTED } else { value.as_str() };
        headers.insert(name.clone(), Value::String(shown.to_string()));
    }
    let mut out = Map::new();
    out.insert("method".into(), json!(request.method));
    out.insert("url".into(), json!(request.url));
    if !headers.is_empty() {
        out.insert("headers".into(), Value::Object(headers));
    }
    if !request.body.is_null() {
        out.insert("body".into(), request.body.clone());
    }
    if let Some(u) = &request.username {
        out.insert("username".into(), json!(u));
    }
    if let Some(p) = &request.password {
        out.insert("password".into(), json!(if uses_variables(p) { p.as_str() } else { REDACTED }));
    }
    Value::Object(out)
}

/// The official broker's description of a webhook's scope.
pub fn scope_description(consumer: Option<&str>, provider: Option<&str>) -> String {
    match (consumer, provider) {
        (Some(c), Some(p)) => format!("A webhook for the pact between {c} and {p}"),
        (None, Some(p)) => format!("A webhook for all pacts with provider {p}"),
        (Some(c), None) => format!("A webhook for all pacts with consumer {c}"),
        (None, None) => "A webhook for all pacts".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(url: &str) -> Value {
        json!({"request": {"method": "POST", "url": url}})
    }

    #[test]
    fn only_http_and_https_urls_with_a_fixed_host_are_accepted() {
        let policy = Policy::default();
        assert!(parse(&body("http://127.0.0.1:9/x?p=${pactbroker.pactUrl}"), &policy).is_ok());
        for bad in [
            "ftp://example.org/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "not a url",
            "https://${pactbroker.consumerName}.example/",
        ] {
            let errors = parse(&body(bad), &policy).unwrap_err();
            assert!(errors["request"]["url"].is_array(), "{bad}: {errors:?}");
        }
        let https_only = Policy { schemes: vec!["https".into()], ..Policy::default() };
        assert!(parse(&body("http://example.org/"), &https_only).is_err());
    }

    #[test]
    fn methods_events_and_pacticipants_are_validated() {
        let policy = Policy::default();
        let get = json!({"request": {"method": "GET", "url": "https://x.example/"}});
        assert_eq!(parse(&get, &policy).unwrap_err()["request"]["method"][0], "must be POST");
        let spec = parse(&json!({"request": {"url": "https://x.example/"}}), &policy).unwrap();
        assert_eq!(
            (spec.request.method.as_str(), spec.events.as_slice()),
            ("POST", &["contract_content_changed".to_string()][..])
        );
        let bad_event =
            json!({"events": [{"name": "nope"}], "request": {"method": "POST", "url": "https://x.example/"}});
        assert!(parse(&bad_event, &policy).unwrap_err()["events"]["0"]["name"].is_array());
        let label =
            json!({"consumer": {"label": "x"}, "request": {"method": "POST", "url": "https://x.example/"}});
        assert!(parse(&label, &policy).is_err());
        let header = json!({"request": {"method": "POST", "url": "https://x.example/", "headers": {"X": "a\r\nInjected: 1"}}});
        assert!(parse(&header, &policy).is_err());
    }

    #[test]
    fn hosts_match_names_wildcards_and_ranges() {
        assert!(host_matches("ci.example.com", "CI.example.com"));
        assert!(host_matches("*.example.com", "ci.example.com"));
        assert!(!host_matches("*.example.com", "a.ci.example.com"));
        assert!(!host_matches("*.example.com", "example.com"));
        assert!(host_matches("10.0.0.0/8", "10.1.2.3"));
        assert!(!host_matches("10.0.0.0/8", "11.1.2.3"));
        assert!(host_matches("::1/128", "[::1]"));
    }

    #[test]
    fn credentials_are_redacted_unless_they_are_templates() {
        let request = RequestTemplate {
            method: "POST".into(),
            url: "https://x/".into(),
            headers: vec![
                ("Authorization".into(), "Bearer s3cret".into()),
                ("X-Token".into(), "${pactbroker.pactUrl}".into()),
                ("Accept".into(), "a".into()),
            ],
            body: Value::Null,
            username: Some("u".into()),
            password: Some("p".into()),
        };
        let shown = redacted_request(&request);
        assert_eq!(shown["headers"]["Authorization"], REDACTED);
        assert_eq!(shown["headers"]["X-Token"], "${pactbroker.pactUrl}");
        assert_eq!(shown["headers"]["Accept"], "a");
        assert_eq!(shown["password"], REDACTED);
    }
}
