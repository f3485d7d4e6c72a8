//! Publishing verification results through each pact's own `pb:publish-verification-results`
//! link, after recording the provider version's branch (`pb:branch-version`) and tags
//! (`pb:version-tag`) through the provider's links.

use serde_json::{json, Value};

use super::{BrokerClient, BrokerError, BrokerPact};

/// The provider version a verification ran against.
#[derive(Debug, Clone, Default)]
pub struct ProviderVersion {
    /// The version number (required to publish).
    pub version: String,
    /// Its branch.
    pub branch: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// The URL of the build that verified.
    pub build_url: Option<String>,
}

/// The result of verifying one pact, as the broker stores it.
#[derive(Debug, Clone)]
pub struct VerificationResult {
    /// Whether every interaction passed (pending or not: the broker records the truth).
    pub success: bool,
    /// One entry per interaction: `interactionId`, `interactionDescription`, `success`,
    /// `mismatches` (`attribute`, `identifier`, `description`), `exceptions`.
    pub test_results: Vec<Value>,
}

impl BrokerClient {
    /// Publishes the result of verifying `pact`, and returns the URL of the stored result.
    pub async fn publish_verification_results(
        &self,
        pact: &BrokerPact,
        provider: &ProviderVersion,
        result: &VerificationResult,
    ) -> Result<Option<String>, BrokerError> {
        let version = provider.version.trim();
        if version.is_empty() || version.contains(['\n', '\r']) {
            return Err(BrokerError::Config(
                "publishing verification results needs the provider version (--provider-version or --provider-app-version)".into(),
            ));
        }
        if provider.branch.is_some() || !provider.tags.is_empty() {
            let provider_link = pact.resource.require("pb:provider", None)?;
            let pacticipant = self.get(self.resolve(&provider_link.href)?).await?;
            if let Some(branch) = &provider.branch {
                let link = pacticipant.require(
                    "pb:branch-version",
                    Some("recording the provider branch needs a broker of version 2.86 or later"),
                )?;
                let url = self.resolve(&link.expand(&[("branch", branch), ("version", version)])?)?;
                self.put(url, &json!({})).await?;
            }
            for tag in &provider.tags {
                let link = pacticipant.require("pb:version-tag", None)?;
                let url = self.resolve(&link.expand(&[("version", version), ("tag", tag)])?)?;
                self.put(url, &json!({})).await?;
            }
        }
        let link = pact.resource.require(
            "pb:publish-verification-results",
            Some("results can only be published for pacts read from a Pact Broker"),
        )?;
        let url = self.resolve(&link.expand(&[])?)?;
        let mut body = json!({
            "success": result.success,
            "providerApplicationVersion": version,
            "verifiedBy": {"implementation": "pact-rs", "version": env!("CARGO_PKG_VERSION")},
            "testResults": result.test_results,
        });
        if let Some(build_url) = &provider.build_url {
            body["buildUrl"] = json!(build_url);
        }
        let answer = self.send(reqwest::Method::POST, url, Some(&body)).await?;
        let stored = answer
            .body
            .pointer("/_links/self/href")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or(answer.location);
        Ok(stored)
    }
}
