//! Environments (`/environments`), and the versions deployed or released to them.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::extract::{check_names, field, query_pairs, JsonBody, PathParams};
use super::{urls, AppState};
use crate::domain::names;
use crate::error::{ApiError, ApiResult};
use crate::hal::{BaseUrl, Hal, Link};
use crate::storage::environments::{self, EnvironmentFields, Kind};
use crate::storage::{versions, Conn, Deployment, Environment};

/// `/environments/{uuid}`.
#[derive(Debug, Deserialize)]
pub struct EnvironmentPath {
    /// The environment's uuid.
    pub uuid: String,
}

/// `/pacticipants/{p}/versions/{v}/{deployed,released}-versions/environment/{environment}`.
#[derive(Debug, Deserialize)]
pub struct RecordPath {
    /// Pacticipant name.
    pub pacticipant: String,
    /// Version number.
    pub version: String,
    /// Environment uuid.
    pub environment: String,
}

/// The environment resource.
pub fn render(base: &BaseUrl, e: &Environment) -> Value {
    let contacts =
        e.contacts.as_deref().and_then(|c| serde_json::from_str::<Value>(c).ok()).unwrap_or(json!([]));
    let mut body = json!({
        "uuid": e.uuid,
        "name": e.name,
        "displayName": e.display_name.clone().unwrap_or_else(|| e.name.clone()),
        "production": e.production,
        "contacts": contacts,
        "createdAt": e.created_at,
        "_links": {
            "self": Link::new(urls::environment(base, &e.uuid)).title("Environment").name(e.name.clone()),
            "pb:currently-deployed-deployed-versions": Link::new(base.href(&["environments", &e.uuid, "deployed-versions", "currently-deployed"])).title("Versions currently deployed to this environment"),
            "pb:currently-supported-released-versions": Link::new(base.href(&["environments", &e.uuid, "released-versions", "currently-supported"])).title("Versions released and supported in this environment"),
            "pb:environments": Link::new(base.href(&["environments"])).title("Environments"),
        }
    });
    if e.updated_at != e.created_at {
        body["updatedAt"] = json!(e.updated_at);
    }
    body
}

fn fields_from(body: &Value) -> ApiResult<(Option<String>, EnvironmentFields)> {
    let Some(object) = body.as_object() else {
        return Err(ApiError::field("base", "expected a JSON object"));
    };
    let mut errors = Map::new();
    let name = match object.get("name") {
        Some(Value::String(s)) => {
            if let Err(e) = names::check(s) {
                errors.insert("name".into(), json!([e]));
            } else if s.contains(char::is_whitespace) {
                errors.insert("name".into(), json!(["cannot contain spaces"]));
            }
            s.clone()
        }
        None | Some(Value::Null) => {
            errors.insert("name".into(), json!(["is missing"]));
            String::new()
        }
        Some(_) => {
            errors.insert("name".into(), json!(["must be a string"]));
            String::new()
        }
    };
    let production = match object.get("production") {
        Some(Value::Bool(b)) => *b,
        None | Some(Value::Null) => {
            errors.insert("production".into(), json!(["is missing"]));
            false
        }
        Some(_) => {
            errors.insert("production".into(), json!(["must be a boolean"]));
            false
        }
    };
    let display_name = match object.get("displayName") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.insert("displayName".into(), json!(["must be a string"]));
            None
        }
    };
    let contacts = match object.get("contacts") {
        None | Some(Value::Null) => None,
        Some(v @ Value::Array(_)) => Some(v.to_string()),
        Some(_) => {
            errors.insert("contacts".into(), json!(["must be an array"]));
            None
        }
    };
    let uuid = match object.get("uuid") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if uuid::Uuid::parse_str(s).is_ok() => Some(s.clone()),
        Some(_) => {
            errors.insert("uuid".into(), json!(["must be a UUID"]));
            None
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::fields(errors));
    }
    Ok((uuid, EnvironmentFields { name, display_name, production, contacts }))
}

/// `GET /environments[?name=]`.
pub async fn list(State(state): State<AppState>, base: BaseUrl, uri: Uri) -> ApiResult<Hal> {
    let pairs = query_pairs(&uri);
    let name = field(&pairs, "name");
    let mut conn = state.storage.read().await?;
    let envs: Vec<Value> = environments::list(&mut conn)
        .await?
        .iter()
        .filter(|e| name.is_none_or(|n| n == e.name))
        .map(|e| render(&base, e))
        .collect();
    Ok(Hal::ok(json!({
        "_embedded": {"environments": envs},
        "_links": {"self": Link::new(base.href(&["environments"])).title("Environments")},
    })))
}

/// `POST /environments`: 201 with `Location`; 409 when the name is taken.
pub async fn create(
    State(state): State<AppState>,
    base: BaseUrl,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    let (uuid, fields) = fields_from(&body)?;
    let uuid = uuid.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let env = state.storage.transaction(move |conn| Box::pin(insert(conn, uuid, fields))).await?;
    Ok(Hal::created(render(&base, &env), urls::environment(&base, &env.uuid)))
}

/// Stores a new environment, refusing a name or uuid already taken.
async fn insert(conn: &mut Conn, uuid: String, fields: EnvironmentFields) -> ApiResult<Environment> {
    if environments::find_by_name(conn, &fields.name).await?.is_some() {
        return Err(ApiError::field(
            "name",
            format!("Another environment with name '{}' already exists.", fields.name),
        ));
    }
    if environments::find_by_uuid(conn, &uuid).await?.is_some() {
        return Err(ApiError::field(
            "uuid",
            format!("Another environment with uuid '{uuid}' already exists."),
        ));
    }
    Ok(environments::create(conn, &uuid, &fields).await?)
}

async fn find(conn: &mut Conn, uuid: &str) -> ApiResult<Environment> {
    environments::find_by_uuid(conn, uuid)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("No environment with uuid '{uuid}' found")))
}

/// `GET /environments/{uuid}`.
pub async fn show(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<EnvironmentPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let env = find(&mut conn, &path.uuid).await?;
    Ok(Hal::ok(render(&base, &env)))
}

/// `PUT /environments/{uuid}`: replaces an existing environment.
pub async fn replace(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<EnvironmentPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    let (_, fields) = fields_from(&body)?;
    let env = state.storage.transaction(move |conn| Box::pin(update(conn, path.uuid, fields))).await?;
    Ok(Hal::ok(render(&base, &env)))
}

/// Replaces the fields of an existing environment, refusing a name another one has.
async fn update(conn: &mut Conn, uuid: String, fields: EnvironmentFields) -> ApiResult<Environment> {
    let env = find(conn, &uuid).await?;
    if let Some(other) = environments::find_by_name(conn, &fields.name).await? {
        if other.id != env.id {
            return Err(ApiError::field(
                "name",
                format!("Another environment with name '{}' already exists.", fields.name),
            ));
        }
    }
    environments::update(conn, env.id, &fields).await?;
    find(conn, &uuid).await
}

/// `DELETE /environments/{uuid}`: 204.
pub async fn delete(
    State(state): State<AppState>,
    PathParams(path): PathParams<EnvironmentPath>,
) -> ApiResult<impl IntoResponse> {
    state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let env = find(conn, &path.uuid).await?;
                Ok::<_, ApiError>(environments::delete(conn, env.id).await?)
            })
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A deployed or released version resource.
pub fn render_record(base: &BaseUrl, kind: Kind, d: &Deployment) -> Value {
    let env = render(base, &d.environment);
    let version = json!({
        "number": d.version_number,
        "_links": {"self": Link::new(urls::version(base, &d.pacticipant_name, &d.version_number)).title("Version").name(d.version_number.clone())},
    });
    let pacticipant = super::pacticipants::embedded(base, &d.pacticipant_name);
    match kind {
        Kind::Deployed => json!({
            "uuid": d.uuid,
            "currentlyDeployed": d.current(),
            "applicationInstance": d.application_instance,
            "target": d.application_instance,
            "undeployedAt": d.ended_at,
            "createdAt": d.created_at,
            "_embedded": {"pacticipant": pacticipant, "version": version, "environment": env},
            "_links": {"self": Link::new(urls::deployed_version(base, &d.uuid)).title("Deployed version")},
        }),
        Kind::Released => json!({
            "uuid": d.uuid,
            "currentlySupported": d.current(),
            "supportEndedAt": d.ended_at,
            "createdAt": d.created_at,
            "_embedded": {"pacticipant": pacticipant, "version": version, "environment": env},
            "_links": {"self": Link::new(urls::released_version(base, &d.uuid)).title("Released version")},
        }),
    }
}

async fn record(state: AppState, base: BaseUrl, path: RecordPath, body: Value, kind: Kind) -> ApiResult<Hal> {
    check_names(&[("pacticipant", &path.pacticipant), ("version", &path.version)])?;
    let instance = match body.get("applicationInstance").or_else(|| body.get("target")) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.is_empty() => {
            names::check(s).map_err(|e| ApiError::field("applicationInstance", e))?;
            Some(s.clone())
        }
        Some(Value::String(_)) => None,
        Some(_) => return Err(ApiError::field("applicationInstance", "must be a string")),
    };
    let uuid = uuid::Uuid::new_v4().to_string();
    let (record, created) = state
        .storage
        .transaction(move |conn| Box::pin(insert_record(conn, path, uuid, instance, kind)))
        .await?;
    let location = match kind {
        Kind::Deployed => urls::deployed_version(&base, &record.uuid),
        Kind::Released => urls::released_version(&base, &record.uuid),
    };
    Ok(Hal::created_or_ok(created, render_record(&base, kind, &record), location))
}

/// Records a deployment (always new) or a release (new, or the existing one) of the path's
/// version to its environment; `true` when a record was created.
async fn insert_record(
    conn: &mut Conn,
    path: RecordPath,
    uuid: String,
    instance: Option<String>,
    kind: Kind,
) -> ApiResult<(Deployment, bool)> {
    let env = find(conn, &path.environment).await?;
    let p = super::pacticipants::find(conn, &path.pacticipant).await?;
    let v = versions::find(conn, p.id, &path.version).await?.ok_or_else(|| {
        ApiError::NotFound(format!("No version {} of pacticipant '{}' found", path.version, p.name))
    })?;
    Ok(match kind {
        Kind::Deployed => (
            environments::record_deployment(conn, &uuid, v.id, p.id, env.id, instance.as_deref()).await?,
            true,
        ),
        Kind::Released => environments::record_release(conn, &uuid, v.id, p.id, env.id).await?,
    })
}

/// `POST /pacticipants/{p}/versions/{v}/deployed-versions/environment/{uuid}`: 201.
pub async fn record_deployment(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<RecordPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    record(state, base, path, body, Kind::Deployed).await
}

/// `POST /pacticipants/{p}/versions/{v}/released-versions/environment/{uuid}`: 201 (200 when
/// the version was already released there).
pub async fn record_release(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<RecordPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    record(state, base, path, body, Kind::Released).await
}

async fn records_for_version(state: AppState, base: BaseUrl, path: RecordPath, kind: Kind) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let env = find(&mut conn, &path.environment).await?;
    let v = super::versions::find(&mut conn, &path.pacticipant, &path.version).await?;
    let items: Vec<Value> = environments::records_of_version(&mut conn, kind, v.id, false)
        .await?
        .iter()
        .filter(|d| d.environment.id == env.id)
        .map(|d| render_record(&base, kind, d))
        .collect();
    let key = match kind {
        Kind::Deployed => "deployedVersions",
        Kind::Released => "releasedVersions",
    };
    Ok(Hal::ok(json!({ "_embedded": { key: items }, "_links": {} })))
}

/// `GET /pacticipants/{p}/versions/{v}/deployed-versions/environment/{uuid}`.
pub async fn deployed_for_version(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<RecordPath>,
) -> ApiResult<Hal> {
    records_for_version(state, base, path, Kind::Deployed).await
}

/// `GET /pacticipants/{p}/versions/{v}/released-versions/environment/{uuid}`.
pub async fn released_for_version(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<RecordPath>,
) -> ApiResult<Hal> {
    records_for_version(state, base, path, Kind::Released).await
}

async fn current(state: AppState, base: BaseUrl, uri: Uri, uuid: &str, kind: Kind) -> ApiResult<Hal> {
    let pairs = query_pairs(&uri);
    let pacticipant = field(&pairs, "pacticipant");
    let mut conn = state.storage.read().await?;
    let env = find(&mut conn, uuid).await?;
    let items: Vec<Value> = environments::current_in_environment(&mut conn, kind, env.id, pacticipant)
        .await?
        .iter()
        .map(|d| render_record(&base, kind, d))
        .collect();
    let (key, segments, title) = match kind {
        Kind::Deployed => (
            "deployedVersions",
            ["environments", uuid, "deployed-versions", "currently-deployed"],
            "Currently deployed versions",
        ),
        Kind::Released => (
            "releasedVersions",
            ["environments", uuid, "released-versions", "currently-supported"],
            "Currently supported released versions",
        ),
    };
    Ok(Hal::ok(json!({
        "_embedded": { key: items },
        "_links": {"self": Link::new(base.href(&segments)).title(format!("{title} in {}", env.name))},
    })))
}

/// `GET /environments/{uuid}/deployed-versions/currently-deployed[?pacticipant=]`.
pub async fn currently_deployed(
    State(state): State<AppState>,
    base: BaseUrl,
    uri: Uri,
    PathParams(path): PathParams<EnvironmentPath>,
) -> ApiResult<Hal> {
    current(state, base, uri, &path.uuid, Kind::Deployed).await
}

/// `GET /environments/{uuid}/released-versions/currently-supported[?pacticipant=]`.
pub async fn currently_supported(
    State(state): State<AppState>,
    base: BaseUrl,
    uri: Uri,
    PathParams(path): PathParams<EnvironmentPath>,
) -> ApiResult<Hal> {
    current(state, base, uri, &path.uuid, Kind::Released).await
}

async fn find_record(conn: &mut Conn, kind: Kind, uuid: &str) -> ApiResult<Deployment> {
    environments::find_record(conn, kind, uuid)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("No record with uuid '{uuid}' found")))
}

/// `GET /deployed-versions/{uuid}`.
pub async fn show_deployed(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<EnvironmentPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let d = find_record(&mut conn, Kind::Deployed, &path.uuid).await?;
    Ok(Hal::ok(render_record(&base, Kind::Deployed, &d)))
}

/// `GET /released-versions/{uuid}`.
pub async fn show_released(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<EnvironmentPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let d = find_record(&mut conn, Kind::Released, &path.uuid).await?;
    Ok(Hal::ok(render_record(&base, Kind::Released, &d)))
}

async fn patch_record(state: AppState, base: BaseUrl, uuid: &str, body: Value, kind: Kind) -> ApiResult<Hal> {
    let key = match kind {
        Kind::Deployed => "currentlyDeployed",
        Kind::Released => "currentlySupported",
    };
    // Read here, reported only once the record is found (a missing record is a 404 first).
    let current = match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::field(key, "must be a boolean")),
    };
    let uuid = uuid.to_string();
    let d = state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let d = find_record(conn, kind, &uuid).await?;
                match current? {
                    None => {}
                    Some(false) => environments::end(conn, kind, d.id).await?,
                    Some(true) if d.current() => {}
                    Some(true) => return Err(ApiError::field(key, "cannot be set back to true")),
                }
                find_record(conn, kind, &uuid).await
            })
        })
        .await?;
    Ok(Hal::ok(render_record(&base, kind, &d)))
}

/// `PATCH /deployed-versions/{uuid}` with `{"currentlyDeployed": false}`: records the undeployment.
pub async fn patch_deployed(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<EnvironmentPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    patch_record(state, base, &path.uuid, body, Kind::Deployed).await
}

/// `PATCH /released-versions/{uuid}` with `{"currentlySupported": false}`: ends support.
pub async fn patch_released(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<EnvironmentPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    patch_record(state, base, &path.uuid, body, Kind::Released).await
}
