//! An interaction being declared, and what receives it when it is done.
//!
//! A builder owns its interaction while it is being written: every call edits that value, and a
//! mistake (an invalid matcher, a value a pact cannot carry) is noted beside it. When the
//! builder's statement ends (the builder is dropped) the finished interaction goes, with its
//! mistakes, to its [`InteractionSink`] (a [`Contract`](crate::Contract)), which hands it on to the
//! mock provider. So an interaction flows one way: builder, contract, mock provider, pact file.

use serde_json::Value;

use super::{Pattern, TextValue};
use crate::model::{Body, Content, Data, Generator, Headers, HttpInteraction, ProviderState, RuleList};

/// What receives the interactions that builders declare: a [`Contract`](crate::Contract) (or a
/// test double of one).
pub trait InteractionSink {
    /// A new interaction with `description`, carrying what applies to every interaction (the
    /// contract's provider states).
    fn start(&self, description: String) -> HttpInteraction;

    /// Takes a finished interaction, and the mistakes found while it was declared (each a
    /// sentence naming the part, such as `header X-Id: ...`).
    fn finish(&mut self, interaction: HttpInteraction, mistakes: Vec<String>);
}

/// The interaction a builder is writing, given to its sink when dropped.
pub(super) struct Draft<'a> {
    sink: Option<&'a mut (dyn InteractionSink + 'a)>,
    pub(super) interaction: HttpInteraction,
    mistakes: Vec<String>,
}

impl<'a> Draft<'a> {
    pub(super) fn new(sink: &'a mut (dyn InteractionSink + 'a), description: String) -> Self {
        let interaction = sink.start(description);
        Draft { sink: Some(sink), interaction, mistakes: Vec::new() }
    }

    /// Notes a mistake in part `context` of the interaction.
    pub(super) fn mistake(&mut self, context: &str, error: impl std::fmt::Display) {
        self.mistakes.push(format!("{context}: {error}"));
    }

    /// Runs `result`'s value through `apply`, or notes its error under `context`.
    pub(super) fn record<T, E: std::fmt::Display>(
        &mut self,
        context: &str,
        result: Result<T, E>,
        apply: impl FnOnce(&mut HttpInteraction, T),
    ) {
        match result {
            Ok(value) => apply(&mut self.interaction, value),
            Err(e) => self.mistake(context, e),
        }
    }

    /// Gives the interaction to the sink now, and the sink back, to declare the next one.
    pub(super) fn into_sink(mut self) -> Option<&'a mut (dyn InteractionSink + 'a)> {
        let sink = self.sink.take()?;
        sink.finish(std::mem::take(&mut self.interaction), std::mem::take(&mut self.mistakes));
        Some(sink)
    }
}

impl Drop for Draft<'_> {
    fn drop(&mut self) {
        if let Some(sink) = self.sink.take() {
            sink.finish(std::mem::take(&mut self.interaction), std::mem::take(&mut self.mistakes));
        }
    }
}

/// A provider state with parameters: an object's members, or a single value as `value`.
pub(crate) fn state_with(name: String, params: Value) -> ProviderState {
    let params = match params {
        Value::Object(map) => map,
        Value::Null => Default::default(),
        other => [("value".to_string(), other)].into_iter().collect(),
    };
    ProviderState { name, params }
}

/// A path, query or header value as a pact holds it: its example text, the rules at its root and
/// its generator.
#[derive(Debug, Clone)]
pub(crate) struct TextPart {
    pub example: String,
    pub rules: Option<RuleList>,
    pub generator: Option<Generator>,
}

/// A path or query value.
pub(super) fn text_part(value: impl TextValue) -> Result<TextPart, super::PatternError> {
    value.into_scalar().text()
}

/// A header: like [`text_part`], and a name and value that HTTP can carry.
pub(super) fn header_part(name: &str, value: impl TextValue) -> Result<TextPart, super::PatternError> {
    if !crate::model::http::is_token(name) {
        return Err(super::PatternError::one(format!("{name:?} is not a header name that HTTP can carry")));
    }
    let part = text_part(value)?;
    if part.example.chars().any(|c| c.is_control() && c != '\t') {
        return Err(super::PatternError::one(format!(
            "the example {:?} holds a line break or a control character, which a header cannot carry",
            part.example
        )));
    }
    Ok(part)
}

/// A JSON body pattern: the example, its rules and its generators.
pub(super) fn json_part(body: &Pattern) -> Result<(Body, super::Compiled), super::PatternError> {
    let compiled = body.compile()?;
    Ok((Body::json(body.example()), compiled))
}

/// A text body with a content type (an empty text is no body).
pub(super) fn text_body(content_type: &str, text: String) -> Body {
    if text.is_empty() {
        return Body::Empty;
    }
    Body::Present(Content { data: Data::Text(text), content_type: Some(content_type.to_string()) })
}

/// Adds a header value; `Content-Type` is single-valued, so a later one replaces it.
pub(super) fn set_header(headers: &mut Option<Headers>, name: &str, value: String) {
    let headers = headers.get_or_insert_with(Headers::new);
    if name.eq_ignore_ascii_case("content-type") {
        if let Some(values) = headers.get_mut(name) {
            values.clear();
            values.push(value);
            return;
        }
    }
    // A known multi-value header's list is its values, as pact-reference's builders parse it
    // (`pact_consumer/src/builders/http_part_builder.rs`), so a V4 pact writes one item each.
    for part in crate::model::split_header_value(name, &value) {
        headers.append(name, part);
    }
}

/// Sets `Content-Type` unless one is set.
pub(super) fn default_content_type(headers: &mut Option<Headers>, content_type: &str) {
    if headers.as_ref().and_then(Headers::content_type).is_none() {
        set_header(headers, "Content-Type", content_type.to_string());
    }
}
