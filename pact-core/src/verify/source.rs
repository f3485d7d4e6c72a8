//! Where pacts come from: files, directories, URLs, or pacts already in memory.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::model::{Pact, ReadOptions, ReadWarning};

use super::fetch::read_capped;
use super::VerifyError;

/// A pact read from a source: where it came from, and what the reader warned about.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub origin: String,
    pub pact: Pact,
    pub warnings: Vec<ReadWarning>,
}

/// A source of pacts to verify.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PactSource {
    /// A pact file.
    File(PathBuf),
    /// Every `*.json` pact file in a directory.
    Dir(PathBuf),
    /// A pact at an `http://` or `https://` URL.
    Url(String),
    /// A pact already read.
    Pact(Box<Pact>),
    /// A pact already fetched from a URL (by the broker client, say); reports name the URL.
    Fetched {
        /// Where it came from.
        url: String,
        /// The pact.
        pact: Box<Pact>,
    },
}

impl PactSource {
    /// A file path or a URL, as the `--pact-url` flag takes them; a directory is read whole.
    pub fn parse(text: &str) -> Self {
        if text.starts_with("http://") || text.starts_with("https://") {
            PactSource::Url(text.to_string())
        } else if Path::new(text).is_dir() {
            PactSource::Dir(PathBuf::from(text))
        } else {
            PactSource::File(PathBuf::from(text))
        }
    }

    /// Loads the pacts, each with where it came from and the reader's warnings, under the
    /// limits of `options` (a pact fetched from a URL is capped while it streams).
    pub(crate) async fn load(
        &self,
        http: Option<&reqwest::Client>,
        timeout: Duration,
        options: ReadOptions,
    ) -> Result<Vec<Loaded>, VerifyError> {
        let file = |path: &Path| -> Result<Loaded, VerifyError> {
            let (pact, warnings) = Pact::from_file_checked(path, options).map_err(VerifyError::Pact)?;
            Ok(Loaded { origin: path.display().to_string(), pact, warnings })
        };
        match self {
            PactSource::File(path) => Ok(vec![file(path)?]),
            PactSource::Dir(dir) => {
                let entries = std::fs::read_dir(dir).map_err(|e| VerifyError::Source {
                    origin: dir.display().to_string(),
                    message: e.to_string(),
                })?;
                let mut files: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                    .collect();
                files.sort();
                if files.is_empty() {
                    return Err(VerifyError::Source {
                        origin: dir.display().to_string(),
                        message: "the directory holds no *.json pact files".into(),
                    });
                }
                files.iter().map(|p| file(p)).collect()
            }
            PactSource::Url(url) => {
                let fail = |message: String| VerifyError::Source { origin: url.clone(), message };
                let parsed = super::url::parse_http_url(url, "the pact URL").map_err(fail)?;
                let http = http.ok_or_else(|| fail("no HTTP client to fetch it with".to_string()))?;
                let response = http
                    .get(parsed)
                    .timeout(timeout)
                    .send()
                    .await
                    .map_err(|e| fail(super::fetch::describe_reqwest(&e)))?;
                let status = response.status();
                if !status.is_success() {
                    return Err(fail(format!("answered {status}")));
                }
                let bytes =
                    read_capped(response, options.max_file_bytes, "the pact", "the limit of a pact file")
                        .await
                        .map_err(|e| fail(e.to_string()))?;
                let (pact, warnings) = Pact::from_slice_checked(&bytes, options)
                    .map_err(|e| VerifyError::Pact(e.in_file(url)))?;
                Ok(vec![Loaded { origin: url.clone(), pact, warnings }])
            }
            PactSource::Pact(pact) => Ok(vec![Loaded {
                origin: "(in memory)".to_string(),
                pact: (**pact).clone(),
                warnings: Vec::new(),
            }]),
            PactSource::Fetched { url, pact } => {
                Ok(vec![Loaded { origin: url.clone(), pact: (**pact).clone(), warnings: Vec::new() }])
            }
        }
    }
}
