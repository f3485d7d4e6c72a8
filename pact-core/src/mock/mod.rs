//! The mock provider: a server that answers the expected interactions, records every request,
//! and reports what matched, what did not and what never came.
//!
//! A request is answered by the first interaction, in the order they were declared, whose
//! request it matches (the matching engine decides). Any other request gets a `500` whose JSON
//! body names the closest interaction and why it did not match.
//!
//! [`MockProvider::verify`] then lists interactions never received, unexpected requests (with the
//! closest interaction and its mismatches), and requests that matched an interaction's route but
//! not its query, headers or body.
//!
//! Each mock has an HTTP server of its own (see `server.rs`), rather than one from a pool of a
//! fixed size: with a pool, tests that hold more mocks at once than it has servers wait for one
//! another for ever. (httpmock 0.9, which served the mocks before, has only pooled servers.)

mod report;
mod server;

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use serde_json::json;

use crate::generate::Context;
use crate::matching::{match_request, match_route};
use crate::model::{Headers, HttpInteraction, Request};

pub use report::{Closest, MockReport, Unmatched};
use server::{Arrival, Reply, Server};

/// A request the mock received, and the interaction that answered it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The request as received.
    pub request: Request,
    /// Index of the interaction that answered it, if any.
    pub matched: Option<usize>,
}

/// Why a mock provider could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No port could be bound on `127.0.0.1`, or the server's thread could not start.
    #[error("cannot start the mock provider on 127.0.0.1: {0}")]
    Start(#[source] std::io::Error),
}

#[derive(Default)]
struct State {
    interactions: Vec<HttpInteraction>,
    received: Vec<Received>,
    errors: Vec<String>,
}

/// A mock provider on an HTTP server of its own, on `127.0.0.1` with an ephemeral port.
///
/// ```
/// use pact_core::mock::MockProvider;
/// use pact_core::model::{HttpInteraction, Request, Response};
///
/// let mut mock = MockProvider::start().unwrap();
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
    server: Server,
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic while holding the lock only means a test failed; the data is still usable.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl MockProvider {
    /// Starts a mock provider. It does not wait for anything: each mock has its own server.
    pub fn start() -> Result<Self, Error> {
        let state = Arc::new(Mutex::new(State::default()));
        let answering = state.clone();
        let base_url = Arc::new(OnceLock::<String>::new());
        let url = base_url.clone();
        let server = Server::start(Arc::new(move |arrival| {
            answer(&answering, url.get().map_or("", String::as_str), arrival)
        }))
        .map_err(Error::Start)?;
        let _ = base_url.set(format!("http://{}", server.addr()));
        Ok(MockProvider { server, state })
    }

    /// Starts a mock provider from async code (the same as [`start`](Self::start), which does
    /// not block).
    pub async fn start_async() -> Result<Self, Error> {
        Self::start()
    }

    /// The base URL, such as `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// Serves a finished interaction too, after those added before it; returns its index.
    pub fn add(&mut self, interaction: HttpInteraction) -> usize {
        let mut state = lock(&self.state);
        state.interactions.push(interaction);
        state.interactions.len() - 1
    }

    /// The interactions, as they are now.
    pub fn interactions(&self) -> Vec<HttpInteraction> {
        lock(&self.state).interactions.clone()
    }

    /// How many interactions were declared.
    pub fn len(&self) -> usize {
        lock(&self.state).interactions.len()
    }

    /// Whether no interaction was declared.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.state).received.clone()
    }

    /// Checks that every interaction was received and every request matched one.
    pub fn verify(&self) -> Result<(), MockReport> {
        let state = lock(&self.state);
        let mut report = MockReport { errors: state.errors.clone(), ..MockReport::default() };
        for (index, interaction) in state.interactions.iter().enumerate() {
            if !state.received.iter().any(|r| r.matched == Some(index)) {
                report.missing.push(report::summary(interaction));
            }
        }
        for received in state.received.iter().filter(|r| r.matched.is_none()) {
            let closest = closest(&state.interactions, &received.request);
            let partial = closest.as_ref().is_some_and(|c| c.route_matched);
            let unmatched = Unmatched { request: report::line(&received.request), closest };
            if partial {
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

/// Answers one request: the first interaction it matches, or a `500` explaining why none.
fn answer(state: &Mutex<State>, base_url: &str, arrival: Arrival) -> Reply {
    let mut state = lock(state);
    let Arrival { request, problem } = arrival;
    if let Some(problem) = problem {
        let line = report::line(&request);
        state.errors.push(format!("the request {line} was refused: {problem}"));
        state.received.push(Received { request, matched: None });
        return explanation(413, format!("The mock provider refused {line}: {problem}"), None);
    }
    let matched = state.interactions.iter().position(|i| match_request(&i.request, &request).is_empty());
    let reply = match matched.and_then(|index| state.interactions.get(index)) {
        Some(interaction) => response_of(interaction, base_url),
        None => {
            let closest = closest(&state.interactions, &request);
            let error = format!(
                "Unexpected request: {} matches no interaction of this contract",
                report::line(&request)
            );
            explanation(500, error, closest)
        }
    };
    state.received.push(Received { request, matched });
    reply
}

fn explanation(status: u16, error: String, closest: Option<Closest>) -> Reply {
    let body = json!({
        "error": error,
        "closest": closest.as_ref().map(|c| c.description.clone()),
        "mismatches": closest.map(|c| c.mismatches.iter().map(ToString::to_string).collect::<Vec<_>>()).unwrap_or_default(),
    });
    Reply {
        status,
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("X-Pact".into(), "Unexpected-Request".into()),
        ],
        body: body.to_string().into_bytes(),
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
        .map(|(route_matched, mismatches, i)| Closest {
            description: report::summary(i),
            route_matched,
            mismatches,
        })
}

/// The interaction's response, with its generators applied as the specification's consumer mode
/// says (a `MockServerURL` points at this mock).
fn response_of(interaction: &HttpInteraction, base_url: &str) -> Reply {
    let response = crate::generate::mock_response(&interaction.response, &Context::for_mock_server(base_url));
    let mut headers = Vec::new();
    if let Some(declared) = &response.headers {
        for (name, values) in declared.iter() {
            headers.push((name.to_string(), values.join(", ")));
        }
    }
    if response.headers.as_ref().and_then(Headers::content_type).is_none() {
        if let Some(content_type) = response.body.content_type() {
            headers.push(("Content-Type".into(), content_type.to_string()));
        }
    }
    Reply { status: response.status, headers, body: response.body.to_bytes() }
}
