//! Pacts for verification: which pacts a provider version must verify, given consumer version
//! selectors, and whether each is pending or work in progress (WIP).
//!
//! - Each selector picks consumer versions (the latest on a branch, with a tag, deployed to an
//!   environment...) and so the pacts those versions published for the provider.
//! - Pacts are deduplicated by content: several selectors (or consumer versions) with the same
//!   content give one entry listing every reason it was selected.
//! - **Pending**: a pact is pending when no provider version on `providerVersionBranch` has
//!   verified its content successfully (nor a version on another branch before that branch
//!   existed, which is how a new branch inherits its parent's state). With provider tags
//!   instead of a branch, the same per tag; with neither, when no provider version ever did.
//!   A pending pact's failure must not fail the provider's build.
//! - **WIP**: with `includeWipPactsSince`, the latest pact of every consumer branch and tag
//!   published since that date that no selector picked and that is pending for the provider
//!   branch (or tags) is added, pending and marked `wip`.

use std::collections::BTreeMap;

use crate::domain::selectors::Selector;
use crate::storage::pacts::{self, ConsumerVersions, PublicationQuery};
use crate::storage::{
    environments, pacticipants, verifications, Conn, PactPublication, Pacticipant, StorageError,
};

/// What the provider asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// `consumerVersionSelectors` (empty: the defaults).
    pub selectors: Vec<Selector>,
    /// `providerVersionBranch`.
    pub provider_version_branch: Option<String>,
    /// `providerVersionTags`.
    pub provider_version_tags: Vec<String>,
    /// `includePendingStatus`.
    pub include_pending_status: bool,
    /// `includeWipPactsSince`, in the stored timestamp form.
    pub include_wip_pacts_since: Option<String>,
}

/// Why a selector chose a consumer version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Criterion {
    /// `{"latest": true}`: the latest version of each consumer.
    OverallLatest,
    /// `{"tag", "latest": true}`; `fallback` is the fallback tag, when it was used.
    LatestForTag {
        /// The tag asked for.
        tag: String,
        /// The fallback tag used instead.
        fallback: Option<String>,
    },
    /// `{"mainBranch": true}`.
    LatestForMainBranch,
    /// `{"branch"}` or `{"matchingBranch": true}`; `fallback` is the fallback branch, when used.
    LatestForBranch {
        /// The branch asked for.
        branch: String,
        /// The fallback branch used instead.
        fallback: Option<String>,
    },
    /// `{"tag"}` without `latest`: every version with the tag.
    AllForTag {
        /// The tag.
        tag: String,
    },
    /// A version currently deployed to the environment.
    Deployed {
        /// The environment's name.
        environment: String,
    },
    /// A version released to the environment and still supported.
    Released {
        /// The environment's name.
        environment: String,
    },
}

/// One selector's choice of one consumer version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Why.
    pub criterion: Criterion,
    /// The `consumer` of the selector, if it named one.
    pub consumer: Option<String>,
    /// The chosen consumer version's id.
    pub consumer_version_id: i64,
    /// The chosen consumer version's number.
    pub consumer_version_number: String,
}

/// A pact to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiablePact {
    /// The publication of the latest consumer version among those selected for this content.
    pub publication: PactPublication,
    /// Every reason this content was selected.
    pub selections: Vec<Selection>,
    /// Whether the pact is pending for the provider version.
    pub pending: bool,
    /// Provider tags for which it is pending (when tags, not a branch, were given).
    pub pending_provider_tags: Vec<String>,
    /// Provider tags for which it is not pending.
    pub non_pending_provider_tags: Vec<String>,
    /// The provider branch it was evaluated for.
    pub provider_branch: Option<String>,
    /// Whether it is a work-in-progress pact.
    pub wip: bool,
    /// The consumer's main branch.
    pub consumer_main_branch: Option<String>,
}

/// Why pacts could not be chosen.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A selector named an environment that does not exist.
    #[error("environment with name '{0}' does not exist")]
    UnknownEnvironment(String),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Chooses the pacts `provider` must verify.
///
/// # Errors
///
/// An unknown environment in a selector, or a database failure.
pub async fn find(
    conn: &mut Conn,
    provider: &Pacticipant,
    request: &Request,
) -> Result<Vec<VerifiablePact>, Error> {
    let mut chosen: Vec<(PactPublication, Selection)> = Vec::new();
    if request.selectors.is_empty() {
        default_selections(conn, provider, &mut chosen).await?;
    } else {
        for selector in &request.selectors {
            select(conn, provider, selector, request.provider_version_branch.as_deref(), &mut chosen).await?;
        }
    }
    let mut grouped = group(chosen);
    pending_status(conn, provider, request, &mut grouped).await?;
    if let Some(since) = &request.include_wip_pacts_since {
        if request.provider_version_branch.is_some() || !request.provider_version_tags.is_empty() {
            let wip = wip_pacts(conn, provider, request, since, &grouped).await?;
            grouped.extend(wip);
        }
    }
    Ok(grouped)
}

fn selection(publication: &PactPublication, criterion: Criterion, consumer: Option<&String>) -> Selection {
    Selection {
        criterion,
        consumer: consumer.cloned(),
        consumer_version_id: publication.consumer_version_id,
        consumer_version_number: publication.consumer_version_number.clone(),
    }
}

async fn default_selections(
    conn: &mut Conn,
    provider: &Pacticipant,
    chosen: &mut Vec<(PactPublication, Selection)>,
) -> Result<(), Error> {
    let latest = pacts::publications(conn, &PublicationQuery::for_provider(provider.id).latest(true)).await?;
    for overall in latest {
        let consumer = pacticipants::find_by_id(conn, overall.consumer_id).await?;
        let main = consumer.and_then(|c| c.main_branch);
        let mut found = false;
        if let Some(main) = &main {
            let base =
                PublicationQuery::for_provider(provider.id).consumer(Some(overall.consumer_id)).latest(true);
            let on_branch =
                pacts::publications(conn, &base.clone().versions(ConsumerVersions::Branch(main.clone())))
                    .await?;
            for p in on_branch {
                chosen.push((p.clone(), selection(&p, Criterion::LatestForMainBranch, None)));
                found = true;
            }
            if !found {
                let tagged =
                    pacts::publications(conn, &base.versions(ConsumerVersions::Tag(main.clone()))).await?;
                for p in tagged {
                    let criterion = Criterion::LatestForTag { tag: main.clone(), fallback: None };
                    chosen.push((p.clone(), selection(&p, criterion, None)));
                    found = true;
                }
            }
        }
        if !found {
            chosen.push((overall.clone(), selection(&overall, Criterion::OverallLatest, None)));
        }
    }
    select(conn, provider, &Selector::deployed_or_released(), None, chosen).await
}

async fn select(
    conn: &mut Conn,
    provider: &Pacticipant,
    selector: &Selector,
    provider_branch: Option<&str>,
    chosen: &mut Vec<(PactPublication, Selection)>,
) -> Result<(), Error> {
    let consumer_id = match &selector.consumer {
        Some(name) => match pacticipants::find(conn, name).await? {
            Some(c) => Some(c.id),
            None => return Ok(()),
        },
        None => None,
    };
    let base = PublicationQuery::for_provider(provider.id).consumer(consumer_id);
    let consumer = selector.consumer.as_ref();
    let mut push = |publications: Vec<PactPublication>, criterion: Criterion| {
        for p in publications {
            let s = selection(&p, criterion.clone(), consumer);
            chosen.push((p, s));
        }
    };
    if selector.main_branch {
        let found =
            pacts::publications(conn, &base.versions(ConsumerVersions::MainBranch).latest(true)).await?;
        push(found, Criterion::LatestForMainBranch);
    } else if selector.branch.is_some() || selector.matching_branch {
        let Some(branch) = selector.branch.as_deref().or(provider_branch) else { return Ok(()) };
        let query = base.clone().versions(ConsumerVersions::Branch(branch.to_string())).latest(true);
        let found = pacts::publications(conn, &query).await?;
        match (&selector.fallback_branch, found.is_empty()) {
            (Some(fallback), true) => {
                let query = base.versions(ConsumerVersions::Branch(fallback.clone())).latest(true);
                let found = pacts::publications(conn, &query).await?;
                push(
                    found,
                    Criterion::LatestForBranch {
                        branch: branch.to_string(),
                        fallback: Some(fallback.clone()),
                    },
                );
            }
            _ => push(found, Criterion::LatestForBranch { branch: branch.to_string(), fallback: None }),
        }
    } else if let Some(tag) = &selector.tag {
        if selector.latest == Some(true) {
            let found = pacts::publications(
                conn,
                &base.clone().versions(ConsumerVersions::Tag(tag.clone())).latest(true),
            )
            .await?;
            match (&selector.fallback_tag, found.is_empty()) {
                (Some(fallback), true) => {
                    let query = base.versions(ConsumerVersions::Tag(fallback.clone())).latest(true);
                    let found = pacts::publications(conn, &query).await?;
                    push(
                        found,
                        Criterion::LatestForTag { tag: tag.clone(), fallback: Some(fallback.clone()) },
                    );
                }
                _ => push(found, Criterion::LatestForTag { tag: tag.clone(), fallback: None }),
            }
        } else {
            let found = pacts::publications(conn, &base.versions(ConsumerVersions::Tag(tag.clone()))).await?;
            push(found, Criterion::AllForTag { tag: tag.clone() });
        }
    } else if selector.deployed
        || selector.released
        || selector.deployed_or_released
        || selector.environment.is_some()
    {
        let envs = match &selector.environment {
            Some(name) => match environments::find_by_name(conn, name).await? {
                Some(env) => vec![env],
                None => return Err(Error::UnknownEnvironment(name.clone())),
            },
            None => environments::list(conn).await?,
        };
        let both = selector.deployed_or_released || !(selector.deployed || selector.released);
        for env in envs {
            if selector.deployed || both {
                let query = base.clone().versions(ConsumerVersions::Deployed(Some(env.name.clone())));
                let found = pacts::publications(conn, &query).await?;
                push(found, Criterion::Deployed { environment: env.name.clone() });
            }
            if selector.released || both {
                let query = base.clone().versions(ConsumerVersions::Released(Some(env.name.clone())));
                let found = pacts::publications(conn, &query).await?;
                push(found, Criterion::Released { environment: env.name.clone() });
            }
        }
    } else if selector.latest == Some(true) {
        let found = pacts::publications(conn, &base.latest(true)).await?;
        push(found, Criterion::OverallLatest);
    }
    Ok(())
}

/// One entry per consumer and content, newest consumer version as the representative.
fn group(chosen: Vec<(PactPublication, Selection)>) -> Vec<VerifiablePact> {
    let mut by_content: BTreeMap<(String, String), VerifiablePact> = BTreeMap::new();
    for (publication, selection) in chosen {
        let key = (publication.consumer_name.clone(), publication.sha.clone());
        match by_content.get_mut(&key) {
            Some(existing) => {
                if !existing.selections.contains(&selection) {
                    existing.selections.push(selection);
                }
                if publication.consumer_version_id > existing.publication.consumer_version_id {
                    existing.publication = publication;
                }
            }
            None => {
                by_content.insert(
                    key,
                    VerifiablePact {
                        publication,
                        selections: vec![selection],
                        pending: false,
                        pending_provider_tags: Vec::new(),
                        non_pending_provider_tags: Vec::new(),
                        provider_branch: None,
                        wip: false,
                        consumer_main_branch: None,
                    },
                );
            }
        }
    }
    let mut list: Vec<VerifiablePact> = by_content.into_values().collect();
    list.sort_by(|a, b| {
        (a.publication.consumer_name.as_str(), a.publication.consumer_version_id)
            .cmp(&(b.publication.consumer_name.as_str(), b.publication.consumer_version_id))
    });
    list
}

/// Pending status for the provider branch, or per provider tag, or overall, and each pact's
/// consumer's main branch, for every pact of an answer at once: a few statements (two per
/// provider tag), however many pacts.
async fn pending_status(
    conn: &mut Conn,
    provider: &Pacticipant,
    request: &Request,
    pacts: &mut [VerifiablePact],
) -> Result<(), Error> {
    let consumer_ids: Vec<i64> = pacts.iter().map(|p| p.publication.consumer_id).collect();
    let consumers = pacticipants::find_by_ids(conn, &consumer_ids).await?;
    for pact in pacts.iter_mut() {
        pact.consumer_main_branch =
            consumers.get(&pact.publication.consumer_id).and_then(|c| c.main_branch.clone());
    }
    let ids: Vec<i64> = pacts.iter().map(|p| p.publication.pact_version_id).collect();
    if let Some(branch) = &request.provider_version_branch {
        let verified = verifications::verified_for_branch(conn, &ids, provider.id, branch).await?;
        for pact in pacts.iter_mut() {
            pact.provider_branch = Some(branch.clone());
            pact.pending = !verified.contains(&pact.publication.pact_version_id);
        }
    } else if !request.provider_version_tags.is_empty() {
        for tag in &request.provider_version_tags {
            let verified = verifications::verified_for_tag(conn, &ids, provider.id, tag).await?;
            for pact in pacts.iter_mut() {
                if verified.contains(&pact.publication.pact_version_id) {
                    pact.non_pending_provider_tags.push(tag.clone());
                } else {
                    pact.pending_provider_tags.push(tag.clone());
                }
            }
        }
        for pact in pacts.iter_mut() {
            pact.pending = !pact.pending_provider_tags.is_empty();
        }
    } else {
        let verified = verifications::verified_ever(conn, &ids).await?;
        for pact in pacts.iter_mut() {
            pact.pending = !verified.contains(&pact.publication.pact_version_id);
        }
    }
    Ok(())
}

async fn wip_pacts(
    conn: &mut Conn,
    provider: &Pacticipant,
    request: &Request,
    since: &str,
    explicit: &[VerifiablePact],
) -> Result<Vec<VerifiablePact>, Error> {
    let mut heads: Vec<(PactPublication, Criterion)> = Vec::new();
    for (p, branch) in pacts::branch_heads(conn, provider.id).await? {
        heads.push((p, Criterion::LatestForBranch { branch, fallback: None }));
    }
    for (p, tag) in pacts::tag_heads(conn, provider.id).await? {
        heads.push((p, Criterion::LatestForTag { tag, fallback: None }));
    }
    let mut chosen = Vec::new();
    for (publication, criterion) in heads {
        if publication.created_at.as_str() < since {
            continue;
        }
        let explicitly_selected = explicit.iter().any(|e| {
            e.publication.consumer_id == publication.consumer_id && e.publication.sha == publication.sha
        });
        if explicitly_selected {
            continue;
        }
        let s = selection(&publication, criterion, None);
        chosen.push((publication, s));
    }
    let mut wip = group(chosen);
    pending_status(conn, provider, request, &mut wip).await?;
    wip.retain(|pact| pact.pending);
    for pact in &mut wip {
        pact.wip = true;
    }
    Ok(wip)
}
