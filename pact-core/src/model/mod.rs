//! The pact model: pacts, interactions, requests, responses, messages, provider states, matching
//! rules and generators.
//!
//! Reading accepts every version of the specification (V1, V1.1, V2, V3, V4) and checks every
//! value, so a malformed pact gives an [`Error`] naming the file, the JSON path and what was
//! expected. Writing produces V2, V3 (the default) or V4 with the specification's field names
//! and a deterministic layout: the same pact always gives the same bytes.

mod body;
mod bounded;
mod error;
mod generators;
mod headers;
pub(crate) mod http;
mod interaction;
pub(crate) mod json;
mod lint;
mod media_type;
mod pact;
pub(crate) mod path;
mod regex;
mod rules;

pub use body::{Body, Content, ContentKind, Data};
pub use error::{Error, Result};
pub use generators::{DataType, Generator, GeneratorError, Generators, UuidFormat};
pub use headers::{get_ignoring_case, split_header_value, Headers, MULTI_VALUE_HEADERS};
#[cfg(feature = "verifier")]
pub(crate) use http::unfold;
pub use http::{decode, encode, parse_query_string, query_to_string, Query, Request, Response};
pub use interaction::{
    is_content_type_key, HttpInteraction, Interaction, InteractionMeta, MessageContents, MessageInteraction,
    ProviderState, SyncMessageInteraction, TEST_NAME_COMMENT,
};
pub use lint::ReadWarning;
pub(crate) use media_type::MediaType;
#[cfg(feature = "verifier")]
pub(crate) use pact::human_size;
pub use pact::{Pact, ReadOptions, SpecVersion};
pub use path::{PathError, PathExpr, PathToken, Segment};
pub use regex::{PactRegex, RegexError};
pub use rules::{
    ArrayContainsVariant, EachRule, MatchingRule, MatchingRules, RuleList, RuleLogic, StatusCodeRule,
};

/// Readers for single parts, used by the specification conformance suite and by tools that hold
/// a request, response or message outside a pact.
pub mod parts {
    use super::json::Node;
    use super::{Interaction, Request, Response, Result, SpecVersion};
    use serde_json::Value;

    /// Reads a request object as `version` writes it.
    pub fn request_from_json(value: &Value, version: SpecVersion) -> Result<Request> {
        Request::from_json(&Node::root(value, "$"), version)
    }

    /// Reads a response object as `version` writes it.
    pub fn response_from_json(value: &Value, version: SpecVersion) -> Result<Response> {
        Response::from_json(&Node::root(value, "$"), version)
    }

    /// Reads a message (with `contents` and `metadata`/`metaData`) as `version` writes it.
    pub fn message_from_json(value: &Value, version: SpecVersion) -> Result<super::MessageContents> {
        let mut obj = value.as_object().cloned().unwrap_or_default();
        obj.entry("description").or_insert_with(|| Value::String(String::new()));
        let wrapped = Value::Object(obj);
        match Interaction::from_json(&Node::root(&wrapped, "$"), version, true)? {
            Interaction::Message(m) => Ok(m.message),
            _ => Err(super::Error::invalid("$", "a message", "another kind of interaction")),
        }
    }

    /// Writes a request in `version`'s format.
    pub fn request_to_json(request: &Request, version: SpecVersion) -> Value {
        request.to_json(version)
    }

    /// Writes a response in `version`'s format.
    pub fn response_to_json(response: &Response, version: SpecVersion) -> Value {
        response.to_json(version)
    }
}
