//! Webhooks: create (`POST /webhooks`, the scoped lists, or `PUT /webhooks/{uuid}`), list,
//! read, update (`PUT`), delete, test (`POST /webhooks/{uuid}/execute`); the webhooks an event
//! triggered, and their execution logs (`/triggered-webhooks/{uuid}/logs`).
//!
//! Shown webhooks never reveal their password or `Authorization`/token headers.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::extract::{JsonBody, PathParams};
use super::{urls, AppState};
use crate::delivery::request;
use crate::domain::webhook_template::{render_placeholder, Variables};
use crate::domain::webhook_triggers::{description_of, events_of};
use crate::domain::webhooks::{
    self as rules, redacted_request, scope_description, RequestTemplate, WebhookSpec,
};
use crate::error::{ApiError, ApiResult};
use crate::hal::{BaseUrl, Hal, Link};
use crate::storage::pacts::{self, PublicationQuery};
use crate::storage::webhooks::{
    self as store, Scope, TriggeredBy, TriggeredWebhook, Webhook, WebhookFields, STATUS_FAILURE,
    STATUS_SUCCESS,
};
use crate::storage::{pacticipants, verifications, Conn, StorageResult};

/// `/webhooks/{uuid}`.
#[derive(Debug, Deserialize)]
pub struct UuidPath {
    /// The webhook's (or triggered webhook's) uuid.
    pub uuid: String,
}

/// The scoped webhook lists: `/webhooks/provider/{p}[/consumer/{c}]`, `/webhooks/consumer/{c}`,
/// `/pacts/provider/{p}/consumer/{c}/webhooks`.
#[derive(Debug, Default, Deserialize)]
pub struct ScopePath {
    /// Provider name.
    pub provider: Option<String>,
    /// Consumer name.
    pub consumer: Option<String>,
}

/// `.../version/{version}/triggered-webhooks`.
#[derive(Debug, Deserialize)]
pub struct PactPath {
    /// Provider name.
    pub provider: String,
    /// Consumer name.
    pub consumer: String,
    /// Consumer version number.
    pub version: String,
}

/// `.../pact-version/{sha}/verification-results/{number}/triggered-webhooks`.
#[derive(Debug, Deserialize)]
pub struct VerificationPath {
    /// Provider name.
    pub provider: String,
    /// Consumer name.
    pub consumer: String,
    /// Content hash.
    pub sha: String,
    /// Verification number.
    pub number: String,
}

fn webhook_href(base: &BaseUrl, uuid: &str) -> String {
    base.href(&["webhooks", uuid])
}

/// The official broker's short description of a webhook request: `POST ci.example.com`.
pub fn request_description(request: &RequestTemplate) -> String {
    let host = url::Url::parse(&render_placeholder(&request.url, "placeholder"))
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    format!("{} {host}", request.method)
}

fn template_of(webhook: &Webhook) -> ApiResult<RequestTemplate> {
    serde_json::from_str(&webhook.request_json)
        .map_err(|e| ApiError::internal(format!("webhook {}: stored request unreadable: {e}", webhook.uuid)))
}

/// The webhook resource.
pub fn render(base: &BaseUrl, webhook: &Webhook) -> ApiResult<Value> {
    let template = template_of(webhook)?;
    let description = description_of(webhook);
    let mut body = Map::new();
    body.insert("uuid".into(), json!(webhook.uuid));
    body.insert("description".into(), json!(description));
    if let Some(c) = &webhook.consumer_name {
        body.insert("consumer".into(), json!({ "name": c }));
    }
    if let Some(p) = &webhook.provider_name {
        body.insert("provider".into(), json!({ "name": p }));
    }
    body.insert("enabled".into(), json!(webhook.enabled));
    body.insert("request".into(), redacted_request(&template));
    let events: Vec<Value> = events_of(webhook).into_iter().map(|name| json!({ "name": name })).collect();
    body.insert("events".into(), Value::Array(events));
    body.insert("createdAt".into(), json!(webhook.created_at));
    if webhook.updated_at != webhook.created_at {
        body.insert("updatedAt".into(), json!(webhook.updated_at));
    }
    let mut links = Map::new();
    links.insert(
        "self".into(),
        Link::new(webhook_href(base, &webhook.uuid)).title(description.clone()).into(),
    );
    links.insert(
        "pb:execute".into(),
        Link::new(base.href(&["webhooks", &webhook.uuid, "execute"]))
            .title("Test the execution of the webhook with the latest matching pact or verification by sending a POST request to this URL")
            .into(),
    );
    if let Some(c) = &webhook.consumer_name {
        links.insert(
            "pb:consumer".into(),
            Link::new(urls::pacticipant(base, c)).title("Consumer").name(c.clone()).into(),
        );
    }
    if let Some(p) = &webhook.provider_name {
        links.insert(
            "pb:provider".into(),
            Link::new(urls::pacticipant(base, p)).title("Provider").name(p.clone()).into(),
        );
    }
    if let (Some(c), Some(p)) = (&webhook.consumer_name, &webhook.provider_name) {
        links.insert(
            "pb:pact-webhooks".into(),
            Link::new(base.href(&["webhooks", "provider", p, "consumer", c]))
                .title(format!("All webhooks for consumer {c} and provider {p}"))
                .into(),
        );
    }
    links.insert("pb:webhooks".into(), Link::new(base.href(&["webhooks"])).title("All webhooks").into());
    body.insert("_links".into(), Value::Object(links));
    Ok(Value::Object(body))
}

async fn find_or_404(conn: &mut Conn, uuid: &str) -> ApiResult<Webhook> {
    store::find(conn, uuid)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("No webhook with uuid {uuid} found")))
}

/// Resolves the named pacticipants of a spec (400 when one does not exist).
async fn pacticipant_ids(conn: &mut Conn, spec: &WebhookSpec) -> ApiResult<(Option<i64>, Option<i64>)> {
    let mut errors = Map::new();
    let mut lookup = |found: Option<crate::storage::Pacticipant>, role: &str, name: &str| {
        if found.is_none() {
            errors.insert(role.into(), json!({"name": [format!("No pacticipant with name '{name}' found")]}));
        }
        found.map(|p| p.id)
    };
    let consumer = match &spec.consumer {
        Some(name) => lookup(pacticipants::find(conn, name).await?, "consumer", name),
        None => None,
    };
    let provider = match &spec.provider {
        Some(name) => lookup(pacticipants::find(conn, name).await?, "provider", name),
        None => None,
    };
    if errors.is_empty() {
        Ok((consumer, provider))
    } else {
        Err(ApiError::fields(errors))
    }
}

fn fields(
    spec: &WebhookSpec,
    consumer_id: Option<i64>,
    provider_id: Option<i64>,
) -> ApiResult<WebhookFields> {
    let request_json = serde_json::to_string(&spec.request)
        .map_err(|e| ApiError::internal(format!("cannot store a webhook: {e}")))?;
    Ok(WebhookFields {
        description: spec.description.clone(),
        consumer_id,
        provider_id,
        enabled: spec.enabled,
        events_json: json!(spec.events).to_string(),
        request_json,
    })
}

fn parse_spec(state: &AppState, body: &Value, scope: &ScopePath) -> ApiResult<WebhookSpec> {
    let mut spec = rules::parse(body, &state.config.webhooks.policy).map_err(ApiError::fields)?;
    if spec.consumer.is_none() {
        spec.consumer.clone_from(&scope.consumer);
    }
    if spec.provider.is_none() {
        spec.provider.clone_from(&scope.provider);
    }
    Ok(spec)
}

async fn create_in(state: AppState, base: BaseUrl, scope: ScopePath, body: Value) -> ApiResult<Hal> {
    let spec = parse_spec(&state, &body, &scope)?;
    let uuid = uuid::Uuid::new_v4().to_string();
    let created = state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let (consumer_id, provider_id) = pacticipant_ids(conn, &spec).await?;
                Ok::<_, ApiError>(
                    store::insert(conn, &uuid, &fields(&spec, consumer_id, provider_id)?).await?,
                )
            })
        })
        .await?;
    Ok(Hal::created(render(&base, &created)?, webhook_href(&base, &created.uuid)))
}

/// `POST /webhooks`: 201 with the webhook.
pub async fn create(
    State(state): State<AppState>,
    base: BaseUrl,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    create_in(state, base, ScopePath::default(), body).await
}

/// `POST` on a scoped list: the path's consumer and provider apply unless the body names them.
pub async fn create_scoped(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(scope): PathParams<ScopePath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    create_in(state, base, scope, body).await
}

fn list_body(base: &BaseUrl, title: String, self_href: String, webhooks: &[Webhook]) -> ApiResult<Value> {
    let mut links = Vec::new();
    let mut embedded = Vec::new();
    for w in webhooks {
        links.push(Value::from(
            Link::new(webhook_href(base, &w.uuid))
                .title(scope_description(w.consumer_name.as_deref(), w.provider_name.as_deref()))
                .name(description_of(w)),
        ));
        embedded.push(render(base, w)?);
    }
    Ok(json!({
        "_embedded": { "webhooks": embedded },
        "_links": {
            "self": Link::new(self_href.clone()).title(title),
            "pb:create": Link::new(self_href).title("POST to create a webhook"),
            "pb:webhooks": links,
            "curies": [{ "name": "pb", "href": base.templated(&[], "doc/webhooks-{rel}"), "templated": true }],
        }
    }))
}

/// `GET /webhooks`.
pub async fn list(State(state): State<AppState>, base: BaseUrl) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let webhooks = store::list(&mut conn, Scope::All).await?;
    Ok(Hal::ok(list_body(&base, "Webhooks".into(), base.href(&["webhooks"]), &webhooks)?))
}

/// `GET` on a scoped list: the webhooks whose consumer and provider are exactly these.
pub async fn list_scoped(
    State(state): State<AppState>,
    base: BaseUrl,
    uri: axum::http::Uri,
    PathParams(scope): PathParams<ScopePath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let consumer_id = scope_id(&mut conn, scope.consumer.as_deref(), "consumer").await?;
    let provider_id = scope_id(&mut conn, scope.provider.as_deref(), "provider").await?;
    let webhooks = store::list(&mut conn, Scope::Exactly { consumer_id, provider_id }).await?;
    let title = scope_description(scope.consumer.as_deref(), scope.provider.as_deref()).replacen(
        "A webhook",
        "Webhooks",
        1,
    );
    let segments: Vec<String> = uri.path().trim_start_matches('/').split('/').map(decode).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    Ok(Hal::ok(list_body(&base, title, base.href(&segments), &webhooks)?))
}

async fn scope_id(conn: &mut Conn, name: Option<&str>, role: &str) -> ApiResult<Option<i64>> {
    match name {
        None => Ok(None),
        Some(n) => match pacticipants::find(conn, n).await? {
            Some(p) => Ok(Some(p.id)),
            None => Err(ApiError::NotFound(format!("No {role} with name '{n}' found"))),
        },
    }
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().to_string()
}

/// `GET /webhooks/{uuid}`.
pub async fn show(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<UuidPath>,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    Ok(Hal::ok(render(&base, &find_or_404(&mut conn, &path.uuid).await?)?))
}

/// `PUT /webhooks/{uuid}`: 201 when it creates the webhook (with the given uuid), 200 when it
/// replaces it.
pub async fn replace(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<UuidPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    let valid_uuid = path.uuid.len() >= 16
        && path.uuid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !valid_uuid {
        return Err(ApiError::field(
            "uuid",
            "The UUID can only contain the characters A-Z, a-z, 0-9, _ and -, and must be 16 or more characters.",
        ));
    }
    let spec = parse_spec(&state, &body, &ScopePath::default())?;
    let uuid = path.uuid.clone();
    let (webhook, created) = state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let (consumer_id, provider_id) = pacticipant_ids(conn, &spec).await?;
                let new_fields = fields(&spec, consumer_id, provider_id)?;
                match store::find(conn, &uuid).await? {
                    Some(existing) => {
                        store::update(conn, existing.id, &new_fields).await?;
                        Ok::<_, ApiError>((find_or_404(conn, &uuid).await?, false))
                    }
                    None => Ok((store::insert(conn, &uuid, &new_fields).await?, true)),
                }
            })
        })
        .await?;
    let href = webhook_href(&base, &webhook.uuid);
    Ok(Hal::created_or_ok(created, render(&base, &webhook)?, href))
}

/// `DELETE /webhooks/{uuid}`: 204; its triggered webhooks and logs go with it.
pub async fn delete(
    State(state): State<AppState>,
    PathParams(path): PathParams<UuidPath>,
) -> ApiResult<StatusCode> {
    state
        .storage
        .transaction(move |conn| {
            Box::pin(async move {
                let webhook = find_or_404(conn, &path.uuid).await?;
                Ok::<_, ApiError>(store::delete(conn, webhook.id).await?)
            })
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The variables of a test execution: the latest pact of the webhook's pair (and its latest
/// verification), or placeholders when there is none.
async fn test_variables(conn: &mut Conn, base: &BaseUrl, webhook: &Webhook) -> StorageResult<Variables> {
    let mut query = PublicationQuery::all().latest(true).consumer(webhook.consumer_id);
    query.provider_id = webhook.provider_id;
    let latest = pacts::publications(conn, &query).await?.into_iter().max_by_key(|p| p.id);
    let mut vars = Variables::default();
    vars.set("eventName", "test");
    match latest {
        None => {
            vars.set(
                "consumerName",
                webhook.consumer_name.clone().unwrap_or_else(|| "placeholder-consumer".into()),
            );
            vars.set(
                "providerName",
                webhook.provider_name.clone().unwrap_or_else(|| "placeholder-provider".into()),
            );
            vars.set("consumerVersionNumber", "placeholder-consumer-version");
        }
        Some(p) => {
            let tags: Vec<String> = crate::storage::versions::tags_of(conn, p.consumer_version_id)
                .await?
                .into_iter()
                .map(|t| t.name)
                .collect();
            let metadata = crate::domain::metadata::Metadata::for_webhook(&p.consumer_version_number, &tags);
            vars.set(
                "pactUrl",
                urls::pact_version(base, &p.provider_name, &p.consumer_name, &p.sha, Some(&metadata)),
            );
            vars.set("consumerName", p.consumer_name.as_str());
            vars.set("providerName", p.provider_name.as_str());
            vars.set("consumerVersionNumber", p.consumer_version_number.as_str());
            vars.set("consumerVersionTags", tags.join(", "));
            if let Some(v) = verifications::latest_for_pact_version(conn, p.pact_version_id).await? {
                vars.set(
                    "verificationResultUrl",
                    urls::verification(base, &v.provider_name, &v.consumer_name, &v.sha, v.id),
                );
                vars.set("providerVersionNumber", v.provider_version_number.as_str());
                vars.set("githubVerificationStatus", if v.success { "success" } else { "failure" });
            }
        }
    }
    Ok(vars)
}

/// `POST /webhooks/{uuid}/execute`: sends the webhook now with the latest matching pact, and
/// answers with the request, the response (when a host whitelist is configured) and the log.
/// Nothing is recorded.
pub async fn execute(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<UuidPath>,
) -> ApiResult<Hal> {
    let (webhook, vars) = {
        let mut conn = state.storage.read().await?;
        let webhook = find_or_404(&mut conn, &path.uuid).await?;
        let vars = test_variables(&mut conn, &base, &webhook).await?;
        (webhook, vars)
    };
    let template = template_of(&webhook)?;
    let delivery = state.delivery.clone();
    let attempt =
        request::send(delivery.client(), &delivery.config().policy, &template, &vars, &webhook.uuid).await;
    let mut logs = attempt.logs.clone();
    request::log_line(
        &mut logs,
        "INFO",
        if attempt.success { "Successfully executed webhook" } else { "Webhook execution failed" },
    );
    let headers: Map<String, Value> =
        attempt.request.headers.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    let parse =
        |text: &str| serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::String(text.to_string()));
    let mut body = json!({
        "request": {
            "method": attempt.request.method,
            "url": attempt.request.url,
            "headers": headers,
            "body": attempt.request.body.as_deref().map(parse),
        },
        "logs": logs,
        "success": attempt.success,
        "_links": {
            "webhook": Link::new(webhook_href(&base, &webhook.uuid)),
            "try-again": Link::new(base.href(&["webhooks", &webhook.uuid, "execute"])).title("Execute the webhook again"),
        }
    });
    if delivery.config().policy.hosts.is_empty() {
        body["message"] = json!("For security purposes, the response details are not shown. To see them, configure the webhook host whitelist (--webhook-host-whitelist).");
    } else if let Some(status) = attempt.status {
        body["response"] = json!({ "status": status, "body": attempt.response_body.as_deref().map(parse) });
    }
    Ok(Hal::ok(body))
}

/// The triggered-webhook resource (in lists).
fn render_triggered(base: &BaseUrl, state: &AppState, t: &TriggeredWebhook, description: &str) -> Value {
    let total = i64::try_from(state.config.webhooks.retry_schedule.len() + 1).unwrap_or(i64::MAX);
    let remaining = if t.status == STATUS_SUCCESS || t.status == STATUS_FAILURE {
        0
    } else {
        (total - t.attempts_made).max(0)
    };
    let logs = base.href(&["triggered-webhooks", &t.uuid, "logs"]);
    json!({
        "name": description,
        "uuid": t.uuid,
        "status": t.status,
        "attemptsMade": t.attempts_made,
        "attemptsRemaining": remaining,
        "triggerType": "resource_creation",
        "eventName": t.event_name,
        "triggeredAt": t.created_at,
        "_links": {
            "pb:logs": Link::new(logs.clone()).title("Webhook execution logs").name(description),
            "logs": Link::new(logs).title("DEPRECATED - Use pb:logs").name(description),
            "pb:webhook": Link::new(webhook_href(base, &t.webhook_uuid)).title("Webhook").name(description),
        }
    })
}

async fn triggered_list(
    state: &AppState,
    base: &BaseUrl,
    by: TriggeredBy,
    title: String,
    self_href: String,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let triggered = store::list_triggered(&mut conn, by).await?;
    let mut items = Vec::new();
    for t in &triggered {
        let description = match store::find(&mut conn, &t.webhook_uuid).await? {
            Some(w) => request_description(&template_of(&w)?),
            None => String::new(),
        };
        items.push(render_triggered(base, state, t, &description));
    }
    Ok(Hal::ok(json!({
        "_embedded": { "triggeredWebhooks": items },
        "_links": { "self": Link::new(self_href).title(title) },
    })))
}

/// `GET /pacts/provider/{p}/consumer/{c}/version/{v}/triggered-webhooks`.
pub async fn triggered_by_pact(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<PactPath>,
) -> ApiResult<Hal> {
    let publication = {
        let mut conn = state.storage.read().await?;
        let not_found = || {
            ApiError::NotFound(format!(
                "No pact between {} and {} found for consumer version {}",
                path.consumer, path.provider, path.version
            ))
        };
        let provider = pacticipants::find(&mut conn, &path.provider).await?.ok_or_else(not_found)?;
        let consumer = pacticipants::find(&mut conn, &path.consumer).await?.ok_or_else(not_found)?;
        let version = crate::storage::versions::find(&mut conn, consumer.id, &path.version)
            .await?
            .ok_or_else(not_found)?;
        pacts::find_publication(&mut conn, version.id, provider.id).await?.ok_or_else(not_found)?
    };
    let title = format!(
        "Webhooks triggered by the publication of the pact between {} ({}) and {}",
        path.consumer, path.version, path.provider
    );
    let href =
        urls::pair(&base, &path.provider, &path.consumer, &["version", &path.version, "triggered-webhooks"]);
    triggered_list(&state, &base, TriggeredBy::Publication(publication.id), title, href).await
}

/// `GET .../pact-version/{sha}/verification-results/{n}/triggered-webhooks`.
pub async fn triggered_by_verification(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<VerificationPath>,
) -> ApiResult<Hal> {
    let not_found = || ApiError::NotFound(format!("No verification result {} found", path.number));
    let number: i64 = path.number.parse().map_err(|_| not_found())?;
    {
        let mut conn = state.storage.read().await?;
        let v = verifications::find(&mut conn, number).await?.ok_or_else(not_found)?;
        if v.sha != path.sha || v.consumer_name != path.consumer || v.provider_name != path.provider {
            return Err(not_found());
        }
    }
    let title = format!("Webhooks triggered by the publication of verification result {number}");
    let href = urls::pair(
        &base,
        &path.provider,
        &path.consumer,
        &["pact-version", &path.sha, "verification-results", &path.number, "triggered-webhooks"],
    );
    triggered_list(&state, &base, TriggeredBy::Verification(number), title, href).await
}

fn prefers_text(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    accept.contains("text/plain") && !accept.contains("json")
}

/// `GET /triggered-webhooks/{uuid}/logs`: the execution logs, as HAL JSON, or as plain text
/// when the request's `Accept` asks for `text/plain`.
pub async fn logs(
    State(state): State<AppState>,
    base: BaseUrl,
    headers: HeaderMap,
    PathParams(path): PathParams<UuidPath>,
) -> ApiResult<Response> {
    let mut conn = state.storage.read().await?;
    let triggered = store::find_triggered(&mut conn, &path.uuid)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("No triggered webhook with uuid {} found", path.uuid)))?;
    let executions = store::executions(&mut conn, triggered.id).await?;
    if prefers_text(&headers) {
        let text = if executions.is_empty() {
            "Webhook has not executed yet. Please retry in a few seconds.".to_string()
        } else {
            executions.iter().map(|e| e.logs.as_str()).collect::<Vec<_>>().join("\n")
        };
        let mut response = (StatusCode::OK, text).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain;charset=utf-8"));
        return Ok(response);
    }
    let items: Vec<Value> = executions
        .iter()
        .map(|e| json!({ "success": e.success, "logs": e.logs, "createdAt": e.created_at }))
        .collect();
    Ok(Hal::ok(json!({
        "eventName": triggered.event_name,
        "consumerName": triggered.consumer_name,
        "providerName": triggered.provider_name,
        "status": triggered.status,
        "attemptsMade": triggered.attempts_made,
        "_embedded": { "triggeredWebhook": { "uuid": triggered.uuid } },
        "executions": items,
        "_links": {
            "self": Link::new(base.href(&["triggered-webhooks", &triggered.uuid, "logs"])).title("Triggered webhook logs"),
            "pb:webhook": Link::new(webhook_href(&base, &triggered.webhook_uuid)).title("Webhook"),
        }
    }))
    .into_response())
}
