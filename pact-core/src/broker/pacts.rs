//! Fetching pacts to verify: the pacts-for-verification API (selectors, pending, WIP), the
//! latest pact of each consumer, or one pact URL.

use reqwest::Url;
use serde_json::{json, Value};

use super::hal::Resource;
use super::{BrokerClient, BrokerError};
use crate::model::Pact;

/// Which pacts a provider verifies, as the pacts-for-verification API takes it.
///
/// With no selectors, no consumer tags, no pending and no WIP, the latest pact of each consumer
/// is verified (`pb:latest-provider-pacts`), as pact_verifier_cli does; otherwise the broker
/// chooses (`pb:provider-pacts-for-verification`).
#[derive(Debug, Clone, Default)]
pub struct PactSelection {
    /// The provider's name.
    pub provider: String,
    /// Consumer version selectors, as JSON objects (`{"mainBranch": true}`,
    /// `{"branch": "feat-x"}`, `{"deployedOrReleased": true}`...).
    pub selectors: Vec<Value>,
    /// Consumer tags: each becomes `{"tag": t, "latest": true}`.
    pub consumer_tags: Vec<String>,
    /// The branch of the provider version being verified (pending is computed against it).
    pub provider_branch: Option<String>,
    /// The tags of the provider version being verified.
    pub provider_tags: Vec<String>,
    /// Ask the broker which pacts are pending.
    pub include_pending: bool,
    /// Include work-in-progress pacts published since this date (`2024-01-01`).
    pub include_wip_since: Option<String>,
}

impl PactSelection {
    /// Verification of the latest pacts of `provider`.
    pub fn provider(provider: impl Into<String>) -> Self {
        PactSelection { provider: provider.into(), ..Default::default() }
    }

    /// Whether the pacts-for-verification API is needed.
    pub fn needs_broker_selection(&self) -> bool {
        !self.selectors.is_empty()
            || !self.consumer_tags.is_empty()
            || self.include_pending
            || self.include_wip_since.is_some()
    }

    /// The body of the `POST` to pacts-for-verification.
    pub fn request_body(&self) -> Value {
        let mut selectors = self.selectors.clone();
        selectors.extend(self.consumer_tags.iter().map(|t| json!({"tag": t, "latest": true})));
        let mut body = json!({
            "consumerVersionSelectors": selectors,
            "includePendingStatus": self.include_pending,
        });
        if !self.provider_tags.is_empty() {
            body["providerVersionTags"] = json!(self.provider_tags);
        }
        if let Some(branch) = &self.provider_branch {
            body["providerVersionBranch"] = json!(branch);
        }
        if let Some(since) = &self.include_wip_since {
            body["includeWipPactsSince"] = json!(since);
        }
        body
    }
}

/// A notice the broker attaches to a pact for verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationNotice {
    /// When to show it: `before_verification`, or
    /// `after_verification:success_{true|false}_published_{true|false}`.
    pub when: String,
    /// The text.
    pub text: String,
}

/// A pact read from a broker, with what the broker said about it.
#[derive(Debug, Clone)]
pub struct BrokerPact {
    /// The pact's URL on the broker.
    pub url: Url,
    /// The pact.
    pub pact: Pact,
    /// Why it is verified (`latest from branch main`...).
    pub description: String,
    /// Pending: its failures do not fail the provider's build.
    pub pending: bool,
    /// Work in progress: included by `includeWipPactsSince`, not by a selector (pending when
    /// pending status was asked for, as the Pact docs require for WIP).
    pub wip: bool,
    /// The broker's notices.
    pub notices: Vec<VerificationNotice>,
    /// The pact resource as served (its `_links` lead to the provider and to where results go).
    pub resource: Resource,
}

impl BrokerPact {
    /// The notices to show at a moment (`before_verification`, or after with the outcome).
    pub fn notices_for(&self, when: &str) -> Vec<&str> {
        self.notices.iter().filter(|n| n.when == when).map(|n| n.text.as_str()).collect()
    }

    /// Why this pact's failures do not fail the build, when it is pending.
    pub fn pending_reason(&self) -> Option<String> {
        if !self.pending {
            return None;
        }
        let reason = self
            .notices
            .iter()
            .find(|n| n.when == "before_verification" && n.text.to_lowercase().contains("pending"))
            .map(|n| n.text.clone());
        Some(reason.unwrap_or_else(|| {
            if self.wip {
                "it is a work-in-progress pact: no selector chose it, and it has no successful verification by this provider branch yet".to_string()
            } else {
                "the broker marks it pending: it has no successful verification by this provider branch yet".to_string()
            }
        }))
    }
}

impl BrokerClient {
    /// The pacts a provider should verify.
    ///
    /// ```no_run
    /// use pact_core::broker::{BrokerClient, BrokerConfig, PactSelection};
    /// use serde_json::json;
    ///
    /// # async fn run() -> Result<(), pact_core::broker::BrokerError> {
    /// let client = BrokerClient::new(BrokerConfig::from_env()?)?;
    /// let selection = PactSelection {
    ///     selectors: vec![json!({"mainBranch": true}), json!({"deployedOrReleased": true})],
    ///     provider_branch: Some("main".into()),
    ///     include_pending: true,
    ///     include_wip_since: Some("2024-01-01".into()),
    ///     ..PactSelection::provider("UserService")
    /// };
    /// for pact in client.pacts_for_verification(&selection).await? {
    ///     println!("{} (pending: {})", pact.description, pact.pending);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn pacts_for_verification(
        &self,
        selection: &PactSelection,
    ) -> Result<Vec<BrokerPact>, BrokerError> {
        if selection.provider.trim().is_empty() {
            return Err(BrokerError::Config(
                "the provider name is needed to fetch pacts from a broker (--provider-name)".into(),
            ));
        }
        for selector in &selection.selectors {
            if !selector.is_object() {
                return Err(BrokerError::Config(format!(
                    "a consumer version selector must be a JSON object, such as {{\"mainBranch\": true}}; found {selector}"
                )));
            }
        }
        if selection.needs_broker_selection() {
            self.selected_pacts(selection).await
        } else {
            self.latest_pacts(&selection.provider).await
        }
    }

    async fn selected_pacts(&self, selection: &PactSelection) -> Result<Vec<BrokerPact>, BrokerError> {
        let provider = selection.provider.as_str();
        let url = self
            .index_link(
                &["pb:provider-pacts-for-verification", "beta:provider-pacts-for-verification"],
                &[("provider", provider)],
                Some("selectors, pending and WIP pacts need a broker with the pacts-for-verification API (2.60 or later)"),
            )
            .await?;
        let start = match self.get_optional(url.clone()).await? {
            Some(resource) => resource,
            None => {
                return Err(no_pacts(
                    provider,
                    &url,
                    vec![format!("the broker knows no provider {provider:?}")],
                ))
            }
        };
        let target = match start.link("self") {
            Some(link) => self.resolve(&link.href)?,
            None => url,
        };
        let answer = self.post(target.clone(), &selection.request_body()).await?;
        let entries = match answer.embedded("pacts") {
            Some(Value::Array(entries)) => entries.clone(),
            _ => {
                return Err(BrokerError::InvalidResponse {
                    url: target.to_string(),
                    message: "expected _embedded.pacts, an array".into(),
                })
            }
        };
        let mut pacts = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let href = entry.pointer("/_links/self/href").and_then(Value::as_str).ok_or_else(|| {
                BrokerError::InvalidResponse {
                    url: target.to_string(),
                    message: format!("_embedded.pacts[{i}] has no _links.self.href"),
                }
            })?;
            let properties = entry.get("verificationProperties");
            let flag =
                |name: &str| properties.and_then(|p| p.get(name)).and_then(Value::as_bool).unwrap_or(false);
            let notices = properties
                .and_then(|p| p.get("notices"))
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|n| {
                            Some(VerificationNotice {
                                when: n
                                    .get("when")
                                    .and_then(Value::as_str)
                                    .unwrap_or("before_verification")
                                    .to_string(),
                                text: n.get("text")?.as_str()?.to_string(),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut pact = self.fetch_pact(self.resolve(href)?).await?;
            pact.description = entry
                .get("shortDescription")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or(pact.description);
            pact.wip = flag("wip");
            // Pending only when the broker says so: it says so only when asked
            // (`includePendingStatus`), and a WIP pact without it fails the build, as it does
            // with the official verifier.
            pact.pending = flag("pending");
            pact.notices = notices;
            pacts.push(pact);
        }
        if pacts.is_empty() {
            let selectors = selection.request_body()["consumerVersionSelectors"].to_string();
            return Err(no_pacts(provider, &target, vec![format!("consumer version selectors {selectors}")]));
        }
        Ok(pacts)
    }

    async fn latest_pacts(&self, provider: &str) -> Result<Vec<BrokerPact>, BrokerError> {
        let url = self.index_link(&["pb:latest-provider-pacts"], &[("provider", provider)], None).await?;
        let list = match self.get_optional(url.clone()).await? {
            Some(list) => list,
            None => {
                return Err(no_pacts(
                    provider,
                    &url,
                    vec![format!("the broker knows no provider {provider:?}")],
                ))
            }
        };
        let mut links = list.links("pb:pacts");
        if links.is_empty() {
            links = list.links("pacts");
        }
        if links.is_empty() {
            return Err(no_pacts(provider, &list.url, Vec::new()));
        }
        let mut pacts = Vec::new();
        for link in links {
            let mut pact = self.fetch_pact(self.resolve(&link.href)?).await?;
            pact.description = format!("latest pact of {}", pact.pact.consumer);
            pacts.push(pact);
        }
        Ok(pacts)
    }

    /// Reads one pact from the broker (or any URL), keeping its links.
    pub async fn fetch_pact(&self, url: Url) -> Result<BrokerPact, BrokerError> {
        let resource = self.get(url.clone()).await?;
        let pact = Pact::from_value(&resource.body).map_err(|e| e.in_file(url.as_str()))?;
        let description = format!("pact between {} and {}", pact.consumer, pact.provider);
        Ok(BrokerPact { url, pact, description, pending: false, wip: false, notices: Vec::new(), resource })
    }

    /// The latest pact of every integration (`pb:latest-pact-versions`), as the broker lists
    /// them: consumer, consumer version, provider, creation date and URL.
    pub async fn latest_pact_versions(&self) -> Result<Vec<PactVersion>, BrokerError> {
        Ok(PactVersion::list(&self.latest_pact_versions_resource().await?))
    }

    /// The broker's own answer for `pb:latest-pact-versions` (what pact-broker-cli's
    /// `list-latest-pact-versions -o json` prints); [`PactVersion::list`] reads it.
    pub async fn latest_pact_versions_resource(&self) -> Result<Value, BrokerError> {
        let url = self.index_link(&["pb:latest-pact-versions"], &[], None).await?;
        Ok(self.get(url).await?.body)
    }
}

impl PactVersion {
    /// The entries of a `pb:latest-pact-versions` resource (its `pacts`); missing fields are
    /// empty.
    ///
    /// ```
    /// use pact_core::broker::PactVersion;
    /// let body = serde_json::json!({"pacts": [{
    ///     "_embedded": {"consumer": {"name": "C", "_embedded": {"version": {"number": "0.1"}}},
    ///                   "provider": {"name": "P"}},
    ///     "createdAt": "2024-01-01T00:00:00+00:00",
    ///     "_links": {"self": [{"href": "http://b/latest"}, {"href": "http://b/version/0.1"}]}
    /// }]});
    /// let list = PactVersion::list(&body);
    /// assert_eq!((list[0].consumer.as_str(), list[0].url.as_str()), ("C", "http://b/version/0.1"));
    /// ```
    pub fn list(body: &Value) -> Vec<PactVersion> {
        let items = body.get("pacts").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        items
            .iter()
            .map(|item| {
                let text = |pointer: &str| {
                    item.pointer(pointer).and_then(Value::as_str).unwrap_or_default().to_string()
                };
                PactVersion {
                    consumer: text("/_embedded/consumer/name"),
                    consumer_version: text("/_embedded/consumer/_embedded/version/number"),
                    provider: text("/_embedded/provider/name"),
                    created_at: text("/createdAt"),
                    // `self` is an array on the Ruby broker: the latest URL, then the version URL.
                    url: match item.pointer("/_links/self") {
                        Some(Value::Array(links)) => links
                            .iter()
                            .rev()
                            .find_map(|l| l.get("href").and_then(Value::as_str))
                            .unwrap_or_default()
                            .to_string(),
                        _ => text("/_links/self/href"),
                    },
                }
            })
            .collect()
    }
}

/// One entry of the latest pact versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PactVersion {
    /// The consumer.
    pub consumer: String,
    /// The consumer version.
    pub consumer_version: String,
    /// The provider.
    pub provider: String,
    /// When it was published.
    pub created_at: String,
    /// Its URL.
    pub url: String,
}

fn no_pacts(provider: &str, url: &Url, messages: Vec<String>) -> BrokerError {
    BrokerError::NoPacts { provider: provider.to_string(), url: url.to_string(), messages }
}
