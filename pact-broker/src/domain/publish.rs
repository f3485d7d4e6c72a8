//! Publishing one pact for a consumer version, shared by `PUT /pacts/...`, `PATCH /pacts/...`
//! and `POST /contracts/publish`. Runs inside the caller's transaction.
//!
//! - New content for the pair is stored once, under its hash; identical content published
//!   again (by another consumer version, or the same one) reuses the stored row.
//! - The same consumer version publishing the same content again changes nothing.
//! - Different content for a consumer version that already has a pact with the provider is a
//!   conflict (409), as in the official broker with `allow_dangerous_contract_modification`
//!   off; with it on, the content is replaced. A merge instead adds the new interactions.

use crate::domain::pact_content::{self, MergeConflict, PactContent};
use crate::events::Event;
use crate::storage::{
    pacticipants, pacts, versions, Conn, PactPublication, Pacticipant, StorageError, Version,
};

/// What to do when the consumer version already has a different pact with the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflict {
    /// Replace it, if modification is allowed; otherwise refuse (409).
    Overwrite,
    /// Add the new interactions to it (409 if one of them changed).
    Merge,
}

/// A pact to publish.
#[derive(Debug, Clone)]
pub struct PublishPact<'a> {
    /// Consumer name.
    pub consumer: &'a str,
    /// Provider name.
    pub provider: &'a str,
    /// Consumer version number.
    pub consumer_version: &'a str,
    /// The validated content.
    pub content: PactContent,
    /// Conflict handling.
    pub on_conflict: OnConflict,
    /// `allow_dangerous_contract_modification`.
    pub allow_modification: bool,
}

/// What a publish did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new publication.
    Created,
    /// The same content was already published for this version: nothing changed.
    Unchanged,
    /// The content of the publication was replaced.
    Replaced,
    /// New interactions were merged into the publication.
    Merged,
}

/// The result of a publish.
#[derive(Debug, Clone)]
pub struct Published {
    /// The consumer.
    pub consumer: Pacticipant,
    /// The provider.
    pub provider: Pacticipant,
    /// The consumer version.
    pub version: Version,
    /// The publication, after the publish.
    pub publication: PactPublication,
    /// What happened.
    pub outcome: Outcome,
    /// The official broker's `contract_content_changed`: a new publication whose content
    /// differs from the previous one with each of the version's tags (or, for an untagged
    /// version, from the previous untagged one), or is the first with one of them; or a
    /// publication whose content was replaced or merged.
    pub content_changed: bool,
    /// The content was never stored for this pair before.
    pub new_content: bool,
}

impl Published {
    /// The `contract_published` event of this publish.
    pub fn event(&self, branch: Option<&str>, tags: &[String]) -> Event {
        Event::ContractPublished {
            consumer: self.consumer.name.clone(),
            provider: self.provider.name.clone(),
            consumer_version: self.version.number.clone(),
            branch: branch.map(str::to_string),
            tags: tags.to_vec(),
            sha: self.publication.sha.clone(),
            content_changed: self.content_changed,
            new_content: self.new_content,
        }
    }
}

/// Why a publish was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    /// Different content for an existing publication.
    #[error("{0}")]
    Conflict(String),
    /// A merged interaction changed.
    #[error(transparent)]
    Merge(#[from] MergeConflict),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The official broker's message for a refused content change.
pub fn conflict_message(consumer: &str, version: &str, provider: &str) -> String {
    format!(
        "Cannot change the content of the pact for {consumer} version {version} and provider {provider}, as race \
         conditions will cause unreliable results for can-i-deploy. Each pact must be published with a unique \
         consumer version number. Some Pact libraries generate random data when a concrete value for a type \
         matcher is not specified, and this can cause the contract to mistakenly appear to have changed. For more \
         information see https://docs.pact.io/go/versioning"
    )
}

/// Publishes a pact inside the caller's transaction.
///
/// # Errors
///
/// A conflict (see the module documentation) or a database failure.
pub async fn publish(conn: &mut Conn, request: PublishPact<'_>) -> Result<Published, PublishError> {
    let (consumer, _) = pacticipants::find_or_create(conn, request.consumer).await?;
    let (version, created) = versions::find_or_create(conn, &consumer, request.consumer_version).await?;
    publish_for_version(conn, consumer, version, created, request).await
}

/// [`publish`], for a consumer and consumer version the caller found or created in this
/// transaction already (`request.consumer` and `request.consumer_version` are theirs);
/// `version_created` says that the version was created in this transaction, so that it has no
/// pact yet.
///
/// # Errors
///
/// A conflict (see the module documentation) or a database failure.
pub async fn publish_for_version(
    conn: &mut Conn,
    consumer: Pacticipant,
    version: Version,
    version_created: bool,
    request: PublishPact<'_>,
) -> Result<Published, PublishError> {
    let (provider, _) = pacticipants::find_or_create(conn, request.provider).await?;
    let existing =
        if version_created { None } else { pacts::find_publication(conn, version.id, provider.id).await? };

    let (content, outcome, existing_publication) = match existing {
        None => (request.content, Outcome::Created, None),
        Some(publication) => {
            let stored = pacts::pact_version(conn, publication.pact_version_id).await?.ok_or_else(|| {
                StorageError::Corrupt(format!("pact version {} is missing", publication.pact_version_id))
            })?;
            match request.on_conflict {
                OnConflict::Merge => {
                    let stored_value: serde_json::Value = serde_json::from_str(&stored.content)
                        .map_err(|e| StorageError::Corrupt(format!("stored pact {}: {e}", stored.sha)))?;
                    let new_value: serde_json::Value = serde_json::from_str(&request.content.canonical)
                        .map_err(|e| {
                            StorageError::Corrupt(format!("canonical pact {}: {e}", request.content.sha))
                        })?;
                    let merged = pact_content::from_value(&pact_content::merge(&stored_value, &new_value)?);
                    if merged.sha == stored.sha {
                        (merged, Outcome::Unchanged, Some(publication))
                    } else {
                        (merged, Outcome::Merged, Some(publication))
                    }
                }
                OnConflict::Overwrite => {
                    if request.content.sha == stored.sha {
                        (request.content, Outcome::Unchanged, Some(publication))
                    } else if request.allow_modification {
                        (request.content, Outcome::Replaced, Some(publication))
                    } else {
                        return Err(PublishError::Conflict(conflict_message(
                            &consumer.name,
                            &version.number,
                            &provider.name,
                        )));
                    }
                }
            }
        }
    };

    let known = pacts::find_pact_version(conn, consumer.id, provider.id, &content.sha).await?;
    let new_content = known.is_none();
    let pact_version = match known {
        Some(pv) => pv,
        None => {
            pacts::insert_pact_version(conn, consumer.id, provider.id, &content.sha, &content.canonical)
                .await?
        }
    };
    let publication = match (outcome, existing_publication) {
        (Outcome::Unchanged, Some(publication)) => publication,
        (_, Some(publication)) => {
            pacts::replace_content(conn, publication.id, pact_version.id).await?;
            pacts::find_publication(conn, version.id, provider.id)
                .await?
                .ok_or_else(|| StorageError::Corrupt("pact publication vanished after update".into()))?
        }
        (_, None) => pacts::create_publication(conn, &consumer, &provider, &version, &pact_version).await?,
    };
    let content_changed = match outcome {
        Outcome::Unchanged => false,
        Outcome::Replaced | Outcome::Merged => true,
        Outcome::Created => changed_since_previous(conn, &publication).await?,
    };
    Ok(Published { consumer, provider, version, publication, outcome, content_changed, new_content })
}

/// Whether a new publication's content differs from the previous publication of the pair with
/// each tag of its consumer version (or the previous untagged one), as the official broker
/// decides `contract_content_changed`.
async fn changed_since_previous(
    conn: &mut Conn,
    publication: &PactPublication,
) -> Result<bool, StorageError> {
    let by_tag = pacts::previous_shas_by_tag(
        conn,
        publication.consumer_id,
        publication.provider_id,
        publication.consumer_version_id,
    )
    .await?;
    if !by_tag.is_empty() {
        return Ok(by_tag.iter().any(|previous| previous.as_deref() != Some(publication.sha.as_str())));
    }
    let previous = pacts::previous_publication(
        conn,
        publication.consumer_id,
        publication.provider_id,
        publication.consumer_version_id,
        None,
    )
    .await?;
    Ok(previous.is_none_or(|p| p.sha != publication.sha))
}
