//! Where the stub's pacts come from: files and directories (read again when `--watch` sees a
//! change), pact URLs, and the latest pacts on a Pact Broker filtered by consumer and provider.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use pact_core::broker::{Auth, BrokerClient, BrokerConfig};
use pact_core::model::{Interaction, Pact};
use pact_core::tls::TlsOptions;
use regex::Regex;

use super::select::StubInteraction;
use crate::failure::Failure;

/// Pact files and directories on this machine.
#[derive(Debug, Clone, Default)]
pub struct LocalSources {
    /// Pact files.
    pub files: Vec<PathBuf>,
    /// Directories whose files ending in `.{extension}` are pacts.
    pub dirs: Vec<PathBuf>,
    /// The extension of pact files in a directory (`json`).
    pub extension: String,
}

/// Pacts fetched over HTTP.
#[derive(Debug, Clone, Default)]
pub struct RemoteSources {
    /// Pact URLs.
    pub urls: Vec<String>,
    /// A Pact Broker whose latest pacts are served.
    pub broker_url: Option<String>,
    /// Keep the broker's pacts whose consumer matches one of these (all when empty).
    pub consumers: Vec<Regex>,
    /// Keep the broker's pacts whose provider matches one of these (all when empty).
    pub providers: Vec<Regex>,
    /// Credentials for the URLs and the broker.
    pub auth: Auth,
    /// Retries of failed requests.
    pub retries: u32,
    /// HTTPS options.
    pub tls: TlsOptions,
}

/// A pact and where it came from.
pub struct Loaded {
    /// A file path or URL.
    pub origin: String,
    /// The pact.
    pub pact: Pact,
}

impl LocalSources {
    /// Whether there is nothing to read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.dirs.is_empty()
    }

    /// The pact files, the directories' ones included, in a stable order.
    fn paths(&self) -> Result<Vec<PathBuf>, String> {
        let mut paths = self.files.clone();
        for dir in &self.dirs {
            let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == self.extension.as_str()))
                .collect();
            found.sort();
            if found.is_empty() {
                tracing::warn!("{} holds no *.{} pact files", dir.display(), self.extension);
            }
            paths.extend(found);
        }
        Ok(paths)
    }

    /// Reads every pact.
    pub fn load(&self) -> Result<Vec<Loaded>, String> {
        self.paths()?
            .into_iter()
            .map(|path| {
                let pact = Pact::from_file(&path).map_err(|e| e.to_string())?;
                Ok(Loaded { origin: path.display().to_string(), pact })
            })
            .collect()
    }

    /// What `--watch` compares: each file with its modification time and size, and each
    /// directory's list of files.
    pub fn fingerprint(&self) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
        let paths = self.paths().unwrap_or_else(|_| self.files.clone());
        let mut out: Vec<_> = paths
            .into_iter()
            .map(|path| {
                let meta = std::fs::metadata(&path).ok();
                let modified = meta.as_ref().and_then(|m| m.modified().ok());
                let len = meta.map_or(0, |m| m.len());
                (path, modified, len)
            })
            .collect();
        out.extend(self.dirs.iter().map(|d| (d.clone(), None, 0)));
        out
    }
}

impl RemoteSources {
    /// Whether there is nothing to fetch.
    pub fn is_empty(&self) -> bool {
        self.urls.is_empty() && self.broker_url.is_none()
    }

    fn client(&self, base: &str) -> Result<BrokerClient, Failure> {
        let mut config = BrokerConfig::new(base);
        config.auth = self.auth.clone();
        config.retries = self.retries;
        config.tls = self.tls.clone();
        Ok(BrokerClient::new(config)?)
    }

    /// Fetches the pacts at the URLs and the broker's latest pacts that pass the filters.
    pub async fn load(&self) -> Result<Vec<Loaded>, Failure> {
        let mut out = Vec::new();
        for url in &self.urls {
            let client = self.client(url)?;
            let parsed = client.resolve(url)?;
            let fetched = client.fetch_pact(parsed).await?;
            out.push(Loaded { origin: url.clone(), pact: fetched.pact });
        }
        if let Some(base) = &self.broker_url {
            let client = self.client(base)?;
            let wanted = |name: &str, filters: &[Regex]| {
                filters.is_empty() || filters.iter().any(|r| r.is_match(name))
            };
            let latest = client.latest_pact_versions().await?;
            for version in latest {
                if !wanted(&version.consumer, &self.consumers) || !wanted(&version.provider, &self.providers)
                {
                    continue;
                }
                let fetched = client.fetch_pact(client.resolve(&version.url)?).await?;
                tracing::info!(
                    "loaded the pact between {} (version {}) and {} from {}",
                    version.consumer,
                    version.consumer_version,
                    version.provider,
                    fetched.url
                );
                out.push(Loaded { origin: fetched.url.to_string(), pact: fetched.pact });
            }
        }
        Ok(out)
    }
}

/// The HTTP interactions of the pacts; other kinds (messages) cannot be served over HTTP and are
/// left out, with a note in the log.
pub fn interactions(pacts: &[Loaded]) -> Vec<StubInteraction> {
    let mut out = Vec::new();
    for loaded in pacts {
        let mut skipped = 0;
        for interaction in &loaded.pact.interactions {
            match interaction {
                Interaction::Http(http) => {
                    out.push(StubInteraction { interaction: http.clone(), origin: loaded.origin.clone() })
                }
                _ => skipped += 1,
            }
        }
        if skipped > 0 {
            tracing::info!("{}: {skipped} message interaction(s) are not served over HTTP", loaded.origin);
        }
    }
    out
}

/// A positional argument: a URL, a directory or a file.
pub fn classify(input: &str, local: &mut LocalSources, remote: &mut RemoteSources) {
    if input.starts_with("http://") || input.starts_with("https://") {
        remote.urls.push(input.to_string());
    } else if Path::new(input).is_dir() {
        local.dirs.push(PathBuf::from(input));
    } else {
        local.files.push(PathBuf::from(input));
    }
}
