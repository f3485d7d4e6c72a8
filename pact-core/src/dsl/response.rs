//! [`ResponseBuilder`]: what the provider answers.

use super::body::{self, BodyTarget};
use super::draft::{self, Draft};
use super::{MultipartForm, Pattern, RequestBuilder, TextValue, XmlElement};
use crate::model::{MatchingRule, RuleList, StatusCodeRule};

/// Builds the response side of an interaction. The interaction is handed to the contract when
/// the statement that declares it ends.
pub struct ResponseBuilder<'a> {
    pub(super) draft: Draft<'a>,
}

impl<'a> ResponseBuilder<'a> {
    /// Sets the status.
    pub fn status(mut self, status: u16) -> Self {
        if (100..=599).contains(&status) {
            self.draft.interaction.response.status = status;
        } else {
            self.draft.mistake("response status", format!("{status} is not an HTTP status (100 to 599)"));
        }
        self
    }

    /// Accepts any status of a class instead of the exact one (V4 `statusCode`); the status set
    /// with [`will_respond_with`](RequestBuilder::will_respond_with) is the example, and must be in
    /// the class.
    pub fn status_class(mut self, class: StatusCodeRule) -> Self {
        self.draft.interaction.response.matching_rules.status =
            Some(RuleList::one(MatchingRule::StatusCode(class)));
        self
    }

    /// Adds a header value (`Content-Type` is single-valued: setting it replaces the previous
    /// one): a string, or a pattern of one value such as `term!`.
    pub fn header(mut self, name: &str, value: impl TextValue) -> Self {
        let part = draft::header_part(name, value);
        self.draft.record(&format!("response header {name}"), part, |i, part| {
            draft::set_header(&mut i.response.headers, name, part.example);
            if let Some(rules) = part.rules {
                i.response.matching_rules.header.insert(name.to_string(), rules);
            }
            if let Some(generator) = part.generator {
                i.response.generators.header.insert(name.to_string(), generator);
            }
        });
        self
    }

    /// A JSON body (with `Content-Type: application/json` unless a content type is set).
    pub fn json_body(mut self, body: impl Into<Pattern>) -> Self {
        let part = draft::json_part(&body.into());
        self.draft.record("response body", part, |i, (body, compiled)| {
            i.response.body = body;
            i.response.matching_rules.body = compiled.rules;
            i.response.generators.body = compiled.generators;
            draft::default_content_type(&mut i.response.headers, "application/json");
        });
        self
    }

    /// A text body with a content type.
    pub fn body(mut self, content_type: &str, body: impl Into<String>) -> Self {
        let body = draft::text_body(content_type, body.into());
        let response = &mut self.draft.interaction.response;
        response.body = body;
        draft::set_header(&mut response.headers, "Content-Type", content_type.to_string());
        self
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
    ///     .get("/greeting")
    ///     .will_respond_with(200)
    ///     .text_body(term!("^Hello, \\w+$", "Hello, Bob"));
    /// let response = &collected.0[0].response;
    /// assert_eq!(response.body.as_text().unwrap(), "Hello, Bob");
    /// ```
    pub fn text_body(mut self, body: impl TextValue) -> Self {
        let part = body::text(body);
        self.draft.record("response body", part, |i, part| BodyTarget::response(i).set(part));
        self
    }

    /// Adds a field to a form-urlencoded body (`application/x-www-form-urlencoded`): a string,
    /// a number, or a pattern of one value such as `like!` or `term!`, whose rules apply to the
    /// field (at `$.name`). Call again for more fields, or more values of one field.
    ///
    /// The provider's form is matched as pact-reference matches one (like a query string): every
    /// field must be there, a field the pact does not name is a mismatch even in a response, and
    /// a field without a matcher must have the same values.
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
    /// RequestBuilder::new(&mut collected, "a token")
    ///     .post("/oauth/token")
    ///     .will_respond_with(200)
    ///     .form_field("access_token", term!("^[a-f0-9]{8}$", "0a1b2c3d"))
    ///     .form_field("expires_in", integer!(3600));
    /// let response = &collected.0[0].response;
    /// assert_eq!(response.body.as_text().unwrap(), "access_token=0a1b2c3d&expires_in=3600");
    /// assert_eq!(response.content_type().unwrap(), "application/x-www-form-urlencoded");
    /// let paths: Vec<&str> = response.matching_rules.body.keys().map(|p| p.as_str()).collect();
    /// assert_eq!(paths, ["$.access_token", "$.expires_in"]);
    /// ```
    pub fn form_field(mut self, name: &str, value: impl TextValue) -> Self {
        let added = BodyTarget::response(&mut self.draft.interaction).add_form_field(name, value);
        if let Err(e) = added {
            self.draft.mistake(&format!("response form field {name}"), e);
        }
        self
    }

    /// A binary body of `content_type`, judged by what the provider's content looks like (a
    /// `contentType` rule at `$`); see [`RequestBuilder::binary_body`].
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
    /// RequestBuilder::new(&mut collected, "an avatar")
    ///     .get("/avatars/1")
    ///     .will_respond_with(200)
    ///     .binary_body("image/png", PNG);
    /// assert_eq!(collected.0[0].response.body.to_bytes(), PNG);
    /// ```
    pub fn binary_body(mut self, content_type: &str, bytes: impl Into<Vec<u8>>) -> Self {
        let part = body::binary(content_type, bytes.into());
        self.draft.record("response body", part, |i, part| BodyTarget::response(i).set(part));
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
    ///     .get("/orders/1")
    ///     .will_respond_with(200)
    ///     .xml_body(XmlElement::new("order").child(XmlElement::new("total").text(decimal!(9.5))));
    /// let response = &collected.0[0].response;
    /// assert_eq!(response.body.as_text().unwrap(), "<order><total>9.5</total></order>");
    /// ```
    pub fn xml_body(mut self, root: XmlElement) -> Self {
        let part = body::xml(&root);
        self.draft.record("response body", part, |i, part| BodyTarget::response(i).set(part));
        self
    }

    /// A `multipart/form-data` body of text fields and files, each with its matchers (see
    /// [`MultipartForm`]); see [`RequestBuilder::multipart_body`]. The `Content-Type` header
    /// names the example's boundary and carries a regex rule, so the provider may choose its own.
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
    /// RequestBuilder::new(&mut collected, "a photo")
    ///     .get("/photos/5")
    ///     .will_respond_with(200)
    ///     .multipart_body(MultipartForm::new().field("title", like!("Holiday")).file("photo", "cat.png", "image/png", PNG));
    /// let response = &collected.0[0].response;
    /// assert!(response.content_type().unwrap().starts_with("multipart/form-data; boundary="));
    /// assert!(response.matching_rules.header.contains_key("Content-Type"));
    /// ```
    pub fn multipart_body(mut self, form: MultipartForm) -> Self {
        let part = super::multipart::body(&form);
        self.draft.record("response body", part, |i, (part, header_rule)| {
            draft::set_header(&mut i.response.headers, "Content-Type", part.content_type.clone());
            i.response.matching_rules.header.insert("Content-Type".to_string(), header_rule);
            BodyTarget::response(i).set(part);
        });
        self
    }

    /// Declares the next interaction (this one is handed to the contract first).
    pub fn upon_receiving(self, description: impl Into<String>) -> RequestBuilder<'a> {
        match self.draft.into_sink() {
            Some(sink) => RequestBuilder::new(sink, description),
            // A draft gives its sink away only here or when dropped, so it still has it.
            None => unreachable!("a response builder always holds its contract"),
        }
    }
}
