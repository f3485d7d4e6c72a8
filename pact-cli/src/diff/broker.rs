//! OLD from a Pact Broker: the pact NEW would replace.
//!
//! - `--branch B`: the latest pact of the consumer's branch B (a `{"branch", "consumer"}`
//!   selector of the pacts-for-verification API);
//! - `--environment E`: the pact of the consumer version deployed or released to E (an
//!   `{"environment", "consumer"}` selector);
//! - neither: the pact last verified successfully by a provider version of the provider's main
//!   branch (its pacticipant's `mainBranch`; from the matrix, the successful row with the latest
//!   `verifiedAt`).

use pact_core::broker::{BrokerClient, BrokerError, PactSelection};
use pact_core::model::Pact;
use serde_json::{json, Value};

use crate::failure::Failure;

/// Which pact on the broker is OLD.
#[derive(Debug, Clone, Default)]
pub struct OldSelector {
    /// The consumer's branch.
    pub branch: Option<String>,
    /// The environment the consumer is deployed or released to.
    pub environment: Option<String>,
}

/// The OLD pact and where it is, or `None` when the broker has none.
pub async fn fetch_old(
    client: &BrokerClient,
    consumer: &str,
    provider: &str,
    selector: &OldSelector,
) -> Result<Option<(String, Pact)>, Failure> {
    let chosen = match (&selector.branch, &selector.environment) {
        (Some(branch), _) => Some(json!({"branch": branch, "consumer": consumer})),
        (None, Some(environment)) => Some(json!({"environment": environment, "consumer": consumer})),
        (None, None) => None,
    };
    if let Some(selector) = chosen {
        let selection = PactSelection { selectors: vec![selector], ..PactSelection::provider(provider) };
        let pacts = match client.pacts_for_verification(&selection).await {
            Ok(pacts) => pacts,
            Err(BrokerError::NoPacts { .. }) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        return Ok(pacts
            .into_iter()
            .find(|p| p.pact.consumer == consumer)
            .map(|p| (format!("{} ({})", p.url, p.description), p.pact)));
    }
    last_verified_by_main_branch(client, consumer, provider).await
}

async fn last_verified_by_main_branch(
    client: &BrokerClient,
    consumer: &str,
    provider: &str,
) -> Result<Option<(String, Pact)>, Failure> {
    // The provider's main branch, from its pacticipant resource.
    let mut pacticipant = client.resolve("pacticipants")?;
    let shown = pacticipant.to_string();
    pacticipant
        .path_segments_mut()
        .map_err(|()| Failure::config(format!("{shown}: the broker URL cannot take a path")))?
        .pop_if_empty()
        .push(provider);
    let Some(resource) = client.get_optional(pacticipant).await? else { return Ok(None) };
    let Some(main) = resource.body.get("mainBranch").and_then(Value::as_str).map(str::to_string) else {
        tracing::info!("{provider} has no main branch on the broker");
        return Ok(None);
    };
    // Every verification by a version of that branch.
    let mut url = client.resolve("matrix")?;
    url.query_pairs_mut()
        .append_pair("q[][pacticipant]", provider)
        .append_pair("q[][branch]", &main)
        .append_pair("q[][pacticipant]", consumer)
        .append_pair("latestby", "cvpv");
    let answer = match client.get_optional(url.clone()).await? {
        Some(answer) => answer,
        None => return Ok(None),
    };
    let rows = answer.body.get("matrix").and_then(Value::as_array).cloned().unwrap_or_default();
    let text = |row: &Value, pointer: &str| row.pointer(pointer).and_then(Value::as_str).map(str::to_string);
    let best = rows
        .iter()
        .filter(|row| {
            text(row, "/consumer/name").as_deref() == Some(consumer)
                && text(row, "/provider/name").as_deref() == Some(provider)
                && row.pointer("/verificationResult/success").and_then(Value::as_bool) == Some(true)
        })
        .max_by_key(|row| text(row, "/verificationResult/verifiedAt").unwrap_or_default());
    let Some(row) = best else { return Ok(None) };
    let Some(href) = text(row, "/pact/_links/self/href") else {
        return Err(Failure::config(format!("{url}: a matrix row has no pact link (pact._links.self.href)")));
    };
    let fetched = client.fetch_pact(client.resolve(&href)?).await?;
    let provider_version = text(row, "/provider/version/number").unwrap_or_default();
    Ok(Some((
        format!("{} (last verified by {provider} {provider_version} of its main branch)", fetched.url),
        fetched.pact,
    )))
}
