//! Choosing the rules that apply at a path inside a body: the most specific expression wins
//! (the specification's path weighting), and a rule written for a parent cascades to its
//! children unless it only makes sense where it was written (`arrayContains`, `notEmpty`, ...).
//!
//! `values`, `eachKey` and `eachValue` do not cascade as checks, but the list that holds them
//! still governs the subtree below (as in pact_matching, where the best rule list of an ancestor
//! applies to every descendant): `values` then compares the leaves by equality, and
//! `eachKey`/`eachValue` accept them, so a more general rule further up does not take over.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::rules::reaches_below;
use crate::model::path::token_weight;
use crate::model::{PathExpr, RuleList, Segment};

/// The rules of a body, ready for lookups by concrete path.
#[derive(Clone, Copy)]
pub(crate) struct PathRules<'r> {
    rules: &'r BTreeMap<PathExpr, RuleList>,
}

/// The rules chosen for one path.
pub(crate) struct Selected<'r> {
    pub list: Cow<'r, RuleList>,
    /// The rules were written for a parent path.
    pub cascaded: bool,
}

impl<'r> PathRules<'r> {
    pub fn new(rules: &'r BTreeMap<PathExpr, RuleList>) -> Self {
        PathRules { rules }
    }

    /// Every expression with its rules (XML matching weighs them against its own paths).
    pub fn entries(&self) -> &'r BTreeMap<PathExpr, RuleList> {
        self.rules
    }

    /// The best rules for `path` (segments below the root), if any apply.
    pub fn select(&self, path: &[Segment<'_>]) -> Option<Selected<'r>> {
        // One pass, no allocation: keep the highest (weight, depth) among the rule lists that
        // can apply here (an exact path, or a parent whose rules cascade).
        let mut best: Option<(u64, usize, &'r RuleList)> = None;
        for (expr, list) in self.rules {
            let depth = expr.depth();
            if depth < path.len() && !list.rules.iter().any(reaches_below) {
                continue;
            }
            let weight = expr.weight(path);
            if weight == 0 {
                continue;
            }
            if best.is_none_or(|(w, d, _)| (weight, depth) > (w, d)) {
                best = Some((weight, depth, list));
            }
        }
        let (_, depth, list) = best?;
        Some(finish(list, depth < path.len()))
    }
}

/// Rule lookups for a depth-first walk: each level keeps the rules that still apply to the path
/// so far, so a lookup costs the few live rules rather than every rule of the body.
pub(crate) struct RuleWalk<'r> {
    rules: Vec<(&'r PathExpr, &'r RuleList)>,
    /// Live rules per level, as (index into `rules`, weight so far); `levels[0]` is the root.
    levels: Vec<Vec<(usize, u64)>>,
    depth: usize,
}

impl<'r> RuleWalk<'r> {
    pub fn new(rules: PathRules<'r>) -> Self {
        let rules: Vec<_> = rules.rules.iter().collect();
        let root = (0..rules.len()).map(|i| (i, 2)).collect();
        RuleWalk { rules, levels: vec![root], depth: 0 }
    }

    /// Steps into a child.
    pub fn enter(&mut self, segment: Segment<'_>) {
        let level = self.depth;
        self.depth += 1;
        if self.levels.len() <= self.depth {
            self.levels.push(Vec::new());
        }
        let (parents, children) = self.levels.split_at_mut(self.depth);
        let next = &mut children[0];
        next.clear();
        for &(index, weight) in &parents[level] {
            let (expr, _) = self.rules[index];
            match expr.tokens().get(level + 1) {
                // The expression is shorter than the path: it may cascade.
                None => next.push((index, weight)),
                Some(token) => {
                    let w = token_weight(token, &segment);
                    if w > 0 {
                        next.push((index, weight.saturating_mul(w)));
                    }
                }
            }
        }
    }

    /// Steps back out of a child.
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The best rules at the current path.
    pub fn select(&self) -> Option<Selected<'r>> {
        let mut best: Option<(u64, usize, &'r RuleList)> = None;
        for &(index, weight) in &self.levels[self.depth] {
            let (expr, list) = self.rules[index];
            let depth = expr.depth();
            if depth > self.depth || (depth < self.depth && !list.rules.iter().any(reaches_below)) {
                continue;
            }
            if best.is_none_or(|(w, d, _)| (weight, depth) > (w, d)) {
                best = Some((weight, depth, list));
            }
        }
        let (_, depth, list) = best?;
        Some(finish(list, depth < self.depth))
    }
}

fn finish(list: &RuleList, cascaded: bool) -> Selected<'_> {
    if !cascaded {
        return Selected { list: Cow::Borrowed(list), cascaded: false };
    }
    if list.rules.iter().all(reaches_below) {
        return Selected { list: Cow::Borrowed(list), cascaded: true };
    }
    let kept: Vec<_> = list.rules.iter().filter(|r| reaches_below(r)).cloned().collect();
    Selected { list: Cow::Owned(RuleList { rules: kept, combine: list.combine }), cascaded: true }
}

/// Renders a concrete path after a prefix such as `$.body`: `$.body.users[0].id`.
pub(crate) fn render(prefix: &str, path: &[Segment<'_>]) -> String {
    let mut out = prefix.to_string();
    for segment in path {
        match segment {
            Segment::Key(key) => crate::model::json::push_key(&mut out, key),
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}
