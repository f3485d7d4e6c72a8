//! `POST /contracts/publish`: the preferred way to publish (pact-broker-cli uses only this).
//!
//! The whole request is one transaction: the version with its branch, tags and build URL, and
//! every contract. If one contract is refused, nothing is stored.

use axum::extract::State;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::extract::JsonBody;
use super::pacticipants::embedded;
use super::pacts::publish_error;
use super::{urls, AppState};
use crate::domain::publish::{self, OnConflict, Outcome, PublishPact};
use crate::domain::webhook_triggers::{self, PublishRequest};
use crate::domain::{names, pact_content};
use crate::error::{ApiError, ApiResult};
use crate::hal::{BaseUrl, Hal, Link};
use crate::storage::{pacticipants, verifications, versions, Conn, Pacticipant, Version};

struct Contract {
    provider: String,
    content: pact_content::PactContent,
    on_conflict: OnConflict,
}

struct Request {
    pacticipant: String,
    version: String,
    branch: Option<String>,
    tags: Vec<String>,
    build_url: Option<String>,
    contracts: Vec<Contract>,
}

fn parse(body: &Value) -> Result<Request, Map<String, Value>> {
    let mut errors = Map::new();
    let Some(object) = body.as_object() else {
        errors.insert("base".into(), json!(["expected a JSON object"]));
        return Err(errors);
    };
    let required_name = |key: &str, errors: &mut Map<String, Value>| -> Option<String> {
        match object.get(key) {
            None | Some(Value::Null) => {
                errors.insert(key.into(), json!(["is missing"]));
                None
            }
            Some(Value::String(s)) => match names::check(s) {
                Ok(()) => Some(s.clone()),
                Err(e) => {
                    errors.insert(key.into(), json!([e]));
                    None
                }
            },
            Some(_) => {
                errors.insert(key.into(), json!(["must be a string"]));
                None
            }
        }
    };
    let pacticipant = required_name("pacticipantName", &mut errors);
    let version = required_name("pacticipantVersionNumber", &mut errors);
    let branch = match object.get("branch") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match names::check(s) {
            Ok(()) => Some(s.clone()),
            Err(e) => {
                errors.insert("branch".into(), json!([e]));
                None
            }
        },
        Some(_) => {
            errors.insert("branch".into(), json!(["must be a string"]));
            None
        }
    };
    let mut tags = Vec::new();
    match object.get("tags") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str().map(|t| (t, names::check(t))) {
                    Some((t, Ok(()))) => tags.push(t.to_string()),
                    Some((_, Err(e))) => {
                        errors.insert("tags".into(), json!({ i.to_string(): [e] }));
                    }
                    None => {
                        errors.insert("tags".into(), json!({ i.to_string(): ["must be a string"] }));
                    }
                }
            }
        }
        Some(_) => {
            errors.insert("tags".into(), json!(["must be an array"]));
        }
    }
    let build_url = match object.get("buildUrl") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.contains(['\n', '\r']) && !s.trim().is_empty() => Some(s.clone()),
        Some(Value::String(_)) => {
            errors.insert("buildUrl".into(), json!(["must be a non-blank single line"]));
            None
        }
        Some(_) => {
            errors.insert("buildUrl".into(), json!(["must be a string"]));
            None
        }
    };
    let mut contracts = Vec::new();
    match object.get("contracts") {
        None | Some(Value::Null) => {
            errors.insert("contracts".into(), json!(["is missing"]));
        }
        Some(Value::Array(items)) => {
            let mut contract_errors = Map::new();
            for (i, item) in items.iter().enumerate() {
                match parse_contract(item, pacticipant.as_deref()) {
                    Ok(c) => contracts.push(c),
                    Err(messages) => {
                        contract_errors.insert(i.to_string(), json!(messages));
                    }
                }
            }
            if !contract_errors.is_empty() {
                errors.insert("contracts".into(), Value::Object(contract_errors));
            }
        }
        Some(_) => {
            errors.insert("contracts".into(), json!(["must be an array"]));
        }
    }
    match (pacticipant, version, errors.is_empty()) {
        (Some(pacticipant), Some(version), true) => {
            Ok(Request { pacticipant, version, branch, tags, build_url, contracts })
        }
        _ => Err(errors),
    }
}

fn parse_contract(item: &Value, pacticipant: Option<&str>) -> Result<Contract, Vec<String>> {
    let Some(object) = item.as_object() else { return Err(vec!["must be an object".into()]) };
    let mut messages = Vec::new();
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    let consumer = text("consumerName");
    let provider = text("providerName");
    match consumer {
        None => messages.push("consumerName is missing".to_string()),
        Some(c) => {
            if let Err(e) = names::check(c) {
                messages.push(format!("consumerName {e}"));
            }
            if let Some(p) = pacticipant {
                if c != p {
                    messages.push(format!("consumerName ({c:?}) must match pacticipantName ({p:?})"));
                }
            }
        }
    }
    match provider {
        None => messages.push("providerName is missing".to_string()),
        Some(p) => {
            if let Err(e) = names::check(p) {
                messages.push(format!("providerName {e}"));
            }
        }
    }
    if let Some(spec) = object.get("specification") {
        if spec.as_str() != Some("pact") {
            messages.push(format!("specification must be \"pact\", found {spec}"));
        }
    }
    if let Some(ct) = object.get("contentType") {
        if ct.as_str() != Some("application/json") {
            messages.push(format!("contentType must be \"application/json\", found {ct}"));
        }
    }
    let on_conflict = match object.get("onConflict").and_then(Value::as_str) {
        None | Some("overwrite") => OnConflict::Overwrite,
        Some("merge") => OnConflict::Merge,
        Some(other) => {
            messages.push(format!("onConflict must be \"overwrite\" or \"merge\", found {other:?}"));
            OnConflict::Overwrite
        }
    };
    let document = match text("content") {
        None => {
            messages.push("content is missing".into());
            None
        }
        Some(encoded) => match STANDARD.decode(encoded.trim()) {
            Err(e) => {
                messages.push(format!("content is not valid base64: {e}"));
                None
            }
            Ok(bytes) => match String::from_utf8(bytes) {
                Err(_) => {
                    messages.push("content is not UTF-8 text".into());
                    None
                }
                Ok(text) => match serde_json::from_str::<Value>(&text) {
                    Err(e) => {
                        messages.push(format!("content is not valid JSON: {e}"));
                        None
                    }
                    Ok(value) => Some(value),
                },
            },
        },
    };
    if !messages.is_empty() {
        return Err(messages);
    }
    let (Some(consumer), Some(provider), Some(document)) = (consumer, provider, document) else {
        return Err(vec!["incomplete contract".into()]);
    };
    match pact_content::validate(document, consumer, provider, "contract") {
        Ok(content) => Ok(Contract { provider: provider.to_string(), content, on_conflict }),
        Err(e) => Err(vec![format!("content: {e}")]),
    }
}

fn notice(kind: &str, text: String) -> Value {
    json!({ "type": kind, "text": text })
}

/// What the transaction of a publish gives the response.
struct Stored {
    notices: Vec<Value>,
    events: Vec<crate::events::Event>,
    contract_links: Vec<Value>,
    pacticipant: Pacticipant,
    version: Version,
    branch: Option<String>,
    triggered: usize,
}

/// The whole publish, in one transaction.
async fn store(
    conn: &mut Conn,
    base: BaseUrl,
    request: Request,
    allow_modification: bool,
) -> ApiResult<Stored> {
    // Each statement is a round trip to the database (and on SQLite, every publish waits for
    // the one writer): rows are read once, and what was just written is not read back.
    let (p, _) = pacticipants::find_or_create(conn, &request.pacticipant).await?;
    let (mut version, created) =
        versions::find_or_create_with_build_url(conn, &p, &request.version, request.build_url.as_deref())
            .await?;
    if request.build_url.is_some() && !created {
        versions::set_build_url(conn, version.id, request.build_url.as_deref()).await?;
        version.build_url.clone_from(&request.build_url);
    }
    let mut on_new_branch = false;
    if let Some(branch) = &request.branch {
        on_new_branch =
            versions::put_on_branch(conn, p.id, Some(p.main_branch.as_deref()), version.id, branch).await?;
    }
    for tag in &request.tags {
        versions::tag(conn, version.id, tag).await?;
    }
    let mut notices = Vec::new();
    let mut description = format!("{} version {}", p.name, version.number);
    if let Some(branch) = &request.branch {
        description.push_str(&format!(" with branch {branch}"));
    }
    if !request.tags.is_empty() {
        description.push_str(&format!(
            "{} {} {}",
            if request.branch.is_some() { " and" } else { " with" },
            if request.tags.len() == 1 { "tag" } else { "tags" },
            request.tags.join(", ")
        ));
    }
    notices.push(notice("debug", format!("{} {description}", if created { "Created" } else { "Updated" })));
    let mut events = Vec::new();
    let mut contract_links = Vec::new();
    let mut triggered = Vec::new();
    for contract in request.contracts {
        let publish_request = PublishPact {
            consumer: &request.pacticipant,
            provider: &contract.provider,
            consumer_version: &request.version,
            content: contract.content,
            on_conflict: contract.on_conflict,
            allow_modification,
        };
        let published =
            match publish::publish_for_version(conn, p.clone(), version.clone(), created, publish_request)
                .await
            {
                Ok(published) => published,
                Err(e) => {
                    let error = publish_error(e);
                    return Err(match error {
                        ApiError::Conflict { message, .. } => ApiError::Conflict {
                            errors: Some(json!({ "contracts": [message.clone()] })),
                            notices: vec![notice("error", message.clone())],
                            message,
                        },
                        other => other,
                    });
                }
            };
        let (c, v, prov) = (&published.consumer.name, &published.version.number, &published.provider.name);
        let text = match published.outcome {
            Outcome::Created => {
                format!("Pact successfully published for {c} version {v} and provider {prov}.")
            }
            Outcome::Unchanged => {
                format!("Pact published for {c} version {v} and provider {prov} (the same content was already published).")
            }
            Outcome::Merged => format!("Pact successfully merged for {c} version {v} and provider {prov}."),
            Outcome::Replaced => format!(
                "Pact successfully republished for {c} version {v} and provider {prov} with changed content."
            ),
        };
        notices.push(notice("success", text));
        let href = urls::pact(&base, prov, c, v);
        notices.push(notice("debug", format!("  View the published pact at {href}")));
        // Content stored by this publish has no verification yet.
        if published.new_content
            || !verifications::any_success(conn, published.publication.pact_version_id).await?
        {
            notices.push(notice("prompt", "  Next steps:".into()));
            notices.push(notice(
                "prompt",
                format!("    * Add Pact verification tests to the {prov} build. See https://docs.pact.io/go/provider_verification"),
            ));
        }
        contract_links.push(Value::from(
            Link::new(href).title("Pact").name(format!("Pact between {c} ({v}) and {prov}")),
        ));
        let context =
            PublishRequest { branch: request.branch.as_deref(), build_url: request.build_url.as_deref() };
        triggered.extend(webhook_triggers::contract_published(conn, &base, &published, context).await?);
        events.push(published.event(request.branch.as_deref(), &request.tags));
    }
    if triggered.is_empty() {
        notices.push(notice("debug", "No enabled webhooks found for the detected events".into()));
    }
    for t in &triggered {
        notices.push(notice(
            "info",
            format!("Webhook {:?} triggered for event {}.", t.description, t.event_name),
        ));
        let logs = base.href(&["triggered-webhooks", &t.uuid, "logs"]);
        notices.push(notice("info", format!("  View logs at {logs}")));
    }
    // The version's latest branch: the request's when it just put the version on it.
    let branch = match (&request.branch, on_new_branch) {
        (Some(branch), true) => Some(branch.clone()),
        _ => versions::branch_versions_of(conn, version.id).await?.last().map(|bv| bv.branch.name.clone()),
    };
    Ok(Stored {
        notices,
        events,
        contract_links,
        pacticipant: p,
        version,
        branch,
        triggered: triggered.len(),
    })
}

/// `POST /contracts/publish`: 200 with notices, 400 for an invalid request, 409 for changed
/// content. Nothing is stored unless every contract is accepted. The webhooks the publish
/// triggers are written in the same transaction and sent after the commit.
pub async fn publish(
    State(state): State<AppState>,
    base: BaseUrl,
    JsonBody(body): JsonBody,
) -> ApiResult<Hal> {
    let request = parse(&body).map_err(ApiError::fields)?;
    let tags = request.tags.clone();
    let allow = state.config.allow_dangerous_contract_modification;
    let job_base = base.clone();
    let stored =
        state.storage.transaction(move |conn| Box::pin(store(conn, job_base, request, allow))).await?;
    if stored.triggered > 0 {
        state.delivery.wake();
    }
    state.events.committed(&stored.events);
    let Stored { notices, contract_links, pacticipant, version, branch, .. } = stored;

    let version_href = urls::version(&base, &pacticipant.name, &version.number);
    let tag_links: Vec<Value> = tags
        .iter()
        .map(|t| {
            Link::new(urls::tag(&base, &pacticipant.name, &version.number, t))
                .title("Tag")
                .name(t.clone())
                .into()
        })
        .collect();
    let logs: Vec<Value> = notices
        .iter()
        .map(|n| json!({"level": n["type"], "message": n["text"], "deprecationWarning": "Replaced by notices"}))
        .collect();
    Ok(Hal::ok(json!({
        "notices": notices,
        "logs": logs,
        "_embedded": {
            "pacticipant": embedded(&base, &pacticipant.name),
            "version": {
                "number": version.number,
                "branch": branch,
                "buildUrl": version.build_url,
                "_links": {"self": Link::new(version_href.clone()).title("Version").name(version.number.clone())},
            },
        },
        "_links": {
            "pb:pacticipant": Link::new(urls::pacticipant(&base, &pacticipant.name)).title("Pacticipant").name(pacticipant.name.clone()),
            "pb:pacticipant-version": Link::new(version_href).title("Pacticipant version").name(version.number.clone()),
            "pb:pacticipant-version-tags": tag_links,
            "pb:contracts": contract_links,
        },
    })))
}
