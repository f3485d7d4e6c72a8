//! The HTTP API: the official Pact Broker's HAL resources, one module per resource family.
//!
//! | module | resources |
//! |---|---|
//! | [`index`] | `/`, `/diagnostic/status/heartbeat` |
//! | [`pacticipants`] | `/pacticipants`, `/pacticipants/{p}` |
//! | [`versions`] | versions, latest versions, tags |
//! | [`branches`] | branches and branch versions |
//! | [`pacts`] | the pact resource: publish (`PUT`/`PATCH`), read, delete, pact versions |
//! | [`provider_pacts`] | latest pacts and pact lists for a provider, `/pacts/latest` |
//! | [`publish_contracts`] | `POST /contracts/publish` |
//! | [`for_verification`] | `/pacts/provider/{p}/for-verification` |
//! | [`verifications`] | verification results |
//! | [`environments`] | environments, deployed and released versions |
//! | [`matrix`] | `/matrix`, `/can-i-deploy` and the can-i-deploy shortcuts |
//! | [`matrix_text`] | their `text/plain` form |
//! | [`webhooks`] | webhooks, the webhooks events triggered, their execution logs |
//!
//! Around them: basic auth ([`crate::auth`]), the body size limit, RFC 7807 errors on request,
//! `OPTIONS` on every resource, and JSON 404/405 answers.

pub mod branches;
pub mod environments;
pub mod extract;
pub mod for_verification;
pub mod index;
pub mod matrix;
pub mod matrix_text;
pub mod pacticipants;
pub mod pacts;
pub mod provider_pacts;
pub mod publish_contracts;
pub mod response_cache;
pub mod urls;
pub mod verifications;
pub mod versions;
pub mod webhooks;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::config::Config;
use crate::delivery::Delivery;
use crate::error::{wants_problem_json, ApiError};
use crate::events::{EventSink, NoEvents};
use crate::hal::BaseUrl;
use crate::storage::Storage;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub storage: Storage,
    /// The configuration.
    pub config: Arc<Config>,
    /// The base of hrefs when neither `--public-url` nor a usable `Host` header is available.
    pub listen_base: BaseUrl,
    /// Receives events after their write committed.
    pub events: Arc<dyn EventSink>,
    /// Webhook delivery: woken after a commit that triggered webhooks.
    pub delivery: Arc<Delivery>,
    /// Responses computed for the current database generation.
    pub responses: Arc<response_cache::ResponseCache>,
}

impl AppState {
    /// State for `storage` and `config`, with events ignored.
    ///
    /// # Errors
    ///
    /// The webhooks' HTTP client could not be built.
    pub fn new(storage: Storage, config: Config, listen_base: BaseUrl) -> Result<Self, reqwest::Error> {
        let delivery = Arc::new(Delivery::new(config.webhooks.clone())?);
        Ok(AppState {
            storage,
            config: Arc::new(config),
            listen_base,
            events: Arc::new(NoEvents),
            delivery,
            responses: Arc::default(),
        })
    }

    /// Replaces the event sink.
    pub fn with_events(mut self, events: Arc<dyn EventSink>) -> Self {
        self.events = events;
        self
    }
}

/// The broker's router.
pub fn router(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    let pacts = "/pacts/provider/{provider}/consumer/{consumer}";
    let api = Router::new()
        .route("/", get(index::index))
        .route("/diagnostic/status/heartbeat", get(index::heartbeat))
        // Pacticipants, versions, tags, branches.
        .route("/pacticipants", get(pacticipants::list).post(pacticipants::create))
        .route(
            "/pacticipants/{pacticipant}",
            get(pacticipants::show).put(pacticipants::replace).patch(pacticipants::patch).delete(pacticipants::delete),
        )
        .route("/pacticipants/{pacticipant}/versions", get(versions::list))
        .route(
            "/pacticipants/{pacticipant}/versions/{version}",
            get(versions::show).put(versions::replace).patch(versions::patch).delete(versions::delete),
        )
        .route("/pacticipants/{pacticipant}/latest-version", get(versions::latest))
        .route("/pacticipants/{pacticipant}/latest-version/{tag}", get(versions::latest_with_tag))
        .route(
            "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
            get(versions::show_tag).put(versions::put_tag).delete(versions::delete_tag),
        )
        .route("/pacticipants/{pacticipant}/tags/{tag}/versions", get(versions::list_with_tag))
        .route("/pacticipants/{pacticipant}/branches", get(branches::list))
        .route("/pacticipants/{pacticipant}/branches/{branch}", get(branches::show).delete(branches::delete))
        .route("/pacticipants/{pacticipant}/branches/{branch}/versions", get(branches::versions))
        .route("/pacticipants/{pacticipant}/branches/{branch}/latest-version", get(branches::latest_version))
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
            get(branches::show_version).put(branches::put_version).delete(branches::delete_version),
        )
        .route(
            "/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{environment}",
            get(environments::deployed_for_version).post(environments::record_deployment),
        )
        .route(
            "/pacticipants/{pacticipant}/versions/{version}/released-versions/environment/{environment}",
            get(environments::released_for_version).post(environments::record_release),
        )
        .route(
            "/pacticipants/{pacticipant}/latest-version/{tag}/can-i-deploy/to/{to}",
            get(matrix::can_i_deploy_tag_to_tag),
        )
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}/latest-version/can-i-deploy/to-environment/{environment}",
            get(matrix::can_i_deploy_branch_to_environment),
        )
        // Publishing and reading pacts.
        .route(
            &format!("{pacts}/version/{{version}}"),
            get(pacts::show).put(pacts::publish).patch(pacts::merge).delete(pacts::delete),
        )
        .route(
            "/pact/provider/{provider}/consumer/{consumer}/version/{version}",
            get(pacts::show).put(pacts::publish).patch(pacts::merge).delete(pacts::delete),
        )
        .route(&format!("{pacts}/versions"), get(pacts::versions))
        .route(&format!("{pacts}/latest"), get(pacts::latest))
        .route(&format!("{pacts}/latest-untagged"), get(pacts::latest_untagged))
        .route(&format!("{pacts}/latest/{{tag}}"), get(pacts::latest_with_tag))
        .route(&format!("{pacts}/branch/{{branch}}/latest"), get(pacts::latest_for_branch))
        .route(&format!("{pacts}/tag/{{tag}}"), get(pacts::tagged_versions))
        .route(&format!("{pacts}/branch/{{branch}}"), get(pacts::branch_versions))
        .route(&format!("{pacts}/branch/{{branch}}/latest/versions"), get(pacts::latest_branch_versions))
        .route(&format!("{pacts}/branch/versions"), get(pacts::main_branch_versions))
        .route(&format!("{pacts}/branch/latest/versions"), get(pacts::latest_main_branch_versions))
        .route(&format!("{pacts}/pact-version/{{sha}}"), get(pacts::by_sha))
        .route(&format!("{pacts}/pact-version/{{sha}}/metadata/{{metadata}}"), get(pacts::by_sha_with_metadata))
        .route(&format!("{pacts}/pact-version/{{sha}}/verification-results"), post(verifications::publish))
        .route(
            &format!("{pacts}/pact-version/{{sha}}/metadata/{{metadata}}/verification-results"),
            post(verifications::publish_with_metadata),
        )
        .route(&format!("{pacts}/pact-version/{{sha}}/verification-results/latest"), get(verifications::latest_for_sha))
        .route(&format!("{pacts}/pact-version/{{sha}}/verification-results/{{number}}"), get(verifications::show))
        .route(&format!("{pacts}/latest/verification-results/latest"), get(verifications::latest_for_latest_pact))
        .route("/verification-results/consumer/{consumer}/version/{version}/latest", get(verifications::latest_for_consumer_version))
        .route("/contracts/publish", post(publish_contracts::publish))
        .route("/pacts/latest", get(provider_pacts::latest_of_every_pair))
        .route("/pacts/provider/{provider}", get(provider_pacts::all))
        .route("/pacts/provider/{provider}/latest", get(provider_pacts::latest))
        .route("/pacts/provider/{provider}/latest/{tag}", get(provider_pacts::latest_with_tag))
        .route("/pacts/provider/{provider}/tag/{tag}", get(provider_pacts::with_tag))
        .route("/pacts/provider/{provider}/branch", get(provider_pacts::main_branches))
        .route("/pacts/provider/{provider}/branch/latest", get(provider_pacts::latest_main_branches))
        .route("/pacts/provider/{provider}/branch/{branch}", get(provider_pacts::with_branch))
        .route("/pacts/provider/{provider}/branch/{branch}/latest", get(provider_pacts::latest_with_branch))
        .route(
            "/pacts/provider/{provider}/for-verification",
            get(for_verification::query_get).post(for_verification::query_post),
        )
        // Environments and deployments.
        .route("/environments", get(environments::list).post(environments::create))
        .route("/environments/{uuid}", get(environments::show).put(environments::replace).delete(environments::delete))
        .route("/environments/{uuid}/deployed-versions/currently-deployed", get(environments::currently_deployed))
        .route("/environments/{uuid}/released-versions/currently-supported", get(environments::currently_supported))
        .route("/deployed-versions/{uuid}", get(environments::show_deployed).patch(environments::patch_deployed))
        .route("/released-versions/{uuid}", get(environments::show_released).patch(environments::patch_released))
        // Matrix.
        .route("/matrix", get(matrix::matrix))
        .route("/can-i-deploy", get(matrix::can_i_deploy))
        // Webhooks.
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/{uuid}", get(webhooks::show).put(webhooks::replace).delete(webhooks::delete))
        .route("/webhooks/{uuid}/execute", post(webhooks::execute))
        .route("/webhooks/provider/{provider}", get(webhooks::list_scoped).post(webhooks::create_scoped))
        .route("/webhooks/consumer/{consumer}", get(webhooks::list_scoped).post(webhooks::create_scoped))
        .route(
            "/webhooks/provider/{provider}/consumer/{consumer}",
            get(webhooks::list_scoped).post(webhooks::create_scoped),
        )
        .route(&format!("{pacts}/webhooks"), get(webhooks::list_scoped).post(webhooks::create_scoped))
        .route(&format!("{pacts}/version/{{version}}/triggered-webhooks"), get(webhooks::triggered_by_pact))
        .route(
            &format!("{pacts}/pact-version/{{sha}}/verification-results/{{number}}/triggered-webhooks"),
            get(webhooks::triggered_by_verification),
        )
        .route("/triggered-webhooks/{uuid}/logs", get(webhooks::logs))
        .route("/integrations", get(provider_pacts::integrations))
        .route("/metrics", get(index::metrics))
        // The HTML pages.
        .merge(crate::ui::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn(problem_json))
        .with_state(state.clone());
    // Around the routing itself, so that they see every request before a route is chosen.
    Router::new()
        .fallback_service(api)
        .layer(middleware::from_fn(options))
        .layer(middleware::from_fn_with_state(state, crate::auth::require_auth))
}

async fn not_found() -> ApiError {
    ApiError::NotFound("The requested document was not found on this server.".into())
}

/// Gives the router's bare 405 answers (which carry the `Allow` header) the broker's error
/// body, and re-renders errors as RFC 7807 documents when the request's `Accept` asks for them.
async fn problem_json(request: Request, next: Next) -> Response {
    let wants = wants_problem_json(request.headers());
    let mut response = next.run(request).await;
    if response.status() == StatusCode::METHOD_NOT_ALLOWED
        && response.extensions().get::<ApiError>().is_none()
    {
        let allow = response.headers().get(header::ALLOW).cloned();
        response = ApiError::MethodNotAllowed.into_response();
        if let Some(allow) = allow {
            response.headers_mut().insert(header::ALLOW, allow);
        }
    }
    if wants {
        if let Some(error) = response.extensions_mut().remove::<ApiError>() {
            return error.render(true);
        }
    }
    response
}

/// Answers `OPTIONS` on every resource with the methods it allows (`Allow`), and 404 on
/// unknown paths. The router itself is asked: the request is replayed with a method no
/// resource answers, and the `Allow` header of its 405 is the answer.
async fn options(mut request: Request, next: Next) -> Response {
    if request.method() != Method::OPTIONS {
        return next.run(request).await;
    }
    *request.method_mut() = Method::TRACE;
    let probe = next.run(request).await;
    if probe.status() != StatusCode::METHOD_NOT_ALLOWED {
        return probe;
    }
    let mut allow: Vec<String> = probe
        .headers()
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(',').map(|m| m.trim().to_string()).filter(|m| !m.is_empty()).collect())
        .unwrap_or_default();
    allow.push("OPTIONS".into());
    let mut response = crate::hal::Hal::ok(serde_json::json!({})).into_response();
    if let Ok(value) = HeaderValue::from_str(&allow.join(", ")) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}
