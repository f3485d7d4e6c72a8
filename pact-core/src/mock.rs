//! The mock provider: an httpmock server that serves the expected interactions, records every
//! request, and reports what matched, what did not and what never came.
//!
//! Each interaction is an httpmock mock whose predicate is the matching engine
//! (`When::is_true`). Mocks are tried in creation order, so the server holds, in order:
//!
//! 1. a recorder, whose predicate logs every request and never matches;
//! 2. one mock per interaction, answering with the interaction's response;
//! 3. a catch-all, which answers anything else with a `500` explaining why, and is moved to the
//!    end whenever an interaction is added.
//!
//! [`MockProvider::verify`] then lists interactions never received, unexpected requests (with the
//! closest interaction and its mismatches), and requests that matched an interaction's route but
//! not its query, headers or body.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use serde_json::json;

use crate::matching::{match_request, match_route, Mismatch};
use crate::model::{parse_query_string, Body, Headers, HttpInteraction, Request};

/// A request the mock received, and the interaction that answered it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The request as received.
    pub request: Request,
    /// Index of the interaction that answered it, if any.
    pub matched: Option<usize>,
}

#[derive(Default)]
struct State {
    interactions: Vec<HttpInteraction>,
    received: Vec<Received>,
    /// Address of the request being served, so each predicate reuses its conversion.
    current: usize,
    errors: Vec<String>,
}

/// A mock provider on its own httpmock server (taken from httpmock's pool, so tests run in
/// parallel on separate ports).
///
/// ```
/// use pact_core::mock::MockProvider;
/// use pact_core::model::{HttpInteraction, Request, Response};
///
/// let mut mock = MockProvider::start();
/// let mut interaction = HttpInteraction::default();
/// interaction.meta.description = "a ping".into();
/// interaction.request = Request::get("/ping");
/// interaction.response = Response::status(204);
/// mock.add(interaction);
/// // Nothing called the mock yet:
/// let report = mock.verify().unwrap_err();
/// assert!(report.to_string().contains("never received"));
/// ```
pub struct MockProvider {
    server: MockServer,
    state: Arc<Mutex<State>>,
    catch_all: Option<usize>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic while holding the lock only means a test failed; the data is still usable.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl MockProvider {
    /// Starts a mock provider (blocking until httpmock's pool has a free server).
    pub fn start() -> Self {
        Self::with_server(MockServer::start())
    }

    /// Starts a mock provider from async code.
    pub async fn start_async() -> Self {
        Self::with_server(MockServer::start_async().await)
    }

    fn with_server(server: MockServer) -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let recorder = state.clone();
        server.mock(move |when, then| {
            when.is_true(move |req: &HttpMockRequest| {
                let mut state = lock(&recorder);
                state.current = req as *const HttpMockRequest as usize;
                let request = convert(req);
                state.received.push(Received { request, matched: None });
                false
            });
            then.status(500);
        });
        let mut mock = MockProvider { server, state, catch_all: None };
        mock.place_catch_all();
        mock
    }

    /// The base URL, such as `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        self.server.base_url()
    }

    /// Adds an interaction and returns its index.
    pub fn add(&mut self, interaction: HttpInteraction) -> usize {
        let index = {
            let mut state = lock(&self.state);
            state.interactions.push(interaction);
            state.interactions.len() - 1
        };
        let matcher = self.state.clone();
        let responder = self.state.clone();
        self.server.mock(move |when, then| {
            when.is_true(move |req: &HttpMockRequest| {
                let mut state = lock(&matcher);
                let Some(expected) = state.interactions.get(index) else { return false };
                let fresh;
                let same = state.current == req as *const HttpMockRequest as usize;
                let actual = match state.received.last() {
                    Some(last) if same => &last.request,
                    _ => {
                        fresh = convert(req);
                        &fresh
                    }
                };
                let matched = match_request(&expected.request, actual).is_empty();
                if matched && same {
                    if let Some(last) = state.received.last_mut() {
                        last.matched = Some(index);
                    }
                }
                matched
            });
            then.respond_with(move |_req: &HttpMockRequest| {
                let state = lock(&responder);
                match state.interactions.get(index) {
                    Some(interaction) => response_of(interaction),
                    None => HttpMockResponse::builder().status(500).build(),
                }
            });
        });
        self.place_catch_all();
        index
    }

    /// Changes an interaction after it was added (the builders refine interactions in place).
    pub fn update(&self, index: usize, change: impl FnOnce(&mut HttpInteraction)) {
        if let Some(interaction) = lock(&self.state).interactions.get_mut(index) {
            change(interaction);
        }
    }

    /// Records a problem found while building interactions; [`verify`](Self::verify) reports it.
    pub fn add_error(&self, error: String) {
        lock(&self.state).errors.push(error);
    }

    /// The interactions, as they are now.
    pub fn interactions(&self) -> Vec<HttpInteraction> {
        lock(&self.state).interactions.clone()
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.state).received.clone()
    }

    fn place_catch_all(&mut self) {
        if let Some(id) = self.catch_all.take() {
            httpmock::Mock::new(id, &self.server).delete();
        }
        let state = self.state.clone();
        let mock = self.server.mock(move |when, then| {
            when.any_request();
            then.respond_with(move |req: &HttpMockRequest| {
                let state = lock(&state);
                let request = convert(req);
                let closest = closest(&state.interactions, &request);
                let body = json!({
                    "error": format!("Unexpected request: {} {} matches no interaction of this contract", request.method, request.path),
                    "closest": closest.as_ref().map(|c| c.description.clone()),
                    "mismatches": closest.map(|c| c.mismatches.iter().map(ToString::to_string).collect::<Vec<_>>()).unwrap_or_default(),
                });
                HttpMockResponse::builder()
                    .status(500)
                    .header("Content-Type", "application/json")
                    .header("X-Pact", "Unexpected-Request")
                    .body(body.to_string())
                    .build()
            });
        });
        self.catch_all = Some(mock.id());
    }

    /// Checks that every interaction was received and every request matched one.
    pub fn verify(&self) -> Result<(), MockReport> {
        let state = lock(&self.state);
        let mut report = MockReport { errors: state.errors.clone(), ..MockReport::default() };
        for (index, interaction) in state.interactions.iter().enumerate() {
            if !state.received.iter().any(|r| r.matched == Some(index)) {
                report.missing.push(summary(interaction));
            }
        }
        for received in state.received.iter().filter(|r| r.matched.is_none()) {
            let Some(closest) = closest(&state.interactions, &received.request) else {
                report.unexpected.push(Unmatched { request: line(&received.request), closest: None });
                continue;
            };
            let unmatched = Unmatched { request: line(&received.request), closest: Some(closest) };
            if unmatched.closest.as_ref().is_some_and(|c| c.route_matched) {
                report.partial.push(unmatched);
            } else {
                report.unexpected.push(unmatched);
            }
        }
        if report.is_empty() {
            Ok(())
        } else {
            Err(report)
        }
    }
}

/// The interaction closest to a request: one whose route (method and path) matches, else the one
/// with the fewest mismatches.
fn closest(interactions: &[HttpInteraction], request: &Request) -> Option<Closest> {
    interactions
        .iter()
        .map(|i| {
            let route = match_route(&i.request, request);
            let mismatches = match_request(&i.request, request);
            (route.is_empty(), mismatches, i)
        })
        .min_by_key(|(route_ok, mismatches, _)| (!route_ok, mismatches.len()))
        .map(|(route_matched, mismatches, i)| Closest { description: summary(i), route_matched, mismatches })
}

fn summary(interaction: &HttpInteraction) -> String {
    let states: Vec<&str> = interaction.meta.provider_states.iter().map(|s| s.name.as_str()).collect();
    let given = if states.is_empty() { String::new() } else { format!(" given {}", states.join(", ")) };
    format!("{:?}{} ({})", interaction.meta.description, given, line(&interaction.request))
}

fn line(request: &Request) -> String {
    match &request.query {
        Some(q) if !q.is_empty() => {
            format!("{} {}?{}", request.method, request.path, crate::model::query_to_string(q))
        }
        _ => format!("{} {}", request.method, request.path),
    }
}

fn convert(req: &HttpMockRequest) -> Request {
    let uri = req.uri();
    let mut headers = Headers::new();
    for (name, value) in req.headers_vec() {
        headers.entry(name.clone()).or_default().push(value.clone());
    }
    let content_type =
        crate::model::http::find_header(Some(&headers), "content-type").and_then(|v| v.first()).cloned();
    let query = uri.query().map(parse_query_string).filter(|q| !q.is_empty());
    Request {
        method: req.method_str().to_ascii_uppercase(),
        path: uri.path().to_string(),
        query,
        headers: Some(headers),
        body: Body::from_bytes(req.body_ref(), content_type.as_deref()),
        ..Request::default()
    }
}

fn response_of(interaction: &HttpInteraction) -> HttpMockResponse {
    let response = &interaction.response;
    let mut builder = HttpMockResponse::builder().status(response.status);
    let mut has_content_type = false;
    if let Some(headers) = &response.headers {
        for (name, values) in headers {
            has_content_type |= name.eq_ignore_ascii_case("content-type");
            builder = builder.header(name.as_str(), values.join(", "));
        }
    }
    if !has_content_type {
        if let Some(ct) = response.body.content_type() {
            builder = builder.header("Content-Type", ct);
        }
    }
    let bytes = response.body.to_bytes();
    if !bytes.is_empty() {
        builder = builder.body(bytes);
    }
    builder.build()
}

/// The closest interaction to a request that matched none.
#[derive(Debug, Clone)]
pub struct Closest {
    /// The interaction, as `"description" given state (GET /path)`.
    pub description: String,
    /// Whether its method and path matched.
    pub route_matched: bool,
    /// Why it did not match.
    pub mismatches: Vec<Mismatch>,
}

/// A request that matched no interaction.
#[derive(Debug, Clone)]
pub struct Unmatched {
    /// The request, as `GET /path?query`.
    pub request: String,
    /// The closest interaction, if there are any.
    pub closest: Option<Closest>,
}

/// What went wrong in a contract test's exchanges with the mock provider.
#[derive(Debug, Clone, Default)]
pub struct MockReport {
    /// Interactions no request matched.
    pub missing: Vec<String>,
    /// Requests that matched no interaction's route.
    pub unexpected: Vec<Unmatched>,
    /// Requests that matched an interaction's method and path, but not its query, headers or body.
    pub partial: Vec<Unmatched>,
    /// Problems in the interactions themselves (invalid matchers, examples that break their own rules).
    pub errors: Vec<String>,
}

impl MockReport {
    /// Whether nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty()
            && self.unexpected.is_empty()
            && self.partial.is_empty()
            && self.errors.is_empty()
    }
}

impl fmt::Display for MockReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the mock provider's verification failed:")?;
        for error in &self.errors {
            writeln!(f, "  invalid interaction: {error}")?;
        }
        for missing in &self.missing {
            writeln!(f, "  expected but never received: {missing}")?;
        }
        let write_unmatched =
            |f: &mut fmt::Formatter<'_>, heading: &str, items: &[Unmatched]| -> fmt::Result {
                for item in items {
                    writeln!(f, "  {heading}: {}", item.request)?;
                    if let Some(closest) = &item.closest {
                        writeln!(f, "    closest interaction: {}", closest.description)?;
                        for m in &closest.mismatches {
                            writeln!(f, "      - {m}")?;
                        }
                    }
                }
                Ok(())
            };
        write_unmatched(f, "request matched the route but not the content", &self.partial)?;
        write_unmatched(f, "unexpected request", &self.unexpected)?;
        Ok(())
    }
}
