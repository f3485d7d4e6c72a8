//! Pacticipant versions: what the broker knows about one version (branches, tags, where it is
//! deployed or released).

use serde_json::Value;

use super::{BrokerClient, BrokerError};

impl BrokerClient {
    /// A pacticipant version (`None` when the broker does not know it); without a version, the
    /// latest (with a tag: the latest with that tag).
    pub async fn describe_version(
        &self,
        pacticipant: &str,
        version: Option<&str>,
        latest_tag: Option<&str>,
    ) -> Result<Option<Value>, BrokerError> {
        let url = match (version, latest_tag) {
            (Some(version), _) => {
                self.index_link(
                    &["pb:pacticipant-version"],
                    &[("pacticipant", pacticipant), ("version", version)],
                    None,
                )
                .await?
            }
            (None, Some(tag)) => {
                self.index_link(
                    &["pb:latest-tagged-version"],
                    &[("pacticipant", pacticipant), ("tag", tag)],
                    None,
                )
                .await?
            }
            (None, None) => {
                self.index_link(&["pb:latest-version"], &[("pacticipant", pacticipant)], None).await?
            }
        };
        Ok(self.get_optional(url).await?.map(|r| r.body))
    }
}
