//! The error type of the model: every failure names the file, the JSON path and what was wrong.

use std::fmt;
use std::path::PathBuf;

/// An error found while reading or writing a pact.
///
/// The `Display` form reads like `pacts/a-b.json: $.interactions[3].response.status: expected an
/// integer, found "200"`: the file (when known), the JSON path inside it, what was expected and
/// what was found.
///
/// ```
/// let err = pact_core::model::Pact::from_json_str(r#"{"consumer": 1}"#).unwrap_err();
/// assert_eq!(err.to_string(), "$.consumer: expected an object with a \"name\", found 1");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value had the wrong type or an invalid content.
    #[error("{}{path}: expected {expected}, found {found}", FilePrefix(file))]
    Invalid {
        /// The file the value came from, when known.
        file: Option<PathBuf>,
        /// The JSON path of the value inside the document, for example `$.interactions[0].request`.
        path: String,
        /// What the reader expected.
        expected: String,
        /// What it found.
        found: String,
    },
    /// The text is not JSON at all.
    #[error("{}not valid JSON: {message} (line {line}, column {column})", FilePrefix(file))]
    Syntax {
        /// The file the text came from, when known.
        file: Option<PathBuf>,
        /// The parser's message.
        message: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
    },
    /// The file could not be read or written.
    #[error("{}: {source}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The pact cannot be written in the requested specification version.
    #[error("cannot write {what} as a {version} pact: {reason}")]
    Unsupported {
        /// What could not be written.
        what: String,
        /// The requested version.
        version: String,
        /// Why.
        reason: String,
    },
}

struct FilePrefix<'a>(&'a Option<PathBuf>);

impl fmt::Display for FilePrefix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(file) => write!(f, "{}: ", file.display()),
            None => Ok(()),
        }
    }
}

impl Error {
    /// Builds an [`Error::Invalid`] for a value at `path`.
    pub fn invalid(path: impl Into<String>, expected: impl Into<String>, found: impl Into<String>) -> Self {
        Error::Invalid { file: None, path: path.into(), expected: expected.into(), found: found.into() }
    }

    /// Attaches the file name to an error that does not name one yet.
    pub fn in_file(self, path: impl Into<PathBuf>) -> Self {
        match self {
            Error::Invalid { file: None, path: p, expected, found } => {
                Error::Invalid { file: Some(path.into()), path: p, expected, found }
            }
            Error::Syntax { file: None, message, line, column } => {
                Error::Syntax { file: Some(path.into()), message, line, column }
            }
            other => other,
        }
    }

    /// The JSON path inside the document, for errors that have one.
    pub fn json_path(&self) -> Option<&str> {
        match self {
            Error::Invalid { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// Result alias of the model.
pub type Result<T, E = Error> = std::result::Result<T, E>;
