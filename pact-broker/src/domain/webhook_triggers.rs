//! Which webhooks an event triggers, with which `${pactbroker.*}` values: written to the
//! outbox (`triggered_webhooks`) inside the transaction of the publish or verification that
//! caused it, so that a committed event always has its webhooks and a rolled-back one never.
//!
//! The official broker's rules:
//!
//! - `contract_published` fires on every publish; `contract_content_changed` when the content
//!   changed (see [`Published::content_changed`]). Their provider version is the one of the
//!   latest verification of the content from the provider's main branch, or else the latest.
//! - `contract_requiring_verification_published` fires once for each provider version that has
//!   not verified the content yet, among the latest version of the provider's main branch and
//!   the versions currently deployed or released; not at all when there is none.
//!   `providerVersionDescriptions` says why each was chosen ("latest from main branch",
//!   "deployed in production").
//! - `provider_verification_published`, and `_succeeded` or `_failed`, fire on a verification
//!   result; once per consumer version the verified pact URL's metadata names (or for the
//!   latest consumer version with that content).
//!
//! `pactUrl` is the pact-version URL with the metadata the official broker adds for webhooks
//! (the consumer version and its tags), which a verifier started with `--webhook-callback-url`
//! or `--url` fetches directly.

use crate::domain::metadata::Metadata;
use crate::domain::publish::{Outcome, Published};
use crate::domain::webhook_template::Variables;
use crate::domain::webhooks::{
    scope_description, CONTRACT_CONTENT_CHANGED, CONTRACT_PUBLISHED,
    CONTRACT_REQUIRING_VERIFICATION_PUBLISHED, PROVIDER_VERIFICATION_FAILED, PROVIDER_VERIFICATION_PUBLISHED,
    PROVIDER_VERIFICATION_SUCCEEDED,
};
use crate::hal::BaseUrl;
use crate::storage::environments::{self, Kind};
use crate::storage::webhooks::{self, NewTriggeredWebhook, Webhook};
use crate::storage::{
    pacticipants, pacts, verifications, versions, Conn, PactPublication, StorageResult, Verification, Version,
};

/// A webhook an event triggered (for the notices of the response).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triggered {
    /// The triggered webhook's uuid (its logs are at `/triggered-webhooks/{uuid}/logs`).
    pub uuid: String,
    /// The webhook's description.
    pub description: String,
    /// The event.
    pub event_name: String,
}

/// What a publish request said beyond the pact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublishRequest<'a> {
    /// The branch the request put the consumer version on.
    pub branch: Option<&'a str>,
    /// The request's `buildUrl`.
    pub build_url: Option<&'a str>,
}

/// The description a webhook shows: its own, or its scope's.
pub fn description_of(webhook: &Webhook) -> String {
    match webhook.description.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => d.to_string(),
        None => scope_description(webhook.consumer_name.as_deref(), webhook.provider_name.as_deref()),
    }
}

/// The event names of a stored webhook.
pub fn events_of(webhook: &Webhook) -> Vec<String> {
    serde_json::from_str(&webhook.events_json).unwrap_or_default()
}

fn wants(webhooks: &[(Webhook, Vec<String>)], event: &str) -> bool {
    webhooks.iter().any(|(_, events)| events.iter().any(|e| e == event))
}

async fn enabled(
    conn: &mut Conn,
    consumer_id: i64,
    provider_id: i64,
) -> StorageResult<Vec<(Webhook, Vec<String>)>> {
    Ok(webhooks::enabled_for_pair(conn, consumer_id, provider_id)
        .await?
        .into_iter()
        .map(|w| {
            let events = events_of(&w);
            (w, events)
        })
        .collect())
}

/// The pact-version URL of a publication with the webhook metadata.
fn pact_url(base: &BaseUrl, publication: &PactPublication, tags: &[String]) -> String {
    let metadata = Metadata::for_webhook(&publication.consumer_version_number, tags);
    base.href(&[
        "pacts",
        "provider",
        &publication.provider_name,
        "consumer",
        &publication.consumer_name,
        "pact-version",
        &publication.sha,
        "metadata",
        &metadata,
    ])
}

fn verification_url(base: &BaseUrl, v: &Verification) -> String {
    base.href(&[
        "pacts",
        "provider",
        &v.provider_name,
        "consumer",
        &v.consumer_name,
        "pact-version",
        &v.sha,
        "verification-results",
        &v.id.to_string(),
    ])
}

async fn tag_names(conn: &mut Conn, version_id: i64) -> StorageResult<Vec<String>> {
    Ok(versions::tags_of(conn, version_id).await?.into_iter().map(|t| t.name).collect())
}

async fn last_branch(conn: &mut Conn, version_id: i64) -> StorageResult<String> {
    Ok(versions::branch_versions_of(conn, version_id)
        .await?
        .last()
        .map(|bv| bv.branch.name.clone())
        .unwrap_or_default())
}

/// The consumer side of the variables, for a publication.
async fn consumer_variables(
    conn: &mut Conn,
    base: &BaseUrl,
    publication: &PactPublication,
    tags: Vec<String>,
    branch: Option<&str>,
    build_url: Option<&str>,
) -> StorageResult<Variables> {
    let mut vars = Variables::default();
    vars.set("pactUrl", pact_url(base, publication, &tags));
    vars.set("consumerName", publication.consumer_name.as_str());
    vars.set("providerName", publication.provider_name.as_str());
    vars.set("consumerVersionNumber", publication.consumer_version_number.as_str());
    vars.set("consumerVersionTags", tags.join(", "));
    let branch = match branch {
        Some(b) => b.to_string(),
        None => last_branch(conn, publication.consumer_version_id).await?,
    };
    vars.set("consumerVersionBranch", branch);
    vars.set("buildUrl", build_url.unwrap_or(""));
    Ok(vars)
}

/// The provider side of the variables, from a verification (or none).
async fn verification_variables(
    conn: &mut Conn,
    base: &BaseUrl,
    vars: &mut Variables,
    verification: Option<&Verification>,
) -> StorageResult<()> {
    let (github, bitbucket, azure, gitlab) = match verification.map(|v| v.success) {
        Some(true) => ("success", "SUCCESSFUL", "succeeded", "success"),
        Some(false) => ("failure", "FAILED", "failed", "failed"),
        None => ("pending", "INPROGRESS", "pending", "pending"),
    };
    vars.set("githubVerificationStatus", github);
    vars.set("bitbucketVerificationStatus", bitbucket);
    vars.set("azureDevOpsVerificationStatus", azure);
    vars.set("gitlabVerificationStatus", gitlab);
    if let Some(v) = verification {
        vars.set("verificationResultUrl", verification_url(base, v));
        vars.set("providerVersionNumber", v.provider_version_number.as_str());
        vars.set("providerVersionTags", tag_names(conn, v.provider_version_id).await?.join(", "));
        vars.set("providerVersionBranch", last_branch(conn, v.provider_version_id).await?);
    }
    Ok(())
}

struct Trigger {
    event: &'static str,
    vars: Variables,
}

async fn write(
    conn: &mut Conn,
    webhooks: &[(Webhook, Vec<String>)],
    triggers: Vec<Trigger>,
    consumer_id: i64,
    provider_id: i64,
    pact_publication_id: Option<i64>,
    verification_id: Option<i64>,
) -> StorageResult<Vec<Triggered>> {
    let mut out = Vec::new();
    for mut trigger in triggers {
        trigger.vars.set("eventName", trigger.event);
        let variables_json = trigger.vars.to_json();
        for (webhook, events) in webhooks {
            if !events.iter().any(|e| e == trigger.event) {
                continue;
            }
            let new = NewTriggeredWebhook {
                webhook_id: webhook.id,
                event_name: trigger.event,
                consumer_id,
                provider_id,
                pact_publication_id,
                verification_id,
                variables_json: variables_json.clone(),
            };
            let uuid = webhooks::insert_triggered(conn, &new).await?;
            out.push(Triggered {
                uuid,
                description: description_of(webhook),
                event_name: trigger.event.to_string(),
            });
        }
    }
    Ok(out)
}

/// A provider version that should verify new content, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredVerification {
    /// The provider version.
    pub version: Version,
    /// Its branch for the webhook: the main branch when it is the main branch's latest, or
    /// its own latest branch.
    pub branch: String,
    /// Why it was chosen: "latest from main branch", "deployed in production", ...
    pub descriptions: Vec<String>,
}

/// The provider versions that have not verified `pact_version_id` yet, among the latest of the
/// provider's main branch and those currently deployed or released, as the official broker
/// computes them for `contract_requiring_verification_published`.
///
/// # Errors
///
/// A database failure.
pub async fn required_verifications(
    conn: &mut Conn,
    provider_id: i64,
    pact_version_id: i64,
) -> StorageResult<Vec<RequiredVerification>> {
    let mut candidates: Vec<(Version, Option<String>, String)> = Vec::new();
    let provider = pacticipants::find_by_id(conn, provider_id).await?;
    if let Some(main) = provider.and_then(|p| p.main_branch) {
        if let Some(v) = versions::latest(conn, provider_id, None, Some(&main)).await? {
            candidates.push((v, Some(main), "latest from main branch".into()));
        }
    }
    for (kind, what) in [(Kind::Deployed, "deployed"), (Kind::Released, "released")] {
        for d in environments::current_of_pacticipant(conn, kind, provider_id).await? {
            if let Some(v) = versions::find_by_id(conn, d.version_id).await? {
                candidates.push((v, None, format!("{what} in {}", d.environment.name)));
            }
        }
    }
    let mut required: Vec<RequiredVerification> = Vec::new();
    for (version, main_branch, description) in candidates {
        if let Some(existing) = required.iter_mut().find(|r| r.version.id == version.id) {
            if !existing.descriptions.contains(&description) {
                existing.descriptions.push(description);
            }
            if let Some(main) = main_branch {
                existing.branch = main;
            }
            continue;
        }
        if verifications::exists_for(conn, pact_version_id, version.id).await? {
            continue;
        }
        let branch = match main_branch {
            Some(main) => main,
            None => last_branch(conn, version.id).await?,
        };
        required.push(RequiredVerification { version, branch, descriptions: vec![description] });
    }
    Ok(required)
}

/// Writes the webhooks a publish triggers to the outbox, inside the publish's transaction.
///
/// # Errors
///
/// A database failure.
pub async fn contract_published(
    conn: &mut Conn,
    base: &BaseUrl,
    published: &Published,
    request: PublishRequest<'_>,
) -> StorageResult<Vec<Triggered>> {
    let webhooks = enabled(conn, published.consumer.id, published.provider.id).await?;
    if webhooks.is_empty() {
        return Ok(Vec::new());
    }
    let publication = &published.publication;
    let tags = tag_names(conn, publication.consumer_version_id).await?;
    let consumer =
        consumer_variables(conn, base, publication, tags, request.branch, request.build_url).await?;
    let mut triggers = Vec::new();
    let content_events: Vec<&'static str> = [
        (CONTRACT_PUBLISHED, true),
        (CONTRACT_CONTENT_CHANGED, published.content_changed && published.outcome != Outcome::Unchanged),
    ]
    .into_iter()
    .filter(|(event, fires)| *fires && wants(&webhooks, event))
    .map(|(event, _)| event)
    .collect();
    if !content_events.is_empty() {
        let from_main = match &published.provider.main_branch {
            Some(main) => {
                verifications::latest_for_pact_version_on_branch(conn, publication.pact_version_id, main)
                    .await?
            }
            None => None,
        };
        let verification = match from_main {
            Some(v) => Some(v),
            None => verifications::latest_for_pact_version(conn, publication.pact_version_id).await?,
        };
        let mut vars = consumer.clone();
        verification_variables(conn, base, &mut vars, verification.as_ref()).await?;
        for event in content_events {
            triggers.push(Trigger { event, vars: vars.clone() });
        }
    }
    if wants(&webhooks, CONTRACT_REQUIRING_VERIFICATION_PUBLISHED) {
        let required =
            required_verifications(conn, published.provider.id, publication.pact_version_id).await?;
        if !required.is_empty() {
            let latest = verifications::latest_for_pact_version(conn, publication.pact_version_id).await?;
            for r in required {
                let mut vars = consumer.clone();
                verification_variables(conn, base, &mut vars, latest.as_ref()).await?;
                // The provider version is the one that should verify, with its own tags.
                vars.set("providerVersionNumber", r.version.number.as_str());
                vars.set("providerVersionBranch", r.branch);
                vars.set("providerVersionTags", tag_names(conn, r.version.id).await?.join(", "));
                vars.set("providerVersionDescriptions", r.descriptions.join(", "));
                triggers.push(Trigger { event: CONTRACT_REQUIRING_VERIFICATION_PUBLISHED, vars });
            }
        }
    }
    write(conn, &webhooks, triggers, published.consumer.id, published.provider.id, Some(publication.id), None)
        .await
}

/// Writes the webhooks a verification result triggers to the outbox, inside its transaction.
/// `metadata` is the verified pact URL's metadata; `build_url` the result's `buildUrl`.
///
/// # Errors
///
/// A database failure.
pub async fn verification_published(
    conn: &mut Conn,
    base: &BaseUrl,
    verification: &Verification,
    metadata: &Metadata,
    build_url: Option<&str>,
) -> StorageResult<Vec<Triggered>> {
    let (Some(consumer), Some(provider)) = (
        pacticipants::find(conn, &verification.consumer_name).await?,
        pacticipants::find(conn, &verification.provider_name).await?,
    ) else {
        return Ok(Vec::new());
    };
    let webhooks = enabled(conn, consumer.id, provider.id).await?;
    if webhooks.is_empty() {
        return Ok(Vec::new());
    }
    let events: Vec<&'static str> = [
        PROVIDER_VERIFICATION_PUBLISHED,
        if verification.success { PROVIDER_VERIFICATION_SUCCEEDED } else { PROVIDER_VERIFICATION_FAILED },
    ]
    .into_iter()
    .filter(|e| wants(&webhooks, e))
    .collect();
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let of_content = pacts::publications_of_content(conn, verification.pact_version_id).await?;
    // One trigger per consumer version the metadata names (the selectors that chose the pact,
    // or the version of a webhook's pact URL), with the tags the selectors named.
    let mut chosen: Vec<(PactPublication, Option<Vec<String>>)> = Vec::new();
    for selector in &metadata.selectors {
        let Some(id) = selector.consumer_version_id else { continue };
        if let Some(p) = of_content.iter().find(|p| p.consumer_version_id == id) {
            match chosen.iter_mut().find(|(c, _)| c.id == p.id) {
                Some((_, Some(tags))) => tags.extend(selector.tag.clone()),
                _ => chosen.push((p.clone(), Some(selector.tag.clone().into_iter().collect()))),
            }
        }
    }
    if chosen.is_empty() {
        if let Some(number) = &metadata.consumer_version_number {
            if let Some(p) = of_content.iter().find(|p| &p.consumer_version_number == number) {
                chosen.push((p.clone(), None));
            }
        }
    }
    if chosen.is_empty() {
        if let Some(p) = of_content.first() {
            chosen.push((p.clone(), None));
        }
    }
    let mut out = Vec::new();
    for (publication, selector_tags) in chosen {
        let tags = match selector_tags {
            Some(tags) => tags,
            None => tag_names(conn, publication.consumer_version_id).await?,
        };
        let mut vars = consumer_variables(conn, base, &publication, tags, None, build_url).await?;
        verification_variables(conn, base, &mut vars, Some(verification)).await?;
        let triggers = events.iter().map(|event| Trigger { event, vars: vars.clone() }).collect();
        out.extend(
            write(
                conn,
                &webhooks,
                triggers,
                consumer.id,
                provider.id,
                Some(publication.id),
                Some(verification.id),
            )
            .await?,
        );
    }
    Ok(out)
}
