//! Where pacts come from: files, directories, URLs, or pacts already in memory.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::model::{Pact, ReadOptions};

use super::VerifyError;

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

    /// Loads the pacts, each with a description of where it came from.
    pub(crate) async fn load(
        &self,
        http: &reqwest::Client,
        timeout: Duration,
    ) -> Result<Vec<(String, Pact)>, VerifyError> {
        match self {
            PactSource::File(path) => {
                Ok(vec![(path.display().to_string(), Pact::from_file(path).map_err(VerifyError::Pact)?)])
            }
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
                files
                    .into_iter()
                    .map(|p| Ok((p.display().to_string(), Pact::from_file(&p).map_err(VerifyError::Pact)?)))
                    .collect()
            }
            PactSource::Url(url) => {
                let fail = |message: String| VerifyError::Source { origin: url.clone(), message };
                let response = http
                    .get(url)
                    .timeout(timeout)
                    .send()
                    .await
                    .map_err(|e| fail(super::target::describe_reqwest(&e)))?;
                let status = response.status();
                let bytes = response.bytes().await.map_err(|e| fail(super::target::describe_reqwest(&e)))?;
                if !status.is_success() {
                    return Err(fail(format!("answered {status}")));
                }
                let limit = ReadOptions::default().max_file_bytes;
                if bytes.len() as u64 > limit {
                    return Err(fail(format!(
                        "the pact is {} bytes, more than the {limit} a pact file may have",
                        bytes.len()
                    )));
                }
                let pact = Pact::from_slice_with(&bytes, ReadOptions::default())
                    .map_err(|e| VerifyError::Pact(e.in_file(url)))?;
                Ok(vec![(url.clone(), pact)])
            }
            PactSource::Pact(pact) => Ok(vec![("(in memory)".to_string(), (**pact).clone())]),
            PactSource::Fetched { url, pact } => Ok(vec![(url.clone(), (**pact).clone())]),
        }
    }
}
