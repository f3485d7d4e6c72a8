//! [`RequestBuilder`]: what the consumer sends.

use serde_json::Value;

use super::body::{self, BodyTarget};
use super::draft::{self, Draft, InteractionSink};
use super::{MultipartForm, Pattern, ResponseBuilder, TextValue, XmlElement};
use crate::model::ProviderState;

/// Builds the request side of an interaction; [`will_respond_with`](Self::will_respond_with)
/// goes on to the response. The interaction is handed to the contract when the statement that
/// declares it ends.
///
/// A [`Contract`](crate::Contract) is the usual sink; here a list collects the interactions:
///
/// ```
/// use pact_core::dsl::{InteractionSink, RequestBuilder};
/// use pact_core::model::HttpInteraction;
/// use pact_core::prelude::*;
///
/// #[derive(Default)]
/// struct Collected(Vec<HttpInteraction>, Vec<String>);
///
/// impl InteractionSink for Collected {
///     fn start(&self, description: String) -> HttpInteraction {
///         let mut interaction = HttpInteraction::default();
///         interaction.meta.description = description;
///         interaction
///     }
///     fn finish(&mut self, interaction: HttpInteraction, mistakes: Vec<String>) {
///         self.0.push(interaction);
///         self.1.extend(mistakes);
///     }
/// }
///
/// let mut collected = Collected::default();
/// RequestBuilder::new(&mut collected, "a search for open orders")
///     .get("/orders")
///     .query("status", "open")
///     .query("limit", integer!(10))
///     .header("Accept", "application/json")
///     .will_respond_with(200)
///     .json_body(json_pattern!({"orders": each_like!({"id": integer!(1)})}));
/// let interaction = &collected.0[0];
/// assert_eq!(interaction.request.query.as_ref().unwrap()["limit"], ["10"]);
/// assert_eq!(interaction.response.body.as_json().unwrap()["orders"][0]["id"], 1);
/// assert!(collected.1.is_empty());
/// ```
pub struct RequestBuilder<'a> {
    pub(super) draft: Draft<'a>,
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
    /// Starts an interaction with `description`, given to `sink` when done.
    pub fn new(sink: &'a mut (dyn InteractionSink + 'a), description: impl Into<String>) -> Self {
        RequestBuilder { draft: Draft::new(sink, description.into()) }
    }

    /// Adds a provider state to this interaction.
    pub fn given(mut self, state: impl Into<String>) -> Self {
        self.draft.interaction.meta.provider_states.push(ProviderState::new(state));
        self
    }

    /// Adds a provider state with parameters to this interaction.
    pub fn given_with(mut self, state: impl Into<String>, params: Value) -> Self {
        self.draft.interaction.meta.provider_states.push(draft::state_with(state.into(), params));
        self
    }

    /// Marks the interaction pending (V4 `pending`): a provider's verification reports its
    /// failure without failing.
    pub fn pending(mut self, pending: bool) -> Self {
        self.draft.interaction.meta.pending = pending;
        self
    }

    /// Adds a comment (V4 `comments.text`, a list).
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        let comments = &mut self.draft.interaction.meta.comments;
        let list = comments.entry("text").or_insert_with(|| Value::Array(Vec::new()));
        match list {
            Value::Array(items) => items.push(Value::String(text.into())),
            other => *other = Value::Array(vec![other.clone(), Value::String(text.into())]),
        }
        self
    }

    /// Sets the interaction's V4 `key`, which stays the same while the interaction does.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.draft.interaction.meta.key = Some(key.into());
        self
    }

    /// Sets the method.
    pub fn method(mut self, method: &str) -> Self {
        if crate::model::http::is_token(method) {
            self.draft.interaction.request.method = method.to_ascii_uppercase();
        } else {
            self.draft.mistake("method", format!("{method:?} is not an HTTP method"));
        }
        self
    }

    methods!(get => "GET", post => "POST", put => "PUT", patch => "PATCH", delete => "DELETE", head => "HEAD", options => "OPTIONS");

    /// Sets the path, from a string or a pattern such as `term!("^/users/\\w+$", "/users/UserA")`.
    pub fn path(mut self, path: impl TextValue) -> Self {
        let part = draft::text_part(path).map_err(|e| e.to_string()).and_then(|part| {
            if part.example.starts_with('/') {
                Ok(part)
            } else {
                Err(format!(
                    "the example {:?} does not start with '/', so no request can have it",
                    part.example
                ))
            }
        });
        self.draft.record("path", part, |i, part| {
            i.request.path = part.example;
            i.request.matching_rules.path = part.rules;
            i.request.generators.path = part.generator;
        });
        self
    }

    /// Adds a query parameter value: a string, a number, or a pattern of one value such as
    /// `term!` or `integer!`. Call again for more values of the same name.
    pub fn query(mut self, name: &str, value: impl TextValue) -> Self {
        let part = draft::text_part(value);
        self.draft.record(&format!("query parameter {name}"), part, |i, part| {
            i.request
                .query
                .get_or_insert_with(Default::default)
                .entry(name.to_string())
                .or_default()
                .push(part.example);
            if let Some(rules) = part.rules {
                i.request.matching_rules.query.insert(name.to_string(), rules);
            }
            if let Some(generator) = part.generator {
                i.request.generators.query.insert(name.to_string(), generator);
            }
        });
        self
    }

    /// Adds a header value (`Content-Type` is single-valued: setting it replaces the previous
    /// one): a string, or a pattern of one value such as `term!`.
    pub fn header(mut self, name: &str, value: impl TextValue) -> Self {
        let part = draft::header_part(name, value);
        self.draft.record(&format!("header {name}"), part, |i, part| {
            draft::set_header(&mut i.request.headers, name, part.example);
            if let Some(rules) = part.rules {
                i.request.matching_rules.header.insert(name.to_string(), rules);
            }
            if let Some(generator) = part.generator {
                i.request.generators.header.insert(name.to_string(), generator);
            }
        });
        self
    }

    /// A JSON body (with `Content-Type: application/json` unless a content type is set).
    pub fn json_body(mut self, body: impl Into<Pattern>) -> Self {
        let part = draft::json_part(&body.into());
        self.draft.record("request body", part, |i, (body, compiled)| {
            i.request.body = body;
            i.request.matching_rules.body = compiled.rules;
            i.request.generators.body = compiled.generators;
            draft::default_content_type(&mut i.request.headers, "application/json");
        });
        self
    }

    /// A text body with a content type, such as `("text/plain", "hello")`.
    pub fn body(mut self, content_type: &str, body: impl Into<String>) -> Self {
        let body = draft::text_body(content_type, body.into());
        let request = &mut self.draft.interaction.request;
        request.body = body;
        draft::set_header(&mut request.headers, "Content-Type", content_type.to_string());
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

    /// A text body (`text/plain` unless a content type is set): a string, or a pattern of one
    /// value such as `term!`, whose rule applies to the whole text (at `$`).
    ///
    /// ```
    /// # use pact_core::prelude::*;
    /// # use pact_core::dsl::{InteractionSink, RequestBuilder};
    /// # use pact_core::model::HttpInteraction;
    /// # #[derive(Default)]
    /// # struct Collected(Vec<HttpInteraction>);
    /// # impl InteractionSink for Collected {
    /// #     fn start(&self, description: String) -> HttpInteraction {
    /// #         let mut interaction = HttpInteraction::default();
    /// #         interaction.meta.description = description;
    /// #         interaction
    /// #     }
    /// #     fn finish(&mut self, interaction: HttpInteraction, mistakes: Vec<String>) {
    /// #         assert!(mistakes.is_empty(), "{mistakes:?}");
    /// #         self.0.push(interaction);
    /// #     }
    /// # }
    /// # let mut collected = Collected::default();
    /// RequestBuilder::new(&mut collected, "a greeting")
    ///     .post("/greetings")
    ///     .text_body(term!("^Hello, \\w+$", "Hello, Bob"))
    ///     .will_respond_with(201);
    /// let request = &collected.0[0].request;
    /// assert_eq!(request.body.as_text().unwrap(), "Hello, Bob");
    /// assert_eq!(request.matching_rules.body.keys().next().unwrap().as_str(), "$");
    /// ```
    pub fn text_body(mut self, body: impl TextValue) -> Self {
        let part = body::text(body);
        self.draft.record("request body", part, |i, part| BodyTarget::request(i).set(part));
        self
    }

    /// Adds a field to a form-urlencoded body (`application/x-www-form-urlencoded`): a string,
    /// a number, or a pattern of one value such as `like!` or `term!`, whose rules apply to the
    /// field (at `$.name`). Call again for more fields, or more values of one field.
    ///
    /// ```
    /// # use pact_core::prelude::*;
    /// # use pact_core::dsl::{InteractionSink, RequestBuilder};
    /// # use pact_core::model::HttpInteraction;
    /// # #[derive(Default)]
    /// # struct Collected(Vec<HttpInteraction>);
    /// # impl InteractionSink for Collected {
    /// #     fn start(&self, description: String) -> HttpInteraction {
    /// #         let mut interaction = HttpInteraction::default();
    /// #         interaction.meta.description = description;
    /// #         interaction
    /// #     }
    /// #     fn finish(&mut self, interaction: HttpInteraction, mistakes: Vec<String>) {
    /// #         assert!(mistakes.is_empty(), "{mistakes:?}");
    /// #         self.0.push(interaction);
    /// #     }
    /// # }
    /// # let mut collected = Collected::default();
    /// RequestBuilder::new(&mut collected, "a sign-up")
    ///     .post("/accounts")
    ///     .form_field("name", like!("Alice Smith"))
    ///     .form_field("age", integer!(30))
    ///     .will_respond_with(201);
    /// let request = &collected.0[0].request;
    /// assert_eq!(request.body.as_text().unwrap(), "name=Alice+Smith&age=30");
    /// let paths: Vec<&str> = request.matching_rules.body.keys().map(|p| p.as_str()).collect();
    /// assert_eq!(paths, ["$.age", "$.name"]);
    /// ```
    pub fn form_field(mut self, name: &str, value: impl TextValue) -> Self {
        let added = BodyTarget::request(&mut self.draft.interaction).add_form_field(name, value);
        if let Err(e) = added {
            self.draft.mistake(&format!("request form field {name}"), e);
        }
        self
    }

    /// A binary body of `content_type`, such as an image. The provider's content is judged by
    /// what it looks like (its magic bytes), not compared byte for byte: the body carries a
    /// `contentType` rule at `$`, as pact-reference's `with_binary_file` writes. The example
    /// must look like `content_type` itself.
    ///
    /// ```
    /// # use pact_core::prelude::*;
    /// const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    /// # use pact_core::dsl::{InteractionSink, RequestBuilder};
    /// # use pact_core::model::HttpInteraction;
    /// # #[derive(Default)]
    /// # struct Collected(Vec<HttpInteraction>);
    /// # impl InteractionSink for Collected {
    /// #     fn start(&self, description: String) -> HttpInteraction {
    /// #         let mut interaction = HttpInteraction::default();
    /// #         interaction.meta.description = description;
    /// #         interaction
    /// #     }
    /// #     fn finish(&mut self, interaction: HttpInteraction, mistakes: Vec<String>) {
    /// #         assert!(mistakes.is_empty(), "{mistakes:?}");
    /// #         self.0.push(interaction);
    /// #     }
    /// # }
    /// # let mut collected = Collected::default();
    /// RequestBuilder::new(&mut collected, "an avatar upload")
    ///     .put("/avatars/1")
    ///     .binary_body("image/png", PNG)
    ///     .will_respond_with(204);
    /// let request = &collected.0[0].request;
    /// assert_eq!(request.body.to_bytes(), PNG);
    /// assert_eq!(request.matching_rules.body.values().next().unwrap().rules[0].name(), "contentType");
    /// ```
    pub fn binary_body(mut self, content_type: &str, bytes: impl Into<Vec<u8>>) -> Self {
        let part = body::binary(content_type, bytes.into());
        self.draft.record("request body", part, |i, part| BodyTarget::request(i).set(part));
        self
    }

    /// An XML body (`application/xml` unless a content type is set), with the matchers on its
    /// elements, attributes and text (see [`XmlElement`]).
    ///
    /// ```
    /// # use pact_core::prelude::*;
    /// use pact_core::dsl::XmlElement;
    /// # use pact_core::dsl::{InteractionSink, RequestBuilder};
    /// # use pact_core::model::HttpInteraction;
    /// # #[derive(Default)]
    /// # struct Collected(Vec<HttpInteraction>);
    /// # impl InteractionSink for Collected {
    /// #     fn start(&self, description: String) -> HttpInteraction {
    /// #         let mut interaction = HttpInteraction::default();
    /// #         interaction.meta.description = description;
    /// #         interaction
    /// #     }
    /// #     fn finish(&mut self, interaction: HttpInteraction, mistakes: Vec<String>) {
    /// #         assert!(mistakes.is_empty(), "{mistakes:?}");
    /// #         self.0.push(interaction);
    /// #     }
    /// # }
    /// # let mut collected = Collected::default();
    /// RequestBuilder::new(&mut collected, "an XML order")
    ///     .post("/orders")
    ///     .xml_body(XmlElement::new("order").attr("id", integer!(1)))
    ///     .will_respond_with(201);
    /// let request = &collected.0[0].request;
    /// assert_eq!(request.body.as_text().unwrap(), r#"<order id="1"/>"#);
    /// ```
    pub fn xml_body(mut self, root: XmlElement) -> Self {
        let part = body::xml(&root);
        self.draft.record("request body", part, |i, part| BodyTarget::request(i).set(part));
        self
    }

    /// A `multipart/form-data` body of text fields and files, each with its matchers (see
    /// [`MultipartForm`]). The `Content-Type` header names the example's boundary and carries a
    /// regex rule, so a client may choose its own boundary.
    ///
    /// ```
    /// # use pact_core::prelude::*;
    /// use pact_core::dsl::MultipartForm;
    /// const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    /// # use pact_core::dsl::{InteractionSink, RequestBuilder};
    /// # use pact_core::model::HttpInteraction;
    /// # #[derive(Default)]
    /// # struct Collected(Vec<HttpInteraction>);
    /// # impl InteractionSink for Collected {
    /// #     fn start(&self, description: String) -> HttpInteraction {
    /// #         let mut interaction = HttpInteraction::default();
    /// #         interaction.meta.description = description;
    /// #         interaction
    /// #     }
    /// #     fn finish(&mut self, interaction: HttpInteraction, mistakes: Vec<String>) {
    /// #         assert!(mistakes.is_empty(), "{mistakes:?}");
    /// #         self.0.push(interaction);
    /// #     }
    /// # }
    /// # let mut collected = Collected::default();
    /// RequestBuilder::new(&mut collected, "a photo upload")
    ///     .post("/photos")
    ///     .multipart_body(MultipartForm::new().field("title", like!("Holiday")).file("photo", "cat.png", "image/png", PNG))
    ///     .will_respond_with(201);
    /// let request = &collected.0[0].request;
    /// assert!(request.content_type().unwrap().starts_with("multipart/form-data; boundary="));
    /// assert!(request.matching_rules.header.contains_key("Content-Type"));
    /// ```
    pub fn multipart_body(mut self, form: MultipartForm) -> Self {
        let part = super::multipart::body(&form);
        self.draft.record("request body", part, |i, (part, header_rule)| {
            draft::set_header(&mut i.request.headers, "Content-Type", part.content_type.clone());
            i.request.matching_rules.header.insert("Content-Type".to_string(), header_rule);
            BodyTarget::request(i).set(part);
        });
        self
    }

    /// Switches to the response, with its status.
    pub fn will_respond_with(self, status: u16) -> ResponseBuilder<'a> {
        ResponseBuilder { draft: self.draft }.status(status)
    }

    /// Shorthand for `.will_respond_with(status).json_body(body)`.
    pub fn responds(self, status: u16, body: impl Into<Pattern>) -> ResponseBuilder<'a> {
        self.will_respond_with(status).json_body(body)
    }
}
