//! Bodies other than JSON, with their matching rules: text, form-urlencoded, binary and XML.
//!
//! Each kind writes its rules where pact-reference's matching engine reads them, in the body
//! category: a text body's rule at `$` (the whole text), a form field's at `$.name`, a binary
//! body's `contentType` rule at `$` (the bytes are judged by what they look like), and XML's at
//! element paths (see [`XmlElement`](super::XmlElement)).

use std::collections::BTreeMap;

use super::{Compiled, PatternError, TextValue};
use crate::model::json::push_key;
use crate::model::{Body, Content, Data, Generator, Headers, MatchingRule, PathExpr, RuleList};

/// A body with its content type, rules and generators, ready to set on a request or response.
pub(super) struct BodyPart {
    pub body: Body,
    pub content_type: String,
    pub compiled: Compiled,
}

/// The parts of a request or a response a body sets.
pub(super) struct BodyTarget<'a> {
    pub headers: &'a mut Option<Headers>,
    pub body: &'a mut Body,
    pub rules: &'a mut BTreeMap<PathExpr, RuleList>,
    pub generators: &'a mut BTreeMap<PathExpr, Generator>,
}

impl BodyTarget<'_> {
    /// Replaces the body, its rules and generators; sets `Content-Type` unless one is set.
    pub(super) fn set(self, part: BodyPart) {
        *self.body = part.body;
        *self.rules = part.compiled.rules;
        *self.generators = part.compiled.generators;
        super::draft::default_content_type(self.headers, &part.content_type);
        // The body states the type its headers do (a `Content-Type` set before wins).
        if let (Body::Present(content), Some(ct)) =
            (&mut *self.body, self.headers.as_ref().and_then(Headers::content_type))
        {
            content.content_type = Some(ct.to_string());
        }
    }

    /// Adds a form field to the form body there (starting one if the body is not a form).
    pub(super) fn add_form_field(self, name: &str, value: impl TextValue) -> Result<(), PatternError> {
        let part = value.into_scalar().text()?;
        let field = format!("{}={}", crate::model::encode(name), crate::model::encode(&part.example));
        let text = match &*self.body {
            Body::Present(Content { data: Data::Text(text), content_type: Some(ct) }) if ct == FORM => {
                format!("{text}&{field}")
            }
            _ => {
                self.rules.clear();
                self.generators.clear();
                field
            }
        };
        *self.body = Body::Present(Content { data: Data::Text(text), content_type: Some(FORM.into()) });
        let mut path = "$".to_string();
        push_key(&mut path, name);
        let path = PathExpr::parse(&path).map_err(|e| PatternError::one(e.to_string()))?;
        if let Some(rules) = part.rules {
            self.rules.insert(path.clone(), rules);
        }
        if let Some(generator) = part.generator {
            self.generators.insert(path, generator);
        }
        super::draft::set_header(self.headers, "Content-Type", FORM.to_string());
        Ok(())
    }
}

impl<'a> BodyTarget<'a> {
    /// The request's body and what goes with it.
    pub(super) fn request(i: &'a mut crate::model::HttpInteraction) -> Self {
        let r = &mut i.request;
        BodyTarget {
            headers: &mut r.headers,
            body: &mut r.body,
            rules: &mut r.matching_rules.body,
            generators: &mut r.generators.body,
        }
    }

    /// The response's body and what goes with it.
    pub(super) fn response(i: &'a mut crate::model::HttpInteraction) -> Self {
        let r = &mut i.response;
        BodyTarget {
            headers: &mut r.headers,
            body: &mut r.body,
            rules: &mut r.matching_rules.body,
            generators: &mut r.generators.body,
        }
    }
}

/// The form-urlencoded content type.
pub(super) const FORM: &str = "application/x-www-form-urlencoded";

/// A text body: its example, and its rules (such as `term!`'s regex) on the whole text at `$`.
pub(super) fn text(value: impl TextValue) -> Result<BodyPart, PatternError> {
    let part = value.into_scalar().text()?;
    let mut compiled = Compiled::default();
    if let Some(rules) = part.rules {
        compiled.rules.insert(PathExpr::root(), rules);
    }
    if let Some(generator) = part.generator {
        compiled.generators.insert(PathExpr::root(), generator);
    }
    Ok(BodyPart {
        body: super::draft::text_body("text/plain", part.example),
        content_type: "text/plain".into(),
        compiled,
    })
}

/// Binary content of `content_type`, matched by what the bytes look like (`contentType` at `$`).
pub(super) fn binary(content_type: &str, bytes: Vec<u8>) -> Result<BodyPart, PatternError> {
    check_media_type(content_type)?;
    crate::matching::check_content_type(content_type, &bytes, Some(content_type)).map_err(|e| {
        PatternError::one(format!("the example bytes do not match their own contentType rule: {e}"))
    })?;
    let mut compiled = Compiled::default();
    compiled.rules.insert(PathExpr::root(), RuleList::one(MatchingRule::ContentType(content_type.into())));
    let body = if bytes.is_empty() {
        Body::Empty
    } else {
        Body::Present(Content { data: Data::Binary(bytes), content_type: Some(content_type.into()) })
    };
    Ok(BodyPart { body, content_type: content_type.into(), compiled })
}

/// An XML document from its root element.
pub(super) fn xml(root: &super::XmlElement) -> Result<BodyPart, PatternError> {
    let (text, compiled) = root.render()?;
    Ok(BodyPart {
        body: Body::Present(Content { data: Data::Text(text), content_type: Some("application/xml".into()) }),
        content_type: "application/xml".into(),
        compiled,
    })
}

/// A media type a header can carry: `type/subtype`, optionally with parameters.
pub(super) fn check_media_type(content_type: &str) -> Result<(), PatternError> {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let valid = essence
        .split_once('/')
        .is_some_and(|(main, sub)| crate::model::http::is_token(main) && crate::model::http::is_token(sub))
        && !content_type.chars().any(char::is_control);
    if valid {
        Ok(())
    } else {
        Err(PatternError::one(format!("{content_type:?} is not a media type such as image/png")))
    }
}
