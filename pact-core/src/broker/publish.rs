//! Publishing pacts: `POST` to `pb:publish-contracts`, or on brokers older than 2.86 the
//! classic `PUT` to `pb:publish-pact` (with the branch and tags set first).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::{json, Value};

use super::{BrokerClient, BrokerError, Notice};
use crate::model::{Pact, ReadOptions};

/// A pact to publish: its consumer and provider, and the exact bytes to send.
#[derive(Debug, Clone)]
pub struct Contract {
    /// The consumer's name.
    pub consumer: String,
    /// The provider's name.
    pub provider: String,
    /// The pact JSON, as written.
    pub content: Vec<u8>,
    /// Where it came from (files, for messages).
    pub sources: Vec<PathBuf>,
}

/// What a publication sets on the consumer version.
#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    /// The consumer version (required).
    pub version: String,
    /// The consumer version's branch.
    pub branch: Option<String>,
    /// Tags for the consumer version.
    pub tags: Vec<String>,
    /// The URL of the build that made the pacts.
    pub build_url: Option<String>,
    /// Merge into a pact already published for this version instead of replacing it.
    pub merge: bool,
}

/// The result of publishing one pact.
#[derive(Debug, Clone)]
pub struct Published {
    /// The consumer.
    pub consumer: String,
    /// The provider.
    pub provider: String,
    /// The broker's notices (`pb:publish-contracts`), or ours for the classic flow.
    pub notices: Vec<Notice>,
    /// The URLs of the published pacts, when the broker gave them.
    pub pact_urls: Vec<String>,
    /// Whether the classic `PUT` flow was used (a broker older than 2.86).
    pub classic: bool,
}

/// Reads pact files to publish from files, directories (their `*.json` files) and simple
/// patterns (`pacts/*.json`: `*` and `?` in the last path component). Pacts of the same
/// consumer and provider are merged into one; two different interactions under the same
/// description and provider states are an error.
pub fn load_contracts(inputs: &[String]) -> Result<Vec<Contract>, BrokerError> {
    let mut files = Vec::new();
    for input in inputs {
        files.extend(expand(input)?);
    }
    if files.is_empty() {
        return Err(BrokerError::Config(format!("no pact files found in {}", inputs.join(", "))));
    }
    files.sort();
    files.dedup();
    // (consumer, provider) -> the files of that pair: path, bytes, parsed pact.
    type Files = Vec<(PathBuf, Vec<u8>, Pact)>;
    let mut pairs: BTreeMap<(String, String), Files> = BTreeMap::new();
    for file in files {
        let bytes = read_bounded(&file)?;
        let pact = Pact::from_slice_with(&bytes, ReadOptions::default()).map_err(|e| e.in_file(&file))?;
        if pact.consumer.trim().is_empty() || pact.provider.trim().is_empty() {
            return Err(BrokerError::Config(format!(
                "{}: the pact needs consumer and provider names to be published",
                file.display()
            )));
        }
        pairs.entry((pact.consumer.clone(), pact.provider.clone())).or_default().push((file, bytes, pact));
    }
    let mut contracts = Vec::new();
    for ((consumer, provider), mut group) in pairs {
        if group.len() == 1 {
            let (file, content, _) = group.remove(0);
            contracts.push(Contract { consumer, provider, content, sources: vec![file] });
            continue;
        }
        let sources: Vec<PathBuf> = group.iter().map(|(f, _, _)| f.clone()).collect();
        let mut merged = group[0].2.clone();
        for (file, _, pact) in group.iter().skip(1) {
            for interaction in &pact.interactions {
                let same_key = merged.interactions.iter().find(|i| {
                    i.description() == interaction.description()
                        && i.provider_states() == interaction.provider_states()
                });
                match same_key {
                    Some(existing) if existing == interaction => {}
                    Some(_) => {
                        return Err(BrokerError::Config(format!(
                            "{}: the interaction {:?} differs from the one with the same description and provider states in {}",
                            file.display(),
                            interaction.description(),
                            sources[0].display()
                        )))
                    }
                    None => merged.interactions.push(interaction.clone()),
                }
            }
            merged.spec_version = merged.spec_version.max(pact.spec_version);
        }
        let version = merged.spec_version.max(crate::model::SpecVersion::V3);
        let content = merged.to_json_string(version)?.into_bytes();
        contracts.push(Contract { consumer, provider, content, sources });
    }
    Ok(contracts)
}

fn read_bounded(file: &Path) -> Result<Vec<u8>, BrokerError> {
    use std::io::Read as _;
    let limit = ReadOptions::default().max_file_bytes;
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|source| BrokerError::Io { path: file.to_path_buf(), source })?;
    if bytes.len() as u64 > limit {
        return Err(BrokerError::Config(format!("{}: larger than {limit} bytes", file.display())));
    }
    Ok(bytes)
}

fn expand(input: &str) -> Result<Vec<PathBuf>, BrokerError> {
    let path = Path::new(input);
    let json_files = |dir: &Path, pattern: Option<&str>| -> Result<Vec<PathBuf>, BrokerError> {
        let entries =
            std::fs::read_dir(dir).map_err(|source| BrokerError::Io { path: dir.to_path_buf(), source })?;
        Ok(entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                match pattern {
                    Some(pattern) => wildcard(pattern, name),
                    None => name.ends_with(".json"),
                }
            })
            .collect())
    };
    if path.is_dir() {
        return json_files(path, None);
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if name.contains(['*', '?']) {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        return json_files(dir, Some(name));
    }
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    Err(BrokerError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
    })
}

/// `*` matches any run of characters, `?` one character.
fn wildcard(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

fn check_options(options: &PublishOptions) -> Result<(), BrokerError> {
    let single_line = |what: &str, value: &str| {
        if value.trim().is_empty() || value.contains(['\n', '\r']) {
            Err(BrokerError::Config(format!("{what} must be a non-blank single line, found {value:?}")))
        } else {
            Ok(())
        }
    };
    single_line("the consumer version (--consumer-app-version)", &options.version)?;
    if let Some(branch) = &options.branch {
        single_line("the branch", branch)?;
    }
    for tag in &options.tags {
        single_line("a tag", tag)?;
    }
    if let Some(url) = &options.build_url {
        single_line("the build URL", url)?;
    }
    Ok(())
}

impl BrokerClient {
    /// Publishes pacts: one `POST` to `pb:publish-contracts` per consumer and provider, or the
    /// classic flow on a broker that does not offer it.
    ///
    /// ```no_run
    /// use pact_core::broker::{load_contracts, BrokerClient, BrokerConfig, PublishOptions};
    ///
    /// # async fn run() -> Result<(), pact_core::broker::BrokerError> {
    /// let client = BrokerClient::new(BrokerConfig::new("http://127.0.0.1:9292"))?;
    /// let contracts = load_contracts(&["pacts".to_string()])?;
    /// let options = PublishOptions { version: "0.1".into(), branch: Some("main".into()), ..Default::default() };
    /// for published in client.publish(&contracts, &options).await? {
    ///     println!("{} -> {}: {:?}", published.consumer, published.provider, published.pact_urls);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn publish(
        &self,
        contracts: &[Contract],
        options: &PublishOptions,
    ) -> Result<Vec<Published>, BrokerError> {
        check_options(options)?;
        let index = self.index().await?;
        let mut out = Vec::new();
        match index.link("pb:publish-contracts") {
            Some(link) => {
                let url = self.resolve(&link.expand(&[])?)?;
                for contract in contracts {
                    out.push(self.publish_contract(url.clone(), contract, options).await?);
                }
            }
            None => {
                tracing::info!("the broker offers no pb:publish-contracts; publishing with the classic PUT");
                for contract in contracts {
                    out.push(self.publish_classic(contract, options).await?);
                }
            }
        }
        Ok(out)
    }

    async fn publish_contract(
        &self,
        url: reqwest::Url,
        contract: &Contract,
        options: &PublishOptions,
    ) -> Result<Published, BrokerError> {
        let mut body = json!({
            "pacticipantName": contract.consumer,
            "pacticipantVersionNumber": options.version,
            "contracts": [{
                "consumerName": contract.consumer,
                "providerName": contract.provider,
                "specification": "pact",
                "contentType": "application/json",
                "content": base64::engine::general_purpose::STANDARD.encode(&contract.content),
                "onConflict": if options.merge { "merge" } else { "overwrite" },
            }],
        });
        if let Some(branch) = &options.branch {
            body["branch"] = json!(branch);
        }
        if !options.tags.is_empty() {
            body["tags"] = json!(options.tags);
        }
        if let Some(build_url) = &options.build_url {
            body["buildUrl"] = json!(build_url);
        }
        let answer = self.post(url, &body).await?;
        let notices = Notice::list(&answer.body);
        let pact_urls = answer.links("pb:contracts").into_iter().map(|l| l.href).collect();
        Ok(Published {
            consumer: contract.consumer.clone(),
            provider: contract.provider.clone(),
            notices,
            pact_urls,
            classic: false,
        })
    }

    async fn publish_classic(
        &self,
        contract: &Contract,
        options: &PublishOptions,
    ) -> Result<Published, BrokerError> {
        let consumer = contract.consumer.as_str();
        let version = options.version.as_str();
        let mut notices = Vec::new();
        if let Some(branch) = &options.branch {
            let url = self
                .index_link(
                    &["pb:pacticipant-branch-version"],
                    &[("pacticipant", consumer), ("branch", branch), ("version", version)],
                    Some("the broker cannot record branches; upgrade it to 2.82 or later"),
                )
                .await?;
            self.put(url, &json!({})).await?;
            notices.push(Notice::info(format!("{consumer} version {version} is on branch {branch}")));
        }
        for tag in &options.tags {
            let url = self
                .index_link(
                    &["pb:pacticipant-version-tag"],
                    &[("pacticipant", consumer), ("version", version), ("tag", tag)],
                    None,
                )
                .await?;
            self.put(url, &json!({})).await?;
            notices.push(Notice::info(format!("Tagged {consumer} version {version} with {tag}")));
        }
        if let Some(build_url) = &options.build_url {
            let url = self
                .index_link(
                    &["pb:pacticipant-version"],
                    &[("pacticipant", consumer), ("version", version)],
                    None,
                )
                .await?;
            self.put(url, &json!({ "buildUrl": build_url })).await?;
        }
        let url = self
            .index_link(
                &["pb:publish-pact"],
                &[
                    ("provider", contract.provider.as_str()),
                    ("consumer", consumer),
                    ("consumerApplicationVersion", version),
                ],
                None,
            )
            .await?;
        let pact: Value = serde_json::from_slice(&contract.content)
            .map_err(|e| BrokerError::Config(format!("the pact of {consumer} is not JSON: {e}")))?;
        let method = if options.merge { reqwest::Method::PATCH } else { reqwest::Method::PUT };
        let answer = self.send(method, url.clone(), Some(&pact)).await?;
        notices.push(Notice::success(format!(
            "Pact successfully published for {consumer} version {version} and provider {}.",
            contract.provider
        )));
        Ok(Published {
            consumer: consumer.to_string(),
            provider: contract.provider.clone(),
            notices,
            pact_urls: vec![answer.url.to_string()],
            classic: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard("*.json", "a-b.json"));
        assert!(wildcard("Foo-?.json", "Foo-1.json"));
        assert!(!wildcard("*.json", "a.json.bak"));
        assert!(wildcard("*", ""));
    }

    fn pact(consumer: &str, provider: &str, description: &str, status: u16) -> String {
        json!({
            "consumer": {"name": consumer}, "provider": {"name": provider},
            "interactions": [{"description": description, "request": {"method": "GET", "path": "/"},
                              "response": {"status": status}}],
            "metadata": {"pactSpecification": {"version": "3.0.0"}}
        })
        .to_string()
    }

    #[test]
    fn files_of_one_pair_are_merged_and_conflicts_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.json"), pact("C", "P", "one", 200)).unwrap();
        std::fs::write(dir.path().join("b.json"), pact("C", "P", "two", 200)).unwrap();
        std::fs::write(dir.path().join("c.json"), pact("C", "Q", "one", 200)).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a pact").unwrap();
        let contracts = load_contracts(&[dir.path().display().to_string()]).unwrap();
        assert_eq!(contracts.len(), 2);
        let merged: Value = serde_json::from_slice(&contracts[0].content).unwrap();
        assert_eq!(merged["interactions"].as_array().unwrap().len(), 2);
        assert_eq!(contracts[0].sources.len(), 2);
        // A single file is sent byte for byte.
        assert_eq!(contracts[1].content, pact("C", "Q", "one", 200).into_bytes());

        std::fs::write(dir.path().join("d.json"), pact("C", "P", "one", 500)).unwrap();
        let err = load_contracts(&[dir.path().display().to_string()]).unwrap_err();
        assert!(err.to_string().contains("the interaction \"one\" differs"), "{err}");

        let pattern = dir.path().join("c*.json").display().to_string();
        assert_eq!(load_contracts(&[pattern]).unwrap().len(), 1);
        let missing = dir.path().join("missing.json").display().to_string();
        assert!(load_contracts(&[missing]).unwrap_err().to_string().contains("missing.json"));
    }
}
