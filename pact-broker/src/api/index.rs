//! `GET /`: the index every client starts from, with each relation and its exact `templated`
//! flag; and the health check.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::AppState;
use crate::error::ApiResult;
use crate::hal::{BaseUrl, Hal, Link};

/// The index relations: `(relation, path segments, template after them, title)`. A template
/// of `""` means the link is not templated.
const RELATIONS: &[(&str, &[&str], &str, &str)] = &[
    ("pb:publish-pact", &["pacts"], "provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}", "Publish a pact"),
    ("pb:publish-contracts", &["contracts", "publish"], "", "Publish contracts"),
    ("pb:latest-pact-versions", &["pacts", "latest"], "", "Latest pact versions"),
    ("pb:tagged-pact-versions", &["pacts"], "provider/{provider}/consumer/{consumer}/tag/{tag}", "All versions of a pact for a given consumer, provider and consumer version tag"),
    ("pb:branch-pact-versions", &["pacts"], "provider/{provider}/consumer/{consumer}/branch/{branch}", "All versions of a pact for a given consumer, provider and consumer version branch"),
    ("pb:latest-branch-pact-versions", &["pacts"], "provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions", "Latest version of a pact for a given consumer, provider and consumer version branch"),
    ("pb:main-branch-pact-versions", &["pacts"], "provider/{provider}/consumer/{consumer}/branch/versions", "All versions of a pact for a given consumer, provider and consumer main branch"),
    ("pb:latest-main-branch-pact-versions", &["pacts"], "provider/{provider}/consumer/{consumer}/branch/latest/versions", "Latest version of a pact for a given consumer, provider and consumer main branch"),
    ("pb:provider-pacts-with-main-branch", &["pacts"], "provider/{provider}/branch", "All pact versions for the provider with the consumers' main branches"),
    ("pb:provider-pacts-with-branch", &["pacts"], "provider/{provider}/branch/{branch}", "All pact versions for the provider with the specified consumer branch"),
    ("pb:latest-provider-pacts-with-main-branch", &["pacts"], "provider/{provider}/branch/latest", "Latest pact versions for the provider with the consumers' main branches"),
    ("pb:latest-provider-pacts-with-branch", &["pacts"], "provider/{provider}/branch/{branch}/latest", "Latest pact versions for the provider with the specified consumer branch"),
    ("pb:pacticipants", &["pacticipants"], "", "Pacticipants"),
    ("pb:pacticipant", &["pacticipants"], "{pacticipant}", "Fetch pacticipant by name"),
    ("pb:latest-provider-pacts", &["pacts"], "provider/{provider}/latest", "Latest pacts by provider"),
    ("pb:latest-provider-pacts-with-tag", &["pacts"], "provider/{provider}/latest/{tag}", "Latest pacts for provider with the specified tag"),
    ("pb:provider-pacts-with-tag", &["pacts"], "provider/{provider}/tag/{tag}", "All pact versions for the provider with the specified consumer version tag"),
    ("pb:provider-pacts", &["pacts"], "provider/{provider}", "All pact versions for the specified provider"),
    ("pb:latest-version", &["pacticipants"], "{pacticipant}/latest-version", "Latest pacticipant version"),
    ("pb:latest-tagged-version", &["pacticipants"], "{pacticipant}/latest-version/{tag}", "Latest pacticipant version with the specified tag"),
    ("pb:webhooks", &["webhooks"], "", "Webhooks"),
    ("pb:webhook", &["webhooks"], "{uuid}", "Webhook"),
    ("pb:integrations", &["integrations"], "", "Integrations"),
    ("pb:pacticipant-version-tag", &["pacticipants"], "{pacticipant}/versions/{version}/tags/{tag}", "Get, create or delete a tag for a pacticipant version"),
    ("pb:pacticipant-branch", &["pacticipants"], "{pacticipant}/branches/{branch}", "Get or delete a pacticipant branch"),
    ("pb:pacticipant-branch-version", &["pacticipants"], "{pacticipant}/branches/{branch}/versions/{version}", "Get or add/create a pacticipant version for a branch"),
    ("pb:pacticipant-version", &["pacticipants"], "{pacticipant}/versions/{version}", "Get, create or delete a pacticipant version"),
    ("pb:metrics", &["metrics"], "", "Get Pact Broker metrics"),
    ("pb:can-i-deploy-pacticipant-version-to-tag", &["can-i-deploy"], "?pacticipant={pacticipant}&version={version}&to={tag}", "Determine if an application version can be safely deployed to an environment identified by the given tag"),
    ("pb:can-i-deploy-pacticipant-version-to-environment", &["can-i-deploy"], "?pacticipant={pacticipant}&version={version}&environment={environment}", "Determine if an application version can be safely deployed to an environment"),
    ("pb:provider-pacts-for-verification", &["pacts"], "provider/{provider}/for-verification", "Pact versions to be verified for the specified provider"),
    ("pb:environments", &["environments"], "", "Environments"),
    ("pb:environment", &["environments"], "{uuid}", "Environment"),
];

/// The index document.
pub fn document(base: &BaseUrl) -> Value {
    let mut links = Map::new();
    links.insert("self".into(), Link::new(base.href(&[])).into());
    for (rel, segments, template, title) in RELATIONS {
        let link = if template.is_empty() {
            Link::new(base.href(segments))
        } else {
            Link::templated(base.templated(segments, template))
        };
        links.insert((*rel).into(), link.title(*title).into());
    }
    links.insert(
        "beta:provider-pacts-for-verification".into(),
        Link::templated(base.templated(&["pacts"], "provider/{provider}/for-verification"))
            .name("beta")
            .title("DEPRECATED - please use pb:provider-pacts-for-verification")
            .into(),
    );
    links.insert("curies".into(), base.curies("index"));
    json!({ "_links": links })
}

/// `GET /`: the HAL index; a browser (its `Accept` prefers `text/html`) is sent to the UI
/// (`303 See Other`, `Location: /ui`).
pub async fn index(base: BaseUrl, headers: HeaderMap) -> Response {
    if crate::ui::prefers_html(&headers) {
        let mut response = StatusCode::SEE_OTHER.into_response();
        if let Ok(location) = HeaderValue::from_str(&base.href(&["ui"])) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    Hal::ok(document(&base)).into_response()
}

/// `GET /diagnostic/status/heartbeat`: 200 while the process serves requests (open to
/// anonymous callers even with basic auth on).
pub async fn heartbeat(base: BaseUrl) -> Hal {
    Hal::ok(
        json!({ "ok": true, "_links": { "self": Link::new(base.href(&["diagnostic", "status", "heartbeat"])) } }),
    )
}

/// `GET /metrics`: how much the broker holds.
pub async fn metrics(State(state): State<AppState>) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let counts = crate::storage::counts(&mut conn).await?;
    let mut body = Map::new();
    for (key, count) in counts {
        body.insert(key.into(), json!({ "count": count }));
    }
    Ok(Hal::ok(Value::Object(body)))
}
