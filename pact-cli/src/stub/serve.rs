//! The stub's HTTP side: every request is answered from the interaction [`choose`] picks, with
//! its generators applied, or with a `404` that says why nothing matched. Each request is logged
//! with its outcome.
//!
//! As pact_stub_server does, every answer carries `Access-Control-Allow-Origin: *` unless the
//! pact states that header, and with `--cors` an `OPTIONS` request that no interaction answers
//! gets a CORS pre-flight reply.

use std::sync::{Arc, RwLock};

use axum::body::Body as HttpBody;
use axum::extract::{Request as HttpRequest, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response as HttpResponse;
use axum::Router;
use pact_core::generate::{stub_response, Context};
use pact_core::matching::match_request;
use pact_core::model::{parse_query_string, Body, Headers, Request, Response};
use regex::Regex;
use serde_json::{json, Map, Value};

use super::select::{choose, Choice, StateFilter, StubInteraction};

/// The largest request body the stub reads; a larger one is refused with a `413`.
const MAX_BODY_BYTES: usize = 16 << 20;

/// How many rejected interactions a log line explains.
const MAX_EXPLAINED: usize = 5;

/// How the stub answers.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Answer CORS pre-flight requests.
    pub cors: bool,
    /// In a pre-flight reply, allow the request's `Referer` as origin rather than `*`.
    pub cors_referer: bool,
    /// Only interactions in these provider states answer.
    pub states: Option<StateFilter>,
    /// A request header whose value (a regex) chooses the provider state for that request.
    pub state_header: Option<String>,
    /// With a state from the header: interactions without a state may answer too.
    pub include_empty_states: bool,
}

/// What every request handler shares: the interactions (replaced whole on a reload) and the
/// options.
pub struct Shared {
    interactions: RwLock<Arc<Vec<StubInteraction>>>,
    options: Options,
}

impl Shared {
    /// The stub's state.
    pub fn new(interactions: Vec<StubInteraction>, options: Options) -> Self {
        Shared { interactions: RwLock::new(Arc::new(interactions)), options }
    }

    /// Replaces the interactions (after `--watch` reloaded the pacts).
    pub fn replace(&self, interactions: Vec<StubInteraction>) {
        let mut current = self.interactions.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        *current = Arc::new(interactions);
    }

    fn current(&self) -> Arc<Vec<StubInteraction>> {
        self.interactions.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }
}

/// The stub as an axum router: one handler for every method and path.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(answer).with_state(shared)
}

async fn answer(State(shared): State<Arc<Shared>>, request: HttpRequest) -> HttpResponse {
    let (parts, body) = request.into_parts();
    let mut headers = Headers::new();
    for (name, value) in &parts.headers {
        headers.append(name.as_str(), String::from_utf8_lossy(value.as_bytes()).into_owned());
    }
    let line = match parts.uri.query() {
        Some(q) => format!("{} {}?{q}", parts.method, parts.uri.path()),
        None => format!("{} {}", parts.method, parts.uri.path()),
    };
    let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!(
                "{line} -> 413: its body could not be read ({e}); the limit is {MAX_BODY_BYTES} bytes"
            );
            return explanation(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body of {line} could not be read: {e}"),
                None,
            );
        }
    };
    let content_type = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .and_then(|(_, v)| v.first())
        .cloned();
    let request = Request {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(parse_query_string).filter(|q| !q.is_empty()),
        headers: Some(headers),
        body: Body::from_bytes(&bytes, content_type.as_deref()),
        ..Request::default()
    };
    respond(&shared, &request, &line)
}

/// Answers one request (the part that needs no socket).
pub fn respond(shared: &Shared, request: &Request, line: &str) -> HttpResponse {
    let options = &shared.options;
    let from_header = options
        .state_header
        .as_deref()
        .and_then(|name| request.header(name))
        .and_then(|values| values.first())
        .map(|value| (value.clone(), Regex::new(value)));
    let header_filter;
    let states = match from_header {
        Some((value, Ok(regex))) => {
            header_filter = StateFilter { regex, include_empty: options.include_empty_states };
            tracing::info!("{line}: the request asks for provider state /{value}/");
            Some(&header_filter)
        }
        Some((value, Err(e))) => {
            let header = options.state_header.as_deref().unwrap_or_default();
            tracing::warn!("{line} -> 400: header {header}: {value:?} is not a regular expression: {e}");
            return explanation(
                StatusCode::BAD_REQUEST,
                format!("header {header}: {value:?} is not a regular expression: {e}"),
                None,
            );
        }
        None => options.states.as_ref(),
    };
    let interactions = shared.current();
    let choice = choose(&interactions, request, states);
    if let Some(stub) = choice.chosen.and_then(|i| interactions.get(i)) {
        return matched(stub, &choice, request, line, options);
    }
    if options.cors && request.method == "OPTIONS" {
        tracing::info!("{line} -> 200: CORS pre-flight (no interaction answers OPTIONS here)");
        return preflight(request, options);
    }
    unmatched(&interactions, &choice, request, line, states.is_some())
}

fn matched(
    stub: &StubInteraction,
    choice: &Choice,
    request: &Request,
    line: &str,
    options: &Options,
) -> HttpResponse {
    let mut context = Map::new();
    for state in &stub.interaction.meta.provider_states {
        context.extend(state.params.clone());
    }
    // `MockServerURL` generators point at the stub, as the client reached it.
    let mock_server_url = request.header("host").and_then(|v| v.first()).map(|host| format!("http://{host}"));
    let context = Context { values: context, mock_server_url };
    let response = stub_response(&stub.interaction.response, &context).into_owned();
    let also = match choice.ties {
        0 => String::new(),
        n => format!(" ({n} other interaction(s) matched as well; --provider-state chooses another)"),
    };
    tracing::info!("{line} -> {}: {} from {}{also}", response.status, stub.label(), stub.origin);
    for mismatch in &choice.tolerated {
        tracing::debug!("{line}: tolerated: {mismatch}");
    }
    let mut out = to_http(&response);
    allow_any_origin(&mut out, request, options, false);
    out
}

fn unmatched(
    interactions: &[StubInteraction],
    choice: &Choice,
    request: &Request,
    line: &str,
    filtered: bool,
) -> HttpResponse {
    let mut reasons = Vec::new();
    for rejected in choice.rejected.iter().take(MAX_EXPLAINED) {
        let Some(stub) = interactions.get(rejected.index) else { continue };
        if rejected.filtered_by_state {
            reasons.push(format!("{}: not in the provider state asked for", stub.label()));
        } else {
            let why: Vec<String> = rejected.mismatches.iter().map(ToString::to_string).collect();
            reasons.push(format!("{}: {}", stub.label(), why.join("; ")));
        }
    }
    let (error, closest) = if choice.route_known {
        let filter = if filtered { " in the provider state asked for" } else { "" };
        (format!("no interaction{filter} matches {line}"), None)
    } else {
        // Nothing has this route: name the closest interaction by the matching engine's count.
        let closest = interactions
            .iter()
            .map(|stub| (match_request(&stub.interaction.request, request), stub))
            .min_by_key(|(mismatches, _)| mismatches.len());
        if let Some((mismatches, stub)) = &closest {
            let why: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
            reasons.push(format!("closest: {}: {}", stub.label(), why.join("; ")));
        }
        (
            format!("no interaction has the route {} {}", request.method, request.path),
            closest.map(|(_, s)| s.label()),
        )
    };
    tracing::warn!("{line} -> 404: {error}");
    for reason in &reasons {
        tracing::warn!("  {reason}");
    }
    let mut body = json!({"error": error, "reasons": reasons});
    if let Some(closest) = closest {
        body["closest"] = Value::String(closest);
    }
    let mut out = json_response(StatusCode::NOT_FOUND, &body);
    out.headers_mut()
        .insert(HeaderName::from_static("access-control-allow-origin"), HeaderValue::from_static("*"));
    out
}

fn explanation(status: StatusCode, error: String, closest: Option<String>) -> HttpResponse {
    json_response(status, &json!({"error": error, "closest": closest}))
}

fn json_response(status: StatusCode, body: &Value) -> HttpResponse {
    let mut out = HttpResponse::new(HttpBody::from(body.to_string()));
    *out.status_mut() = status;
    out.headers_mut()
        .insert(HeaderName::from_static("content-type"), HeaderValue::from_static("application/json"));
    out.headers_mut()
        .insert(HeaderName::from_static("x-pact"), HeaderValue::from_static("Unexpected-Request"));
    out
}

/// A CORS pre-flight reply that allows what the request asks for.
fn preflight(request: &Request, options: &Options) -> HttpResponse {
    let mut out = HttpResponse::new(HttpBody::empty());
    let asked = request.header("access-control-request-headers").and_then(|v| v.first()).cloned();
    let headers = out.headers_mut();
    headers.insert(
        HeaderName::from_static("access-control-allow-methods"),
        HeaderValue::from_static("GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH"),
    );
    let allow_headers =
        asked.and_then(|a| HeaderValue::from_str(&a).ok()).unwrap_or(HeaderValue::from_static("*"));
    headers.insert(HeaderName::from_static("access-control-allow-headers"), allow_headers);
    allow_any_origin(&mut out, request, options, true);
    out
}

/// Adds `Access-Control-Allow-Origin` unless the answer has one: `*`, or with `--cors-referer`
/// in a pre-flight reply the request's `Referer`.
fn allow_any_origin(out: &mut HttpResponse, request: &Request, options: &Options, preflight: bool) {
    let name = HeaderName::from_static("access-control-allow-origin");
    if out.headers().contains_key(&name) {
        return;
    }
    let referer =
        request.header("referer").and_then(|v| v.first()).and_then(|r| HeaderValue::from_str(r).ok());
    let value = match referer {
        Some(referer) if preflight && options.cors_referer => referer,
        _ => HeaderValue::from_static("*"),
    };
    out.headers_mut().insert(name, value);
}

/// A pact response as an HTTP response; a `Content-Type` is added from the body when the pact
/// states none.
fn to_http(response: &Response) -> HttpResponse {
    let mut out = HttpResponse::new(HttpBody::from(response.body.to_bytes()));
    *out.status_mut() = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = out.headers_mut();
    for (name, values) in response.headers.iter().flatten() {
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            tracing::warn!("the pact's header name {name:?} cannot be sent over HTTP; left out");
            continue;
        };
        for value in values {
            match HeaderValue::from_str(value) {
                Ok(v) => {
                    headers.append(header.clone(), v);
                }
                Err(_) => {
                    tracing::warn!("the pact's {name} value {value:?} cannot be sent over HTTP; left out")
                }
            }
        }
    }
    let content_type = HeaderName::from_static("content-type");
    if !headers.contains_key(&content_type) {
        let stated = response.body.content_type().map(str::to_string).or_else(|| match &response.body {
            Body::Present(_) if response.body.as_json().is_some() => Some("application/json".to_string()),
            _ => None,
        });
        if let Some(value) = stated.and_then(|s| HeaderValue::from_str(&s).ok()) {
            headers.insert(content_type, value);
        }
    }
    out
}
