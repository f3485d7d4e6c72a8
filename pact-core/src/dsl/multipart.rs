//! [`MultipartForm`]: a `multipart/form-data` body pattern, part by part.

use super::body::{check_media_type, BodyPart};
use super::draft::TextPart;
use super::{Compiled, PatternError, TextValue};
use crate::model::json::push_key;
use crate::model::{Body, Content, Data, MatchingRule, PactRegex, PathExpr, RuleList};

/// The boundary the pact's example body uses (a client picks its own; the mock and the
/// verifiers read each side's from its `Content-Type`).
const BOUNDARY: &str = "pact-rs-form-boundary";

/// The `Content-Type` rule that accepts any boundary, as pact-reference writes it.
pub(super) const CONTENT_TYPE_REGEX: &str = r"^multipart/form-data;(\s*charset=[^;]*;)?\s*boundary=.*$";

/// A `multipart/form-data` body: text fields and files, each with its matchers. A request takes
/// it with [`multipart_body`](super::RequestBuilder::multipart_body).
///
/// The pact holds the raw multipart example, with a `Content-Type` header that names its
/// boundary and a regex rule on that header (a client chooses its own boundary). As
/// pact-reference reads it, a field's rules are at `$.name`; a file carries a `contentType`
/// rule at `$.name`, so the provider's or client's file is judged by what its bytes look like.
///
/// ```
/// use pact_core::dsl::MultipartForm;
/// use pact_core::prelude::*;
///
/// const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
/// let form = MultipartForm::new()
///     .field("title", like!("Holiday"))
///     .file("photo", "cat.png", "image/png", PNG);
/// let example = form.to_multipart().unwrap();
/// assert_eq!(example.content_type, "multipart/form-data; boundary=pact-rs-form-boundary");
/// assert!(example.bytes.starts_with(b"--pact-rs-form-boundary\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHoliday\r\n"));
/// let paths: Vec<&str> = example.rules.keys().map(|p| p.as_str()).collect();
/// assert_eq!(paths, ["$.photo", "$.title"]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct MultipartForm {
    parts: Vec<FormPart>,
}

/// What a [`MultipartForm`] writes into a pact.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartExample {
    /// The example body.
    pub bytes: Vec<u8>,
    /// Its `Content-Type`, naming the boundary.
    pub content_type: String,
    /// The body rules, by path.
    pub rules: std::collections::BTreeMap<PathExpr, RuleList>,
}

#[derive(Debug, Clone)]
enum FormPart {
    Field { name: String, value: Result<TextPart, PatternError> },
    File { name: String, filename: String, content_type: String, bytes: Vec<u8> },
}

impl MultipartForm {
    /// An empty form.
    pub fn new() -> Self {
        MultipartForm::default()
    }

    /// Adds a text field: a string, a number, or a pattern of one value such as `like!` or
    /// `term!`, whose rules apply to the field (at `$.name`).
    pub fn field(mut self, name: impl Into<String>, value: impl TextValue) -> Self {
        self.parts.push(FormPart::Field { name: name.into(), value: value.into_scalar().text() });
        self
    }

    /// Adds a file of `content_type`, named `filename`; it is judged by what its bytes look
    /// like (a `contentType` rule at `$.name`), and the example must look like it too.
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        self.parts.push(FormPart::File {
            name: name.into(),
            filename: filename.into(),
            content_type: content_type.into(),
            bytes: bytes.into(),
        });
        self
    }

    /// The example body, its `Content-Type` (with the boundary) and its rules by path; an
    /// error names each part that cannot be written.
    pub fn to_multipart(&self) -> Result<MultipartExample, PatternError> {
        self.render().map(|(bytes, content_type, compiled)| MultipartExample {
            bytes,
            content_type,
            rules: compiled.rules,
        })
    }

    fn render(&self) -> Result<(Vec<u8>, String, Compiled), PatternError> {
        let mut problems = Vec::new();
        let mut compiled = Compiled::default();
        let mut out = Vec::new();
        for part in &self.parts {
            let name = match part {
                FormPart::Field { name, .. } | FormPart::File { name, .. } => name,
            };
            let mut path = "$".to_string();
            push_key(&mut path, name);
            let expr = match PathExpr::parse(&path) {
                Ok(expr) => expr,
                Err(e) => {
                    problems.push(e.to_string());
                    continue;
                }
            };
            if !is_header_text(name) {
                problems.push(format!("{path}: the part name {name:?} holds a quote or a line break"));
                continue;
            }
            out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            match part {
                FormPart::Field { value: Ok(value), .. } => {
                    out.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                    );
                    out.extend_from_slice(value.example.as_bytes());
                    if let Some(rules) = &value.rules {
                        compiled.rules.insert(expr.clone(), rules.clone());
                    }
                    if let Some(generator) = &value.generator {
                        compiled.generators.insert(expr, generator.clone());
                    }
                }
                FormPart::Field { value: Err(e), .. } => {
                    problems.extend(e.problems.iter().map(|p| format!("{path}: {p}")));
                    continue;
                }
                FormPart::File { filename, content_type, bytes, .. } => {
                    if !is_header_text(filename) {
                        problems.push(format!(
                            "{path}: the file name {filename:?} holds a quote or a line break"
                        ));
                        continue;
                    }
                    let checked = check_media_type(content_type).map_err(|e| e.to_string()).and_then(|()| {
                        crate::matching::check_content_type(content_type, bytes, Some(content_type)).map_err(
                            |e| format!("the example file does not match its own contentType rule: {e}"),
                        )
                    });
                    if let Err(e) = checked {
                        problems.push(format!("{path}: {e}"));
                        continue;
                    }
                    out.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                             Content-Type: {content_type}\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    out.extend_from_slice(bytes);
                    compiled
                        .rules
                        .insert(expr, RuleList::one(MatchingRule::ContentType(content_type.clone())));
                }
            }
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        if self.parts.is_empty() {
            problems.push("a multipart body needs at least one part".into());
        }
        let needle = format!("--{BOUNDARY}");
        let count = out.windows(needle.len()).filter(|w| *w == needle.as_bytes()).count();
        if count != self.parts.len() + 1 && problems.is_empty() {
            problems.push(format!("a part holds the boundary text {needle:?}"));
        }
        if problems.is_empty() {
            Ok((out, format!("multipart/form-data; boundary={BOUNDARY}"), compiled))
        } else {
            Err(PatternError { problems })
        }
    }
}

fn is_header_text(text: &str) -> bool {
    !text.chars().any(|c| c == '"' || c.is_control())
}

/// The body, and the `Content-Type` rule that lets a client choose its own boundary.
pub(super) fn body(form: &MultipartForm) -> Result<(BodyPart, RuleList), PatternError> {
    let (bytes, content_type, compiled) = form.render()?;
    let data = match String::from_utf8(bytes) {
        Ok(text) => Data::Text(text),
        Err(e) => Data::Binary(e.into_bytes()),
    };
    let regex = PactRegex::new(CONTENT_TYPE_REGEX).map_err(|e| PatternError::one(e.to_string()))?;
    Ok((
        BodyPart {
            body: Body::Present(Content { data, content_type: Some(content_type.clone()) }),
            content_type,
            compiled,
        },
        RuleList::one(MatchingRule::Regex(regex)),
    ))
}
