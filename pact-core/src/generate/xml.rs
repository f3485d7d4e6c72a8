//! Generators on an XML body, as pact_models' `XmlHandler` (`generators/xml.rs`) applies them.
//!
//! A generator's path is compared with the path of every element from the root element down:
//! `$`, then each element's qualified name as written (`$.order.n:item`), then `['@name']` for
//! an attribute (its qualified name as written) or `['#text']` for the element's text. The
//! comparison is exact in length, token by token: a name matches itself, `*` matches any one
//! step (an element, `@name` or `#text`), and an index (`[0]`, `[*]`) matches no step, since
//! element paths have none. So `$.order.item['@id']` reaches the `id` attribute of every `item`
//! of `order`, and `$.order.item[0]['@id']` reaches nothing.
//!
//! - `['@name']`: the attribute's value is replaced by a value made from it.
//! - `['#text']`: every text child of the element is replaced, each by its own value made from
//!   it (text between child elements, whitespace-only text included; a CDATA section becomes
//!   escaped text); an element without text gets the value appended as its last child.
//! - A path that reaches nothing changes nothing.
//!
//! Unlike pact-reference, which re-serialises the whole document (with its own XML declaration
//! and quotes), the generated values are spliced into the body as written, escaped, so the rest
//! of the body keeps its bytes. And a run of text that mixes characters, references and CDATA
//! sections is one text child here, as in the XML data model, where pact-reference's parser
//! (sxd-document) gives each piece its own copy of the value. A body that is not well-formed
//! XML is left as it is.

use std::collections::BTreeMap;
use std::ops::Range;

use roxmltree::{Document, Node, ParsingOptions};
use serde_json::Value;

use super::{text_of, value, Context};
use crate::model::{Generator, PathExpr, PathToken};

/// Whether pact-reference generates into a body of `content_type` as XML: `application/xml`,
/// `text/xml` and `application/*+xml` or `text/*+xml`.
pub(super) fn is_xml(content_type: &str) -> bool {
    crate::model::MediaType::parse(content_type).is_some_and(|t| t.is_xml())
}

/// Whether a body without a content type looks like XML, as pact-reference's detection has it:
/// it starts with an XML declaration or an element (an HTML page does not count).
pub(super) fn looks_like_xml(text: &str) -> bool {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let head: String = trimmed.chars().take(14).collect::<String>().to_ascii_lowercase();
    trimmed.starts_with('<') && !head.starts_with("<!doctype") && !head.starts_with("<html")
}

/// `xml` with each generator of `ordered` applied, or `None` when `xml` is not a well-formed
/// document (the caller keeps the body as it was).
pub(super) fn generate(xml: &str, ordered: &[(&PathExpr, &Generator)], context: &Context) -> Option<String> {
    let options = ParsingOptions { allow_dtd: true, ..ParsingOptions::default() };
    let doc = match Document::parse_with_options(xml, options) {
        Ok(doc) => doc,
        Err(e) => {
            tracing::warn!("the XML body cannot be parsed ({e}), so no generator is applied to it");
            return None;
        }
    };
    let root = doc.root_element();
    // Nodes that a DTD's entities expanded have their positions in the DTD, not in the body's
    // text; there is nowhere to splice a value for them.
    let outer = root.range();
    if root.descendants().any(|n| n.range().start < outer.start || n.range().end > outer.end) {
        tracing::warn!("the XML body's entities expand to nodes, so no generator is applied to it");
        return None;
    }
    let mut edits = Edits { xml, by_start: BTreeMap::new() };
    for (path, generator) in ordered {
        let mut walk = Walk { key: path.tokens(), generator, context, edits: &mut edits };
        walk.element(root, &["$".to_string()]);
    }
    edits.apply()
}

/// One generator's walk down the document.
struct Walk<'k, 'e, 'x> {
    key: &'k [PathToken],
    generator: &'k Generator,
    context: &'k Context,
    edits: &'e mut Edits<'x>,
}

impl Walk<'_, '_, '_> {
    fn element(&mut self, element: Node<'_, '_>, parent: &[String]) {
        if self.key.len() < parent.len() + 2 {
            return;
        }
        let mut path = parent.to_vec();
        path.push(element_name(self.edits.xml, element));
        if self.attribute(element, &path) || self.text(element, &path) || self.key.len() < path.len() + 2 {
            return;
        }
        for child in element.children().filter(Node::is_element) {
            self.element(child, &path);
        }
    }

    /// The first attribute the key reaches gets a value; whether there was one.
    fn attribute(&mut self, element: Node<'_, '_>, path: &[String]) -> bool {
        let last_field = self.key.iter().rev().find_map(|t| match t {
            PathToken::Field(name) => Some(name.as_str()),
            _ => None,
        });
        if !last_field.is_some_and(|f| f.starts_with('@')) {
            return false;
        }
        for attribute in element.attributes() {
            let Some(name) = attribute_name(self.edits.xml, &attribute) else { continue };
            let mut at = path.to_vec();
            at.push(format!("@{name}"));
            if matches_exactly(self.key, &at) {
                let span = attribute.range_value();
                if self.edits.valid_attribute_value(&span) {
                    self.edits.generate(
                        span,
                        Place::Attribute,
                        attribute.value(),
                        self.generator,
                        self.context,
                    );
                }
                return true;
            }
        }
        false
    }

    /// Every text child gets a value, or the element gets one appended; whether the key names
    /// this element's text.
    fn text(&mut self, element: Node<'_, '_>, path: &[String]) -> bool {
        let mut at = path.to_vec();
        at.push("#text".to_string());
        if !matches_exactly(self.key, &at) {
            return false;
        }
        let xml = self.edits.xml;
        let Some(content_end) = content_end(xml, element) else {
            // A self-closing element: the text goes inside, in place of `/>`.
            let range = element.range();
            let span = range.end.saturating_sub(2)..range.end;
            if xml.get(span.clone()) == Some("/>") {
                let place = Place::Close(element_name(xml, element));
                self.edits.generate(span, place, "", self.generator, self.context);
            }
            return true;
        };
        let mut any = false;
        for child in element.children().filter(Node::is_text) {
            any = true;
            let end = child.next_sibling().map_or(content_end, |next| next.range().start);
            let span = child.range().start..end;
            if span.start <= span.end && xml.get(span.clone()).is_some() {
                self.edits.generate(
                    span,
                    Place::Text,
                    child.text().unwrap_or(""),
                    self.generator,
                    self.context,
                );
            }
        }
        if !any {
            self.edits.generate(content_end..content_end, Place::Text, "", self.generator, self.context);
        }
        true
    }
}

/// Where a generated value goes, which says how to escape it.
#[derive(Debug, Clone)]
enum Place {
    /// In place of text (or inserted before an end tag).
    Text,
    /// In place of an attribute's value, between its quotes.
    Attribute,
    /// In place of the `/>` of an empty element named so: `>value</name>`.
    Close(String),
}

#[derive(Debug)]
struct Edit {
    end: usize,
    place: Place,
    value: String,
}

/// The values to splice into the body, by where each starts: a later generator on the same text
/// or attribute replaces an earlier one's value, and starts from it, as in pact-reference.
struct Edits<'x> {
    xml: &'x str,
    by_start: BTreeMap<usize, Edit>,
}

impl Edits<'_> {
    fn generate(
        &mut self,
        span: Range<usize>,
        place: Place,
        current: &str,
        generator: &Generator,
        context: &Context,
    ) {
        let current = match self.by_start.get(&span.start) {
            Some(edit) if edit.end == span.end => edit.value.clone(),
            _ => current.to_string(),
        };
        match value(generator, &Value::String(current), context) {
            Some(new) => {
                self.by_start.insert(span.start, Edit { end: span.end, place, value: text_of(&new) });
            }
            None => tracing::warn!("a generator at an XML path made no value; the example is kept"),
        }
    }

    /// Whether `span` is an attribute value between matching quotes (roxmltree's positions are
    /// approximate for names longer than 65,535 bytes).
    fn valid_attribute_value(&self, span: &Range<usize>) -> bool {
        let before = span.start.checked_sub(1).and_then(|s| self.xml.get(s..span.start));
        let after = self.xml.get(span.end..span.end + 1);
        self.xml.get(span.clone()).is_some() && before == after && matches!(before, Some("\"" | "'"))
    }

    /// The body with every edit spliced in, or `None` if two would overlap.
    fn apply(self) -> Option<String> {
        let mut out = String::with_capacity(self.xml.len());
        let mut at = 0;
        for (start, edit) in &self.by_start {
            out.push_str(self.xml.get(at..*start)?);
            match &edit.place {
                Place::Text => escape(&edit.value, false, &mut out),
                Place::Attribute => escape(&edit.value, true, &mut out),
                Place::Close(name) => {
                    out.push('>');
                    escape(&edit.value, false, &mut out);
                    out.push_str("</");
                    out.push_str(name);
                    out.push('>');
                }
            }
            at = edit.end;
        }
        out.push_str(self.xml.get(at..)?);
        Some(out)
    }
}

/// Where an element's content ends (the start of its end tag), or `None` for `<empty/>`.
fn content_end(xml: &str, element: Node<'_, '_>) -> Option<usize> {
    let range = element.range();
    let source = xml.get(range.clone())?;
    if source.ends_with("/>") {
        return None;
    }
    source.rfind("</").map(|i| range.start + i)
}

/// An element's name as written: `prefix:local` or `local`.
fn element_name(xml: &str, element: Node<'_, '_>) -> String {
    let local = element.tag_name().name();
    let written = xml
        .get(element.range().start..)
        .and_then(|s| s.strip_prefix('<'))
        .and_then(|s| s.split(|c: char| c.is_whitespace() || c == '/' || c == '>').next());
    qualified(written, local)
}

/// An attribute's name as written, or `None` when its position cannot be trusted.
fn attribute_name(xml: &str, attribute: &roxmltree::Attribute<'_, '_>) -> Option<String> {
    let written = xml.get(attribute.range_qname());
    let local = attribute.name();
    written
        .filter(|w| *w == local || w.strip_suffix(local).is_some_and(|p| p.ends_with(':')))
        .map(str::to_string)
}

fn qualified(written: Option<&str>, local: &str) -> String {
    match written {
        Some(w) if w == local || w.strip_suffix(local).is_some_and(|p| p.ends_with(':')) => w.to_string(),
        _ => local.to_string(),
    }
}

/// pact_models' `DocPath::matches_path_exactly`: as many tokens as steps, each matching.
fn matches_exactly(key: &[PathToken], path: &[String]) -> bool {
    key.len() == path.len()
        && key.iter().zip(path).all(|(token, step)| match token {
            PathToken::Root => step == "$",
            PathToken::Field(name) => name == step,
            PathToken::Index(i) => step.parse::<usize>().is_ok_and(|n| n == *i),
            PathToken::StarIndex => step == "[*]" || step.parse::<usize>().is_ok(),
            PathToken::Star => true,
        })
}

/// `value` escaped for XML text, or for an attribute value in either kind of quotes (where
/// tabs and line breaks are written as references, so they survive normalisation).
fn escape(value: &str, attribute: bool, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(n: i64) -> Generator {
        Generator::RandomInt { min: n, max: n }
    }

    fn run_all(xml: &str, generators: &[(&str, Generator)], context: &Context) -> Option<String> {
        let paths: Vec<(PathExpr, &Generator)> =
            generators.iter().map(|(p, g)| (PathExpr::parse(p).unwrap(), g)).collect();
        let mut ordered: Vec<(&PathExpr, &Generator)> = paths.iter().map(|(p, g)| (p, *g)).collect();
        ordered.sort_by_key(|(path, _)| path.depth());
        generate(xml, &ordered, context)
    }

    fn run(xml: &str, path: &str, generator: Generator) -> String {
        run_all(xml, &[(path, generator)], &Context::default()).unwrap()
    }

    fn state(expression: &str, values: serde_json::Value) -> (Generator, Context) {
        let generator =
            Generator::ProviderState { expression: expression.into(), data_type: Default::default() };
        (generator, Context::with_values(values.as_object().unwrap().clone()))
    }

    #[test]
    fn text_paths_replace_every_text_child_or_append_one() {
        assert_eq!(run("<a>1</a>", "$.a['#text']", int(999)), "<a>999</a>");
        assert_eq!(run("<a/>", "$.a['#text']", int(999)), "<a>999</a>");
        assert_eq!(run("<a  />", "$.a['#text']", int(999)), "<a  >999</a>");
        assert_eq!(run("<a></a>", "$.a['#text']", int(999)), "<a>999</a>");
        // Beside child elements: appended last when there is no text, each text child otherwise.
        assert_eq!(run("<a><b/></a>", "$.a['#text']", int(999)), "<a><b/>999</a>");
        assert_eq!(run("<a>1<b/></a>", "$.a['#text']", int(999)), "<a>999<b/></a>");
        assert_eq!(run("<a><b/>1</a>", "$.a['#text']", int(999)), "<a><b/>999</a>");
        assert_eq!(run("<a>1<b>x</b>2</a>", "$.a['#text']", int(999)), "<a>999<b>x</b>999</a>");
        assert_eq!(run("<a>1<!--note--></a>", "$.a['#text']", int(999)), "<a>999<!--note--></a>");
        // Whitespace between elements is text too, as pact-reference's parser has it.
        assert_eq!(run("<a>\n <b/>\n</a>", "$.a['#text']", int(7)), "<a>7<b/>7</a>");
        // Every element the path reaches.
        assert_eq!(
            run("<root><a>1</a><a>2</a><b>3</b></root>", "$.root.a['#text']", int(9)),
            "<root><a>9</a><a>9</a><b>3</b></root>"
        );
        // A CDATA section and references are part of the text they are in.
        assert_eq!(run("<a>x<![CDATA[<y>]]>&amp;z</a>", "$.a['#text']", int(5)), "<a>5</a>");
        // Unicode names and values.
        let (generator, context) = state("${v}", serde_json::json!({"v": "语言"}));
        assert_eq!(
            run_all("<俄语>данные</俄语>", &[("$.俄语['#text']", generator)], &context).unwrap(),
            "<俄语>语言</俄语>"
        );
    }

    #[test]
    fn attribute_paths_replace_the_attribute_value() {
        assert_eq!(run(r#"<a attr="1"/>"#, "$.a['@attr']", int(999)), r#"<a attr="999"/>"#);
        assert_eq!(run("<a attr='1' b='2'/>", "$.a['@attr']", int(999)), "<a attr='999' b='2'/>");
        assert_eq!(run(r#"<a attr = "1"/>"#, "$.a['@attr']", int(3)), r#"<a attr = "3"/>"#);
        assert_eq!(run(r#"<a attr=""/>"#, "$.a['@attr']", int(3)), r#"<a attr="3"/>"#);
        assert_eq!(
            run(r#"<r><a id="1"/><a id="2">t</a></r>"#, "$.r.a['@id']", int(8)),
            r#"<r><a id="8"/><a id="8">t</a></r>"#
        );
        // Text and attribute together, on nested elements.
        let both = run_all(
            r#"<a x="2">1<b y="3"/></a>"#,
            &[("$.a['#text']", int(111)), ("$.a.b['@y']", int(222)), ("$.a['@x']", int(333))],
            &Context::default(),
        );
        assert_eq!(both.unwrap(), r#"<a x="333">111<b y="222"/></a>"#);
        // An attribute that is not there is not added.
        assert_eq!(run(r#"<a x="1"/>"#, "$.a['@y']", int(3)), r#"<a x="1"/>"#);
    }

    #[test]
    fn prefixed_names_are_compared_as_written() {
        let xml = r#"<root xmlns:n1="urn:1" xmlns:n2="urn:2"><n1:a>1</n1:a><n2:a n1:id="4">2</n2:a><a>3</a></root>"#;
        let out = run_all(
            xml,
            &[
                ("$.root.n1:a['#text']", int(111)),
                ("$.root.a['#text']", int(333)),
                ("$.root.n2:a['@n1:id']", int(5)),
            ],
            &Context::default(),
        );
        assert_eq!(
            out.unwrap(),
            r#"<root xmlns:n1="urn:1" xmlns:n2="urn:2"><n1:a>111</n1:a><n2:a n1:id="5">2</n2:a><a>333</a></root>"#
        );
        // A default namespace adds no prefix; a namespace declaration is no attribute.
        assert_eq!(run(r#"<a xmlns="urn:x">1</a>"#, "$.a['#text']", int(2)), r#"<a xmlns="urn:x">2</a>"#);
        assert_eq!(run(r#"<a xmlns:n="urn:x"/>"#, "$.a['@xmlns:n']", int(2)), r#"<a xmlns:n="urn:x"/>"#);
        // The local name alone does not reach a prefixed element.
        assert_eq!(
            run(r#"<n:a xmlns:n="urn:x">1</n:a>"#, "$.a['#text']", int(2)),
            r#"<n:a xmlns:n="urn:x">1</n:a>"#
        );
    }

    #[test]
    fn wildcards_match_one_step_and_indices_match_none() {
        let xml = "<root><a><c><d>1</d><d>2</d></c></a><b><c><e>3</e></c></b></root>";
        assert_eq!(
            run(xml, "$.root.*.c.*['#text']", int(9)),
            "<root><a><c><d>9</d><d>9</d></c></a><b><c><e>9</e></c></b></root>"
        );
        // Too shallow a path reaches nothing deeper.
        assert_eq!(run(xml, "$.*.d['#text']", int(9)), xml);
        // `*` matches the `#text` step too, as in pact-reference.
        assert_eq!(run("<a><b>1</b></a>", "$.a.b.*", int(4)), "<a><b>4</b></a>");
        // Element paths have no indices, so a path with one reaches nothing.
        for path in ["$.root.a[0].c.d['#text']", "$.root[*].a.c.d['#text']", "$.root.a.c.d[1]['#text']"] {
            assert_eq!(run(xml, path, int(9)), xml, "{path}");
        }
        // Paths that reach no text or attribute change nothing.
        for path in ["$", "$.root", "$.root.a", "$.other['#text']", "$.root.a.c.d.e['#text']", "$['@x']"] {
            assert_eq!(run(xml, path, int(9)), xml, "{path}");
        }
    }

    #[test]
    fn values_are_escaped_and_the_rest_of_the_body_keeps_its_bytes() {
        let (generator, context) = state("${v}", serde_json::json!({"v": "<b> & \"c\" 'd'\n"}));
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><a  x='1' y=\"2\">t</a>\n";
        let out = run_all(xml, &[("$.a['@x']", generator.clone()), ("$.a['#text']", generator)], &context);
        let out = out.unwrap();
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><a  x='&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;&#10;' y=\"2\">&lt;b&gt; &amp; \"c\" 'd'\n</a>\n"
        );
        // What a parser reads back is the value itself.
        let doc = Document::parse(&out).unwrap();
        let a = doc.root_element();
        assert_eq!(a.attribute("x"), Some("<b> & \"c\" 'd'\n"));
        assert_eq!(a.text(), Some("<b> & \"c\" 'd'\n"));
        // `]]>` in a value cannot end anything once escaped.
        let (generator, context) = state("${v}", serde_json::json!({"v": "]]>"}));
        let out = run_all("<a><![CDATA[x]]></a>", &[("$.a['#text']", generator)], &context).unwrap();
        assert_eq!(out, "<a>]]&gt;</a>");
    }

    #[test]
    fn later_generators_on_the_same_place_replace_earlier_ones() {
        let (generator, context) = state("${v}", serde_json::json!({"v": "new"}));
        let out = run_all("<a>1</a>", &[("$.a['#text']", int(5)), ("$.*['#text']", generator)], &context);
        // Both reach the same text: one value, not two.
        let out = out.unwrap();
        assert!(out == "<a>new</a>" || out == "<a>5</a>", "{out}");
        let out = run_all("<a/>", &[("$.a['#text']", int(5)), ("$.*['#text']", int(6))], &Context::default());
        let out = out.unwrap();
        assert!(out == "<a>5</a>" || out == "<a>6</a>", "{out}");
    }

    #[test]
    fn hostile_bodies_are_left_alone() {
        for xml in ["", "not xml", "<a>", "<a></b>", "<a x='1' x='2'/>", "<a>&undefined;</a>", "<a/><b/>"] {
            assert_eq!(run_all(xml, &[("$.a['#text']", int(1))], &Context::default()), None, "{xml:?}");
        }
        // Entities that expand to nodes have no place in the body's text to take a value.
        let dtd = "<!DOCTYPE a [<!ENTITY e \"<b>x</b>\">]><a>&e;</a>";
        assert_eq!(run_all(dtd, &[("$.a.b['#text']", int(1))], &Context::default()), None);
        // A DTD without such entities is fine.
        let plain = "<!DOCTYPE a [<!ELEMENT a (#PCDATA)>]><a>1</a>";
        assert_eq!(run(plain, "$.a['#text']", int(2)), "<!DOCTYPE a [<!ELEMENT a (#PCDATA)>]><a>2</a>");
        // A generator that makes no value keeps the example.
        let (generator, context) = state("${missing}", serde_json::json!({}));
        assert_eq!(run_all("<a>1</a>", &[("$.a['#text']", generator)], &context).unwrap(), "<a>1</a>");
        // Deep nesting is walked only as deep as the path goes.
        let deep = format!("{}{}", "<a>".repeat(5000), "</a>".repeat(5000));
        assert_eq!(run(&deep, "$.a.a['#text']", int(1)).len(), deep.len() + 1);
    }

    #[test]
    fn content_types() {
        for ct in ["application/xml", "text/xml; charset=utf-8", "application/atom+xml", "TEXT/XML"] {
            assert!(is_xml(ct), "{ct}");
        }
        for ct in ["image/svg+xml", "application/json", "text/plain", "xml"] {
            assert!(!is_xml(ct), "{ct}");
        }
        assert!(looks_like_xml(" <?xml version='1.0'?><a/>") && looks_like_xml("<a/>"));
        assert!(
            !looks_like_xml("<!DOCTYPE html><html/>") && !looks_like_xml("<HTML>") && !looks_like_xml("{}")
        );
    }
}
