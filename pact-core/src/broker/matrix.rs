//! can-i-deploy: the broker's matrix of consumer and provider versions and their verification
//! results, queried as pact-broker-cli does (`GET /matrix` with Rack-style selectors).

use std::time::Duration;

use reqwest::Url;
use serde_json::Value;

use super::{BrokerClient, BrokerError, Notice};

/// One pacticipant version to check (`--pacticipant Foo --version 1.2.3`, `--latest`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// The pacticipant's name.
    pub pacticipant: String,
    /// A version number.
    pub version: Option<String>,
    /// The latest version (with `latest_tag`: the latest with that tag).
    pub latest: bool,
    /// With `latest`, the tag.
    pub latest_tag: Option<String>,
    /// The latest version of a branch.
    pub branch: Option<String>,
    /// Versions with a tag.
    pub tag: Option<String>,
    /// The latest version of the pacticipant's main branch.
    pub main_branch: bool,
}

impl Selector {
    /// A pacticipant version.
    pub fn version(pacticipant: impl Into<String>, version: impl Into<String>) -> Self {
        Selector { pacticipant: pacticipant.into(), version: Some(version.into()), ..Default::default() }
    }
}

/// A can-i-deploy question.
#[derive(Debug, Clone, Default)]
pub struct CanIDeploy {
    /// What is to be deployed (usually one pacticipant version).
    pub selectors: Vec<Selector>,
    /// Into which environment.
    pub to_environment: Option<String>,
    /// With the latest versions carrying this tag (the older, tag-based form).
    pub to_tag: Option<String>,
    /// Pacticipants (optionally one version of each) left out of the decision.
    pub ignore: Vec<(String, Option<String>)>,
    /// Ask whether it can be merged into the main branch (can-i-merge).
    pub main_branch: bool,
}

/// The broker's answer.
#[derive(Debug, Clone)]
pub struct Matrix {
    /// `Some(true)` deployable, `Some(false)` not, `None` unknown (results missing).
    pub deployable: Option<bool>,
    /// The broker's reason.
    pub reason: String,
    /// The broker's notices.
    pub notices: Vec<Notice>,
    /// The rows.
    pub rows: Vec<MatrixRow>,
    /// The URL that was asked.
    pub url: Url,
    /// The whole answer.
    pub body: Value,
}

/// One row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    /// The consumer.
    pub consumer: String,
    /// The consumer version.
    pub consumer_version: Option<String>,
    /// The provider.
    pub provider: String,
    /// The provider version, when verified.
    pub provider_version: Option<String>,
    /// The verification's outcome, when there is one.
    pub success: Option<bool>,
    /// The verification result's URL.
    pub verification_url: Option<String>,
    /// Whether the row was ignored.
    pub ignored: bool,
}

impl CanIDeploy {
    /// The `/matrix` query, built as pact-broker-cli builds it.
    pub fn query(&self) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = Vec::new();
        let mut push = |k: &str, v: &str| q.push((k.to_string(), v.to_string()));
        for s in &self.selectors {
            push("q[][pacticipant]", &s.pacticipant);
            if let Some(version) = &s.version {
                push("q[][version]", version);
            }
            if s.latest {
                push("q[][latest]", "true");
                if let Some(tag) = &s.latest_tag {
                    push("q[][tag]", tag);
                }
            }
            if let Some(branch) = &s.branch {
                push("q[][branch]", branch);
            }
            if let Some(tag) = &s.tag {
                push("q[][tag]", tag);
            }
            if s.main_branch {
                push("q[][mainBranch]", "true");
            }
        }
        for (pacticipant, version) in &self.ignore {
            push("ignore[][pacticipant]", pacticipant);
            if let Some(version) = version {
                push("ignore[][version]", version);
            }
        }
        if let Some(tag) = &self.to_tag {
            push("tag", tag);
        }
        let latestby = if self.to_environment.is_some() || self.selectors.len() > 1 { "cvpv" } else { "cvp" };
        push("latestby", latestby);
        if let Some(environment) = &self.to_environment {
            push("environment", environment);
        }
        if self.to_environment.is_none() && self.selectors.len() == 1 {
            push("latest", "true");
        }
        if self.main_branch {
            push("mainBranch", "true");
        }
        q
    }
}

impl BrokerClient {
    /// Asks the broker whether the selected versions can be deployed.
    ///
    /// ```no_run
    /// use pact_core::broker::{BrokerClient, BrokerConfig, CanIDeploy, Selector};
    ///
    /// # async fn run() -> Result<(), pact_core::broker::BrokerError> {
    /// let client = BrokerClient::new(BrokerConfig::new("http://127.0.0.1:9292"))?;
    /// let question = CanIDeploy {
    ///     selectors: vec![Selector::version("UserServiceClient", "0.1")],
    ///     to_environment: Some("production".into()),
    ///     ..Default::default()
    /// };
    /// let matrix = client.can_i_deploy(&question).await?;
    /// println!("deployable: {:?} ({})", matrix.deployable, matrix.reason);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn can_i_deploy(&self, question: &CanIDeploy) -> Result<Matrix, BrokerError> {
        if question.selectors.is_empty() {
            return Err(BrokerError::Config("can-i-deploy needs at least one --pacticipant".into()));
        }
        if question.to_environment.is_some() && question.to_tag.is_some() {
            return Err(BrokerError::Config("give --to-environment or --to, not both".into()));
        }
        let mut url = self.matrix_url()?;
        url.query_pairs_mut().extend_pairs(question.query());
        self.matrix(url).await
    }

    /// Asks can-i-deploy until the answer is known (`deployable` is not `None`), at most
    /// `1 + retries` times, `interval` apart.
    pub async fn can_i_deploy_polling(
        &self,
        question: &CanIDeploy,
        retries: u32,
        interval: Duration,
    ) -> Result<Matrix, BrokerError> {
        let mut matrix = self.can_i_deploy(question).await?;
        for attempt in 0..retries {
            if matrix.deployable.is_some() {
                break;
            }
            tracing::info!(attempt = attempt + 1, "results are missing; asking again in {interval:?}");
            tokio::time::sleep(interval).await;
            matrix = self.can_i_deploy(question).await?;
        }
        Ok(matrix)
    }

    /// The matrix of every verification of one pacticipant version (as the matrix page of the
    /// broker shows it): `/matrix?q[][pacticipant]=P&q[][version]=V&latestby=cvpv`.
    pub async fn matrix_for_version(&self, pacticipant: &str, version: &str) -> Result<Matrix, BrokerError> {
        self.matrix(self.matrix_page_url(pacticipant, version)?).await
    }

    /// The URL of the matrix of one pacticipant version, for a person to open.
    pub fn matrix_page_url(&self, pacticipant: &str, version: &str) -> Result<Url, BrokerError> {
        let mut url = self.matrix_url()?;
        url.query_pairs_mut()
            .append_pair("q[][pacticipant]", pacticipant)
            .append_pair("q[][version]", version)
            .append_pair("latestby", "cvpv");
        Ok(url)
    }

    fn matrix_url(&self) -> Result<Url, BrokerError> {
        // The matrix has no index relation; pact-broker-cli also asks /matrix below the base URL.
        self.resolve("matrix")
    }

    async fn matrix(&self, url: Url) -> Result<Matrix, BrokerError> {
        let answer = self.get(url.clone()).await?;
        let body = answer.body;
        let deployable = body.pointer("/summary/deployable").and_then(Value::as_bool);
        let reason = body.pointer("/summary/reason").and_then(Value::as_str).unwrap_or_default().to_string();
        let rows = body
            .get("matrix")
            .and_then(Value::as_array)
            .map(|rows| rows.iter().map(row).collect())
            .unwrap_or_default();
        Ok(Matrix { deployable, reason, notices: Notice::list(&body), rows, url, body })
    }
}

fn row(value: &Value) -> MatrixRow {
    let text = |pointer: &str| value.pointer(pointer).and_then(Value::as_str).map(str::to_string);
    MatrixRow {
        consumer: text("/consumer/name").unwrap_or_default(),
        consumer_version: text("/consumer/version/number"),
        provider: text("/provider/name").unwrap_or_default(),
        provider_version: text("/provider/version/number"),
        success: value.pointer("/verificationResult/success").and_then(Value::as_bool),
        verification_url: text("/verificationResult/_links/self/href"),
        ignored: value.get("ignored").and_then(Value::as_bool).unwrap_or(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &CanIDeploy) -> String {
        q.query().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
    }

    #[test]
    fn queries_are_those_of_pact_broker_cli() {
        let one = CanIDeploy { selectors: vec![Selector::version("Foo", "1")], ..Default::default() };
        assert_eq!(query(&one), "q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&latest=true");
        let env = CanIDeploy { to_environment: Some("production".into()), ..one.clone() };
        assert_eq!(query(&env), "q[][pacticipant]=Foo&q[][version]=1&latestby=cvpv&environment=production");
        let tag = CanIDeploy { to_tag: Some("prod".into()), ..one.clone() };
        assert_eq!(query(&tag), "q[][pacticipant]=Foo&q[][version]=1&tag=prod&latestby=cvp&latest=true");
        let two = CanIDeploy {
            selectors: vec![
                Selector::version("Foo", "1"),
                Selector {
                    pacticipant: "Bar".into(),
                    latest: true,
                    latest_tag: Some("main".into()),
                    ..Default::default()
                },
            ],
            ignore: vec![("Baz".into(), None)],
            ..Default::default()
        };
        assert_eq!(
            query(&two),
            "q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][latest]=true&q[][tag]=main&ignore[][pacticipant]=Baz&latestby=cvpv"
        );
    }

    #[test]
    fn rows_without_verification_are_unknown() {
        let r = row(&serde_json::json!({
            "consumer": {"name": "C", "version": {"number": "1"}},
            "provider": {"name": "P", "version": null},
            "verificationResult": null
        }));
        assert_eq!(r.provider_version, None);
        assert_eq!(r.success, None);
    }
}
