//! Comparing XML bodies under matching rules.
//!
//! Paths: the root element's name is the first segment (`$.animals`), a child element adds its
//! name (`$.animals.alligator`), an attribute adds `@name` (`$.animals.alligator['@id']`) and
//! the text of an element adds `#text`. Rendered paths add the index of an element that has
//! siblings of the same name (`$.animals.alligator[1]`); rule expressions may name that index
//! (`alligator[1]`, `alligator[*]`, `[*].alligator`, `.1`) or leave it out.
//!
//! Elements: names compare with their namespace URI (prefixes do not matter). Attributes are
//! keys: every expected one must be present and match, extra ones are allowed in responses and
//! messages but not in requests. Child elements are grouped by name, and the order of the groups
//! does not matter. A group is compared element by element (a missing element is a mismatch; an
//! extra one is allowed in responses and messages) unless a type rule (`type`, `min`, `max`) is
//! written for it or for one of its ancestors: then it may hold any number of elements, at least
//! one, each compared with the first example, and a child whose name the example does not have
//! is a mismatch even in a response. A root element is a group of one.
//!
//! As in pact-reference, the `min` and `max` of a type rule written for an element bound that
//! element's own child nodes, not the number of elements in its group: every child element,
//! comment and processing instruction counts, and so does every piece of text (a run of
//! characters, whitespace-only ones included, a CDATA section, a reference), but attributes do
//! not. So `min: 1` on a repeated `<item/>` fails each childless item. Bounds cascaded from an
//! ancestor bound nothing. An element whose own rules fail is not compared further.
//!
//! Text (whitespace-only text between elements is ignored) and attribute values compare by the
//! rules that apply, or by equality.
//!
//! Rules are chosen as for JSON (the heaviest expression wins, ties go to the deeper one, and
//! rules written for an ancestor cascade), with XML-aware path weights.

use std::borrow::Cow;

use roxmltree::{Attribute, Document, Node, ParsingOptions};
use serde_json::Value;

use super::mismatch::{Mismatch, MismatchKind};
use super::rules::{self, cascades, show, Mode};
use super::select::{render, PathRules, Selected};
use crate::model::{MatchingRule, PathToken, RuleList, Segment};

/// How deep elements are compared.
const MAX_DEPTH: usize = 128;

/// Compares two XML documents and returns every mismatch.
pub(crate) fn compare(
    expected: &str,
    actual: &str,
    rules: PathRules<'_>,
    allow_unexpected_keys: bool,
    prefix: &str,
) -> Vec<Mismatch> {
    let expected_doc = Document::parse_with_options(expected, parsing_options());
    let actual_doc = Document::parse_with_options(actual, parsing_options());
    let mut matcher = XmlMatcher { rules, allow_unexpected_keys, mismatches: Vec::new() };
    match (&expected_doc, &actual_doc) {
        (Ok(e), Ok(a)) => matcher.compare_roots(prefix, e.root_element(), a.root_element()),
        _ => {
            if let Err(err) = &expected_doc {
                let message = format!("the expected body is not well-formed XML: {err}");
                matcher.push(prefix.to_string(), quoted(expected), quoted(actual), message);
            }
            if let Err(err) = &actual_doc {
                let message =
                    format!("expected an XML body but the actual body is not well-formed XML: {err}");
                matcher.push(prefix.to_string(), quoted(expected), quoted(actual), message);
            }
            for mismatch in &mut matcher.mismatches {
                mismatch.kind = MismatchKind::BodyType;
            }
        }
    }
    matcher.mismatches
}

fn parsing_options<'i>() -> ParsingOptions<'i> {
    // roxmltree limits entity expansion, so a DTD is safe to accept.
    ParsingOptions { allow_dtd: true, ..ParsingOptions::default() }
}

/// The name of an element or attribute: namespace URI and local name identify it; the
/// qualified name as written (`a:alligator`) is kept for paths and messages.
#[derive(Debug, Clone, Copy)]
struct Name<'a> {
    namespace: Option<&'a str>,
    local: &'a str,
    qualified: &'a str,
}

impl Name<'_> {
    fn same(&self, other: &Name<'_>) -> bool {
        self.namespace == other.namespace && self.local == other.local
    }

    /// Whether a rule expression's field names this element or attribute (`@` excluded).
    fn is_named(&self, field: &str) -> bool {
        field == self.local || field == self.qualified
    }

    /// `<alligator>`, with the namespace when there is one.
    fn describe(&self) -> String {
        match self.namespace {
            Some(uri) => format!("<{}> (namespace {:?})", self.qualified, uri),
            None => format!("<{}>", self.qualified),
        }
    }
}

/// Keeps `qualified` only if it is a plausible spelling of `local` (`local` or `prefix:local`).
fn checked<'a>(qualified: Option<&'a str>, local: &'a str) -> &'a str {
    match qualified {
        Some(q) if q == local || q.strip_suffix(local).is_some_and(|p| p.ends_with(':') && p.len() > 1) => q,
        _ => local,
    }
}

fn element_name<'a, 'i: 'a>(node: Node<'a, 'i>) -> Name<'a> {
    let tag = node.tag_name();
    let local = tag.name();
    // The qualified name as written follows the `<` that starts the element.
    let written = node.document().input_text().get(node.range().start + 1..).map(|rest| {
        let end = rest.find(|c: char| c.is_whitespace() || c == '/' || c == '>').unwrap_or(rest.len());
        rest.get(..end).unwrap_or(rest)
    });
    Name { namespace: tag.namespace(), local, qualified: checked(written, local) }
}

fn attribute_name<'a, 'i: 'a>(node: Node<'a, 'i>, attribute: &Attribute<'a, 'i>) -> Name<'a> {
    let local = attribute.name();
    let written = node.document().input_text().get(attribute.range_qname());
    Name { namespace: attribute.namespace(), local, qualified: checked(written, local) }
}

/// The text of an element: its own text nodes, trimmed, whitespace-only ones ignored.
fn text_of(node: Node<'_, '_>) -> String {
    let parts: Vec<&str> = node
        .children()
        .filter(Node::is_text)
        .filter_map(|child| child.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    parts.join(" ")
}

/// The child elements of a node grouped by name, in the order each name first appears.
fn groups<'a, 'i: 'a>(node: Node<'a, 'i>) -> Vec<(Name<'a>, Vec<Node<'a, 'i>>)> {
    let mut out: Vec<(Name<'a>, Vec<Node<'a, 'i>>)> = Vec::new();
    for child in node.children().filter(Node::is_element) {
        let name = element_name(child);
        match out.iter_mut().find(|(n, _)| n.same(&name)) {
            Some((_, members)) => members.push(child),
            None => out.push((name, vec![child])),
        }
    }
    out
}

fn quoted(text: &str) -> String {
    show(&Value::String(text.to_string()))
}

fn elements(n: usize, name: &Name<'_>) -> String {
    if n == 1 {
        format!("1 <{}> element", name.qualified)
    } else {
        format!("{n} <{}> elements", name.qualified)
    }
}

fn is_type_rule(rule: &MatchingRule) -> bool {
    matches!(
        rule,
        MatchingRule::Type
            | MatchingRule::MinType(_)
            | MatchingRule::MaxType(_)
            | MatchingRule::MinMaxType(..)
    )
}

/// One step of a concrete path inside an XML document, for choosing rules.
#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    /// An element, with its index among the siblings of its name (`None` for the whole group).
    Element { name: Name<'a>, index: Option<usize> },
    /// An attribute (`['@name']` in rule paths).
    Attribute(Name<'a>),
    /// The text of an element (`#text`).
    Text,
}

/// Weight of a token used as an element name: 2 for the name, 1 for `*`.
fn name_weight(token: &PathToken, name: &Name<'_>) -> u64 {
    match token {
        PathToken::Field(field) if name.is_named(field) => 2,
        PathToken::Star => 1,
        _ => 0,
    }
}

/// Weight of a token used as an element index: 2 for the index, 1 for `[*]`.
fn index_weight(token: &PathToken, index: Option<usize>) -> u64 {
    match token {
        PathToken::Index(n) if index == Some(*n) => 2,
        PathToken::Field(field) if index.is_some() && field.parse::<usize>().ok() == index => 2,
        PathToken::StarIndex => 1,
        _ => 0,
    }
}

/// Matches the rest of an expression after a token of `weight` (0: the token does not match).
fn then_weigh(weight: u64, tokens: &[PathToken], steps: &[Step<'_>]) -> Option<(u64, bool)> {
    if weight == 0 {
        return None;
    }
    weigh(tokens, steps).map(|(w, exact)| (w.saturating_mul(weight), exact))
}

/// How well the tokens of an expression (after `$`) match an XML path: `None` when they do not,
/// otherwise the product of per-token weights (2 for a name or index, 1 for a wildcard) and
/// whether the expression ends exactly at the path (rather than at one of its ancestors, from
/// which the rules cascade). An element step may be matched by its name, its name and index in
/// either order, or its index alone, so `$.a.b['@id']`, `$.a.b[1]['@id']`, `$.a[*].b['@id']`
/// and `$.a.1['@id']` all apply to the `id` attribute of the second `<b>` in `<a>`.
fn weigh(tokens: &[PathToken], steps: &[Step<'_>]) -> Option<(u64, bool)> {
    let Some((token, rest)) = tokens.split_first() else {
        return Some((1, steps.is_empty()));
    };
    let (step, next) = steps.split_first()?;
    match step {
        Step::Attribute(name) => {
            let weight = match token {
                PathToken::Field(field) => {
                    field.strip_prefix('@').map_or(0, |f| u64::from(name.is_named(f)) * 2)
                }
                PathToken::Star => 1,
                _ => 0,
            };
            then_weigh(weight, rest, next)
        }
        Step::Text => {
            let weight = match token {
                PathToken::Field(field) if field == "#text" => 2,
                PathToken::Star => 1,
                _ => 0,
            };
            then_weigh(weight, rest, next)
        }
        Step::Element { name, index } => {
            let by_name = name_weight(token, name);
            let by_index = index_weight(token, *index);
            // The name alone or the index alone (a token is never both).
            let mut best = then_weigh(by_name.max(by_index), rest, next);
            if let Some((second, after)) = rest.split_first() {
                // The name then the index (`b[1]`), or the index then the name (`[1].b`).
                best = best.max(then_weigh(by_name * index_weight(second, *index), after, next));
                best = best.max(then_weigh(by_index * name_weight(second, name), after, next));
            }
            best
        }
    }
}

/// Compares two parsed documents and collects every mismatch.
struct XmlMatcher<'r> {
    rules: PathRules<'r>,
    allow_unexpected_keys: bool,
    mismatches: Vec<Mismatch>,
}

impl<'r> XmlMatcher<'r> {
    fn push(&mut self, path: String, expected: String, actual: String, message: String) {
        self.mismatches.push(Mismatch::new(MismatchKind::Body, path, expected, actual, message));
    }

    /// The best rules for an XML path, chosen as [`PathRules::select`] does for JSON (the
    /// heaviest expression, the deeper one on a tie; rules of an ancestor only if they cascade),
    /// but with XML path weights.
    fn select(&self, steps: &[Step<'_>]) -> Option<Selected<'r>> {
        let entries = self.rules.entries();
        if entries.is_empty() {
            return None;
        }
        let mut candidates: Vec<(u64, usize, bool, &'r RuleList)> = entries
            .iter()
            .filter_map(|(expr, list)| {
                let tokens = expr.tokens();
                let below_root = match tokens.first() {
                    Some(PathToken::Root) => tokens.get(1..).unwrap_or_default(),
                    _ => tokens,
                };
                let (weight, exact) = weigh(below_root, steps)?;
                Some((weight, below_root.len(), exact, list))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
        for (_, _, exact, list) in candidates {
            if exact {
                return Some(Selected { list: Cow::Borrowed(list), cascaded: false });
            }
            if list.rules.iter().all(cascades) {
                return Some(Selected { list: Cow::Borrowed(list), cascaded: true });
            }
            let kept: Vec<_> = list.rules.iter().filter(|r| cascades(r)).cloned().collect();
            if !kept.is_empty() {
                return Some(Selected {
                    list: Cow::Owned(RuleList { rules: kept, combine: list.combine }),
                    cascaded: true,
                });
            }
        }
        None
    }

    /// Whether a type rule (`type`, `min`, `max`) is written for this path or for one of its
    /// ancestors, cascading or not: pact-reference's `type_matcher_defined`. Then the elements of
    /// a group are each compared with the first example, however many there are, and a child
    /// whose name the example does not have is a mismatch even where unexpected keys are allowed.
    fn type_rule_applies(&self, steps: &[Step<'_>]) -> bool {
        self.rules.entries().iter().any(|(expr, list)| {
            let tokens = expr.tokens();
            let below_root = match tokens.first() {
                Some(PathToken::Root) => tokens.get(1..).unwrap_or_default(),
                _ => tokens,
            };
            list.rules.iter().any(is_type_rule) && weigh(below_root, steps).is_some()
        })
    }

    fn compare_roots<'a>(&mut self, prefix: &str, expected: Node<'a, '_>, actual: Node<'a, '_>) {
        let (expected_name, actual_name) = (element_name(expected), element_name(actual));
        if !expected_name.same(&actual_name) {
            let path = render(prefix, &[Segment::Key(expected_name.qualified)]);
            let message =
                format!("expected element {} but found {}", expected_name.describe(), actual_name.describe());
            self.push(path, quoted(expected_name.qualified), quoted(actual_name.qualified), message);
            return;
        }
        self.compare_group(&mut Vec::new(), prefix, expected_name, &[expected], &[actual]);
    }

    /// Compares the elements of one name under a parent (or the two roots).
    ///
    /// As in pact-reference, a type rule that applies to the group (see
    /// [`type_rule_applies`](Self::type_rule_applies)) lets it hold any number of elements, at
    /// least one, each compared with the first example; its `min` and `max` bound each element's
    /// own child nodes (see [`compare_element`](Self::compare_element)), not the group's size.
    fn compare_group<'a>(
        &mut self,
        steps: &mut Vec<Step<'a>>,
        parent: &str,
        name: Name<'a>,
        expected: &[Node<'a, '_>],
        actual: &[Node<'a, '_>],
    ) {
        let group_path = render(parent, &[Segment::Key(name.qualified)]);
        let indexed = expected.len() > 1 || actual.len() > 1;
        let path_at =
            |i: usize| if indexed { render(&group_path, &[Segment::Index(i)]) } else { group_path.clone() };

        steps.push(Step::Element { name, index: None });
        let typed = self.type_rule_applies(steps);
        steps.pop();

        if typed {
            let Some(first) = expected.first() else { return };
            if actual.is_empty() {
                let message = format!(
                    "expected at least one element like {} but the element was missing",
                    name.describe()
                );
                self.push(group_path, quoted(name.qualified), String::new(), message);
                return;
            }
            for (i, element) in actual.iter().enumerate() {
                steps.push(Step::Element { name, index: Some(i) });
                self.compare_element(steps, &path_at(i), *first, *element);
                steps.pop();
            }
            return;
        }
        for i in 0..expected.len().max(actual.len()) {
            match (expected.get(i), actual.get(i)) {
                (Some(example), Some(element)) => {
                    steps.push(Step::Element { name, index: Some(i) });
                    self.compare_element(steps, &path_at(i), *example, *element);
                    steps.pop();
                }
                (Some(_), None) => {
                    let message = format!("expected element {} but the element was missing", name.describe());
                    self.push(path_at(i), quoted(name.qualified), String::new(), message);
                }
                (None, Some(_)) if !self.allow_unexpected_keys => {
                    let message = format!(
                        "unexpected element <{}>: expected {} but found {}",
                        name.qualified,
                        elements(expected.len(), &name),
                        actual.len()
                    );
                    self.push(path_at(i), String::new(), quoted(name.qualified), message);
                }
                _ => {}
            }
        }
    }

    /// Checks the number of child nodes of an element against the `min`/`max` of the type rules
    /// written for it, as pact-reference does (a rule cascaded from an ancestor bounds nothing).
    /// Returns whether every bound holds.
    fn check_child_count(&mut self, path: &str, list: &RuleList, actual: Node<'_, '_>) -> bool {
        let count = child_nodes(actual);
        let name = element_name(actual);
        let mut holds = true;
        for rule in &list.rules {
            let (min, max) = match rule {
                MatchingRule::MinType(min) => (Some(*min), None),
                MatchingRule::MaxType(max) => (None, Some(*max)),
                MatchingRule::MinMaxType(min, max) => (Some(*min), Some(*max)),
                _ => (None, None),
            };
            if let Some(min) = min.filter(|min| count < *min) {
                let message = format!(
                    "expected {} to have at least {} but it has {count}",
                    name.describe(),
                    child_nodes_text(min)
                );
                self.push(path.to_string(), format!("at least {min}"), count.to_string(), message);
                holds = false;
            }
            if let Some(max) = max.filter(|max| count > *max) {
                let message = format!(
                    "expected {} to have at most {} but it has {count}",
                    name.describe(),
                    child_nodes_text(max)
                );
                self.push(path.to_string(), format!("at most {max}"), count.to_string(), message);
                holds = false;
            }
        }
        holds
    }

    /// Compares two elements of the same name: attributes, text, then children.
    fn compare_element<'a>(
        &mut self,
        steps: &mut Vec<Step<'a>>,
        path: &str,
        expected: Node<'a, '_>,
        actual: Node<'a, '_>,
    ) {
        // The comparison recurses per level: a document nested without bound (roxmltree sets
        // none) would overflow the stack and abort the process. JSON has serde_json's 128.
        if steps.len() > MAX_DEPTH {
            let message = format!(
                "the XML is nested deeper than {MAX_DEPTH} elements, so it was not compared below this element"
            );
            self.push(path.to_string(), String::new(), String::new(), message);
            return;
        }
        // The rules written for the element itself: pact-reference compares nothing inside an
        // element whose own rules fail.
        if let Some(selected) = self.select(steps).filter(|s| !s.cascaded) {
            let counted = self.check_child_count(path, &selected.list, actual);
            if !self.check_element_rules(path, &selected.list, actual) || !counted {
                return;
            }
        }
        self.compare_attributes(steps, path, expected, actual);
        let (expected_text, actual_text) = (text_of(expected), text_of(actual));
        if !expected_text.is_empty() || !actual_text.is_empty() {
            steps.push(Step::Text);
            self.compare_value(steps, render(path, &[Segment::Key("#text")]), &expected_text, &actual_text);
            steps.pop();
        }
        self.compare_children(steps, path, expected, actual);
    }

    /// Applies the rules written for an element that neither shape its children (type rules) nor
    /// cascade to its text and attributes: `notEmpty`, and a report for the rest. Returns whether
    /// every one holds.
    fn check_element_rules(&mut self, path: &str, list: &RuleList, actual: Node<'_, '_>) -> bool {
        let before = self.mismatches.len();
        for rule in list.rules.iter().filter(|r| !cascades(r)) {
            let name = element_name(actual);
            match rule {
                // As pact-reference: an element without child nodes is empty, whatever its
                // attributes.
                MatchingRule::NotEmpty => {
                    if child_nodes(actual) == 0 {
                        let message =
                            format!("expected a non-empty element but {} was empty", name.describe());
                        self.push(path.to_string(), String::new(), quoted(name.qualified), message);
                    }
                }
                other => {
                    let message = format!(
                        "the {:?} matcher cannot be applied to an XML element, so it was not verified",
                        other.name()
                    );
                    self.mismatches.push(Mismatch::new(MismatchKind::Rule, path, "", "", message));
                }
            }
        }
        self.mismatches.len() == before
    }

    fn compare_attributes<'a>(
        &mut self,
        steps: &mut Vec<Step<'a>>,
        path: &str,
        expected: Node<'a, '_>,
        actual: Node<'a, '_>,
    ) {
        for attribute in expected.attributes() {
            let name = attribute_name(expected, &attribute);
            let key = format!("@{}", name.qualified);
            let attribute_path = render(path, &[Segment::Key(&key)]);
            let found = actual
                .attributes()
                .find(|a| a.namespace() == attribute.namespace() && a.name() == attribute.name());
            match found {
                Some(found) => {
                    steps.push(Step::Attribute(name));
                    self.compare_value(steps, attribute_path, attribute.value(), found.value());
                    steps.pop();
                }
                None => {
                    let value = quoted(attribute.value());
                    let message = format!("expected attribute {key}={value} but the attribute was missing");
                    self.push(attribute_path, value, String::new(), message);
                }
            }
        }
        if self.allow_unexpected_keys {
            return;
        }
        for attribute in actual.attributes() {
            let known = expected
                .attributes()
                .any(|e| e.namespace() == attribute.namespace() && e.name() == attribute.name());
            if !known {
                let name = attribute_name(actual, &attribute);
                let attribute_path = render(path, &[Segment::Key(&format!("@{}", name.qualified))]);
                let value = quoted(attribute.value());
                self.push(
                    attribute_path,
                    String::new(),
                    value.clone(),
                    format!("unexpected attribute, found {value}"),
                );
            }
        }
    }

    /// Compares an attribute value or a text by the rules that apply, or by equality.
    fn compare_value(&mut self, steps: &[Step<'_>], path: String, expected: &str, actual: &str) {
        let (e, a) = (Value::String(expected.to_string()), Value::String(actual.to_string()));
        match self.select(steps) {
            Some(selected) => {
                for failure in rules::apply(&selected.list, &e, &a, selected.cascaded, Mode::Text) {
                    self.push(path.clone(), show(&e), show(&a), failure);
                }
            }
            None if expected != actual => {
                self.push(path, show(&e), show(&a), format!("expected {} but found {}", show(&e), show(&a)));
            }
            None => {}
        }
    }

    fn compare_children<'a>(
        &mut self,
        steps: &mut Vec<Step<'a>>,
        path: &str,
        expected: Node<'a, '_>,
        actual: Node<'a, '_>,
    ) {
        let expected_groups = groups(expected);
        let actual_groups = groups(actual);
        for (name, examples) in &expected_groups {
            let found =
                actual_groups.iter().find(|(n, _)| n.same(name)).map_or(&[][..], |(_, members)| members);
            self.compare_group(steps, path, *name, examples, found);
        }
        for (name, members) in &actual_groups {
            if expected_groups.iter().any(|(n, _)| n.same(name)) {
                continue;
            }
            steps.push(Step::Element { name: *name, index: None });
            let typed = self.type_rule_applies(steps);
            steps.pop();
            if self.allow_unexpected_keys && !typed {
                continue;
            }
            let group_path = render(path, &[Segment::Key(name.qualified)]);
            for i in 0..members.len() {
                let element_path = if members.len() > 1 {
                    render(&group_path, &[Segment::Index(i)])
                } else {
                    group_path.clone()
                };
                let message = if self.allow_unexpected_keys {
                    format!(
                        "unexpected element {}: a type rule applies, so only children like the example's are allowed",
                        name.describe()
                    )
                } else {
                    format!("unexpected element {}", name.describe())
                };
                self.push(element_path, String::new(), quoted(name.qualified), message);
            }
        }
    }
}

/// `n child nodes`.
fn child_nodes_text(n: usize) -> String {
    if n == 1 {
        "1 child node".to_string()
    } else {
        format!("{n} child nodes")
    }
}

/// The number of child nodes of an element as pact-reference's parser (sxd-document) counts
/// them, which its `min` and `max` bound: every child element, comment and processing
/// instruction, and every piece of text, whitespace-only ones included, where a piece is a run of
/// characters, a CDATA section or a character or entity reference. roxmltree merges adjacent
/// pieces into one text node, so they are counted from the source between the other children.
fn child_nodes(node: Node<'_, '_>) -> usize {
    let input = node.document().input_text();
    let range = node.range();
    let fallback = || node.children().count();
    let Some(source) = input.get(range.clone()) else { return fallback() };
    let Some(open_end) = start_tag_end(source) else { return fallback() };
    if source.get(..open_end).is_some_and(|tag| tag.ends_with("/>")) {
        return 0;
    }
    let Some(content_end) = source.rfind("</") else { return fallback() };
    let (mut cursor, end) = (range.start + open_end, range.start + content_end);
    let mut count = 0;
    for child in node.children().filter(|c| !c.is_text()) {
        let child_range = child.range();
        // An element expanded from a DTD entity has no place between its siblings in the source.
        let Some(gap) = input.get(cursor..child_range.start) else { return fallback() };
        count += text_pieces(gap) + 1;
        cursor = child_range.end;
    }
    match input.get(cursor..end) {
        Some(gap) => count + text_pieces(gap),
        None => fallback(),
    }
}

/// Where the start tag at the beginning of `source` ends (just after its `>`).
fn start_tag_end(source: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in source.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// How many text nodes sxd-document makes of the text between two child nodes.
fn text_pieces(mut text: &str) -> usize {
    let mut pieces = 0;
    while !text.is_empty() {
        pieces += 1;
        let rest = if let Some(cdata) = text.strip_prefix("<![CDATA[") {
            cdata.find("]]>").and_then(|end| cdata.get(end + 3..))
        } else if text.starts_with('&') {
            text.find(';').and_then(|end| text.get(end + 1..))
        } else {
            // A run of characters up to the next markup (the first one is never markup).
            let end = text.char_indices().skip(1).find(|(_, c)| matches!(c, '<' | '&'));
            text.get(end.map_or(text.len(), |(i, _)| i)..)
        };
        text = rest.unwrap_or_default();
    }
    pieces
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::PathExpr;

    type Rules = BTreeMap<PathExpr, RuleList>;

    fn rules(entries: &[(&str, MatchingRule)]) -> Result<Rules, String> {
        let mut out = BTreeMap::new();
        for (path, rule) in entries {
            out.insert(PathExpr::parse(path).map_err(|e| e.to_string())?, RuleList::one(rule.clone()));
        }
        Ok(out)
    }

    fn regex(source: &str) -> Result<MatchingRule, String> {
        crate::model::PactRegex::new(source).map(MatchingRule::Regex).map_err(|e| e.to_string())
    }

    fn messages(expected: &str, actual: &str, rules: &Rules, allow_unexpected: bool) -> Vec<String> {
        compare(expected, actual, PathRules::new(rules), allow_unexpected, "$.body")
            .iter()
            .map(|m| m.to_string())
            .collect()
    }

    #[test]
    fn equal_documents_match_regardless_of_whitespace_and_attribute_order() {
        let expected = "<a x=\"1\" y=\"2\">\n  <b>text</b>\n  <c/>\n</a>";
        let actual = "<?xml version=\"1.0\"?><a y=\"2\" x=\"1\"><c/><b> text </b></a>";
        assert_eq!(messages(expected, actual, &Rules::new(), false), Vec::<String>::new());
    }

    #[test]
    fn reports_every_difference_with_its_path() {
        let expected = r#"<a id="1"><b>red</b><b>blue</b><c/></a>"#;
        let actual = r#"<a id="2" extra="x"><b>red</b><b>green</b><b>pink</b></a>"#;
        assert_eq!(
            messages(expected, actual, &Rules::new(), false),
            vec![
                r#"$.body.a['@id']: expected "1" but found "2""#,
                r#"$.body.a['@extra']: unexpected attribute, found "x""#,
                r#"$.body.a.b[1]['#text']: expected "blue" but found "green""#,
                "$.body.a.b[2]: unexpected element <b>: expected 2 <b> elements but found 3",
                "$.body.a.c: expected element <c> but the element was missing",
            ]
        );
        // Responses allow the extra attribute and element, not the rest.
        assert_eq!(messages(expected, actual, &Rules::new(), true).len(), 3);
    }

    #[test]
    fn type_rule_on_a_group_relaxes_its_length_but_not_to_zero() -> Result<(), String> {
        let expected = r#"<animals><alligator name="Fred">x</alligator></animals>"#;
        let two =
            r#"<animals><alligator name="Mary">y</alligator><alligator name="x1">z</alligator></animals>"#;
        let typed = rules(&[("$.animals.alligator", MatchingRule::Type)])?;
        assert_eq!(messages(expected, two, &typed, false), Vec::<String>::new());
        // The group's size is not bounded by `min`: 2 elements pass a `min` of 3, as each has
        // the 1 child node (its text) that a `min` of 1 asks for.
        let min_three = rules(&[("$.animals.alligator", MatchingRule::MinType(3))])?;
        assert_eq!(messages(expected, two, &min_three, false).len(), 2);
        let min_one = rules(&[
            ("$.animals.alligator", MatchingRule::MinType(1)),
            ("$.animals.alligator['@name']", regex("^[A-Z][a-z]+$")?),
        ])?;
        assert_eq!(
            messages(expected, two, &min_one, false),
            vec![
                r#"$.body.animals.alligator[1]['@name']: expected a value matching /^[A-Z][a-z]+$/ but found "x1""#
            ]
        );
        // At least one element, whatever the rule says.
        let none = "<animals/>";
        assert_eq!(
            messages(expected, none, &typed, true),
            vec!["$.body.animals.alligator: expected at least one element like <alligator> but the element was missing"]
        );
        assert_eq!(
            messages(expected, none, &rules(&[("$.animals.alligator", MatchingRule::MinType(0))])?, true)
                .len(),
            1
        );
        Ok(())
    }

    #[test]
    fn min_and_max_bound_each_elements_own_child_nodes_as_pact_reference_does() -> Result<(), String> {
        let min_one = rules(&[("$.order.item", MatchingRule::MinType(1))])?;
        // A childless element (attributes are no children) fails `min` 1, even when it is the
        // example itself: the official verifier fails it too.
        let childless = r#"<order><item sku="A-1"/></order>"#;
        assert_eq!(
            messages(childless, childless, &min_one, true),
            vec!["$.body.order.item: expected <item> to have at least 1 child node but it has 0"]
        );
        // Each element of a repeated group is bounded on its own, at its own index.
        let mixed =
            r#"<order><item sku="A">apple</item><item sku="B"/><item sku="C"><!--c--></item></order>"#;
        assert_eq!(
            messages(childless, mixed, &min_one, true),
            vec!["$.body.order.item[1]: expected <item> to have at least 1 child node but it has 0"]
        );
        // An element with children: elements, text pieces (whitespace-only ones too), comments
        // and processing instructions all count.
        let max_two = rules(&[("$.order.item", MatchingRule::MaxType(2))])?;
        let example = "<order><item><a/></item></order>";
        assert_eq!(
            messages(example, "<order><item><a/><a/></item></order>", &max_two, true),
            Vec::<String>::new()
        );
        assert_eq!(
            messages(example, "<order><item>\n  <a/>\n</item></order>", &max_two, true),
            vec!["$.body.order.item: expected <item> to have at most 2 child nodes but it has 3"]
        );
        assert_eq!(
            messages(example, "<order><item><a/><!--c--></item></order>", &max_two, true),
            Vec::<String>::new()
        );
        assert_eq!(
            messages(example, "<order><item><a/><!--c--><?pi x?></item></order>", &max_two, true).len(),
            1
        );
        // Text: a run of characters, each reference and each CDATA section is one node.
        let between = rules(&[("$.order.item", MatchingRule::MinMaxType(4, 4))])?;
        let text = "<order><item>apple</item></order>";
        assert_eq!(
            messages(text, "<order><item>a&amp;b<![CDATA[c]]></item></order>", &between, true),
            Vec::<String>::new()
        );
        assert_eq!(
            messages(text, text, &between, true),
            vec!["$.body.order.item: expected <item> to have at least 4 child nodes but it has 1"]
        );
        // The root is bounded the same way.
        let root = rules(&[("$.order", MatchingRule::MinType(2))])?;
        assert_eq!(messages(text, text, &root, true).len(), 1);
        assert_eq!(messages(text, "<order><item>apple</item> </order>", &root, true), Vec::<String>::new());
        Ok(())
    }

    #[test]
    fn an_element_whose_own_rules_fail_is_not_compared_further() -> Result<(), String> {
        let min = rules(&[("$.a.b", MatchingRule::MinType(1))])?;
        let found = messages(r#"<a><b id="1">x</b></a>"#, r#"<a><b id="2"/></a>"#, &min, false);
        assert_eq!(found, vec!["$.body.a.b: expected <b> to have at least 1 child node but it has 0"]);
        Ok(())
    }

    #[test]
    fn bounds_cascaded_from_an_ancestor_bound_nothing() -> Result<(), String> {
        let on_root = rules(&[("$.animals", MatchingRule::MinMaxType(1, 1))])?;
        let expected = "<animals><alligator/></animals>";
        // The root has 1 child; each alligator has 0 or 2, which the root's bounds do not govern,
        // and the type rule above makes the group repeatable.
        let actual = "<animals><alligator/><alligator><x/><y/></alligator></animals>";
        assert_eq!(messages(expected, actual, &on_root, true).len(), 1, "the root has 2 children");
        let actual = "<animals><alligator><x/><y/></alligator></animals>";
        let found = messages(expected, actual, &on_root, true);
        assert!(
            found
                .iter()
                .all(|m| m.contains("unexpected element <x>") || m.contains("unexpected element <y>")),
            "{found:?}"
        );
        Ok(())
    }

    #[test]
    fn a_type_rule_on_an_ancestor_makes_groups_below_it_repeatable() -> Result<(), String> {
        let on_root = rules(&[("$.a", MatchingRule::Type)])?;
        let expected = "<a><b><c>1</c></b></a>";
        let actual = "<a><b><c>2</c><c>3</c></b></a>";
        // The text still compares by equality (a `type` rule does not cascade to the text).
        let found = messages(expected, actual, &on_root, false);
        assert!(!found.iter().any(|m| m.contains("unexpected element")), "{found:?}");
        Ok(())
    }

    #[test]
    fn counting_child_nodes_from_the_source() {
        let count = |xml: &str| {
            let doc = Document::parse_with_options(xml, parsing_options()).unwrap();
            child_nodes(doc.root_element())
        };
        assert_eq!(count("<a/>"), 0);
        assert_eq!(count("<a x='>'></a>"), 0);
        assert_eq!(count(r#"<a x=">">t</a>"#), 1);
        assert_eq!(count("<a> <b/> </a>"), 3);
        assert_eq!(count("<a>x&lt;y&#65;<![CDATA[<b>]]>z<b>q</b></a>"), 7);
        assert_eq!(count("<a><!-- c --><?p?></a>"), 2);
        assert_eq!(count("<a><b><c/></b></a>"), 1);
    }

    #[test]
    fn rule_paths_may_name_or_omit_indices() -> Result<(), String> {
        let regex = regex("^\\d+$")?;
        let doc =
            |phone: &str| format!(r#"<animals><alligator phone="1"/><alligator phone="{phone}"/></animals>"#);
        for path in [
            "$.animals.alligator['@phone']",
            "$.animals.alligator[1]['@phone']",
            "$.animals.alligator[*]['@phone']",
            "$.animals[*].alligator['@phone']",
            "$.animals.1['@phone']",
            "$.animals.*['@phone']",
        ] {
            let rules = rules(&[(path, regex.clone())])?;
            assert_eq!(messages(&doc("2"), &doc("42"), &rules, false), Vec::<String>::new(), "{path}");
            assert_eq!(messages(&doc("2"), &doc("x"), &rules, false).len(), 1, "{path}");
        }
        let first_only = rules(&[("$.animals.alligator[0]['@phone']", regex)])?;
        assert_eq!(messages(&doc("2"), &doc("42"), &first_only, false).len(), 1);
        Ok(())
    }

    #[test]
    fn text_rules_and_prefixed_names() -> Result<(), String> {
        let expected = r#"<n:dates xmlns:n="urn:d"><n:date>29/10/2015</n:date></n:dates>"#;
        let actual = r#"<dates xmlns="urn:d"><date>01/11/2010</date></dates>"#;
        let date = regex("^\\d{2}/\\d{2}/\\d{4}$")?;
        assert_eq!(
            messages(expected, actual, &rules(&[("$['n:dates']['n:date']['#text']", date.clone())])?, false),
            Vec::<String>::new()
        );
        assert_eq!(
            messages(expected, actual, &rules(&[("$.dates.date.#text", date)])?, false),
            Vec::<String>::new()
        );
        assert_eq!(messages(expected, actual, &Rules::new(), false).len(), 1);
        Ok(())
    }

    #[test]
    fn namespaces_compare_by_uri() {
        let message =
            messages(r#"<a:x xmlns:a="urn:one"/>"#, r#"<a:x xmlns:a="urn:two"/>"#, &Rules::new(), true);
        assert_eq!(
            message,
            vec![
                r#"$.body['a:x']: expected element <a:x> (namespace "urn:one") but found <a:x> (namespace "urn:two")"#
            ]
        );
        assert_eq!(messages("<x/>", r#"<x xmlns="urn:one"/>"#, &Rules::new(), true).len(), 1);
    }

    #[test]
    fn type_rule_on_an_element_rejects_children_unlike_the_example() -> Result<(), String> {
        let expected = "<people><person>Fred</person></people>";
        let actual = "<people><person>Fred</person><cat>Tom</cat></people>";
        assert_eq!(messages(expected, actual, &Rules::new(), true), Vec::<String>::new());
        let by_type = rules(&[("$.people", MatchingRule::Type)])?;
        let found = messages(expected, actual, &by_type, true);
        assert_eq!(found.len(), 1);
        assert!(
            found.iter().all(|m| m.starts_with("$.body.people.cat: unexpected element <cat>")),
            "{found:?}"
        );
        // The children may repeat, each like the example, even in a request.
        let more = "<people><person>Al</person><person>Bo</person></people>";
        assert_eq!(messages(expected, more, &by_type, false), Vec::<String>::new());
        assert_eq!(messages(expected, more, &Rules::new(), false).len(), 2);
        Ok(())
    }

    #[test]
    fn element_rules_that_do_not_cascade() -> Result<(), String> {
        let not_empty = rules(&[("$.a.b", MatchingRule::NotEmpty)])?;
        assert_eq!(messages("<a><b>x</b></a>", "<a><b>y</b></a>", &not_empty, false).len(), 1);
        assert_eq!(
            messages("<a><b/></a>", "<a><b/></a>", &not_empty, false),
            vec!["$.body.a.b: expected a non-empty element but <b> was empty"]
        );
        // An element with attributes only has no child nodes: empty, as pact-reference says.
        assert_eq!(messages("<a><b/></a>", r#"<a><b id="1"/></a>"#, &not_empty, true).len(), 1);
        assert_eq!(messages("<a><b/></a>", "<a><b> </b></a>", &not_empty, true), Vec::<String>::new());
        let values = rules(&[("$.a.b", MatchingRule::Values)])?;
        let found = compare("<a><b/></a>", "<a><b/></a>", PathRules::new(&values), false, "$.body");
        assert!(found.len() == 1 && found.iter().all(|m| m.kind == MismatchKind::Rule), "{found:?}");
        Ok(())
    }

    #[test]
    fn invalid_xml_is_a_mismatch() {
        let found = compare("<a/>", "<a>", PathRules::new(&Rules::new()), true, "$.body");
        assert_eq!(found.len(), 1);
        assert!(found
            .iter()
            .all(|m| m.kind == MismatchKind::BodyType && m.message.contains("not well-formed XML")));
        assert_eq!(compare("", "<a/>", PathRules::new(&Rules::new()), true, "$.body").len(), 1);
    }

    #[test]
    fn deeply_nested_documents_are_a_mismatch_not_a_stack_overflow() {
        let depth = 5000;
        let doc = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let found = messages(&doc, &doc, &Rules::new(), true);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("nested deeper than 128 elements"), "{found:?}");
        let shallow = format!("{}x{}", "<a>".repeat(100), "</a>".repeat(100));
        assert_eq!(messages(&shallow, &shallow, &Rules::new(), true), Vec::<String>::new());
    }
}
