//! The web UI: server-rendered HTML pages, no JavaScript, behind the same auth as the API.
//!
//! | page | path |
//! |---|---|
//! | pacticipants and the latest pact of every integration, with its latest verification | `/ui` |
//! | a pact, its interactions readable (states, request, response, matching rules) | `/ui/pacts/provider/{p}/consumer/{c}/version/{v}` |
//! | the matrix: consumer version × provider version × verification result | `/ui/matrix[?consumer=C&provider=P&limit=N]` |
//!
//! The pages live under `/ui` so that they never get in the way of the API. A browser that
//! opens `/` (its `Accept` header prefers `text/html` to JSON) is redirected to `/ui`; the
//! official clients, which ask for `application/hal+json`, `application/json` or `*/*`, get the
//! HAL index as before.

pub mod html;
pub mod index;
pub mod matrix;
pub mod pact;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::api::AppState;
use crate::storage::StorageError;

/// The UI's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui", get(index::page))
        .route("/ui/pacts/provider/{provider}/consumer/{consumer}/version/{version}", get(pact::page))
        .route("/ui/matrix", get(matrix::page))
}

/// The weight (`q`) the `Accept` header gives a media type: its own entry, else `type/*`, else
/// `*/*`; 0 when absent.
fn quality(accept: &str, media: &str) -> f32 {
    let family = media.split('/').next().unwrap_or("");
    let mut exact = None;
    let mut partial = None;
    let mut any = None;
    for entry in accept.split(',') {
        let mut parts = entry.split(';');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|v| v.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if name == media {
            exact = Some(q);
        } else if name == format!("{family}/*") {
            partial = Some(q);
        } else if name == "*/*" {
            any = Some(q);
        }
    }
    exact.or(partial).or(any).unwrap_or(0.0)
}

/// Whether a request's `Accept` header prefers HTML to JSON (a browser), rather than the
/// official clients' `application/hal+json, application/json` or `*/*`.
///
/// ```
/// use axum::http::{header, HeaderMap, HeaderValue};
/// use pact_broker::ui::prefers_html;
///
/// let mut browser = HeaderMap::new();
/// browser.insert(header::ACCEPT, HeaderValue::from_static("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
/// assert!(prefers_html(&browser));
/// let mut client = HeaderMap::new();
/// client.insert(header::ACCEPT, HeaderValue::from_static("application/hal+json, application/json"));
/// assert!(!prefers_html(&client));
/// client.insert(header::ACCEPT, HeaderValue::from_static("*/*"));
/// assert!(!prefers_html(&client));
/// assert!(!prefers_html(&HeaderMap::new()));
/// ```
pub fn prefers_html(headers: &HeaderMap) -> bool {
    let accept: Vec<&str> = headers.get_all(header::ACCEPT).iter().filter_map(|v| v.to_str().ok()).collect();
    let accept = accept.join(",");
    let html = quality(&accept, "text/html");
    let json =
        ["application/hal+json", "application/json"].iter().map(|m| quality(&accept, m)).fold(0.0, f32::max);
    accept.to_ascii_lowercase().contains("text/html") && html > json
}

/// A page that could not be shown: an HTML error page with its status.
#[derive(Debug)]
pub struct UiError {
    status: StatusCode,
    message: String,
}

impl UiError {
    /// 404 with a message.
    pub fn not_found(message: impl Into<String>) -> Self {
        UiError { status: StatusCode::NOT_FOUND, message: message.into() }
    }

    /// 400 with a message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        UiError { status: StatusCode::BAD_REQUEST, message: message.into() }
    }
}

impl From<StorageError> for UiError {
    fn from(error: StorageError) -> Self {
        let reference = uuid::Uuid::new_v4().simple().to_string()[..10].to_string();
        tracing::error!(reference = %reference, "{error}");
        UiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!(
                "An error has occurred. The details have been logged with the reference {reference}"
            ),
        }
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let title = self.status.canonical_reason().unwrap_or("Error");
        let body = format!("<h1>{}</h1><p>{}</p>", html::esc(title), html::esc(&self.message));
        html::response(self.status, html::page(title, &[], &body))
    }
}

/// The result of a page handler.
pub type UiResult = Result<Response, UiError>;

/// The navigation links of every page.
fn nav(base: &crate::hal::BaseUrl) -> Vec<(String, &'static str)> {
    vec![(base.href(&["ui"]), "Pacts"), (base.href(&["ui", "matrix"]), "Matrix"), (base.href(&[]), "API")]
}

/// The branches and tags of versions, looked up once each.
#[derive(Debug, Default)]
struct Labels(std::collections::HashMap<i64, (Vec<String>, Vec<String>)>);

impl Labels {
    /// The labels of a version, as HTML.
    async fn of(&mut self, conn: &mut crate::storage::Conn, version_id: i64) -> Result<String, StorageError> {
        if let std::collections::hash_map::Entry::Vacant(entry) = self.0.entry(version_id) {
            let branches = crate::storage::versions::branch_versions_of(conn, version_id)
                .await?
                .into_iter()
                .map(|bv| bv.branch.name)
                .collect();
            let tags = crate::storage::versions::tags_of(conn, version_id)
                .await?
                .into_iter()
                .map(|t| t.name)
                .collect();
            entry.insert((branches, tags));
        }
        Ok(self.0.get(&version_id).map(|(b, t)| html::labels(b, t)).unwrap_or_default())
    }
}

/// The result cell of a verification: text and colour (`success`, `failure`, `unverified`).
fn result_cell(verification: Option<&crate::storage::Verification>) -> (&'static str, &'static str) {
    match verification.map(|v| v.success) {
        Some(true) => ("success", "\u{2714} success"),
        Some(false) => ("failure", "\u{2718} failed"),
        None => ("unverified", "not verified"),
    }
}
