//! Branches: `/pacticipants/{p}/branches[/{b}[/versions[/{v}]]]` and the latest version of a
//! branch.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{json, Value};

use super::extract::{check_names, JsonBody, PathParams};
use super::pacticipants::{find as find_pacticipant, PacticipantPath};
use super::{urls, versions as version_api, AppState};
use crate::error::{ApiError, ApiResult};
use crate::hal::{BaseUrl, Hal, Link};
use crate::storage::{versions, Branch, BranchVersion, Conn};

/// `/pacticipants/{pacticipant}/branches/{branch}`.
#[derive(Debug, Deserialize)]
pub struct BranchPath {
    /// Pacticipant name.
    pub pacticipant: String,
    /// Branch name.
    pub branch: String,
}

/// `/pacticipants/{pacticipant}/branches/{branch}/versions/{version}`.
#[derive(Debug, Deserialize)]
pub struct BranchVersionPath {
    /// Pacticipant name.
    pub pacticipant: String,
    /// Branch name.
    pub branch: String,
    /// Version number.
    pub version: String,
}

fn branch_json(base: &BaseUrl, b: &Branch) -> Value {
    json!({
        "name": b.name,
        "createdAt": b.created_at,
        "_links": {
            "self": Link::new(urls::branch(base, &b.pacticipant_name, &b.name)).title("Branch").name(b.name.clone()),
            "pb:latest-version": Link::new(base.href(&["pacticipants", &b.pacticipant_name, "branches", &b.name, "latest-version"])).title("Latest version for branch"),
            "pb:versions": Link::new(base.href(&["pacticipants", &b.pacticipant_name, "branches", &b.name, "versions"])).title("Versions for branch"),
            "pb:pacticipant": Link::new(urls::pacticipant(base, &b.pacticipant_name)).title("Pacticipant").name(b.pacticipant_name.clone()),
        }
    })
}

fn branch_version_json(base: &BaseUrl, bv: &BranchVersion) -> Value {
    let p = &bv.branch.pacticipant_name;
    json!({
        "name": bv.branch.name,
        "latest": bv.latest,
        "createdAt": bv.created_at,
        "_links": {
            "self": Link::new(urls::branch_version(base, p, &bv.branch.name, &bv.version_number)).title("Branch version").name(bv.branch.name.clone()),
            "pb:branch": Link::new(urls::branch(base, p, &bv.branch.name)).title("Branch").name(bv.branch.name.clone()),
            "pb:version": Link::new(urls::version(base, p, &bv.version_number)).title("Version").name(bv.version_number.clone()),
        }
    })
}

async fn find_branch(conn: &mut Conn, pacticipant: &str, branch: &str) -> ApiResult<Branch> {
    let p = find_pacticipant(conn, pacticipant).await?;
    versions::find_branch(conn, p.id, branch).await?.ok_or_else(|| {
        ApiError::NotFound(format!("No branch '{branch}' found for pacticipant '{pacticipant}'"))
    })
}

/// `GET /pacticipants/{p}/branches`.
pub async fn list(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<PacticipantPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let p = find_pacticipant(&mut conn, &path.pacticipant).await?;
    let branches: Vec<Value> =
        versions::branches_of(&mut conn, p.id).await?.iter().map(|b| branch_json(&base, b)).collect();
    Ok(Hal::ok(json!({
        "_embedded": {"branches": branches},
        "_links": {"self": Link::new(base.href(&["pacticipants", &p.name, "branches"])).title(format!("{} branches", p.name))},
    })))
}

/// `GET /pacticipants/{p}/branches/{b}`.
pub async fn show(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<BranchPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let b = find_branch(&mut conn, &path.pacticipant, &path.branch).await?;
    Ok(Hal::ok(branch_json(&base, &b)))
}

/// `DELETE /pacticipants/{p}/branches/{b}`: 204 (the versions stay).
pub async fn delete(
    State(state): State<AppState>,
    PathParams(path): PathParams<BranchPath>,
) -> ApiResult<impl IntoResponse> {
    state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let b = find_branch(conn, &path.pacticipant, &path.branch).await?;
                Ok::<_, ApiError>(versions::delete_branch(conn, b.id).await?)
            })
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /pacticipants/{p}/branches/{b}/versions`.
pub async fn versions(
    State(state): State<AppState>,
    base: BaseUrl,
    uri: Uri,
    PathParams(path): PathParams<BranchPath>,
) -> ApiResult<Hal> {
    version_api::render_list(
        state,
        base,
        uri,
        &path.pacticipant,
        versions::VersionFilter::Branch(&path.branch),
    )
    .await
}

/// `GET /pacticipants/{p}/branches/{b}/latest-version`.
pub async fn latest_version(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<BranchPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let b = find_branch(&mut conn, &path.pacticipant, &path.branch).await?;
    let v = versions::latest(&mut conn, b.pacticipant_id, None, Some(&b.name)).await?.ok_or_else(|| {
        ApiError::NotFound(format!("No versions on branch '{}' of '{}'", b.name, b.pacticipant_name))
    })?;
    Ok(Hal::ok(version_api::render(&mut conn, &base, &v).await?))
}

/// `GET /pacticipants/{p}/branches/{b}/versions/{v}`.
pub async fn show_version(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<BranchVersionPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let v = version_api::find(&mut conn, &path.pacticipant, &path.version).await?;
    let bv = versions::find_branch_version(&mut conn, v.pacticipant_id, &path.branch, v.id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "Version {} of '{}' is not on branch '{}'",
                v.number, path.pacticipant, path.branch
            ))
        })?;
    Ok(Hal::ok(branch_version_json(&base, &bv)))
}

/// `PUT /pacticipants/{p}/branches/{b}/versions/{v}`: adds the version to the branch,
/// creating what is missing; 201 when newly added, 200 when it already was. Body ignored.
pub async fn put_version(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<BranchVersionPath>,
    JsonBody(_body): JsonBody,
) -> ApiResult<Hal> {
    check_names(&[("pacticipant", &path.pacticipant), ("branch", &path.branch), ("version", &path.version)])?;
    let href = urls::branch_version(&base, &path.pacticipant, &path.branch, &path.version);
    let (bv, created) = state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let (_, v, _) =
                    versions::find_or_create_by_names(conn, &path.pacticipant, &path.version).await?;
                versions::add_to_branch(conn, &v, &path.branch).await
            })
        })
        .await?;
    Ok(Hal::created_or_ok(created, branch_version_json(&base, &bv), href))
}

/// `DELETE /pacticipants/{p}/branches/{b}/versions/{v}`: 204.
pub async fn delete_version(
    State(state): State<AppState>,
    PathParams(path): PathParams<BranchVersionPath>,
) -> ApiResult<impl IntoResponse> {
    state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let b = find_branch(conn, &path.pacticipant, &path.branch).await?;
                let v = version_api::find(conn, &path.pacticipant, &path.version).await?;
                if !versions::remove_from_branch(conn, b.id, v.id).await? {
                    return Err(ApiError::NotFound(format!(
                        "Version {} of '{}' is not on branch '{}'",
                        v.number, path.pacticipant, path.branch
                    )));
                }
                Ok(())
            })
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
