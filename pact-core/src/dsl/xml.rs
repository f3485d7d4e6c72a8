//! [`XmlElement`]: an XML body pattern, with matchers on elements, attributes and text.

use super::{Compiled, PatternError, TextValue};
use crate::model::json::push_key;
use crate::model::{MatchingRule, PathExpr};

/// How deep elements may nest in a declared XML body.
const MAX_DEPTH: usize = 64;

/// An XML element with its attributes, text and children, each a value or a matcher. A request
/// or response takes the root with `xml_body`.
///
/// The rules go where pact-reference's XML matching reads them: the root element is `$.order`,
/// a child `$.order.item`, an attribute `$.order['@id']` and an element's text
/// `$.order.note['#text']`. Elements declared with
/// [`each_child_like`](Self::each_child_like) may repeat (a `type` rule, as pact-jvm's XML
/// builder writes it).
///
/// ```
/// use pact_core::dsl::XmlElement;
/// use pact_core::prelude::*;
///
/// let order = XmlElement::new("order")
///     .attr("id", integer!(7))
///     .child(XmlElement::new("note").text(term!("^[a-z ]+$", "leave at door")))
///     .each_child_like(XmlElement::new("item").attr("sku", like!("A-1")), 1);
/// let (xml, rules) = order.to_xml().unwrap();
/// assert_eq!(xml, r#"<order id="7"><note>leave at door</note><item sku="A-1"/></order>"#);
/// let paths: Vec<&str> = rules.keys().map(|p| p.as_str()).collect();
/// assert_eq!(paths, ["$.order.item", "$.order.item['@sku']", "$.order.note['#text']", "$.order['@id']"]);
/// ```
#[derive(Debug, Clone)]
pub struct XmlElement {
    name: String,
    attributes: Vec<(String, Result<super::draft::TextPart, PatternError>)>,
    text: Option<Result<super::draft::TextPart, PatternError>>,
    children: Vec<(XmlElement, Option<usize>)>,
}

impl XmlElement {
    /// An element named `name` (a qualified name such as `ns:order` is kept as written).
    pub fn new(name: impl Into<String>) -> Self {
        XmlElement { name: name.into(), attributes: Vec::new(), text: None, children: Vec::new() }
    }

    /// Adds an attribute: a string, a number, or a pattern of one value such as `term!`.
    pub fn attr(mut self, name: impl Into<String>, value: impl TextValue) -> Self {
        self.attributes.push((name.into(), value.into_scalar().text()));
        self
    }

    /// Sets the element's text: a string, a number, or a pattern of one value such as `term!`.
    pub fn text(mut self, value: impl TextValue) -> Self {
        self.text = Some(value.into_scalar().text());
        self
    }

    /// Adds a child element, compared as written.
    pub fn child(mut self, child: XmlElement) -> Self {
        self.children.push((child, None));
        self
    }

    /// Adds a child element that may repeat: one or more elements like `child`, each compared
    /// with it. The example holds `examples` copies (at least one).
    ///
    /// The rule written is `type`, without `min`: for XML, pact-reference (and so the official
    /// verifier and mock) applies a `min` or `max` to each element's own child nodes, not to the
    /// number of elements, so a `min` of 1 would fail every childless `<item/>`. No Pact
    /// verifier bounds how many times an XML element repeats; at least one is always required.
    pub fn each_child_like(mut self, child: XmlElement, examples: usize) -> Self {
        self.children.push((child, Some(examples)));
        self
    }

    /// The document as text, and its rules by path; an error names each matcher or name that
    /// cannot be written.
    pub fn to_xml(
        &self,
    ) -> Result<(String, std::collections::BTreeMap<PathExpr, crate::model::RuleList>), PatternError> {
        self.render().map(|(text, compiled)| (text, compiled.rules))
    }

    pub(super) fn render(&self) -> Result<(String, Compiled), PatternError> {
        let mut out = String::new();
        let mut compiled = Compiled::default();
        let mut problems = Vec::new();
        let mut path = "$".to_string();
        push_key(&mut path, &self.name);
        self.write(&path, 0, &mut out, &mut compiled, &mut problems);
        if problems.is_empty() {
            Ok((out, compiled))
        } else {
            Err(PatternError { problems })
        }
    }

    fn write(
        &self,
        path: &str,
        depth: usize,
        out: &mut String,
        compiled: &mut Compiled,
        problems: &mut Vec<String>,
    ) {
        if depth > MAX_DEPTH {
            problems.push(format!("{path}: elements nest deeper than {MAX_DEPTH} levels"));
            return;
        }
        if !is_name(&self.name) {
            problems.push(format!("{path}: {:?} is not an XML element name", self.name));
            return;
        }
        out.push('<');
        out.push_str(&self.name);
        for (name, value) in &self.attributes {
            let mut at = path.to_string();
            push_key(&mut at, &format!("@{name}"));
            if !is_name(name) {
                problems.push(format!("{at}: {name:?} is not an XML attribute name"));
                continue;
            }
            if let Some(part) = take(value, &at, compiled, problems) {
                out.push(' ');
                out.push_str(name);
                out.push_str("=\"");
                escape(&part, out);
                out.push('"');
            }
        }
        let text = self.text.as_ref().and_then(|value| {
            let mut at = path.to_string();
            push_key(&mut at, "#text");
            take(value, &at, compiled, problems)
        });
        if text.is_none() && self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        if let Some(text) = text {
            escape(&text, out);
        }
        for (child, repeat) in &self.children {
            let mut at = path.to_string();
            push_key(&mut at, &child.name);
            let copies = match repeat {
                Some(examples) => {
                    add(&at, MatchingRule::Type, compiled, problems);
                    (*examples).max(1)
                }
                None => 1,
            };
            for copy in 0..copies {
                if copy == 0 {
                    child.write(&at, depth + 1, out, compiled, problems);
                } else {
                    // The rules are the same for every copy; write them once.
                    child.write(&at, depth + 1, out, &mut Compiled::default(), &mut Vec::new());
                }
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

/// The example of a value, with its rules and generator recorded at `path`.
fn take(
    value: &Result<super::draft::TextPart, PatternError>,
    path: &str,
    compiled: &mut Compiled,
    problems: &mut Vec<String>,
) -> Option<String> {
    match value {
        Ok(part) => {
            match PathExpr::parse(path) {
                Ok(expr) => {
                    if let Some(rules) = &part.rules {
                        compiled.rules.insert(expr.clone(), rules.clone());
                    }
                    if let Some(generator) = &part.generator {
                        compiled.generators.insert(expr, generator.clone());
                    }
                }
                Err(e) => problems.push(e.to_string()),
            }
            Some(part.example.clone())
        }
        Err(e) => {
            problems.extend(e.problems.iter().map(|p| format!("{path}: {p}")));
            None
        }
    }
}

fn add(path: &str, rule: MatchingRule, compiled: &mut Compiled, problems: &mut Vec<String>) {
    match PathExpr::parse(path) {
        Ok(expr) => compiled.rules.entry(expr).or_default().rules.push(rule),
        Err(e) => problems.push(e.to_string()),
    }
}

/// An XML name: a letter, `_` or `:` first, then letters, digits, `-`, `.`, `_` or `:`.
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'))
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::Scalar;

    #[test]
    fn values_are_escaped_and_bad_names_and_matchers_are_reported_with_their_path() {
        let (xml, _) = XmlElement::new("a").attr("q", "x\"<&").text("1 < 2").to_xml().unwrap();
        assert_eq!(xml, r#"<a q="x&quot;&lt;&amp;">1 &lt; 2</a>"#);
        let error = XmlElement::new("a")
            .child(XmlElement::new("1b"))
            .attr("id", Scalar::term("(", "x"))
            .to_xml()
            .unwrap_err()
            .to_string();
        assert!(error.contains("$.a['@id']: $: regular expression \"(\""), "{error}");
        assert!(error.contains("$.a['1b']: \"1b\" is not an XML element name"), "{error}");
    }

    #[test]
    fn repeated_children_are_written_as_often_as_asked_with_one_set_of_rules() {
        let (xml, rules) = XmlElement::new("list")
            .each_child_like(XmlElement::new("item").text(Scalar::integer(1)), 2)
            .to_xml()
            .unwrap();
        assert_eq!(xml, "<list><item>1</item><item>1</item></list>");
        assert_eq!(rules.len(), 2);
        // A plain `type` rule: a `min` would bound each item's child nodes, not their number.
        let item = rules.iter().find(|(path, _)| path.as_str() == "$.list.item").map(|(_, list)| &list.rules);
        assert_eq!(item, Some(&vec![MatchingRule::Type]));
    }
}
