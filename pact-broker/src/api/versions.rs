//! Versions (`/pacticipants/{p}/versions/{v}`, latest versions) and tags
//! (`/pacticipants/{p}/versions/{v}/tags/{t}`).

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::extract::{check_names, JsonBody, PathParams};
use super::pacticipants::{find as find_pacticipant, page};
use super::{urls, AppState};
use crate::error::{ApiError, ApiResult};
use crate::hal::{BaseUrl, Hal, Link};
use crate::storage::environments::{self, Kind};
use crate::storage::pacts::{self, ConsumerVersions, PublicationQuery};
use crate::storage::{
    versions, BranchVersion, Conn, Deployment, Environment, PactPublication, StorageResult, Tag, Version,
};

/// `/pacticipants/{pacticipant}/versions/{version}`.
#[derive(Debug, Deserialize)]
pub struct VersionPath {
    /// Pacticipant name.
    pub pacticipant: String,
    /// Version number.
    pub version: String,
}

/// `/pacticipants/{pacticipant}/latest-version/{tag}`.
#[derive(Debug, Deserialize)]
pub struct TagOnlyPath {
    /// Pacticipant name.
    pub pacticipant: String,
    /// Tag name.
    pub tag: String,
}

/// `/pacticipants/{pacticipant}/versions/{version}/tags/{tag}`.
#[derive(Debug, Deserialize)]
pub struct TagPath {
    /// Pacticipant name.
    pub pacticipant: String,
    /// Version number.
    pub version: String,
    /// Tag name.
    pub tag: String,
}

/// A tag embedded in a version.
pub fn tag_json(base: &BaseUrl, tag: &Tag) -> Value {
    json!({
        "name": tag.name,
        "latest": tag.latest,
        "createdAt": tag.created_at,
        "_links": {"self": Link::new(urls::tag(base, &tag.pacticipant_name, &tag.version_number, &tag.name)).title("Tag").name(tag.name.clone())}
    })
}

/// The branch versions of a version, as embedded in versions and matrix rows.
pub async fn branch_versions_json(
    conn: &mut Conn,
    base: &BaseUrl,
    version: &Version,
) -> StorageResult<Vec<Value>> {
    Ok(branch_versions_values(base, version, &versions::branch_versions_of(conn, version.id).await?))
}

fn branch_versions_values(
    base: &BaseUrl,
    version: &Version,
    branch_versions: &[BranchVersion],
) -> Vec<Value> {
    branch_versions
        .iter()
        .map(|bv| {
            json!({
                "name": bv.branch.name,
                "latest": bv.latest,
                "_links": {"self": Link::new(urls::branch_version(base, &version.pacticipant_name, &bv.branch.name, &version.number))
                    .title("Branch version").name(bv.branch.name.clone())}
            })
        })
        .collect()
}

/// The version resource.
pub async fn render(conn: &mut Conn, base: &BaseUrl, v: &Version) -> StorageResult<Value> {
    Ok(render_view(base, &load_view(conn, v.clone()).await?))
}

/// What the version resource shows, read from the database.
#[derive(Debug)]
struct VersionView {
    version: Version,
    branch_versions: Vec<BranchVersion>,
    tags: Vec<Tag>,
    publications: Vec<PactPublication>,
    deployed: Vec<Deployment>,
    released: Vec<Deployment>,
    environments: Vec<Environment>,
}

async fn load_view(conn: &mut Conn, version: Version) -> StorageResult<VersionView> {
    let branch_versions = versions::branch_versions_of(conn, version.id).await?;
    let tags = versions::tags_of(conn, version.id).await?;
    let publications = pacts::publications(
        conn,
        &PublicationQuery::all()
            .consumer(Some(version.pacticipant_id))
            .versions(ConsumerVersions::Ids(vec![version.id])),
    )
    .await?;
    let deployed = environments::records_of_version(conn, Kind::Deployed, version.id, false).await?;
    let released = environments::records_of_version(conn, Kind::Released, version.id, false).await?;
    let environments = environments::list(conn).await?;
    Ok(VersionView { version, branch_versions, tags, publications, deployed, released, environments })
}

fn render_view(base: &BaseUrl, view: &VersionView) -> Value {
    let VersionView {
        version: v,
        branch_versions,
        tags,
        publications,
        deployed,
        released,
        environments: envs,
    } = view;
    let p = &v.pacticipant_name;
    let branches = branch_versions_values(base, v, branch_versions);
    let tags: Vec<Value> = tags.iter().map(|t| tag_json(base, t)).collect();
    let pact_links: Vec<Value> = publications
        .iter()
        .map(|pp| {
            Link::new(urls::pact(base, &pp.provider_name, &pp.consumer_name, &pp.consumer_version_number))
                .title("Pact")
                .name(format!(
                    "Pact between {} ({}) and {}",
                    pp.consumer_name, pp.consumer_version_number, pp.provider_name
                ))
                .into()
        })
        .collect();
    let deployed: Vec<Value> = deployed
        .iter()
        .map(|d| {
            Link::new(urls::deployed_version(base, &d.uuid))
                .title(format!(
                    "Deployment to {}",
                    d.environment.display_name.clone().unwrap_or_else(|| d.environment.name.clone())
                ))
                .name(d.environment.name.clone())
                .with("currently_deployed", json!(d.current()))
                .with("application_instance", json!(d.application_instance))
                .into()
        })
        .collect();
    let released: Vec<Value> = released
        .iter()
        .map(|d| {
            Link::new(urls::released_version(base, &d.uuid))
                .title(format!(
                    "Release to {}",
                    d.environment.display_name.clone().unwrap_or_else(|| d.environment.name.clone())
                ))
                .name(d.environment.name.clone())
                .with("currently_supported", json!(d.current()))
                .into()
        })
        .collect();
    let record = |kind: &str, title: &str| -> Vec<Value> {
        envs.iter()
            .map(|e| {
                Link::new(base.href(&[
                    "pacticipants",
                    p,
                    "versions",
                    &v.number,
                    kind,
                    "environment",
                    &e.uuid,
                ]))
                .title(format!("{title} {}", e.display_name.clone().unwrap_or_else(|| e.name.clone())))
                .name(e.name.clone())
                .into()
            })
            .collect()
    };
    let mut body = Map::new();
    body.insert("number".into(), json!(v.number));
    if let Some(url) = &v.build_url {
        body.insert("buildUrl".into(), json!(url));
    }
    body.insert("createdAt".into(), json!(v.created_at));
    if v.updated_at != v.created_at {
        body.insert("updatedAt".into(), json!(v.updated_at));
    }
    body.insert("_embedded".into(), json!({"branchVersions": branches, "branches": branches, "tags": tags}));
    body.insert(
        "_links".into(),
        json!({
            "self": Link::new(urls::version(base, p, &v.number)).title("Version").name(v.number.clone()),
            "pb:pacticipant": Link::new(urls::pacticipant(base, p)).title("Pacticipant").name(p.clone()),
            "pb:tag": Link::templated(base.templated(&["pacticipants", p, "versions", &v.number], "tags/{tag}")).title("Get, create or delete a tag for this pacticipant version"),
            "pb:latest-verification-results-where-pacticipant-is-consumer": Link::new(base.href(&["verification-results", "consumer", p, "version", &v.number, "latest"])).title("Latest verification results for consumer version"),
            "pb:pact-versions": pact_links,
            "pb:deployed-environments": deployed,
            "pb:released-environments": released,
            "pb:record-deployment": record("deployed-versions", "Record deployment to"),
            "pb:record-release": record("released-versions", "Record release to"),
            "curies": base.curies("version"),
        }),
    );
    Value::Object(body)
}

/// The version, or a 404 naming it.
pub async fn find(conn: &mut Conn, pacticipant: &str, number: &str) -> ApiResult<Version> {
    let p = find_pacticipant(conn, pacticipant).await?;
    versions::find(conn, p.id, number).await?.ok_or_else(|| {
        ApiError::NotFound(format!("No version {number} of pacticipant '{pacticipant}' found"))
    })
}

/// `GET /pacticipants/{p}/versions`: newest first, paginated.
pub async fn list(
    State(state): State<AppState>,
    base: BaseUrl,
    uri: Uri,
    PathParams(path): PathParams<super::pacticipants::PacticipantPath>,
) -> ApiResult<Hal> {
    render_list(state, base, uri, &path.pacticipant, versions::VersionFilter::All).await
}

/// `GET /pacticipants/{p}/tags/{tag}/versions`.
pub async fn list_with_tag(
    State(state): State<AppState>,
    base: BaseUrl,
    uri: Uri,
    PathParams(path): PathParams<TagOnlyPath>,
) -> ApiResult<Hal> {
    render_list(state, base, uri, &path.pacticipant, versions::VersionFilter::Tag(&path.tag)).await
}

/// A page of versions as a HAL collection.
pub async fn render_list(
    state: AppState,
    base: BaseUrl,
    uri: Uri,
    pacticipant: &str,
    filter: versions::VersionFilter<'_>,
) -> ApiResult<Hal> {
    let (page_number, page_size) = page(&uri)?;
    let mut conn = state.storage.read().await?;
    let p = find_pacticipant(&mut conn, pacticipant).await?;
    let (items, total) =
        versions::list(&mut conn, p.id, filter, (page_number - 1) * page_size, page_size).await?;
    let mut rendered = Vec::new();
    for v in &items {
        rendered.push(render(&mut conn, &base, v).await?);
    }
    let links: Vec<Value> = items
        .iter()
        .map(|v| {
            Link::new(urls::version(&base, &p.name, &v.number)).title("Version").name(v.number.clone()).into()
        })
        .collect();
    let self_href = match filter {
        versions::VersionFilter::All => base.href(&["pacticipants", &p.name, "versions"]),
        versions::VersionFilter::Tag(t) => base.href(&["pacticipants", &p.name, "tags", t, "versions"]),
        versions::VersionFilter::Branch(b) => {
            base.href(&["pacticipants", &p.name, "branches", b, "versions"])
        }
    };
    Ok(Hal::ok(json!({
        "_embedded": {"versions": rendered},
        "_links": {
            "self": Link::new(self_href).title(format!("All application versions of {}", p.name)),
            "pb:pacticipant": Link::new(urls::pacticipant(&base, &p.name)).title("Pacticipant").name(p.name.clone()),
            "pb:versions": links,
            "versions": links,
        },
        "page": {"number": page_number, "size": page_size, "totalElements": total, "totalPages": (total + page_size - 1) / page_size},
    })))
}

/// `GET /pacticipants/{p}/versions/{v}`.
pub async fn show(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<VersionPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let v = find(&mut conn, &path.pacticipant, &path.version).await?;
    Ok(Hal::ok(render(&mut conn, &base, &v).await?))
}

/// `GET /pacticipants/{p}/latest-version`.
pub async fn latest(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<super::pacticipants::PacticipantPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let p = find_pacticipant(&mut conn, &path.pacticipant).await?;
    let v = versions::latest(&mut conn, p.id, None, None)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("No versions of pacticipant '{}' found", p.name)))?;
    Ok(Hal::ok(render(&mut conn, &base, &v).await?))
}

/// `GET /pacticipants/{p}/latest-version/{tag}`.
pub async fn latest_with_tag(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<TagOnlyPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let p = find_pacticipant(&mut conn, &path.pacticipant).await?;
    let v = versions::latest(&mut conn, p.id, Some(&path.tag), None).await?.ok_or_else(|| {
        ApiError::NotFound(format!("No version of pacticipant '{}' with tag '{}' found", p.name, path.tag))
    })?;
    Ok(Hal::ok(render(&mut conn, &base, &v).await?))
}

fn optional_string(object: &Map<String, Value>, key: &str) -> ApiResult<Option<String>> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::field(key, "must be a string")),
    }
}

async fn write(
    state: AppState,
    base: BaseUrl,
    path: VersionPath,
    body: Value,
    replace: bool,
) -> ApiResult<Hal> {
    check_names(&[("pacticipant", &path.pacticipant), ("version", &path.version)])?;
    let Some(object) = body.as_object() else {
        return Err(ApiError::field("base", "expected a JSON object"));
    };
    let build_url = optional_string(object, "buildUrl")?;
    let branch = optional_string(object, "branch")?;
    let mut tag_names = Vec::new();
    if let Some(tags) = object.get("tags") {
        let items = tags.as_array().ok_or_else(|| ApiError::field("tags", "must be an array"))?;
        for item in items {
            let name = item.get("name").and_then(Value::as_str).or_else(|| item.as_str());
            match name {
                Some(n) => tag_names.push(n.to_string()),
                None => return Err(ApiError::field("tags", "each tag must be {\"name\": \"...\"}")),
            }
        }
    }
    for t in &tag_names {
        check_names(&[("tags", t)])?;
    }
    if let Some(b) = &branch {
        check_names(&[("branch", b)])?;
    }
    let href = urls::version(&base, &path.pacticipant, &path.version);
    let change = VersionChange { build_url, replace, tag_names, branch };
    let (view, created) = state.storage.transaction(move |conn| Box::pin(store(conn, path, change))).await?;
    Ok(Hal::created_or_ok(created, render_view(&base, &view), href))
}

/// What a `PUT` or `PATCH` of a version changes.
struct VersionChange {
    build_url: Option<String>,
    /// `PUT`: the build URL is set even when absent (cleared).
    replace: bool,
    tag_names: Vec<String>,
    branch: Option<String>,
}

/// Creates the version if needed, applies the change and reads what its resource shows;
/// `true` when the version was created.
async fn store(
    conn: &mut Conn,
    path: VersionPath,
    change: VersionChange,
) -> StorageResult<(VersionView, bool)> {
    let (_, v, created) = versions::find_or_create_by_names(conn, &path.pacticipant, &path.version).await?;
    if change.replace || change.build_url.is_some() {
        versions::set_build_url(conn, v.id, change.build_url.as_deref()).await?;
    }
    for t in &change.tag_names {
        versions::add_tag(conn, v.id, t).await?;
    }
    if let Some(b) = &change.branch {
        versions::add_to_branch(conn, &v, b).await?;
    }
    let v = versions::find_by_id(conn, v.id).await?.unwrap_or(v);
    Ok((load_view(conn, v).await?, created))
}

/// `PUT /pacticipants/{p}/versions/{v}`: creates (201) or replaces (200).
pub async fn replace(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<VersionPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    write(state, base, path, body, true).await
}

/// `PATCH /pacticipants/{p}/versions/{v}`: creates or merges.
pub async fn patch(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<VersionPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    write(state, base, path, body, false).await
}

/// `DELETE /pacticipants/{p}/versions/{v}`: 204.
pub async fn delete(
    State(state): State<AppState>,
    PathParams(path): PathParams<VersionPath>,
) -> ApiResult<impl IntoResponse> {
    state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let v = find(conn, &path.pacticipant, &path.version).await?;
                Ok::<_, ApiError>(versions::delete(conn, v.id).await?)
            })
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn tag_resource(base: &BaseUrl, tag: &Tag) -> Value {
    json!({
        "name": tag.name,
        "createdAt": tag.created_at,
        "_links": {
            "self": Link::new(urls::tag(base, &tag.pacticipant_name, &tag.version_number, &tag.name)).title("Tag").name(tag.name.clone()),
            "version": Link::new(urls::version(base, &tag.pacticipant_name, &tag.version_number)).title("Version").name(tag.version_number.clone()),
            "pacticipant": Link::new(urls::pacticipant(base, &tag.pacticipant_name)).title("Pacticipant").name(tag.pacticipant_name.clone()),
        }
    })
}

/// `GET /pacticipants/{p}/versions/{v}/tags/{t}`.
pub async fn show_tag(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<TagPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let v = find(&mut conn, &path.pacticipant, &path.version).await?;
    let tag = versions::find_tag(&mut conn, v.id, &path.tag).await?.ok_or_else(|| {
        ApiError::NotFound(format!("No tag '{}' on version {} of '{}'", path.tag, v.number, path.pacticipant))
    })?;
    Ok(Hal::ok(tag_resource(&base, &tag)))
}

/// `PUT /pacticipants/{p}/versions/{v}/tags/{t}`: creates the tag (and the pacticipant and
/// version if needed); 201 when new, 200 when it existed. The body is ignored.
pub async fn put_tag(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<TagPath>,
    JsonBody(_body): JsonBody,
) -> ApiResult<Hal> {
    check_names(&[("pacticipant", &path.pacticipant), ("version", &path.version), ("tag", &path.tag)])?;
    let href = urls::tag(&base, &path.pacticipant, &path.version, &path.tag);
    let (tag, created) = state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let (_, v, _) =
                    versions::find_or_create_by_names(conn, &path.pacticipant, &path.version).await?;
                versions::add_tag(conn, v.id, &path.tag).await
            })
        })
        .await?;
    Ok(Hal::created_or_ok(created, tag_resource(&base, &tag), href))
}

/// `DELETE /pacticipants/{p}/versions/{v}/tags/{t}`: 204.
pub async fn delete_tag(
    State(state): State<AppState>,
    PathParams(path): PathParams<TagPath>,
) -> ApiResult<impl IntoResponse> {
    state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let v = find(conn, &path.pacticipant, &path.version).await?;
                if !versions::delete_tag(conn, v.id, &path.tag).await? {
                    return Err(ApiError::NotFound(format!(
                        "No tag '{}' on version {} of '{}'",
                        path.tag, v.number, path.pacticipant
                    )));
                }
                Ok(())
            })
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
