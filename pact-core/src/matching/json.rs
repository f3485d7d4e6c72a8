//! Comparing JSON bodies under matching rules.
//!
//! Objects: every expected key must be present and match; extra keys are allowed in responses
//! and messages (Postel's law) but not in requests. Arrays: compared item by item, with equal
//! length, unless a type rule applies, which relaxes the length (to its `min`/`max`) and compares
//! every actual item against the example. Leaves: by the rules that apply, or by equality.

use serde_json::{Map, Value};

use super::mismatch::{Mismatch, MismatchKind};
use super::rules::{self, count, show, Mode};
use super::select::{render, PathRules, RuleWalk, Selected};
use crate::model::{MatchingRule, PathExpr, RuleList, RuleLogic, Segment};
use std::collections::BTreeMap;

/// Compares two JSON documents and collects every mismatch.
pub(crate) struct JsonMatcher<'r> {
    rules: RuleWalk<'r>,
    allow_unexpected_keys: bool,
    prefix: String,
    kind: MismatchKind,
    pub mismatches: Vec<Mismatch>,
}

impl<'r> JsonMatcher<'r> {
    pub fn new(
        rules: PathRules<'r>,
        allow_unexpected_keys: bool,
        prefix: impl Into<String>,
        kind: MismatchKind,
    ) -> Self {
        JsonMatcher {
            rules: RuleWalk::new(rules),
            allow_unexpected_keys,
            prefix: prefix.into(),
            kind,
            mismatches: Vec::new(),
        }
    }

    /// Compares the documents from the root.
    pub fn compare(&mut self, expected: &Value, actual: &Value) {
        let mut path = Vec::new();
        self.compare_at(&mut path, expected, actual);
    }

    fn push(&mut self, path: &[Segment<'_>], expected: String, actual: String, message: String) {
        self.mismatches.push(Mismatch::new(self.kind, render(&self.prefix, path), expected, actual, message));
    }

    fn compare_at<'a>(&mut self, path: &mut Vec<Segment<'a>>, expected: &'a Value, actual: &'a Value) {
        match (expected, actual) {
            (Value::Object(e), Value::Object(a)) => self.compare_maps(path, expected, e, actual, a),
            (Value::Array(e), Value::Array(a)) => self.compare_lists(path, expected, e, actual, a),
            _ => self.compare_values(path, expected, actual),
        }
    }

    /// Compares a child value at `segment`.
    fn descend<'a>(
        &mut self,
        path: &mut Vec<Segment<'a>>,
        segment: Segment<'a>,
        expected: &'a Value,
        actual: &'a Value,
    ) {
        path.push(segment);
        self.rules.enter(segment);
        self.compare_at(path, expected, actual);
        self.rules.leave();
        path.pop();
    }

    /// Applies the selected rules to a value; records failures. Returns the selection.
    fn apply<'a>(&mut self, path: &[Segment<'a>], expected: &Value, actual: &Value) -> Option<Selected<'r>> {
        let selected = self.rules.select()?;
        let failures = rules::apply(&selected.list, expected, actual, selected.cascaded, Mode::Json);
        for failure in failures {
            self.push(path, show(expected), show(actual), failure);
        }
        Some(selected)
    }

    fn compare_values<'a>(&mut self, path: &mut Vec<Segment<'a>>, expected: &'a Value, actual: &'a Value) {
        if self.apply(path, expected, actual).is_none() && !rules::values_equal(expected, actual) {
            self.push(
                path,
                show(expected),
                show(actual),
                format!("expected {} but found {}", show(expected), show(actual)),
            );
        }
    }

    fn compare_maps<'a>(
        &mut self,
        path: &mut Vec<Segment<'a>>,
        expected_value: &'a Value,
        expected: &'a Map<String, Value>,
        actual_value: &'a Value,
        actual: &'a Map<String, Value>,
    ) {
        let selected = self.apply(path, expected_value, actual_value);
        if let Some(selected) = selected.filter(|s| !s.cascaded) {
            if selected.list.rules.iter().any(is_member_rule) {
                self.compare_members(path, expected, actual, &selected.list.rules);
                return;
            }
        }
        for (key, example) in expected {
            match actual.get(key) {
                Some(value) => self.descend(path, Segment::Key(key), example, value),
                None => {
                    path.push(Segment::Key(key));
                    let message = format!("expected {} but the key was missing", show(example));
                    self.push(path, show(example), String::new(), message);
                    path.pop();
                }
            }
        }
        if !self.allow_unexpected_keys {
            for (key, value) in actual {
                if !expected.contains_key(key) {
                    path.push(Segment::Key(key));
                    self.push(
                        path,
                        String::new(),
                        show(value),
                        format!("unexpected key, found {}", show(value)),
                    );
                    path.pop();
                }
            }
        }
    }

    /// An object under `values`, `eachKey` or `eachValue` written for its path (pact_matching's
    /// semantics): keys are free, so no key is missing or unexpected.
    /// - `eachKey`: every actual key satisfies the key rules; then the values of the expected keys
    ///   are compared with their examples, where the rule list (now cascaded) accepts leaves.
    /// - `eachValue`: every actual value is compared with the example of the same key (or the
    ///   example's first value, by key order) under the `eachValue`'s own rules only.
    /// - `values`: every actual value is compared with the example of the same key (or the first)
    ///   under the same rules, which compare leaves by equality unless a rule below says more.
    fn compare_members<'a>(
        &mut self,
        path: &mut Vec<Segment<'a>>,
        expected: &'a Map<String, Value>,
        actual: &'a Map<String, Value>,
        rules: &[MatchingRule],
    ) {
        for rule in rules {
            if let MatchingRule::EachKey(each) = rule {
                for key in actual.keys() {
                    let text = Value::String(key.clone());
                    for key_rule in &each.rules {
                        if let Err(e) = rules::check(key_rule, &text, &text, false, Mode::Text) {
                            path.push(Segment::Key(key));
                            self.push(path, String::new(), show(&text), format!("key {key:?}: {e}"));
                            path.pop();
                        }
                    }
                }
            }
        }
        let first = expected.iter().min_by(|a, b| a.0.cmp(b.0)).map(|(_, v)| v);
        for rule in rules {
            if let MatchingRule::EachValue(each) = rule {
                let items = actual.iter().map(|(k, v)| (Segment::Key(k), expected.get(k), v));
                self.each_value(path, each, first, items);
            }
        }
        if rules.iter().any(|r| matches!(r, MatchingRule::Values)) {
            for (key, value) in actual {
                if let Some(example) = expected.get(key).or(first) {
                    self.descend(path, Segment::Key(key), example, value);
                }
            }
        } else if rules.iter().any(|r| matches!(r, MatchingRule::EachKey(_))) {
            for (key, example) in expected {
                if let Some(value) = actual.get(key) {
                    self.descend(path, Segment::Key(key), example, value);
                }
            }
        }
    }

    /// Compares each member (segment, example at the same key or index, actual value) with its
    /// example, or with `first` when there is none, under only the `eachValue`'s rules (which
    /// cascade below the member). Nothing is compared when the example has no members.
    fn each_value<'a>(
        &mut self,
        path: &mut Vec<Segment<'a>>,
        each: &crate::model::EachRule,
        first: Option<&'a Value>,
        members: impl Iterator<Item = (Segment<'a>, Option<&'a Value>, &'a Value)>,
    ) {
        let own: BTreeMap<PathExpr, RuleList> = BTreeMap::from([(
            PathExpr::root(),
            RuleList { rules: each.rules.clone(), combine: RuleLogic::And },
        )]);
        for (segment, example, value) in members {
            let Some(example) = example.or(first) else { return };
            path.push(segment);
            let prefix = render(&self.prefix, path);
            path.pop();
            let mut sub =
                JsonMatcher::new(PathRules::new(&own), self.allow_unexpected_keys, prefix, self.kind);
            sub.compare(example, value);
            self.mismatches.append(&mut sub.mismatches);
        }
    }

    fn compare_lists<'a>(
        &mut self,
        path: &mut Vec<Segment<'a>>,
        expected_value: &'a Value,
        expected: &'a [Value],
        actual_value: &'a Value,
        actual: &'a [Value],
    ) {
        if let Some(selected) = self.apply(path, expected_value, actual_value) {
            let rules = &selected.list.rules;
            if !selected.cascaded {
                if let Some(variants) = rules.iter().find_map(|r| match r {
                    MatchingRule::ArrayContains(v) => Some(v),
                    _ => None,
                }) {
                    self.array_contains(path, expected, actual, variants);
                    return;
                }
                let mut each_value = false;
                for rule in rules.iter() {
                    if let MatchingRule::EachValue(each) = rule {
                        each_value = true;
                        let items =
                            actual.iter().enumerate().map(|(i, v)| (Segment::Index(i), expected.get(i), v));
                        self.each_value(path, each, expected.first(), items);
                    }
                }
                if each_value {
                    return;
                }
            }
            // Type rules relax the length and compare every item with the example at its index
            // or the first; so do the member rules (`values` compares the items by equality,
            // `eachKey` accepts them), as pact_matching does.
            let item_wise = rules.iter().any(|r| {
                matches!(
                    r,
                    MatchingRule::Type
                        | MatchingRule::MinType(_)
                        | MatchingRule::MaxType(_)
                        | MatchingRule::MinMaxType(..)
                ) || is_member_rule(r)
            });
            if item_wise {
                if let Some(first) = expected.first() {
                    for (i, value) in actual.iter().enumerate() {
                        self.descend(path, Segment::Index(i), expected.get(i).unwrap_or(first), value);
                    }
                }
                return;
            }
        }
        if expected.len() != actual.len() {
            let message =
                format!("expected a list of {} but found {}", count(expected.len()), count(actual.len()));
            self.push(path, show(expected_value), show(actual_value), message);
        }
        for (i, (example, value)) in expected.iter().zip(actual).enumerate() {
            self.descend(path, Segment::Index(i), example, value);
        }
    }

    fn array_contains(
        &mut self,
        path: &[Segment<'_>],
        expected: &[Value],
        actual: &[Value],
        variants: &[crate::model::ArrayContainsVariant],
    ) {
        let list_path = render(&self.prefix, path);
        for variant in variants {
            let Some(example) = expected.get(variant.index) else {
                let message = format!(
                    "the arrayContains variant refers to item {} of the example, which has none",
                    variant.index
                );
                self.push(path, String::new(), String::new(), message);
                continue;
            };
            let mut best: Option<(usize, Vec<Mismatch>)> = None;
            for (i, item) in actual.iter().enumerate() {
                let mut sub = JsonMatcher::new(
                    PathRules::new(&variant.rules),
                    self.allow_unexpected_keys,
                    format!("{list_path}[{i}]"),
                    self.kind,
                );
                sub.compare(example, item);
                if sub.mismatches.is_empty() {
                    best = None;
                    break;
                }
                if best.as_ref().is_none_or(|(_, m)| sub.mismatches.len() < m.len()) {
                    best = Some((i, sub.mismatches));
                }
            }
            let found = !actual.is_empty() && best.is_none();
            if !found {
                let closest = match &best {
                    Some((i, mismatches)) => format!(
                        "; closest is item {i}: {}",
                        mismatches.iter().take(3).map(|m| m.to_string()).collect::<Vec<_>>().join("; ")
                    ),
                    None => String::new(),
                };
                let message =
                    format!("expected the list to contain an item like {}{}", show(example), closest);
                self.push(path, show(example), String::new(), message);
            }
        }
    }
}

/// `values`, `eachKey` or `eachValue`: a rule on an object's keys or its (or an array's) members.
fn is_member_rule(rule: &MatchingRule) -> bool {
    matches!(rule, MatchingRule::Values | MatchingRule::EachKey(_) | MatchingRule::EachValue(_))
}
