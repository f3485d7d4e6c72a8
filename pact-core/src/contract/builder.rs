//! The builders of an interaction: [`RequestBuilder`] for what the consumer sends, then
//! [`ResponseBuilder`] for what the provider answers. Each call edits the interaction in place;
//! a mistake found here (an invalid matcher, a value a pact cannot carry) is recorded as a
//! declaration error that the contract reports when it is verified.

use serde_json::Value;

use super::Contract;
use crate::dsl::{Pattern, TextValue};
use crate::model::{Body, Content, Data, ProviderState, RuleList};

/// Builds the request side of an interaction. Every call edits the interaction in place.
pub struct RequestBuilder<'a> {
    pub(super) contract: &'a mut Contract,
    pub(super) index: usize,
}

/// Builds the response side of an interaction. Every call edits the interaction in place.
pub struct ResponseBuilder<'a> {
    contract: &'a mut Contract,
    index: usize,
}

pub(super) fn state_with(name: String, params: Value) -> ProviderState {
    let params = match params {
        Value::Object(map) => map,
        Value::Null => Default::default(),
        other => [("value".to_string(), other)].into_iter().collect(),
    };
    ProviderState { name, params }
}

/// A path or query value: its example text and root rules.
fn text_part(value: impl TextValue) -> Result<(String, Option<RuleList>), String> {
    value.into_scalar().text()
}

/// A header: like [`text_part`], and a name and value that HTTP can carry.
fn header_part(name: &str, value: impl TextValue) -> Result<(String, Option<RuleList>), String> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    {
        return Err(format!("{name:?} is not a header name that HTTP can carry"));
    }
    let (text, rules) = text_part(value)?;
    if text.chars().any(|c| c.is_control() && c != '\t') {
        return Err(format!(
            "the example {text:?} holds a line break or a control character, which a header cannot carry"
        ));
    }
    Ok((text, rules))
}

macro_rules! methods {
    ($($name:ident => $method:literal),*) => {$(
        #[doc = concat!("A `", $method, "` of `path` (a string, or a pattern of one value such as `term!`).")]
        pub fn $name(self, path: impl TextValue) -> Self {
            self.method($method).path(path)
        }
    )*};
}

impl<'a> RequestBuilder<'a> {
    /// Adds a provider state to this interaction.
    pub fn given(self, state: impl Into<String>) -> Self {
        let state = ProviderState::new(state);
        self.contract.update(self.index, |i| i.meta.provider_states.push(state));
        self
    }

    /// Adds a provider state with parameters to this interaction.
    pub fn given_with(self, state: impl Into<String>, params: Value) -> Self {
        let state = state_with(state.into(), params);
        self.contract.update(self.index, |i| i.meta.provider_states.push(state));
        self
    }

    /// Sets the method.
    pub fn method(self, method: &str) -> Self {
        let method = method.to_ascii_uppercase();
        self.contract.update(self.index, |i| i.request.method = method);
        self
    }

    methods!(get => "GET", post => "POST", put => "PUT", patch => "PATCH", delete => "DELETE", head => "HEAD", options => "OPTIONS");

    /// Sets the path, from a string or a pattern such as `term!("^/users/\\w+$", "/users/UserA")`.
    pub fn path(self, path: impl TextValue) -> Self {
        let result = text_part(path).and_then(|(example, rules)| {
            if !example.starts_with('/') {
                return Err(format!(
                    "the example {example:?} does not start with '/', so no request can have it"
                ));
            }
            Ok((example, rules))
        });
        let result = result.map(|(example, rules)| {
            self.contract.update(self.index, |i| {
                i.request.path = example;
                i.request.matching_rules.path = rules;
            });
        });
        self.contract.record("path", result);
        self
    }

    /// Adds a query parameter value: a string, a number, or a pattern of one value such as
    /// `term!` or `integer!`. Call again for more values of the same name.
    pub fn query(self, name: &str, value: impl TextValue) -> Self {
        let result = text_part(value).map(|(example, rules)| {
            self.contract.update(self.index, |i| {
                i.request
                    .query
                    .get_or_insert_with(Default::default)
                    .entry(name.to_string())
                    .or_default()
                    .push(example);
                if let Some(rules) = rules {
                    i.request.matching_rules.query.insert(name.to_string(), rules);
                }
            });
        });
        self.contract.record(&format!("query parameter {name}"), result);
        self
    }

    /// Adds a header value (`Content-Type` is single-valued: setting it replaces the previous
    /// one): a string, or a pattern of one value such as `term!`.
    pub fn header(self, name: &str, value: impl TextValue) -> Self {
        let result = header_part(name, value).map(|(example, rules)| {
            self.contract.update(self.index, |i| {
                set_header(&mut i.request.headers, name, example);
                if let Some(rules) = rules {
                    i.request.matching_rules.header.insert(name.to_string(), rules);
                }
            });
        });
        self.contract.record(&format!("header {name}"), result);
        self
    }

    /// A JSON body (with `Content-Type: application/json` unless a content type is set).
    pub fn json_body(self, body: impl Into<Pattern>) -> Self {
        let body = body.into();
        let result = body.body_rules().map(|rules| {
            self.contract.update(self.index, |i| {
                i.request.body = Body::json(body.example());
                i.request.matching_rules.body = rules;
                default_content_type(&mut i.request.headers, "application/json");
            });
        });
        self.contract.record("request body", result);
        self
    }

    /// A text body with a content type, such as `("text/plain", "hello")`.
    pub fn body(self, content_type: &str, body: impl Into<String>) -> Self {
        let body = text_body(content_type, body.into());
        self.contract.update(self.index, |i| {
            i.request.body = body;
            set_header(&mut i.request.headers, "Content-Type", content_type.to_string());
        });
        self
    }

    /// A form-urlencoded body from name/value pairs.
    pub fn form_body(self, fields: &[(&str, &str)]) -> Self {
        let text = fields
            .iter()
            .map(|(k, v)| format!("{}={}", crate::model::encode(k), crate::model::encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.body("application/x-www-form-urlencoded", text)
    }

    /// Switches to the response, with its status.
    pub fn will_respond_with(self, status: u16) -> ResponseBuilder<'a> {
        self.contract.update(self.index, |i| i.response.status = status);
        ResponseBuilder { contract: self.contract, index: self.index }
    }

    /// Shorthand for `.will_respond_with(status).json_body(body)`.
    pub fn responds(self, status: u16, body: impl Into<Pattern>) -> ResponseBuilder<'a> {
        self.will_respond_with(status).json_body(body)
    }
}

impl<'a> ResponseBuilder<'a> {
    /// Sets the status.
    pub fn status(self, status: u16) -> Self {
        self.contract.update(self.index, |i| i.response.status = status);
        self
    }

    /// Accepts any status of a class instead of the exact one (V4 `statusCode`).
    pub fn status_class(self, class: crate::model::StatusCodeRule) -> Self {
        self.contract.update(self.index, |i| {
            i.response.matching_rules.status =
                Some(RuleList::one(crate::model::MatchingRule::StatusCode(class)));
        });
        self
    }

    /// Adds a header value (`Content-Type` is single-valued: setting it replaces the previous
    /// one): a string, or a pattern of one value such as `term!`.
    pub fn header(self, name: &str, value: impl TextValue) -> Self {
        let result = header_part(name, value).map(|(example, rules)| {
            self.contract.update(self.index, |i| {
                set_header(&mut i.response.headers, name, example);
                if let Some(rules) = rules {
                    i.response.matching_rules.header.insert(name.to_string(), rules);
                }
            });
        });
        self.contract.record(&format!("response header {name}"), result);
        self
    }

    /// A JSON body (with `Content-Type: application/json` unless a content type is set).
    pub fn json_body(self, body: impl Into<Pattern>) -> Self {
        let body = body.into();
        let result = body.body_rules().map(|rules| {
            self.contract.update(self.index, |i| {
                i.response.body = Body::json(body.example());
                i.response.matching_rules.body = rules;
                default_content_type(&mut i.response.headers, "application/json");
            });
        });
        self.contract.record("response body", result);
        self
    }

    /// A text body with a content type.
    pub fn body(self, content_type: &str, body: impl Into<String>) -> Self {
        let body = text_body(content_type, body.into());
        self.contract.update(self.index, |i| {
            i.response.body = body;
            set_header(&mut i.response.headers, "Content-Type", content_type.to_string());
        });
        self
    }

    /// Declares the next interaction.
    pub fn upon_receiving(self, description: impl Into<String>) -> RequestBuilder<'a> {
        self.contract.upon_receiving(description)
    }
}

fn text_body(content_type: &str, text: String) -> Body {
    if text.is_empty() {
        return Body::Empty;
    }
    Body::Present(Content { data: Data::Text(text), content_type: Some(content_type.to_string()) })
}

fn set_header(headers: &mut Option<crate::model::Headers>, name: &str, value: String) {
    let headers = headers.get_or_insert_with(Default::default);
    let key =
        headers.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned().unwrap_or_else(|| name.to_string());
    let values = headers.entry(key).or_default();
    // A body has one content type: a later one (or the header after `json_body`) replaces it.
    if name.eq_ignore_ascii_case("content-type") {
        values.clear();
    }
    values.push(value);
}

fn default_content_type(headers: &mut Option<crate::model::Headers>, content_type: &str) {
    let has = headers.as_ref().is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("content-type")));
    if !has {
        set_header(headers, "Content-Type", content_type.to_string());
    }
}
