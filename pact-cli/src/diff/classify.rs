//! The rules of `pact diff`: what changed between two pacts, and whether a provider that
//! satisfied OLD may fail NEW.
//!
//! - A new interaction is **breaking** (the provider was never verified against it), and so is
//!   a new provider state; a removed interaction is **safe**.
//! - The request is what the provider receives: any change to its example (method, path,
//!   query, headers, body) is breaking; a change to its matchers is safe, because the verifier
//!   sends the example and the matchers only constrain the consumer's own mock.
//! - The response is what the provider must produce. A changed status, a newly required field
//!   or header, or a stricter matcher is breaking; a removed field or header, or a looser
//!   matcher, is safe ([`super::constraint`] compares the constraints, with the matching engine
//!   as the judge of examples).
//! - Messages are compared as responses (the provider produces them): contents as a body,
//!   metadata as headers.
//!
//! Generators are not compared: they change the values a verifier sends or expects, not what a
//! provider must do.

use std::collections::{BTreeMap, BTreeSet};

use pact_core::matching::match_response;
use pact_core::model::{
    parts, Body, Headers, Interaction, MatchingRules, MessageContents, Pact, PathExpr, Request, Response,
    RuleList, Segment, SpecVersion,
};
use serde_json::{Map, Value};

use super::change::{Change, InteractionDiff, Kind, PactDiff, Part};
use super::constraint::{describe_list, judge, short, Constraint, Judgement, Verdict};
use super::pair::{pair, Paired};

/// Compares two pacts.
pub fn diff_pacts(old: &Pact, new: &Pact, old_origin: &str, new_origin: &str) -> PactDiff {
    let old_states: BTreeSet<&str> =
        old.interactions.iter().flat_map(|i| i.provider_states().iter().map(|s| s.name.as_str())).collect();
    let mut interactions = Vec::new();
    for paired in pair(&old.interactions, &new.interactions) {
        match paired {
            Paired::Added(i) => {
                let fresh: Vec<&str> = i
                    .provider_states()
                    .iter()
                    .map(|s| s.name.as_str())
                    .filter(|s| !old_states.contains(s))
                    .collect();
                let mut reason = "a new interaction: the provider was never verified against it".to_string();
                if !fresh.is_empty() {
                    reason.push_str(&format!(" (and a new provider state: {})", quoted(&fresh)));
                }
                interactions.push(InteractionDiff {
                    description: i.description().to_string(),
                    states: state_names(i),
                    kind: Kind::Added,
                    judgement: Judgement { verdict: Verdict::Breaking, reason },
                    changes: Vec::new(),
                });
            }
            Paired::Removed(i) => interactions.push(InteractionDiff {
                description: i.description().to_string(),
                states: state_names(i),
                kind: Kind::Removed,
                judgement: Judgement {
                    verdict: Verdict::Safe,
                    reason: "a removed interaction: the provider no longer has to support it".into(),
                },
                changes: Vec::new(),
            }),
            Paired::Both(o, n) => {
                let changes = interaction_changes(o, n, &old_states);
                if changes.is_empty() {
                    continue;
                }
                let worst = changes.iter().map(|c| c.judgement.verdict).max().unwrap_or(Verdict::Safe);
                let count = changes.iter().filter(|c| c.judgement.verdict == worst).count();
                interactions.push(InteractionDiff {
                    description: n.description().to_string(),
                    states: state_names(n),
                    kind: Kind::Changed,
                    judgement: Judgement {
                        verdict: worst,
                        reason: format!("{count} {} change(s)", worst.as_str()),
                    },
                    changes,
                });
            }
        }
    }
    PactDiff {
        old_origin: old_origin.to_string(),
        new_origin: new_origin.to_string(),
        consumer: new.consumer.clone(),
        provider: new.provider.clone(),
        interactions,
    }
}

fn state_names(i: &Interaction) -> Vec<String> {
    i.provider_states().iter().map(|s| s.name.clone()).collect()
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
}

fn change(
    part: Part,
    path: String,
    kind: Kind,
    old: Option<String>,
    new: Option<String>,
    verdict: Verdict,
    reason: impl Into<String>,
) -> Change {
    Change { part, path, kind, old, new, judgement: Judgement { verdict, reason: reason.into() } }
}

/// The changes between two paired interactions.
fn interaction_changes(old: &Interaction, new: &Interaction, old_states: &BTreeSet<&str>) -> Vec<Change> {
    let mut out = Vec::new();
    state_changes(old, new, old_states, &mut out);
    match (old, new) {
        (Interaction::Http(o), Interaction::Http(n)) => {
            request_changes(&o.request, &n.request, &mut out);
            response_changes(&o.response, &n.response, &mut out);
        }
        (Interaction::Message(o), Interaction::Message(n)) => {
            message_changes(&o.message, &n.message, "$", &mut out);
        }
        (Interaction::SyncMessage(o), Interaction::SyncMessage(n)) => {
            let (oj, nj) = (message_example(&o.request), message_example(&n.request));
            example_changes(Part::Request, "$.request", &oj, &nj, &mut out);
            for i in 0..o.response.len().max(n.response.len()) {
                let path = format!("$.response[{i}]");
                match (o.response.get(i), n.response.get(i)) {
                    (Some(om), Some(nm)) => message_changes(om, nm, &path, &mut out),
                    (None, Some(_)) => out.push(change(
                        Part::Response,
                        path,
                        Kind::Added,
                        None,
                        None,
                        Verdict::Breaking,
                        "a newly required response message",
                    )),
                    (Some(_), None) => out.push(change(
                        Part::Response,
                        path,
                        Kind::Removed,
                        None,
                        None,
                        Verdict::Safe,
                        "a response message no longer required",
                    )),
                    (None, None) => {}
                }
            }
        }
        _ => out.push(change(
            Part::Interaction,
            "$.type".into(),
            Kind::Changed,
            Some(old.type_name().into()),
            Some(new.type_name().into()),
            Verdict::Breaking,
            "the kind of interaction changed",
        )),
    }
    out
}

fn state_changes(old: &Interaction, new: &Interaction, old_states: &BTreeSet<&str>, out: &mut Vec<Change>) {
    let (os, ns) = (old.provider_states(), new.provider_states());
    for (index, state) in ns.iter().enumerate() {
        let path = format!("$.providerStates[{index}]");
        match os.iter().find(|s| s.name == state.name) {
            None if !old_states.contains(state.name.as_str()) => out.push(change(
                Part::Interaction,
                path,
                Kind::Added,
                None,
                Some(format!("{:?}", state.name)),
                Verdict::Breaking,
                "a new provider state: the provider may have no handler for it",
            )),
            None => out.push(change(
                Part::Interaction,
                path,
                Kind::Added,
                None,
                Some(format!("{:?}", state.name)),
                Verdict::Breaking,
                "the interaction now runs in another provider state, never verified with it",
            )),
            Some(o) if o.params != state.params => out.push(change(
                Part::Interaction,
                format!("{path}.params"),
                Kind::Changed,
                Some(Value::Object(o.params.clone()).to_string()),
                Some(Value::Object(state.params.clone()).to_string()),
                Verdict::Breaking,
                "the provider state's params changed: the provider sets up other data",
            )),
            Some(_) => {}
        }
    }
    for (index, state) in os.iter().enumerate() {
        if !ns.iter().any(|s| s.name == state.name) {
            out.push(change(
                Part::Interaction,
                format!("$.providerStates[{index}]"),
                Kind::Removed,
                Some(format!("{:?}", state.name)),
                None,
                Verdict::Breaking,
                "the provider state is no longer set up: the provider must answer without it",
            ));
        }
    }
}

/// The request's example as JSON, without its matchers and generators.
fn request_example(request: &Request) -> Value {
    let mut value = parts::request_to_json(request, SpecVersion::V3);
    if let Value::Object(map) = &mut value {
        map.remove("matchingRules");
        map.remove("generators");
    }
    value
}

fn message_example(message: &MessageContents) -> Value {
    let mut map = Map::new();
    map.insert(
        "contents".into(),
        message.contents.as_json().cloned().unwrap_or_else(|| {
            message.contents.as_text().map(|t| Value::String(t.into_owned())).unwrap_or(Value::Null)
        }),
    );
    map.insert("metadata".into(), Value::Object(message.metadata.clone()));
    Value::Object(map)
}

fn request_changes(old: &Request, new: &Request, out: &mut Vec<Change>) {
    example_changes(Part::Request, "$", &request_example(old), &request_example(new), out);
    let (or, nr) = (old.matching_rules.to_v3_json(false), new.matching_rules.to_v3_json(false));
    for (path, o, n) in json_differences("$.matchingRules", Some(&or), Some(&nr)) {
        out.push(change(
            Part::Request,
            path,
            kind_of(o, n),
            o.map(short),
            n.map(short),
            Verdict::Safe,
            "a request matcher changed: it constrains only the consumer's mock; the provider receives the example",
        ));
    }
}

/// Every difference of a request example: the provider receives something else.
fn example_changes(part: Part, root: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    for (path, o, n) in json_differences(root, Some(old), Some(new)) {
        out.push(change(
            part,
            path,
            kind_of(o, n),
            o.map(short),
            n.map(short),
            Verdict::Breaking,
            "the provider receives a different request, never verified",
        ));
    }
}

fn kind_of(old: Option<&Value>, new: Option<&Value>) -> Kind {
    match (old, new) {
        (None, Some(_)) => Kind::Added,
        (Some(_), None) => Kind::Removed,
        _ => Kind::Changed,
    }
}

/// The leaves where two JSON values differ.
fn json_differences<'a>(
    path: &str,
    old: Option<&'a Value>,
    new: Option<&'a Value>,
) -> Vec<(String, Option<&'a Value>, Option<&'a Value>)> {
    let mut out = Vec::new();
    walk_json(path.to_string(), old, new, &mut out);
    out
}

fn walk_json<'a>(
    path: String,
    old: Option<&'a Value>,
    new: Option<&'a Value>,
    out: &mut Vec<(String, Option<&'a Value>, Option<&'a Value>)>,
) {
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                walk_json(child(&path, key), a.get(key), b.get(key), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                walk_json(format!("{path}[{i}]"), a.get(i), b.get(i), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push((path, a, b)),
    }
}

/// `$.a.b`, or `$.a['b c']` when the key is not a plain name.
fn child(path: &str, key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        format!("{path}.{key}")
    } else {
        format!("{path}['{}']", key.replace('\'', "\\'"))
    }
}

fn response_changes(old: &Response, new: &Response, out: &mut Vec<Change>) {
    // The status.
    let status = |r: &Response| match &r.matching_rules.status {
        Some(list) => Constraint::Rules { list: list.clone(), examples: vec![Value::from(r.status)] },
        None => Constraint::Equal(vec![Value::from(r.status)]),
    };
    let (os, ns) = (status(old), status(new));
    if os != ns {
        let mut judgement = judge(&os, &ns);
        if judgement.verdict.is_breaking() && old.status != new.status {
            judgement.reason = format!("a changed status: {}", judgement.reason);
        }
        out.push(Change {
            part: Part::Response,
            path: "$.status".into(),
            kind: Kind::Changed,
            old: Some(shown(&old.status.to_string(), &os)),
            new: Some(shown(&new.status.to_string(), &ns)),
            judgement,
        });
    }
    // The headers.
    header_like_changes(
        "$.headers",
        &flatten(old.headers.as_ref()),
        &flatten(new.headers.as_ref()),
        &old.matching_rules.header,
        &new.matching_rules.header,
        "header",
        out,
    );
    body_changes("$.body", &old.body, &new.body, &old.matching_rules, &new.matching_rules, out);
}

fn message_changes(old: &MessageContents, new: &MessageContents, root: &str, out: &mut Vec<Change>) {
    let prefix = if root == "$" { String::new() } else { root.trim_start_matches('$').to_string() };
    body_changes(
        &format!("${prefix}.contents"),
        &old.contents,
        &new.contents,
        &old.matching_rules,
        &new.matching_rules,
        out,
    );
    let text = |m: &Map<String, Value>| -> BTreeMap<String, String> {
        m.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string))).collect()
    };
    header_like_changes(
        &format!("${prefix}.metadata"),
        &text(&old.metadata),
        &text(&new.metadata),
        &old.matching_rules.metadata,
        &new.matching_rules.metadata,
        "metadata key",
        out,
    );
}

fn flatten(headers: Option<&Headers>) -> BTreeMap<String, String> {
    headers.into_iter().flatten().map(|(k, v)| (k.clone(), v.join(", "))).collect()
}

fn rule_for<'r>(rules: &'r BTreeMap<String, RuleList>, name: &str) -> Option<&'r RuleList> {
    rules.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
}

/// Headers (or message metadata): a new one is required, a removed one is no longer checked, a
/// changed one is judged by its constraint.
fn header_like_changes(
    root: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    old_rules: &BTreeMap<String, RuleList>,
    new_rules: &BTreeMap<String, RuleList>,
    what: &str,
    out: &mut Vec<Change>,
) {
    let find = |map: &BTreeMap<String, String>, name: &str| {
        map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    };
    for (name, value) in new {
        let path = child(root, name);
        let constraint = |rules: &BTreeMap<String, RuleList>, v: &str| match rule_for(rules, name) {
            Some(list) => {
                Constraint::Rules { list: list.clone(), examples: vec![Value::String(v.to_string())] }
            }
            None => Constraint::Equal(vec![Value::String(v.to_string())]),
        };
        let new_c = constraint(new_rules, value);
        match find(old, name) {
            None => out.push(change(
                Part::Response,
                path,
                Kind::Added,
                None,
                Some(shown(&format!("{value:?}"), &new_c)),
                Verdict::Breaking,
                format!("a newly required response {what}"),
            )),
            Some(old_value) => {
                let old_c = constraint(old_rules, &old_value);
                if old_c == new_c {
                    continue;
                }
                let judgement = match (&old_c, &new_c) {
                    // Plain values compare as the engine compares them (media types for
                    // Content-Type, items of comma-separated lists).
                    (Constraint::Equal(_), Constraint::Equal(_)) if what == "header" => {
                        header_witness(name, &old_value, value)
                    }
                    _ => judge(&old_c, &new_c),
                };
                out.push(Change {
                    part: Part::Response,
                    path,
                    kind: Kind::Changed,
                    old: Some(shown(&format!("{old_value:?}"), &old_c)),
                    new: Some(shown(&format!("{value:?}"), &new_c)),
                    judgement,
                });
            }
        }
    }
    for (name, value) in old {
        if find(new, name).is_none() {
            out.push(change(
                Part::Response,
                child(root, name),
                Kind::Removed,
                Some(format!("{value:?}")),
                None,
                Verdict::Safe,
                format!("the response {what} is no longer required"),
            ));
        }
    }
}

fn header_witness(name: &str, old_value: &str, new_value: &str) -> Judgement {
    let mut expected = Response::status(200);
    expected.headers = Some(Headers::from_iter([(name.to_string(), vec![new_value.to_string()])]));
    let mut actual = Response::status(200);
    actual.headers = Some(Headers::from_iter([(name.to_string(), vec![old_value.to_string()])]));
    if match_response(&expected, &actual).is_empty() {
        Judgement { verdict: Verdict::Safe, reason: "the new value accepts OLD's".into() }
    } else {
        Judgement {
            verdict: Verdict::Breaking,
            reason: format!("OLD's value {old_value:?} fails the new one"),
        }
    }
}

/// A value with the constraint on it: `"x" (regex ^x$)`.
fn shown(value: &str, constraint: &Constraint) -> String {
    match constraint {
        Constraint::Equal(_) => value.to_string(),
        Constraint::Rules { list, .. } => format!("{value} ({})", describe_list(list)),
    }
}

/// A concrete path segment inside a body.
#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

/// The constraint on the value at a concrete path: the most specific rule written for it (or,
/// for a rule written for a parent, its type matching, which cascades); equality otherwise.
fn constraint_at(rules: &BTreeMap<PathExpr, RuleList>, path: &[Seg], value: &Value) -> Constraint {
    let segments: Vec<Segment<'_>> = path
        .iter()
        .map(|s| match s {
            Seg::Key(k) => Segment::Key(k),
            Seg::Index(i) => Segment::Index(*i),
        })
        .collect();
    let mut best: Option<(u64, usize, &RuleList)> = None;
    for (expr, list) in rules {
        let depth = expr.depth();
        if depth < segments.len() && !list.is_type_like() {
            continue;
        }
        let weight = expr.weight(&segments);
        if weight == 0 {
            continue;
        }
        if best.is_none_or(|(w, d, _)| (weight, depth) > (w, d)) {
            best = Some((weight, depth, list));
        }
    }
    match best {
        Some((_, depth, list)) if depth == segments.len() => {
            Constraint::Rules { list: list.clone(), examples: vec![value.clone()] }
        }
        Some(_) => Constraint::Rules {
            list: RuleList::one(pact_core::model::MatchingRule::Type),
            examples: vec![value.clone()],
        },
        None => Constraint::Equal(vec![value.clone()]),
    }
}

fn body_changes(
    root: &str,
    old: &Body,
    new: &Body,
    old_rules: &MatchingRules,
    new_rules: &MatchingRules,
    out: &mut Vec<Change>,
) {
    match (old, new) {
        (Body::Missing, Body::Missing) => {}
        (_, Body::Missing) => out.push(change(
            Part::Response,
            root.to_string(),
            Kind::Removed,
            old.as_text().map(|t| short(&Value::String(t.into_owned()))),
            None,
            Verdict::Safe,
            "the body is no longer checked",
        )),
        (Body::Missing, _) => out.push(change(
            Part::Response,
            root.to_string(),
            Kind::Added,
            None,
            new.as_text().map(|t| short(&Value::String(t.into_owned()))),
            Verdict::Breaking,
            "a newly required body",
        )),
        _ => match (old.as_json(), new.as_json()) {
            (Some(o), Some(n)) => {
                let mut path = Vec::new();
                walk_body(root, &mut path, o, n, &old_rules.body, &new_rules.body, out);
            }
            _ => {
                if old == new && old_rules.body == new_rules.body {
                    return;
                }
                // Text, XML, bytes, or a change of kind: the matching engine decides whether
                // OLD's body passes NEW.
                let mut expected = Response::status(200);
                expected.body = new.clone();
                expected.matching_rules.body = new_rules.body.clone();
                let mut actual = Response::status(200);
                actual.body = old.clone();
                let mismatches = match_response(&expected, &actual);
                let (verdict, reason) = match mismatches.first() {
                    None => (Verdict::Safe, "the new body accepts OLD's".to_string()),
                    Some(m) => (Verdict::Breaking, format!("OLD's body fails the new one: {m}")),
                };
                let text = |b: &Body| b.as_text().map(|t| short(&Value::String(t.into_owned())));
                out.push(change(
                    Part::Response,
                    root.to_string(),
                    Kind::Changed,
                    text(old),
                    text(new),
                    verdict,
                    reason,
                ));
            }
        },
    }
}

fn show_path(root: &str, path: &[Seg]) -> String {
    let mut out = root.to_string();
    for seg in path {
        out = match seg {
            Seg::Key(k) => child(&out, k),
            Seg::Index(i) => format!("{out}[{i}]"),
        };
    }
    out
}

fn has_direct_rule(rules: &BTreeMap<PathExpr, RuleList>, path: &[Seg]) -> bool {
    let segments: Vec<Segment<'_>> = path
        .iter()
        .map(|s| match s {
            Seg::Key(k) => Segment::Key(k),
            Seg::Index(i) => Segment::Index(*i),
        })
        .collect();
    rules.keys().any(|e| e.depth() == segments.len() && e.weight(&segments) > 0)
}

fn walk_body(
    root: &str,
    path: &mut Vec<Seg>,
    old: &Value,
    new: &Value,
    old_rules: &BTreeMap<PathExpr, RuleList>,
    new_rules: &BTreeMap<PathExpr, RuleList>,
    out: &mut Vec<Change>,
) {
    let container =
        matches!((old, new), (Value::Object(_), Value::Object(_)) | (Value::Array(_), Value::Array(_)));
    if !container || has_direct_rule(old_rules, path) || has_direct_rule(new_rules, path) {
        let (oc, nc) = (constraint_at(old_rules, path, old), constraint_at(new_rules, path, new));
        let differs = if container {
            // A container's rules (min, max, type) are judged here, its contents below.
            !matches!((&oc, &nc), (Constraint::Rules { list: a, .. }, Constraint::Rules { list: b, .. }) if a == b)
        } else {
            old != new || oc != nc
        };
        if differs {
            let mut judgement = judge(&oc, &nc);
            if container && judgement.verdict.is_breaking() && judgement.reason.starts_with("OLD's example") {
                // The example of a container holds its children, which are judged one by one.
                judgement = match (&oc, &nc) {
                    (
                        Constraint::Rules { list: a, examples: ae },
                        Constraint::Rules { list: b, examples: be },
                    ) => {
                        let a =
                            Constraint::Rules { list: a.clone(), examples: ae.iter().map(hollow).collect() };
                        let b =
                            Constraint::Rules { list: b.clone(), examples: be.iter().map(hollow).collect() };
                        judge(&a, &b)
                    }
                    _ => judgement,
                };
            }
            if !(container && judgement.reason == "unchanged") {
                let value = |v: &Value, c: &Constraint| shown(&short(v), c);
                out.push(Change {
                    part: Part::Response,
                    path: show_path(root, path),
                    kind: Kind::Changed,
                    old: Some(value(old, &oc)),
                    new: Some(value(new, &nc)),
                    judgement,
                });
            }
        }
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in b {
                path.push(Seg::Key(key.clone()));
                match a.get(key) {
                    Some(o) => walk_body(root, path, o, value, old_rules, new_rules, out),
                    None => {
                        let c = constraint_at(new_rules, path, value);
                        out.push(change(
                            Part::Response,
                            show_path(root, path),
                            Kind::Added,
                            None,
                            Some(shown(&short(value), &c)),
                            Verdict::Breaking,
                            "a newly required response field",
                        ));
                    }
                }
                path.pop();
            }
            for (key, value) in a {
                if !b.contains_key(key) {
                    path.push(Seg::Key(key.clone()));
                    out.push(change(
                        Part::Response,
                        show_path(root, path),
                        Kind::Removed,
                        Some(short(value)),
                        None,
                        Verdict::Safe,
                        "a response field no longer required",
                    ));
                    path.pop();
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            let ruled = has_direct_rule(new_rules, path) || has_direct_rule(old_rules, path);
            for i in 0..a.len().max(b.len()) {
                path.push(Seg::Index(i));
                match (a.get(i), b.get(i)) {
                    (Some(o), Some(n)) => walk_body(root, path, o, n, old_rules, new_rules, out),
                    // With a matcher on the array, its length was judged above.
                    _ if ruled => {}
                    (None, Some(n)) => out.push(change(
                        Part::Response,
                        show_path(root, path),
                        Kind::Added,
                        None,
                        Some(short(n)),
                        Verdict::Breaking,
                        "a newly required array item (no matcher on the array: its length must match)",
                    )),
                    (Some(o), None) => out.push(change(
                        Part::Response,
                        show_path(root, path),
                        Kind::Removed,
                        Some(short(o)),
                        None,
                        Verdict::Breaking,
                        "an array item removed (no matcher on the array: its length must match)",
                    )),
                    (None, None) => {}
                }
                path.pop();
            }
        }
        _ => {}
    }
}

/// A container with its leaves replaced by `null`, so that only its shape is judged.
fn hollow(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(|_| Value::Null).collect()),
        Value::Object(map) => Value::Object(map.keys().map(|k| (k.clone(), Value::Null)).collect()),
        other => other.clone(),
    }
}
