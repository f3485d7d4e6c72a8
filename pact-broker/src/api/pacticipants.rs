//! `/pacticipants` and `/pacticipants/{pacticipant}`.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::extract::{check_names, query_pairs, JsonBody, PathParams};
use super::{urls, AppState};
use crate::error::{ApiError, ApiResult};
use crate::hal::{BaseUrl, Hal, Link};
use crate::storage::pacticipants::{self, PacticipantFields};
use crate::storage::{environments, versions, Conn, Deployment, Pacticipant, StorageResult, Version};

/// The path of a pacticipant resource.
#[derive(Debug, Deserialize)]
pub struct PacticipantPath {
    /// The name.
    pub pacticipant: String,
}

/// The pacticipant resource.
pub async fn render(conn: &mut Conn, base: &BaseUrl, p: &Pacticipant) -> StorageResult<Value> {
    Ok(render_view(base, &load_view(conn, p.clone()).await?))
}

/// What the pacticipant resource shows, read from the database.
#[derive(Debug)]
struct PacticipantView {
    pacticipant: Pacticipant,
    latest: Option<Version>,
    /// Where the latest version is currently deployed.
    deployed: Vec<Deployment>,
}

async fn load_view(conn: &mut Conn, pacticipant: Pacticipant) -> StorageResult<PacticipantView> {
    let latest = versions::latest(conn, pacticipant.id, None, None).await?;
    let deployed = match &latest {
        Some(version) => {
            environments::records_of_version(conn, environments::Kind::Deployed, version.id, true).await?
        }
        None => Vec::new(),
    };
    Ok(PacticipantView { pacticipant, latest, deployed })
}

fn render_view(base: &BaseUrl, view: &PacticipantView) -> Value {
    let PacticipantView { pacticipant: p, latest, deployed } = view;
    let self_href = urls::pacticipant(base, &p.name);
    let pacticipant_segments = ["pacticipants", p.name.as_str()];
    let mut body = Map::new();
    body.insert("name".into(), json!(p.name));
    body.insert("displayName".into(), json!(p.display_name.clone().unwrap_or_else(|| display_name(&p.name))));
    for (key, value) in [
        ("mainBranch", &p.main_branch),
        ("repositoryUrl", &p.repository_url),
        ("repositoryName", &p.repository_name),
        ("repositoryNamespace", &p.repository_namespace),
    ] {
        if let Some(v) = value {
            body.insert(key.into(), json!(v));
        }
    }
    body.insert("createdAt".into(), json!(p.created_at));
    if p.updated_at != p.created_at {
        body.insert("updatedAt".into(), json!(p.updated_at));
    }
    let mut embedded = Map::new();
    if let Some(v) = latest {
        embedded.insert(
            "latestVersion".into(),
            json!({"number": v.number, "_links": {"self": Link::new(urls::version(base, &p.name, &v.number)).title("Version").name(v.number.clone())}}),
        );
    }
    embedded.insert("labels".into(), json!([]));
    body.insert("_embedded".into(), Value::Object(embedded));
    let deployed = deployed_environment_links(base, deployed);
    body.insert(
        "_links".into(),
        json!({
            "self": Link::new(self_href.clone()),
            "pb:versions": Link::new(base.href(&["pacticipants", &p.name, "versions"])),
            "pb:branches": Link::new(base.href(&["pacticipants", &p.name, "branches"])),
            "pb:version": Link::templated(base.templated(&pacticipant_segments, "versions/{version}")),
            "pb:version-tag": Link::templated(base.templated(&pacticipant_segments, "versions/{version}/tags/{tag}")),
            "pb:branch-version": Link::templated(base.templated(&pacticipant_segments, "branches/{branch}/versions/{version}")),
            "pb:label": Link::templated(base.templated(&pacticipant_segments, "labels/{label}")),
            "pb:deployed-environments": deployed,
            "pb:can-i-deploy-badge": Link::templated(base.templated(&pacticipant_segments, "latest-version/{tag}/can-i-deploy/to/{environmentTag}/badge")),
            "pb:can-i-deploy-branch-to-environment-badge": Link::templated(base.templated(&pacticipant_segments, "branches/{branch}/latest-version/can-i-deploy/to-environment/{environment}/badge")),
            "versions": Link::new(base.href(&["pacticipants", &p.name, "versions"])),
            "curies": base.curies("pacticipant"),
        }),
    );
    Value::Object(body)
}

fn deployed_environment_links(base: &BaseUrl, deployed: &[Deployment]) -> Value {
    Value::Array(
        deployed
            .iter()
            .map(|d| {
                Link::new(urls::deployed_version(base, &d.uuid))
                    .title(format!("Version {} deployed to {}", d.version_number, d.environment.name))
                    .name(d.environment.name.clone())
                    .into()
            })
            .collect(),
    )
}

/// The official broker's default display name: `foo-bar_baz` → `Foo Bar Baz`.
fn display_name(name: &str) -> String {
    name.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A compact pacticipant for embedding: name and self link.
pub fn embedded(base: &BaseUrl, name: &str) -> Value {
    json!({ "name": name, "_links": { "self": Link::new(urls::pacticipant(base, name)) } })
}

/// Page number and size from `?pageNumber=&pageSize=` (defaults 1 and 100, size at most 1000).
pub fn page(uri: &Uri) -> ApiResult<(i64, i64)> {
    let pairs = query_pairs(uri);
    let number = |key: &str, default: i64| -> ApiResult<i64> {
        match pairs.iter().find(|(k, _)| k == key) {
            None => Ok(default),
            Some((_, v)) => match v.parse::<i64>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(ApiError::field(key, format!("must be a positive integer, found {v:?}"))),
            },
        }
    };
    Ok((number("pageNumber", 1)?, number("pageSize", 100)?.min(1000)))
}

/// `GET /pacticipants`.
pub async fn list(State(state): State<AppState>, base: BaseUrl, uri: Uri) -> ApiResult<Hal> {
    let (page_number, page_size) = page(&uri)?;
    let mut conn = state.storage.read().await?;
    let (items, total) = pacticipants::list(&mut conn, (page_number - 1) * page_size, page_size).await?;
    let mut rendered = Vec::new();
    for p in &items {
        rendered.push(render(&mut conn, &base, p).await?);
    }
    let links: Vec<Value> = items
        .iter()
        .map(|p| {
            Link::new(urls::pacticipant(&base, &p.name)).title("Pacticipant").name(p.name.clone()).into()
        })
        .collect();
    Ok(Hal::ok(json!({
        "_embedded": { "pacticipants": rendered },
        "_links": {
            "self": Link::new(base.href(&["pacticipants"])),
            "pb:pacticipants": links,
            "pacticipants": links,
        },
        "pacticipants": rendered,
        "page": { "number": page_number, "size": page_size, "totalElements": total,
                  "totalPages": (total + page_size - 1) / page_size },
    })))
}

fn fields_from(body: &Value) -> ApiResult<(Option<String>, PacticipantFields)> {
    let Some(object) = body.as_object() else {
        return Err(ApiError::field("base", "expected a JSON object"));
    };
    let mut errors = Map::new();
    let mut text = |key: &str| -> Option<String> {
        match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                errors.insert(key.into(), json!(["must be a string"]));
                None
            }
        }
    };
    let name = text("name");
    let fields = PacticipantFields {
        display_name: text("displayName"),
        main_branch: text("mainBranch"),
        repository_url: text("repositoryUrl"),
        repository_name: text("repositoryName"),
        repository_namespace: text("repositoryNamespace"),
    };
    if let Some(branch) = &fields.main_branch {
        if let Err(e) = crate::domain::names::check(branch) {
            errors.insert("mainBranch".into(), json!([e]));
        }
    }
    if errors.is_empty() {
        Ok((name, fields))
    } else {
        Err(ApiError::fields(errors))
    }
}

/// `POST /pacticipants` with `{"name", ...}`: 201.
pub async fn create(
    State(state): State<AppState>,
    base: BaseUrl,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    let (name, fields) = fields_from(&body)?;
    let Some(name) = name else { return Err(ApiError::field("name", "is missing")) };
    check_names(&[("name", &name)])?;
    save(&state, &base, name, fields, false).await
}

/// Creates or updates a pacticipant; 201 with its resource when created, else 200.
async fn save(
    state: &AppState,
    base: &BaseUrl,
    name: String,
    fields: PacticipantFields,
    replace: bool,
) -> ApiResult<Hal> {
    let (view, created) =
        state.storage.transaction(move |conn| Box::pin(upsert(conn, name, fields, replace))).await?;
    Ok(Hal::created_or_ok(created, render_view(base, &view), urls::pacticipant(base, &view.pacticipant.name)))
}

/// Creates or updates a pacticipant and reads what its resource shows; `true` when created.
async fn upsert(
    conn: &mut Conn,
    name: String,
    fields: PacticipantFields,
    replace: bool,
) -> StorageResult<(PacticipantView, bool)> {
    let (p, created) = pacticipants::upsert(conn, &name, &fields, replace).await?;
    Ok((load_view(conn, p).await?, created))
}

/// `GET /pacticipants/{pacticipant}`.
pub async fn show(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<PacticipantPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let p = find(&mut conn, &path.pacticipant).await?;
    Ok(Hal::ok(render(&mut conn, &base, &p).await?))
}

/// The pacticipant, or a 404 naming it.
pub async fn find(conn: &mut Conn, name: &str) -> ApiResult<Pacticipant> {
    pacticipants::find(conn, name)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("No pacticipant with name '{name}' found")))
}

async fn write(state: AppState, base: BaseUrl, name: String, body: Value, replace: bool) -> ApiResult<Hal> {
    check_names(&[("pacticipant", &name)])?;
    let (body_name, fields) = fields_from(&body)?;
    if let Some(body_name) = body_name {
        if body_name != name {
            return Err(ApiError::field("name", format!("does not match the name in the path ({name:?})")));
        }
    }
    save(&state, &base, name, fields, replace).await
}

/// `PUT /pacticipants/{pacticipant}`: creates or replaces.
pub async fn replace(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<PacticipantPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    write(state, base, path.pacticipant, body, true).await
}

/// `PATCH /pacticipants/{pacticipant}`: creates or updates the given fields.
pub async fn patch(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<PacticipantPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    write(state, base, path.pacticipant, body, false).await
}

/// `DELETE /pacticipants/{pacticipant}`: 204; its versions, pacts and results go with it.
pub async fn delete(
    State(state): State<AppState>,
    PathParams(path): PathParams<PacticipantPath>,
) -> ApiResult<impl IntoResponse> {
    state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let p = find(conn, &path.pacticipant).await?;
                Ok::<_, ApiError>(pacticipants::delete(conn, p.id).await?)
            })
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
