//! What a comparison reports: one [`Mismatch`] per difference, with its path, the expected and
//! actual values and a one-line message.

use std::fmt;

/// Which part of a request, response or message a mismatch is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MismatchKind {
    /// The request method.
    Method,
    /// The request path.
    Path,
    /// A query parameter.
    Query,
    /// A header.
    Header,
    /// The response status.
    Status,
    /// The content type of a body.
    BodyType,
    /// A value inside a body or message contents.
    Body,
    /// Message metadata.
    Metadata,
    /// A rule that cannot be applied (an unknown matcher, for example).
    Rule,
}

/// One difference between what a pact expects and what arrived.
///
/// ```
/// use pact_core::matching::{match_response, MismatchKind};
/// use pact_core::model::{Body, Response};
/// use serde_json::json;
///
/// let mut expected = Response::status(200);
/// expected.body = Body::json(json!({"name": "UserA"}));
/// let mut actual = Response::status(200);
/// actual.body = Body::json(json!({"name": "UserB"}));
///
/// let mismatches = match_response(&expected, &actual);
/// assert_eq!(mismatches.len(), 1);
/// assert_eq!(mismatches[0].kind, MismatchKind::Body);
/// assert_eq!(mismatches[0].path, "$.body.name");
/// assert_eq!(mismatches[0].to_string(), r#"$.body.name: expected "UserA" but found "UserB""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Which part of the interaction.
    pub kind: MismatchKind,
    /// Where: `$.method`, `$.path`, `$.query.limit`, `$.headers.Content-Type`, `$.status`,
    /// `$.body.users[0].id`...
    pub path: String,
    /// The expected value as JSON text (empty when there is none, as for an unexpected key).
    pub expected: String,
    /// The actual value as JSON text (empty when there is none, as for a missing key).
    pub actual: String,
    /// A one-line explanation.
    pub message: String,
}

impl Mismatch {
    pub(crate) fn new(
        kind: MismatchKind,
        path: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Mismatch {
            kind,
            path: path.into(),
            expected: expected.into(),
            actual: actual.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}
