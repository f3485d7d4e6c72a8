//! The pact resource: publishing (`PUT`, `PATCH`), reading by consumer version, latest, tag,
//! branch or content hash (with or without metadata), deleting, and the pact versions of a pair.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::extract::{check_names, JsonBody, PathParams};
use super::{urls, AppState};
use crate::domain::pact_content;
use crate::domain::publish::{self, OnConflict, Outcome, PublishError, PublishPact};
use crate::domain::webhook_triggers::{self, PublishRequest};
use crate::error::{ApiError, ApiResult};
use crate::hal::{BaseUrl, Hal, Link, HAL_JSON};
use crate::storage::pacts::{self, ConsumerVersions, PublicationQuery};
use crate::storage::{self, Conn, PactPublication, StorageError, StorageResult};

/// `/pacts/provider/{provider}/consumer/{consumer}`.
#[derive(Debug, Deserialize)]
pub struct PairPath {
    /// Provider name.
    pub provider: String,
    /// Consumer name.
    pub consumer: String,
}

/// `.../version/{version}`.
#[derive(Debug, Deserialize)]
pub struct PactPath {
    /// Provider name.
    pub provider: String,
    /// Consumer name.
    pub consumer: String,
    /// Consumer version number.
    pub version: String,
}

/// `.../latest/{tag}` and `.../tag/{tag}`.
#[derive(Debug, Deserialize)]
pub struct TagPath {
    /// Provider name.
    pub provider: String,
    /// Consumer name.
    pub consumer: String,
    /// Consumer version tag.
    pub tag: String,
}

/// `.../branch/{branch}[/latest]`.
#[derive(Debug, Deserialize)]
pub struct BranchPath {
    /// Provider name.
    pub provider: String,
    /// Consumer name.
    pub consumer: String,
    /// Consumer version branch.
    pub branch: String,
}

/// `.../pact-version/{sha}[/metadata/{metadata}]`.
#[derive(Debug, Deserialize)]
pub struct ShaPath {
    /// Provider name.
    pub provider: String,
    /// Consumer name.
    pub consumer: String,
    /// Content hash.
    pub sha: String,
    /// Metadata from pacts for verification.
    pub metadata: Option<String>,
}

/// The pact document with the broker's `createdAt` and `_links` merged in.
pub async fn render(
    conn: &mut Conn,
    base: &BaseUrl,
    publication: &PactPublication,
    metadata: Option<&str>,
) -> StorageResult<Value> {
    let stored = pacts::pact_version(conn, publication.pact_version_id).await?.ok_or_else(|| {
        StorageError::Corrupt(format!("pact version {} is missing", publication.pact_version_id))
    })?;
    let mut document: Map<String, Value> = match serde_json::from_str(&stored.content) {
        Ok(Value::Object(map)) => map,
        _ => return Err(StorageError::Corrupt(format!("stored pact {} is not a JSON object", stored.sha))),
    };
    let (p, c, v, sha) = (
        publication.provider_name.as_str(),
        publication.consumer_name.as_str(),
        publication.consumer_version_number.as_str(),
        publication.sha.as_str(),
    );
    let name = format!("Pact between {c} ({v}) and {p}");
    let mut links = json!({
        "self": Link::new(urls::pact(base, p, c, v)).title("Pact").name(name.clone()),
        "pb:consumer": Link::new(urls::pacticipant(base, c)).title("Consumer").name(c),
        "pb:consumer-version": Link::new(urls::version(base, c, v)).title("Consumer version").name(v),
        "pb:provider": Link::new(urls::pacticipant(base, p)).title("Provider").name(p),
        "pb:pact-version": Link::new(urls::pact_version(base, p, c, sha, None)).title("Pact content version permalink").name(sha),
        "pb:latest-pact-version": Link::new(urls::pair(base, p, c, &["latest"])).title("Latest version of this pact"),
        "pb:all-pact-versions": Link::new(urls::pair(base, p, c, &["versions"])).title("All versions of this pact"),
        "pb:latest-untagged-pact-version": Link::new(urls::pair(base, p, c, &["latest-untagged"])).title("Latest untagged version of this pact"),
        "pb:latest-tagged-pact-version": Link::templated(base.templated(&["pacts", "provider", p, "consumer", c], "latest/{tag}")).title("Latest tagged version of this pact"),
        "pb:previous-distinct": Link::new(urls::pair(base, p, c, &["version", v, "previous-distinct"])).title("Previous distinct version of this pact"),
        "pb:diff-previous-distinct": Link::new(urls::pair(base, p, c, &["version", v, "diff", "previous-distinct"])).title("Diff with previous distinct version of this pact"),
        "pb:diff": Link::templated(base.templated(&["pacts", "provider", p, "consumer", c, "pact-version", sha], "diff/pact-version/{pactVersion}")).title("Diff with another specified version of this pact"),
        "pb:pact-webhooks": Link::new(base.href(&["webhooks", "provider", p, "consumer", c])).title("Webhooks for the pact between the consumer and provider"),
        "pb:consumer-webhooks": Link::new(base.href(&["webhooks", "consumer", c])).title("Webhooks for all pacts with the consumer"),
        "pb:tag-version": Link::templated(base.templated(&["pacticipants", c, "versions", v], "tags/{tag}")).title("Tag this version"),
        "pb:publish-verification-results": Link::new(urls::publish_verification(base, p, c, sha, metadata)).title("Publish verification results"),
        "pb:latest-verification-results": Link::new(urls::pair(base, p, c, &["pact-version", sha, "verification-results", "latest"])).title("Latest verification results"),
        "pb:triggered-webhooks": Link::new(urls::pair(base, p, c, &["version", v, "triggered-webhooks"])).title("Webhooks triggered by the publication of this pact"),
        "pb:matrix-for-consumer-version": Link::new(urls::matrix_for_consumer_version(base, c, v)).title("View matrix rows for the consumer version to which this pact belongs"),
        "curies": base.curies("pact"),
    });
    if metadata.is_some() {
        let consumer_versions: Vec<Value> = pacts::publications_of_content(conn, publication.pact_version_id)
            .await?
            .iter()
            .map(|pp| {
                Link::new(urls::version(base, c, &pp.consumer_version_number))
                    .title("Consumer version")
                    .name(pp.consumer_version_number.clone())
                    .into()
            })
            .collect();
        if let Some(object) = links.as_object_mut() {
            object.insert("pb:consumer-versions".into(), Value::Array(consumer_versions));
        }
    }
    document.insert("createdAt".into(), json!(publication.created_at));
    document.insert("_links".into(), links);
    Ok(Value::Object(document))
}

/// A pact document response: `application/hal+json`, or `application/json` when the client
/// asked for that and not HAL.
fn pact_response(status: StatusCode, body: Value, location: Option<String>, headers: &HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let plain_json = accept.contains("application/json") && !accept.contains("hal+json");
    let mut response = Hal { status, body, location }.into_response();
    if plain_json {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json;charset=utf-8"));
    } else {
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(HAL_JSON));
    }
    response
}

async fn find_pair(conn: &mut Conn, provider: &str, consumer: &str) -> ApiResult<(i64, i64)> {
    let p = pacticipant_or_404(conn, provider, "provider").await?;
    let c = pacticipant_or_404(conn, consumer, "consumer").await?;
    Ok((p, c))
}

async fn pacticipant_or_404(conn: &mut Conn, name: &str, role: &str) -> ApiResult<i64> {
    match storage::pacticipants::find(conn, name).await? {
        Some(p) => Ok(p.id),
        None => Err(ApiError::NotFound(format!("No {role} with name '{name}' found"))),
    }
}

fn no_pact(provider: &str, consumer: &str, what: &str) -> ApiError {
    ApiError::NotFound(format!("No pact between {consumer} and {provider} found{what}"))
}

async fn find_publication(conn: &mut Conn, path: &PactPath) -> ApiResult<PactPublication> {
    let (provider_id, _) = find_pair(conn, &path.provider, &path.consumer).await?;
    let v = super::versions::find(conn, &path.consumer, &path.version).await?;
    pacts::find_publication(conn, v.id, provider_id).await?.ok_or_else(|| {
        no_pact(&path.provider, &path.consumer, &format!(" for consumer version {}", path.version))
    })
}

/// `GET /pacts/provider/{p}/consumer/{c}/version/{v}`.
pub async fn show(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    PathParams(path): PathParams<PactPath>,
) -> ApiResult<Response> {
    let mut conn = state.storage.read().await?;
    let publication = find_publication(&mut conn, &path).await?;
    let body = render(&mut conn, &base, &publication, None).await?;
    Ok(pact_response(StatusCode::OK, body, None, &headers))
}

async fn publish_with(
    state: AppState,
    base: BaseUrl,
    headers: HeaderMap,
    path: PactPath,
    body: Value,
    on_conflict: OnConflict,
) -> ApiResult<Response> {
    check_names(&[
        ("provider", &path.provider),
        ("consumer", &path.consumer),
        ("consumerVersionNumber", &path.version),
    ])?;
    let content = pact_content::validate(body, &path.consumer, &path.provider, "path").map_err(|e| {
        let mut errors = Map::new();
        match &e {
            pact_content::ContentError::NameMismatch { role, .. } => {
                errors.insert((*role).into(), json!({"name": [e.to_string()]}));
            }
            _ => {
                errors.insert(e.field().into(), json!([e.to_string()]));
            }
        }
        ApiError::fields(errors)
    })?;
    let allow_modification = state.config.allow_dangerous_contract_modification;
    let (job_base, job_path) =
        (base.clone(), (path.consumer.clone(), path.provider.clone(), path.version.clone()));
    let (published, rendered, triggered) = state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let (consumer, provider, version) = job_path;
                let request = PublishPact {
                    consumer: &consumer,
                    provider: &provider,
                    consumer_version: &version,
                    content,
                    on_conflict,
                    allow_modification,
                };
                let published = publish::publish(conn, request).await.map_err(publish_error)?;
                let triggered = webhook_triggers::contract_published(
                    conn,
                    &job_base,
                    &published,
                    PublishRequest::default(),
                )
                .await?;
                let rendered = render(conn, &job_base, &published.publication, None).await?;
                Ok::<_, ApiError>((published, rendered, triggered))
            })
        })
        .await?;
    if !triggered.is_empty() {
        state.delivery.wake();
    }
    state.events.committed(&[published.event(None, &[])]);
    let location = urls::pact(&base, &path.provider, &path.consumer, &path.version);
    let status = if published.outcome == Outcome::Created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(pact_response(status, rendered, (status == StatusCode::CREATED).then_some(location), &headers))
}

/// Maps a refused publish to the broker's response.
pub fn publish_error(e: PublishError) -> ApiError {
    match e {
        PublishError::Conflict(message) => ApiError::conflict(message),
        PublishError::Merge(conflict) => ApiError::conflict(conflict.to_string()),
        PublishError::Storage(e) => e.into(),
    }
}

/// `PUT /pacts/provider/{p}/consumer/{c}/version/{v}`: publishes; 201 when new, 200 when the
/// same content was there, 409 when different content was.
pub async fn publish(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    PathParams(path): PathParams<PactPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    publish_with(state, base, headers, path, body, OnConflict::Overwrite).await
}

/// `PATCH /pacts/provider/{p}/consumer/{c}/version/{v}`: merges the interactions into the
/// published pact (409 when one of them changed).
pub async fn merge(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    PathParams(path): PathParams<PactPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    publish_with(state, base, headers, path, body, OnConflict::Merge).await
}

/// `DELETE /pacts/provider/{p}/consumer/{c}/version/{v}`: 204.
pub async fn delete(
    State(state): State<AppState>,
    PathParams(path): PathParams<PactPath>,
) -> ApiResult<impl IntoResponse> {
    state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let publication = find_publication(conn, &path).await?;
                Ok::<_, ApiError>(pacts::delete_publication(conn, publication.id).await?)
            })
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn latest_where(
    state: &AppState,
    base: &BaseUrl,
    headers: &HeaderMap,
    provider: &str,
    consumer: &str,
    versions: ConsumerVersions,
    what: &str,
) -> ApiResult<Response> {
    let mut conn = state.storage.read().await?;
    let (provider_id, consumer_id) = find_pair(&mut conn, provider, consumer).await?;
    let query = PublicationQuery::for_provider(provider_id)
        .consumer(Some(consumer_id))
        .versions(versions)
        .latest(true);
    let found = pacts::publications(&mut conn, &query).await?;
    let publication = found.into_iter().next().ok_or_else(|| no_pact(provider, consumer, what))?;
    let body = render(&mut conn, base, &publication, None).await?;
    Ok(pact_response(StatusCode::OK, body, None, headers))
}

/// `GET /pacts/provider/{p}/consumer/{c}/latest`.
pub async fn latest(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    PathParams(path): PathParams<PairPath>,
) -> ApiResult<Response> {
    latest_where(&state, &base, &headers, &path.provider, &path.consumer, ConsumerVersions::All, "").await
}

/// `GET /pacts/provider/{p}/consumer/{c}/latest-untagged`.
pub async fn latest_untagged(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    PathParams(path): PathParams<PairPath>,
) -> ApiResult<Response> {
    latest_where(
        &state,
        &base,
        &headers,
        &path.provider,
        &path.consumer,
        ConsumerVersions::Untagged,
        " for an untagged consumer version",
    )
    .await
}

/// `GET /pacts/provider/{p}/consumer/{c}/latest/{tag}`.
pub async fn latest_with_tag(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    PathParams(path): PathParams<TagPath>,
) -> ApiResult<Response> {
    let what = format!(" for a consumer version tagged '{}'", path.tag);
    latest_where(
        &state,
        &base,
        &headers,
        &path.provider,
        &path.consumer,
        ConsumerVersions::Tag(path.tag.clone()),
        &what,
    )
    .await
}

/// `GET /pacts/provider/{p}/consumer/{c}/branch/{b}/latest`.
pub async fn latest_for_branch(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    PathParams(path): PathParams<BranchPath>,
) -> ApiResult<Response> {
    let what = format!(" for a consumer version on branch '{}'", path.branch);
    latest_where(
        &state,
        &base,
        &headers,
        &path.provider,
        &path.consumer,
        ConsumerVersions::Branch(path.branch.clone()),
        &what,
    )
    .await
}

async fn by_content(
    state: AppState,
    base: BaseUrl,
    headers: HeaderMap,
    path: ShaPath,
) -> ApiResult<Response> {
    let mut conn = state.storage.read().await?;
    let (provider_id, consumer_id) = find_pair(&mut conn, &path.provider, &path.consumer).await?;
    let stored =
        pacts::find_pact_version(&mut conn, consumer_id, provider_id, &path.sha).await?.ok_or_else(|| {
            no_pact(&path.provider, &path.consumer, &format!(" with content version {}", path.sha))
        })?;
    let publication =
        pacts::publications_of_content(&mut conn, stored.id).await?.into_iter().next().ok_or_else(|| {
            no_pact(&path.provider, &path.consumer, &format!(" with content version {}", path.sha))
        })?;
    let body = render(&mut conn, &base, &publication, path.metadata.as_deref()).await?;
    Ok(pact_response(StatusCode::OK, body, None, &headers))
}

/// `GET /pacts/provider/{p}/consumer/{c}/pact-version/{sha}`.
pub async fn by_sha(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    PathParams(path): PathParams<ShaPath>,
) -> ApiResult<Response> {
    by_content(state, base, headers, path).await
}

/// `GET /pacts/provider/{p}/consumer/{c}/pact-version/{sha}/metadata/{metadata}`.
pub async fn by_sha_with_metadata(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    PathParams(path): PathParams<ShaPath>,
) -> ApiResult<Response> {
    by_content(state, base, headers, path).await
}

async fn versions_where(
    state: AppState,
    base: BaseUrl,
    provider: &str,
    consumer: &str,
    versions: ConsumerVersions,
    latest: bool,
    title: String,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let (provider_id, consumer_id) = find_pair(&mut conn, provider, consumer).await?;
    let query = PublicationQuery::for_provider(provider_id)
        .consumer(Some(consumer_id))
        .versions(versions)
        .latest(latest);
    let found = pacts::publications(&mut conn, &query).await?;
    let links: Vec<Value> = found
        .iter()
        .map(|pp| {
            Link::new(urls::pact(&base, provider, consumer, &pp.consumer_version_number))
                .title("Pact")
                .name(format!(
                    "Pact between {} ({}) and {}",
                    pp.consumer_name, pp.consumer_version_number, pp.provider_name
                ))
                .into()
        })
        .collect();
    Ok(Hal::ok(json!({
        "_links": {
            "self": Link::new(urls::pair(&base, provider, consumer, &["versions"])).title(title),
            "pb:consumer": Link::new(urls::pacticipant(&base, consumer)).title("Consumer").name(consumer),
            "pb:provider": Link::new(urls::pacticipant(&base, provider)).title("Provider").name(provider),
            "pb:pact-versions": links,
        }
    })))
}

/// `GET /pacts/provider/{p}/consumer/{c}/versions`: every consumer version's pact, newest first.
pub async fn versions(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<PairPath>,
) -> ApiResult<Hal> {
    let title = format!("All versions of the pact between {} and {}", path.consumer, path.provider);
    versions_where(state, base, &path.provider, &path.consumer, ConsumerVersions::All, false, title).await
}

/// `GET /pacts/provider/{p}/consumer/{c}/tag/{tag}`.
pub async fn tagged_versions(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<TagPath>,
) -> ApiResult<Hal> {
    let title = format!(
        "All versions of the pact between {} and {} with tag {}",
        path.consumer, path.provider, path.tag
    );
    versions_where(
        state,
        base,
        &path.provider,
        &path.consumer,
        ConsumerVersions::Tag(path.tag.clone()),
        false,
        title,
    )
    .await
}

/// `GET /pacts/provider/{p}/consumer/{c}/branch/{b}`.
pub async fn branch_versions(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<BranchPath>,
) -> ApiResult<Hal> {
    let title = format!(
        "All versions of the pact between {} and {} from branch {}",
        path.consumer, path.provider, path.branch
    );
    versions_where(
        state,
        base,
        &path.provider,
        &path.consumer,
        ConsumerVersions::Branch(path.branch.clone()),
        false,
        title,
    )
    .await
}

/// `GET /pacts/provider/{p}/consumer/{c}/branch/{b}/latest/versions`.
pub async fn latest_branch_versions(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<BranchPath>,
) -> ApiResult<Hal> {
    let title = format!(
        "Latest version of the pact between {} and {} from branch {}",
        path.consumer, path.provider, path.branch
    );
    let branch = ConsumerVersions::Branch(path.branch.clone());
    versions_where(state, base, &path.provider, &path.consumer, branch, true, title).await
}

/// `GET /pacts/provider/{p}/consumer/{c}/branch/versions`: from the consumer's main branch.
pub async fn main_branch_versions(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<PairPath>,
) -> ApiResult<Hal> {
    let title = format!(
        "All versions of the pact between {} and {} from the main branch",
        path.consumer, path.provider
    );
    versions_where(state, base, &path.provider, &path.consumer, ConsumerVersions::MainBranch, false, title)
        .await
}

/// `GET /pacts/provider/{p}/consumer/{c}/branch/latest/versions`.
pub async fn latest_main_branch_versions(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<PairPath>,
) -> ApiResult<Hal> {
    let title = format!(
        "Latest version of the pact between {} and {} from the main branch",
        path.consumer, path.provider
    );
    versions_where(state, base, &path.provider, &path.consumer, ConsumerVersions::MainBranch, true, title)
        .await
}
