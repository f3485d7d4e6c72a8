//! Pact lists: a provider's latest pacts (per consumer, optionally by tag or branch), all its
//! pacts, `/pacts/latest` and `/integrations`.
//!
//! Lists carry both `pb:pacts` and the deprecated `pacts` relation, which pact_verifier still
//! reads.

use axum::extract::State;
use serde::Deserialize;
use serde_json::{json, Value};

use super::extract::PathParams;
use super::pacticipants::embedded;
use super::{urls, AppState};
use crate::error::{ApiError, ApiResult};
use crate::hal::{BaseUrl, Hal, Link};
use crate::storage::pacts::{self, ConsumerVersions, PublicationQuery};
use crate::storage::{pacticipants, PactPublication};

/// `/pacts/provider/{provider}`.
#[derive(Debug, Deserialize)]
pub struct ProviderPath {
    /// Provider name.
    pub provider: String,
}

/// `/pacts/provider/{provider}/.../{tag}`.
#[derive(Debug, Deserialize)]
pub struct ProviderTagPath {
    /// Provider name.
    pub provider: String,
    /// Consumer version tag.
    pub tag: String,
}

/// `/pacts/provider/{provider}/branch/{branch}`.
#[derive(Debug, Deserialize)]
pub struct ProviderBranchPath {
    /// Provider name.
    pub provider: String,
    /// Consumer version branch.
    pub branch: String,
}

async fn list(
    state: AppState,
    base: BaseUrl,
    self_segments: &[&str],
    provider: &str,
    versions: ConsumerVersions,
    latest: bool,
    title: String,
) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let p = pacticipants::find(&mut conn, provider)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("No provider with name '{provider}' found")))?;
    let found = pacts::publications(
        &mut conn,
        &PublicationQuery::for_provider(p.id).versions(versions).latest(latest),
    )
    .await?;
    Ok(Hal::ok(render_list(&base, &base.href(self_segments), &p.name, &found, title)))
}

/// The HAL list of pacts for a provider.
pub fn render_list(
    base: &BaseUrl,
    self_href: &str,
    provider: &str,
    found: &[PactPublication],
    title: String,
) -> Value {
    let describe = |pp: &PactPublication| {
        format!("Pact between {} ({}) and {}", pp.consumer_name, pp.consumer_version_number, pp.provider_name)
    };
    let href = |pp: &PactPublication| {
        urls::pact(base, &pp.provider_name, &pp.consumer_name, &pp.consumer_version_number)
    };
    let pb_pacts: Vec<Value> = found
        .iter()
        .map(|pp| Link::new(href(pp)).title(describe(pp)).name(pp.consumer_name.clone()).into())
        .collect();
    let deprecated: Vec<Value> = found
        .iter()
        .map(|pp| {
            Link::new(href(pp))
                .title(format!("DEPRECATED - please use the pb:pacts relation. {}", describe(pp)))
                .name(pp.consumer_name.clone())
                .into()
        })
        .collect();
    json!({
        "_links": {
            "self": Link::new(self_href).title(title),
            "pb:provider": Link::new(urls::pacticipant(base, provider)).name(provider),
            "pb:pacts": pb_pacts,
            "provider": Link::new(urls::pacticipant(base, provider)).title(provider).name("DEPRECATED - please use the pb:provider relation"),
            "pacts": deprecated,
        }
    })
}

/// `GET /pacts/provider/{p}/latest`: the latest pact of each consumer.
pub async fn latest(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ProviderPath>,
) -> ApiResult<Hal> {
    let title = format!("Latest pact versions for the provider {}", path.provider);
    list(
        state,
        base,
        &["pacts", "provider", &path.provider, "latest"],
        &path.provider,
        ConsumerVersions::All,
        true,
        title,
    )
    .await
}

/// `GET /pacts/provider/{p}/latest/{tag}`.
pub async fn latest_with_tag(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ProviderTagPath>,
) -> ApiResult<Hal> {
    let title = format!(
        "Latest pact versions for the provider {} with consumer version tag '{}'",
        path.provider, path.tag
    );
    list(
        state,
        base,
        &["pacts", "provider", &path.provider, "latest", &path.tag],
        &path.provider,
        ConsumerVersions::Tag(path.tag.clone()),
        true,
        title,
    )
    .await
}

/// `GET /pacts/provider/{p}`: every pact.
pub async fn all(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ProviderPath>,
) -> ApiResult<Hal> {
    let title = format!("All pact versions for the provider {}", path.provider);
    list(
        state,
        base,
        &["pacts", "provider", &path.provider],
        &path.provider,
        ConsumerVersions::All,
        false,
        title,
    )
    .await
}

/// `GET /pacts/provider/{p}/tag/{tag}`.
pub async fn with_tag(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ProviderTagPath>,
) -> ApiResult<Hal> {
    let title = format!(
        "All pact versions for the provider {} with consumer version tag '{}'",
        path.provider, path.tag
    );
    list(
        state,
        base,
        &["pacts", "provider", &path.provider, "tag", &path.tag],
        &path.provider,
        ConsumerVersions::Tag(path.tag.clone()),
        false,
        title,
    )
    .await
}

/// `GET /pacts/provider/{p}/branch`: every pact from the consumers' main branches.
pub async fn main_branches(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ProviderPath>,
) -> ApiResult<Hal> {
    let title =
        format!("All pact versions for the provider {} with the consumers' main branches", path.provider);
    list(
        state,
        base,
        &["pacts", "provider", &path.provider, "branch"],
        &path.provider,
        ConsumerVersions::MainBranch,
        false,
        title,
    )
    .await
}

/// `GET /pacts/provider/{p}/branch/latest`.
pub async fn latest_main_branches(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ProviderPath>,
) -> ApiResult<Hal> {
    let title =
        format!("Latest pact versions for the provider {} with the consumers' main branches", path.provider);
    list(
        state,
        base,
        &["pacts", "provider", &path.provider, "branch", "latest"],
        &path.provider,
        ConsumerVersions::MainBranch,
        true,
        title,
    )
    .await
}

/// `GET /pacts/provider/{p}/branch/{branch}`.
pub async fn with_branch(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ProviderBranchPath>,
) -> ApiResult<Hal> {
    let title = format!(
        "All pact versions for the provider {} with consumer version branch '{}'",
        path.provider, path.branch
    );
    list(
        state,
        base,
        &["pacts", "provider", &path.provider, "branch", &path.branch],
        &path.provider,
        ConsumerVersions::Branch(path.branch.clone()),
        false,
        title,
    )
    .await
}

/// `GET /pacts/provider/{p}/branch/{branch}/latest`.
pub async fn latest_with_branch(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ProviderBranchPath>,
) -> ApiResult<Hal> {
    let title = format!(
        "Latest pact versions for the provider {} with consumer version branch '{}'",
        path.provider, path.branch
    );
    list(
        state,
        base,
        &["pacts", "provider", &path.provider, "branch", &path.branch, "latest"],
        &path.provider,
        ConsumerVersions::Branch(path.branch.clone()),
        true,
        title,
    )
    .await
}

/// `GET /pacts/latest`: the latest pact of every consumer/provider pair.
pub async fn latest_of_every_pair(State(state): State<AppState>, base: BaseUrl) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let found = pacts::latest_of_every_pair(&mut conn).await?;
    let latest_href =
        |pp: &PactPublication| urls::pair(&base, &pp.provider_name, &pp.consumer_name, &["latest"]);
    let title =
        |pp: &PactPublication| format!("Latest pact between {} and {}", pp.consumer_name, pp.provider_name);
    let items: Vec<Value> = found
        .iter()
        .map(|pp| {
            json!({
                "createdAt": pp.created_at,
                "_embedded": {
                    "consumer": {
                        "name": pp.consumer_name,
                        "_links": {"self": Link::new(urls::pacticipant(&base, &pp.consumer_name))},
                        "_embedded": {"version": {"number": pp.consumer_version_number}},
                    },
                    "provider": {
                        "name": pp.provider_name,
                        "_links": {"self": Link::new(urls::pacticipant(&base, &pp.provider_name))},
                    },
                },
                "_links": {"self": [
                    Link::new(latest_href(pp)).title(title(pp)),
                    Link::new(urls::pact(&base, &pp.provider_name, &pp.consumer_name, &pp.consumer_version_number))
                        .title(format!("Pact between {} ({}) and {}", pp.consumer_name, pp.consumer_version_number, pp.provider_name)),
                ]},
            })
        })
        .collect();
    let pb: Vec<Value> = found.iter().map(|pp| Link::new(latest_href(pp)).title(title(pp)).into()).collect();
    let deprecated: Vec<Value> = found
        .iter()
        .map(|pp| {
            Link::new(latest_href(pp))
                .title(title(pp))
                .name("DEPRECATED - please use the pb:pacts relation")
                .into()
        })
        .collect();
    Ok(Hal::ok(json!({
        "_links": {
            "self": Link::new(base.href(&["pacts", "latest"])),
            "pb:pacts": pb,
            "pacts": deprecated,
            "curies": base.curies("pacts"),
        },
        "pacts": items,
    })))
}

/// `GET /integrations`: every consumer/provider pair with a pact.
pub async fn integrations(State(state): State<AppState>, base: BaseUrl) -> ApiResult<Hal> {
    let mut conn = state.storage.read().await?;
    let found = pacts::latest_of_every_pair(&mut conn).await?;
    let items: Vec<Value> = found
        .iter()
        .map(|pp| {
            json!({
                "consumer": embedded(&base, &pp.consumer_name),
                "provider": embedded(&base, &pp.provider_name),
                "_links": {
                    "pb:latest-pact": Link::new(urls::pair(&base, &pp.provider_name, &pp.consumer_name, &["latest"])),
                    "pb:matrix": Link::new(base.href_with_query(&["matrix"], &[("q[][pacticipant]", &pp.consumer_name), ("q[][pacticipant]", &pp.provider_name)])),
                },
            })
        })
        .collect();
    Ok(Hal::ok(json!({
        "_embedded": {"integrations": items},
        "_links": {"self": Link::new(base.href(&["integrations"]))},
    })))
}
