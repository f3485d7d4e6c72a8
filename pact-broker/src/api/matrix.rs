//! `GET /matrix`, `GET /can-i-deploy`, and the can-i-deploy shortcuts under `/pacticipants`.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse as _, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::extract::{field, nested_list, query_pairs, PathParams};
use super::{matrix_text, urls, AppState};
use crate::domain::matrix::{self, Answer, IgnoreSelector, LatestBy, Query, Target, UnresolvedSelector};
use crate::error::{ApiError, ApiResult};
use crate::hal::{BaseUrl, Hal, Link};
use crate::storage::environments::{self, Kind};
use crate::storage::{pacticipants, versions, Conn, StorageResult};

/// The default and the largest `limit`.
const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 10_000;

fn truthy(value: Option<&str>) -> bool {
    value == Some("true")
}

fn selector_from(fields: &[(String, String)]) -> UnresolvedSelector {
    UnresolvedSelector {
        pacticipant: field(fields, "pacticipant").unwrap_or_default().to_string(),
        version: field(fields, "version").map(str::to_string),
        latest: truthy(field(fields, "latest")),
        tag: field(fields, "tag").map(str::to_string),
        branch: field(fields, "branch").map(str::to_string),
        main_branch: truthy(field(fields, "mainBranch")),
        environment: field(fields, "environment").map(str::to_string),
    }
}

fn ignores(pairs: &[(String, String)]) -> Vec<IgnoreSelector> {
    let mut list: Vec<IgnoreSelector> = nested_list(pairs, "ignore")
        .iter()
        .filter_map(|fields| {
            field(fields, "pacticipant").map(|p| IgnoreSelector {
                pacticipant: p.to_string(),
                version: field(fields, "version").map(str::to_string),
            })
        })
        .collect();
    list.extend(
        pairs
            .iter()
            .filter(|(k, _)| k == "ignore[]" || k == "ignore")
            .map(|(_, v)| IgnoreSelector { pacticipant: v.clone(), version: None }),
    );
    list
}

fn limit(pairs: &[(String, String)]) -> Result<i64, String> {
    match field(pairs, "limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(text) => match text.parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(format!("limit must be an integer from 1 to {MAX_LIMIT}, found {text:?}")),
        },
    }
}

/// Reads a `/matrix` query string.
pub fn parse_matrix_query(uri: &Uri) -> Result<Query, Vec<String>> {
    let pairs = query_pairs(uri);
    let mut errors = Vec::new();
    let selectors: Vec<UnresolvedSelector> =
        nested_list(&pairs, "q").iter().map(|f| selector_from(f)).collect();
    for s in &selectors {
        if s.pacticipant.trim().is_empty() {
            errors.push("Please specify the pacticipant name".to_string());
        }
    }
    let latest_by = match field(&pairs, "latestby") {
        None | Some("") => None,
        Some("cvp") => Some(LatestBy::Cvp),
        Some("cvpv") => Some(LatestBy::Cvpv),
        Some(other) => {
            errors.push(format!("latestby must be cvp or cvpv, found {other:?}"));
            None
        }
    };
    let target = if let Some(env) = field(&pairs, "environment") {
        Target::Environment(env.to_string())
    } else if let Some(tag) = field(&pairs, "tag") {
        Target::Tag(tag.to_string())
    } else if truthy(field(&pairs, "mainBranch")) {
        Target::MainBranch
    } else {
        Target::None
    };
    let limit = limit(&pairs).map_err(|e| vec![e]);
    match (limit, errors.is_empty()) {
        (Ok(limit), true) => Ok(Query { selectors, target, latest_by, ignore: ignores(&pairs), limit }),
        (Err(mut e), _) => {
            errors.append(&mut e);
            Err(errors)
        }
        (_, false) => Err(errors),
    }
}

/// Per-version details of matrix rows, read once per version.
#[derive(Default)]
struct VersionDetails(HashMap<i64, Value>);

impl VersionDetails {
    async fn get(
        &mut self,
        conn: &mut Conn,
        base: &BaseUrl,
        pacticipant: &str,
        id: i64,
        number: &str,
    ) -> StorageResult<Value> {
        if let Some(found) = self.0.get(&id) {
            return Ok(found.clone());
        }
        let Some(version) = versions::find_by_id(conn, id).await? else { return Ok(Value::Null) };
        let branches = super::versions::branch_versions_json(conn, base, &version).await?;
        let branch = branches.last().and_then(|b| b.get("name")).cloned().unwrap_or(Value::Null);
        let tags: Vec<Value> = versions::tags_of(conn, id)
            .await?
            .iter()
            .map(|t| json!({"name": t.name, "latest": t.latest, "_links": {"self": Link::new(urls::tag(base, pacticipant, number, &t.name))}}))
            .collect();
        let mut envs: Vec<Value> = Vec::new();
        let mut seen = Vec::new();
        let mut records = environments::records_of_version(conn, Kind::Deployed, id, true).await?;
        records.extend(environments::records_of_version(conn, Kind::Released, id, true).await?);
        records.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        for r in records {
            if !seen.contains(&r.environment.id) {
                seen.push(r.environment.id);
                envs.push(json!({
                    "uuid": r.environment.uuid,
                    "name": r.environment.name,
                    "displayName": r.environment.display_name.clone().unwrap_or_else(|| r.environment.name.clone()),
                    "production": r.environment.production,
                    "createdAt": r.environment.created_at,
                    "_links": {"self": Link::new(urls::environment(base, &r.environment.uuid)).title("Environment").name(r.environment.name.clone())},
                }));
            }
        }
        let value = json!({
            "number": number,
            "branch": branch,
            "branches": branches,
            "branchVersions": branches,
            "environments": envs,
            "_links": {"self": Link::new(urls::version(base, pacticipant, number))},
            "tags": tags,
        });
        self.0.insert(id, value.clone());
        Ok(value)
    }
}

async fn render(conn: &mut Conn, base: &BaseUrl, answer: &Answer) -> StorageResult<Value> {
    let mut details = VersionDetails::default();
    let mut rows = Vec::new();
    for r in &answer.rows {
        let p = &r.row.publication;
        let consumer_version = details
            .get(conn, base, &p.consumer_name, p.consumer_version_id, &p.consumer_version_number)
            .await?;
        let (provider_version, verification) = match &r.row.verification {
            Some(v) => (
                details
                    .get(conn, base, &p.provider_name, v.provider_version_id, &v.provider_version_number)
                    .await?,
                json!({
                    "success": v.success,
                    "verifiedAt": v.created_at,
                    "_links": {"self": Link::new(urls::verification(base, &p.provider_name, &p.consumer_name, &p.sha, v.id))},
                }),
            ),
            None => (Value::Null, Value::Null),
        };
        let mut row = json!({
            "consumer": {"name": p.consumer_name, "version": consumer_version, "_links": {"self": Link::new(urls::pacticipant(base, &p.consumer_name))}},
            "provider": {"name": p.provider_name, "version": provider_version, "_links": {"self": Link::new(urls::pacticipant(base, &p.provider_name))}},
            "pact": {"createdAt": p.created_at, "_links": {"self": Link::new(urls::pact(base, &p.provider_name, &p.consumer_name, &p.consumer_version_number))}},
            "verificationResult": verification,
        });
        if r.ignored {
            row["ignored"] = json!(true);
        }
        rows.push(row);
    }
    let mut summary = json!({
        "deployable": answer.deployable,
        "reason": answer.reason(),
        "success": answer.success,
        "failed": answer.failed,
        "unknown": answer.unknown,
    });
    if let Some(ignored) = answer.ignored {
        summary["ignored"] = json!(ignored);
    }
    let notices: Vec<Value> =
        answer.reasons.iter().map(|(kind, text)| json!({"type": kind.as_str(), "text": text})).collect();
    Ok(json!({ "summary": summary, "notices": notices, "matrix": rows }))
}

async fn run(state: &AppState, base: &BaseUrl, query: Query, object_errors: bool) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let answer = match matrix::query(&mut conn, &query).await {
        Ok(answer) => answer,
        Err(matrix::Error::Invalid(messages)) => {
            return Err(if object_errors {
                ApiError::fields(Map::from_iter([("base".to_string(), json!(messages))]))
            } else {
                ApiError::Validation { errors: json!(messages) }
            })
        }
        Err(matrix::Error::Storage(e)) => return Err(e.into()),
    };
    Ok(Hal::ok(render(&mut conn, base, &answer).await?))
}

/// The answer as HAL JSON, or as text when the request asks for `text/plain`.
fn answer(headers: &HeaderMap, hal: Hal) -> Response {
    if matrix_text::wants_text(headers) {
        matrix_text::response(&hal.body)
    } else {
        hal.into_response()
    }
}

/// `GET /matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvp...` (HAL JSON, or text).
pub async fn matrix(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    uri: Uri,
) -> ApiResult<Response> {
    let query = parse_matrix_query(&uri).map_err(|e| ApiError::Validation { errors: json!(e) })?;
    Ok(answer(&headers, run(&state, &base, query, false).await?))
}

/// `GET /can-i-deploy?pacticipant=Foo&version=1&environment=production` (or `to=prod`); HAL
/// JSON, or text.
pub async fn can_i_deploy(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    uri: Uri,
) -> ApiResult<Response> {
    Ok(answer(&headers, can_i_deploy_hal(&state, &base, &uri).await?))
}

async fn can_i_deploy_hal(state: &AppState, base: &BaseUrl, uri: &Uri) -> ApiResult<Hal> {
    let pairs = query_pairs(uri);
    let mut errors = Map::new();
    let pacticipant = field(&pairs, "pacticipant").filter(|p| !p.is_empty());
    let version = field(&pairs, "version").filter(|v| !v.is_empty());
    let to = field(&pairs, "to").filter(|v| !v.is_empty());
    let environment = field(&pairs, "environment").filter(|v| !v.is_empty());
    if pacticipant.is_none() {
        errors.insert("pacticipant".into(), json!(["is missing"]));
    }
    if version.is_none() {
        errors.insert("version".into(), json!(["is missing"]));
    }
    match (to, environment) {
        (None, None) => {
            errors.insert("base".into(), json!(["Must specify one of to or environment"]));
        }
        (Some(_), Some(_)) => {
            errors.insert("base".into(), json!(["Cannot specify both to and environment"]));
        }
        _ => {}
    }
    let limit = limit(&pairs).map_err(|e| ApiError::field("limit", e))?;
    let mut conn = state.storage.read().await?;
    if let Some(name) = pacticipant {
        if pacticipants::find(&mut conn, name).await?.is_none() {
            errors.insert("pacticipant".into(), json!([format!("Pacticipant with name '{name}' not found")]));
        }
    }
    if let Some(env) = environment {
        if environments::find_by_name(&mut conn, env).await?.is_none() {
            errors.insert("environment".into(), json!([format!("Environment with name '{env}' not found")]));
        }
    }
    drop(conn);
    let (Some(pacticipant), Some(version), true) = (pacticipant, version, errors.is_empty()) else {
        return Err(ApiError::fields(errors));
    };
    let (target, latest_by) = match (to, environment) {
        (Some(tag), _) => (Target::Tag(tag.to_string()), LatestBy::Cvp),
        (_, Some(env)) => (Target::Environment(env.to_string()), LatestBy::Cvpv),
        (None, None) => (Target::None, LatestBy::Cvp),
    };
    let query = Query {
        selectors: vec![UnresolvedSelector {
            pacticipant: pacticipant.to_string(),
            version: Some(version.to_string()),
            ..Default::default()
        }],
        target,
        latest_by: Some(latest_by),
        ignore: ignores(&pairs),
        limit,
    };
    run(state, base, query, true).await
}

/// `/pacticipants/{p}/latest-version/{tag}/can-i-deploy/to/{to}`.
#[derive(Debug, Deserialize)]
pub struct TagToTagPath {
    /// Pacticipant name.
    pub pacticipant: String,
    /// The tag of the version to deploy.
    pub tag: String,
    /// The target tag.
    pub to: String,
}

/// `GET /pacticipants/{p}/latest-version/{tag}/can-i-deploy/to/{to}`.
pub async fn can_i_deploy_tag_to_tag(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<TagToTagPath>,
) -> ApiResult<Hal> {
    let query = Query {
        selectors: vec![UnresolvedSelector {
            pacticipant: path.pacticipant,
            tag: Some(path.tag),
            latest: true,
            ..Default::default()
        }],
        target: Target::Tag(path.to),
        latest_by: Some(LatestBy::Cvp),
        ignore: Vec::new(),
        limit: DEFAULT_LIMIT,
    };
    run(&state, &base, query, true).await
}

/// `/pacticipants/{p}/branches/{b}/latest-version/can-i-deploy/to-environment/{env}`.
#[derive(Debug, Deserialize)]
pub struct BranchToEnvironmentPath {
    /// Pacticipant name.
    pub pacticipant: String,
    /// The branch of the version to deploy.
    pub branch: String,
    /// The target environment.
    pub environment: String,
}

/// `GET /pacticipants/{p}/branches/{b}/latest-version/can-i-deploy/to-environment/{env}`.
pub async fn can_i_deploy_branch_to_environment(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<BranchToEnvironmentPath>,
) -> ApiResult<Hal> {
    let query = Query {
        selectors: vec![UnresolvedSelector {
            pacticipant: path.pacticipant,
            branch: Some(path.branch),
            latest: true,
            ..Default::default()
        }],
        target: Target::Environment(path.environment),
        latest_by: Some(LatestBy::Cvpv),
        ignore: Vec::new(),
        limit: DEFAULT_LIMIT,
    };
    run(&state, &base, query, true).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_pact_broker_cli_sends_for_can_i_deploy_is_read() {
        let uri: Uri = "/matrix?q%5B%5D%5Bpacticipant%5D=Foo&q%5B%5D%5Bversion%5D=1&latestby=cvpv&environment=production"
            .parse()
            .unwrap();
        let q = parse_matrix_query(&uri).unwrap();
        assert_eq!(q.selectors.len(), 1);
        assert_eq!(q.selectors[0].pacticipant, "Foo");
        assert_eq!(q.selectors[0].version.as_deref(), Some("1"));
        assert_eq!(q.target, Target::Environment("production".into()));
        assert_eq!(q.latest_by, Some(LatestBy::Cvpv));

        let uri: Uri = "/matrix?q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][latest]=true&tag=prod&latestby=cvp&limit=0"
            .parse()
            .unwrap();
        assert!(parse_matrix_query(&uri).unwrap_err()[0].contains("limit"));
    }
}
