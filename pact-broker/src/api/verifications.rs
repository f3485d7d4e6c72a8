//! Verification results: publishing (to the pact's `pb:publish-verification-results` href) and
//! reading them back.

use axum::extract::State;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::extract::{check_names, JsonBody, PathParams};
use super::{urls, AppState};
use crate::domain::metadata::Metadata;
use crate::domain::webhook_triggers;
use crate::error::{ApiError, ApiResult};
use crate::events::Event;
use crate::hal::{BaseUrl, Hal, Link};
use crate::storage::verifications::{self, NewVerification};
use crate::storage::{pacticipants, pacts, versions, Conn, PactVersion, StorageResult, Verification};

/// `.../pact-version/{sha}[/metadata/{metadata}]/verification-results[/{number}]`.
#[derive(Debug, Deserialize)]
pub struct ResultsPath {
    /// Provider name.
    pub provider: String,
    /// Consumer name.
    pub consumer: String,
    /// Content hash.
    pub sha: String,
    /// Metadata from pacts for verification.
    pub metadata: Option<String>,
    /// Verification number.
    pub number: Option<String>,
}

/// `/pacts/provider/{provider}/consumer/{consumer}/latest/verification-results/latest`.
#[derive(Debug, Deserialize)]
pub struct PairPath {
    /// Provider name.
    pub provider: String,
    /// Consumer name.
    pub consumer: String,
}

/// `/verification-results/consumer/{consumer}/version/{version}/latest`.
#[derive(Debug, Deserialize)]
pub struct ConsumerVersionPath {
    /// Consumer name.
    pub consumer: String,
    /// Consumer version number.
    pub version: String,
}

/// The verification resource.
pub async fn render(conn: &mut Conn, base: &BaseUrl, v: &Verification) -> StorageResult<Value> {
    let consumer_version = pacts::publications_of_content(conn, v.pact_version_id)
        .await?
        .into_iter()
        .next()
        .map(|pp| pp.consumer_version_number)
        .unwrap_or_default();
    let pact_name =
        format!("Pact between {} ({}) and {}", v.consumer_name, consumer_version, v.provider_name);
    let parse = |text: &Option<String>| text.as_deref().and_then(|t| serde_json::from_str::<Value>(t).ok());
    let mut body = Map::new();
    body.insert("providerName".into(), json!(v.provider_name));
    body.insert("providerApplicationVersion".into(), json!(v.provider_version_number));
    body.insert("success".into(), json!(v.success));
    body.insert("verificationDate".into(), json!(v.created_at));
    if let Some(url) = &v.build_url {
        body.insert("buildUrl".into(), json!(url));
    }
    if let Some(results) = parse(&v.test_results) {
        body.insert("testResults".into(), results);
    }
    if let Some(by) = parse(&v.verified_by) {
        body.insert("verifiedBy".into(), by);
    }
    let self_href = urls::verification(base, &v.provider_name, &v.consumer_name, &v.sha, v.id);
    body.insert(
        "_links".into(),
        json!({
            "self": Link::new(self_href.clone()).title("Verification result").name(format!("Verification result {} for {pact_name}", v.id)),
            "pb:pact-version": Link::new(urls::pact_version(base, &v.provider_name, &v.consumer_name, &v.sha, None)).title("Pact").name(pact_name),
            "pb:triggered-webhooks": Link::new(urls::pair(base, &v.provider_name, &v.consumer_name, &["pact-version", &v.sha, "verification-results", &v.id.to_string(), "triggered-webhooks"])).title("Webhooks triggered by the publication of this verification result"),
        }),
    );
    Ok(Value::Object(body))
}

async fn find_content(conn: &mut Conn, provider: &str, consumer: &str, sha: &str) -> ApiResult<PactVersion> {
    let not_found = || {
        ApiError::NotFound(format!(
            "No pact between {consumer} and {provider} with content version {sha} found"
        ))
    };
    let p = pacticipants::find(conn, provider).await?.ok_or_else(not_found)?;
    let c = pacticipants::find(conn, consumer).await?.ok_or_else(not_found)?;
    pacts::find_pact_version(conn, c.id, p.id, sha).await?.ok_or_else(not_found)
}

struct NewResult {
    success: bool,
    provider_version: String,
    build_url: Option<String>,
    test_results: Option<String>,
    verified_by: Option<String>,
}

fn parse(body: &Value) -> ApiResult<NewResult> {
    let Some(object) = body.as_object() else {
        return Err(ApiError::field("base", "expected a JSON object"));
    };
    let mut errors = Map::new();
    let success = match object.get("success") {
        Some(Value::Bool(b)) => Some(*b),
        None | Some(Value::Null) => {
            errors.insert("success".into(), json!(["is missing"]));
            None
        }
        Some(_) => {
            errors.insert("success".into(), json!(["must be a boolean"]));
            None
        }
    };
    let provider_version = match object.get("providerApplicationVersion") {
        Some(Value::String(s)) => match crate::domain::names::check(s) {
            Ok(()) => Some(s.clone()),
            Err(e) => {
                errors.insert("providerApplicationVersion".into(), json!([e]));
                None
            }
        },
        None | Some(Value::Null) => {
            errors.insert("providerApplicationVersion".into(), json!(["is missing"]));
            None
        }
        Some(_) => {
            errors.insert("providerApplicationVersion".into(), json!(["must be a string"]));
            None
        }
    };
    let build_url = match object.get("buildUrl") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match url::Url::parse(s) {
            Ok(_) => Some(s.clone()),
            Err(e) => {
                errors.insert("buildUrl".into(), json!([format!("is not a valid URL: {e}")]));
                None
            }
        },
        Some(_) => {
            errors.insert("buildUrl".into(), json!(["must be a string"]));
            None
        }
    };
    let verified_by = match object.get("verifiedBy") {
        None | Some(Value::Null) => None,
        Some(v @ Value::Object(_)) => Some(v.to_string()),
        Some(_) => {
            errors.insert("verifiedBy".into(), json!(["must be an object"]));
            None
        }
    };
    let test_results = object.get("testResults").filter(|v| !v.is_null()).map(Value::to_string);
    match (success, provider_version, errors.is_empty()) {
        (Some(success), Some(provider_version), true) => {
            Ok(NewResult { success, provider_version, build_url, test_results, verified_by })
        }
        _ => Err(ApiError::fields(errors)),
    }
}

async fn publish_results(state: AppState, base: BaseUrl, path: ResultsPath, body: Value) -> ApiResult<Hal> {
    let result = parse(&body)?;
    check_names(&[("provider", &path.provider)])?;
    let metadata = path.metadata.as_deref().map(Metadata::decode).unwrap_or_default();
    let job_base = base.clone();
    let (stored, rendered, triggered) = state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let content = find_content(conn, &path.provider, &path.consumer, &path.sha).await?;
                let (_, provider_version, _) =
                    versions::find_or_create_by_names(conn, &path.provider, &result.provider_version).await?;
                let stored = verifications::insert(
                    conn,
                    &NewVerification {
                        pact_version_id: content.id,
                        provider_version_id: provider_version.id,
                        success: result.success,
                        build_url: result.build_url.clone(),
                        test_results: result.test_results,
                        verified_by: result.verified_by,
                        pending: metadata.pending,
                        wip: metadata.wip,
                        consumer_version_selectors: metadata.selectors_json(),
                    },
                )
                .await?;
                let triggered = webhook_triggers::verification_published(
                    conn,
                    &job_base,
                    &stored,
                    &metadata,
                    result.build_url.as_deref(),
                )
                .await?;
                let rendered = render(conn, &job_base, &stored).await?;
                Ok::<_, ApiError>((stored, rendered, triggered))
            })
        })
        .await?;
    if !triggered.is_empty() {
        state.delivery.wake();
    }
    state.events.committed(&[Event::VerificationPublished {
        consumer: stored.consumer_name.clone(),
        provider: stored.provider_name.clone(),
        provider_version: stored.provider_version_number.clone(),
        sha: stored.sha.clone(),
        success: stored.success,
        number: stored.id,
    }]);
    let location =
        urls::verification(&base, &stored.provider_name, &stored.consumer_name, &stored.sha, stored.id);
    Ok(Hal::created(rendered, location))
}

/// `POST .../pact-version/{sha}/verification-results`: 201.
pub async fn publish(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ResultsPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    publish_results(state, base, path, body).await
}

/// `POST .../pact-version/{sha}/metadata/{metadata}/verification-results`: 201; pending and
/// WIP status come from the metadata.
pub async fn publish_with_metadata(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ResultsPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    publish_results(state, base, path, body).await
}

/// `GET .../pact-version/{sha}/verification-results/{number}`.
pub async fn show(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ResultsPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let content = find_content(&mut conn, &path.provider, &path.consumer, &path.sha).await?;
    let number = path.number.as_deref().and_then(|n| n.parse::<i64>().ok());
    let found = match number {
        Some(n) => verifications::find(&mut conn, n).await?.filter(|v| v.pact_version_id == content.id),
        None => None,
    };
    let v = found.ok_or_else(|| {
        ApiError::NotFound(format!("No verification result {} found", path.number.unwrap_or_default()))
    })?;
    Ok(Hal::ok(render(&mut conn, &base, &v).await?))
}

/// `GET .../pact-version/{sha}/verification-results/latest`.
pub async fn latest_for_sha(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ResultsPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let content = find_content(&mut conn, &path.provider, &path.consumer, &path.sha).await?;
    let v = verifications::latest_for_pact_version(&mut conn, content.id).await?.ok_or_else(|| {
        ApiError::NotFound("No verification results have been published for this pact".into())
    })?;
    Ok(Hal::ok(render(&mut conn, &base, &v).await?))
}

/// `GET /pacts/provider/{p}/consumer/{c}/latest/verification-results/latest`.
pub async fn latest_for_latest_pact(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<PairPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let not_found =
        || ApiError::NotFound(format!("No pact between {} and {} found", path.consumer, path.provider));
    let p = pacticipants::find(&mut conn, &path.provider).await?.ok_or_else(not_found)?;
    let c = pacticipants::find(&mut conn, &path.consumer).await?.ok_or_else(not_found)?;
    let query = pacts::PublicationQuery::for_provider(p.id).consumer(Some(c.id)).latest(true);
    let latest = pacts::publications(&mut conn, &query).await?.into_iter().next().ok_or_else(not_found)?;
    let v = verifications::latest_for_pact_version(&mut conn, latest.pact_version_id).await?.ok_or_else(
        || ApiError::NotFound("No verification results have been published for the latest pact".into()),
    )?;
    Ok(Hal::ok(render(&mut conn, &base, &v).await?))
}

/// `GET /verification-results/consumer/{c}/version/{v}/latest`: the latest result of each of
/// the version's pacts, and whether they all passed.
pub async fn latest_for_consumer_version(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ConsumerVersionPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let version = super::versions::find(&mut conn, &path.consumer, &path.version).await?;
    let found = verifications::latest_for_consumer_version(&mut conn, version.id).await?;
    let mut rendered = Vec::new();
    for v in &found {
        rendered.push(render(&mut conn, &base, v).await?);
    }
    Ok(Hal::ok(json!({
        "success": !found.is_empty() && found.iter().all(|v| v.success),
        "_embedded": {"verificationResults": rendered},
        "_links": {"self": Link::new(base.href(&["verification-results", "consumer", &path.consumer, "version", &path.version, "latest"]))},
    })))
}
