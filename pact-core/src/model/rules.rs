//! Matching rules: what a value must satisfy instead of being equal to the example.
//!
//! Rules are kept per part of an interaction ([`MatchingRules`]): the path, the status, query
//! parameters and headers by name, metadata by key, and body rules by path expression. Reading
//! accepts the V2 flat form (`"$.body.items[*].id": {"match": "type"}`) and the V3/V4 nested form
//! (`"body": {"$.items[*].id": {"matchers": [...], "combine": "AND"}}`); writing produces either.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::error::Result;
use super::generators::{read_body_generators, Generator};
use super::json::Node;
use super::path::{PathError, PathExpr};
use super::regex::PactRegex;

/// One matching rule, named as in the Pact specification (the `match` attribute).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MatchingRule {
    /// `equality`: equal to the example (the default; also stops a parent rule cascading).
    Equality,
    /// `regex`: the value's text form matches the expression.
    Regex(PactRegex),
    /// `type`: the same JSON type as the example.
    Type,
    /// `type` with `min`: the same type, and an array has at least this many items.
    MinType(usize),
    /// `type` with `max`: the same type, and an array has at most this many items.
    MaxType(usize),
    /// `type` with `min` and `max`.
    MinMaxType(usize, usize),
    /// `include`: the text form contains this string.
    Include(String),
    /// `integer`: an integer number.
    Integer,
    /// `decimal`: a number with a fractional part.
    Decimal,
    /// `number`: any number.
    Number,
    /// `boolean`: `true` or `false` (also the strings "true" and "false").
    Boolean,
    /// `null`: the value is null.
    Null,
    /// `datetime` (also read as `timestamp`): a date and time in the Java-style format, or ISO 8601 when none.
    DateTime(Option<String>),
    /// `date`: a date in the Java-style format, or ISO 8601 when none.
    Date(Option<String>),
    /// `time`: a time in the Java-style format, or ISO 8601 when none.
    Time(Option<String>),
    /// `contentType`: the content has this media type (judged from its bytes).
    ContentType(String),
    /// `values`: an object's values match the example's, whatever the keys.
    Values,
    /// `arrayContains`: each variant is matched by some item of the array.
    ArrayContains(Vec<ArrayContainsVariant>),
    /// `eachKey`: every key of an object satisfies the rules.
    EachKey(EachRule),
    /// `eachValue`: every value of an object or array satisfies the rules.
    EachValue(EachRule),
    /// `notEmpty`: present, not null, not an empty string, array or object.
    NotEmpty,
    /// `semver`: a semantic version.
    Semver,
    /// `statusCode`: the response status falls in a class or a list.
    StatusCode(StatusCodeRule),
    /// A matcher this engine does not know (for example from a plugin). It is kept so the pact
    /// round-trips, and matching with it reports a mismatch rather than passing silently.
    Unknown {
        /// The `match` name.
        name: String,
        /// The other attributes, as written.
        attributes: Map<String, Value>,
    },
}

/// A variant of an `arrayContains` rule: the example item at `index` with its own rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArrayContainsVariant {
    /// Index of the example item in the expected array.
    pub index: usize,
    /// Rules applying inside the item, keyed by path expressions relative to it.
    pub rules: BTreeMap<PathExpr, RuleList>,
    /// Generators of the variant, by path expression relative to it.
    pub generators: BTreeMap<PathExpr, Generator>,
}

/// The rules of an `eachKey` or `eachValue` matcher.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EachRule {
    /// The rules each key or value must satisfy.
    pub rules: Vec<MatchingRule>,
    /// The example value, when written.
    pub value: Option<Value>,
}

/// The classes of the `statusCode` matcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusCodeRule {
    /// 100-199.
    Information,
    /// 200-299.
    Success,
    /// 300-399.
    Redirect,
    /// 400-499.
    ClientError,
    /// 500-599.
    ServerError,
    /// 100-399.
    NonError,
    /// 400-599.
    Error,
    /// One of these codes.
    Codes(Vec<u16>),
}

/// How the rules of a [`RuleList`] combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RuleLogic {
    /// All must pass.
    #[default]
    And,
    /// One must pass.
    Or,
}

/// The rules at one path, and how they combine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleList {
    /// The rules.
    pub rules: Vec<MatchingRule>,
    /// `AND` or `OR`.
    pub combine: RuleLogic,
}

impl RuleList {
    /// A list holding one rule.
    pub fn one(rule: MatchingRule) -> Self {
        RuleList { rules: vec![rule], combine: RuleLogic::And }
    }

    /// Whether the list holds a rule that makes children match by type (`type`, min/max type,
    /// `values`, `eachValue`...), which cascades to nested values.
    pub fn is_type_like(&self) -> bool {
        self.rules.iter().any(|r| {
            matches!(
                r,
                MatchingRule::Type
                    | MatchingRule::MinType(_)
                    | MatchingRule::MaxType(_)
                    | MatchingRule::MinMaxType(..)
                    | MatchingRule::Values
                    | MatchingRule::EachValue(_)
            )
        })
    }
}

/// All the rules of one request, response or message, by category.
///
/// ```
/// use pact_core::model::{MatchingRule, MatchingRules, PathExpr, RuleList};
///
/// let mut rules = MatchingRules::default();
/// rules.add_body("$.id", MatchingRule::Integer).unwrap();
/// rules.header.insert("X-Id".into(), RuleList::one(MatchingRule::Type));
/// let v3 = rules.to_v3_json(false);
/// assert_eq!(v3["body"]["$.id"]["matchers"][0]["match"], "integer");
/// assert_eq!(v3["header"]["X-Id"]["combine"], "AND");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MatchingRules {
    /// Rules for the request path.
    pub path: Option<RuleList>,
    /// Rules for the response status (V4 `statusCode`).
    pub status: Option<RuleList>,
    /// Rules for query parameters, by name.
    pub query: BTreeMap<String, RuleList>,
    /// Rules for headers, by name (compared case-insensitively).
    pub header: BTreeMap<String, RuleList>,
    /// Rules for the body (or message contents), by path expression.
    pub body: BTreeMap<PathExpr, RuleList>,
    /// Rules for message metadata, by key.
    pub metadata: BTreeMap<String, RuleList>,
    /// Categories this engine does not know, kept as written.
    pub other: Map<String, Value>,
}

impl PartialOrd for PathExpr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PathExpr {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl MatchingRules {
    /// Whether there are no rules at all.
    pub fn is_empty(&self) -> bool {
        self.path.is_none()
            && self.status.is_none()
            && self.query.is_empty()
            && self.header.is_empty()
            && self.body.is_empty()
            && self.metadata.is_empty()
            && self.other.is_empty()
    }

    /// Adds `rule` to the body rules at `path` (a path expression such as `$.items[*].id`).
    pub fn add_body(&mut self, path: &str, rule: MatchingRule) -> std::result::Result<(), PathError> {
        let path = PathExpr::parse(path)?;
        self.body.entry(path).or_default().rules.push(rule);
        Ok(())
    }

    /// Reads the `matchingRules` of a request, response or message in either the V2 flat form
    /// or the V3/V4 nested form.
    pub(crate) fn from_json(node: &Node<'_>) -> Result<Self> {
        let map = node.object()?;
        if map.keys().any(|k| k.starts_with('$')) {
            Self::from_v2(node)
        } else {
            Self::from_v3(node)
        }
    }

    fn from_v2(node: &Node<'_>) -> Result<Self> {
        let mut rules = MatchingRules::default();
        for (key, child) in node.entries()? {
            let list = RuleList::one(MatchingRule::from_json(&child)?);
            let rest = key.strip_prefix("$.").unwrap_or(key);
            let (category, name) = split_v2_key(rest);
            match category {
                "body" => {
                    let expr = format!("${}", name.unwrap_or(""));
                    let path = PathExpr::parse(&expr)
                        .map_err(|e| child.error(format!("a valid path expression ({e})")))?;
                    rules.body.insert(path, list);
                }
                "header" | "headers" => {
                    rules.header.insert(name_of(name), list);
                }
                "query" => {
                    rules.query.insert(name_of(name), list);
                }
                "path" => rules.path = Some(list),
                "status" => rules.status = Some(list),
                "metadata" | "metaData" => {
                    rules.metadata.insert(name_of(name), list);
                }
                _ => {
                    return Err(child.error(format!(
                        "a rule keyed by $.body, $.headers, $.query or $.path (the key is {key:?})"
                    )))
                }
            }
        }
        Ok(rules)
    }

    fn from_v3(node: &Node<'_>) -> Result<Self> {
        let mut rules = MatchingRules::default();
        for (category, child) in node.entries()? {
            match category.as_str() {
                "path" | "status" => {
                    let obj = child.object()?;
                    // Written either as a rule list, or keyed by a path (`{"$": {...}}` or `{"": {...}}`).
                    let list = if obj.contains_key("matchers") || obj.contains_key("match") {
                        RuleList::from_json(&child)?
                    } else {
                        match child.entries()?.next() {
                            Some((_, inner)) => RuleList::from_json(&inner)?,
                            None => continue,
                        }
                    };
                    if list.rules.is_empty() {
                        // No rule stated: equality, as if the entry were absent.
                    } else if category == "path" {
                        rules.path = Some(list);
                    } else {
                        rules.status = Some(list);
                    }
                }
                "query" | "header" | "headers" | "metadata" | "metaData" => {
                    let target = match category.as_str() {
                        "query" => &mut rules.query,
                        "metadata" | "metaData" => &mut rules.metadata,
                        _ => &mut rules.header,
                    };
                    for (name, inner) in child.entries()? {
                        let name = name.strip_prefix("$.").unwrap_or(name);
                        let list = RuleList::from_json(&inner)?;
                        if !list.rules.is_empty() {
                            target.insert(name.to_string(), list);
                        }
                    }
                }
                "body" | "content" | "contents" => {
                    rules.body.extend(read_path_rules(&child)?);
                }
                _ => {
                    rules.other.insert(category.clone(), child.value.clone());
                }
            }
        }
        Ok(rules)
    }

    /// The V3/V4 nested form. `message` names the contents category `content` (V4 messages)
    /// instead of `body`.
    pub fn to_v3_json(&self, message: bool) -> Value {
        let mut out = Map::new();
        if let Some(path) = &self.path {
            out.insert("path".into(), path.to_json());
        }
        if let Some(status) = &self.status {
            out.insert("status".into(), status.to_json());
        }
        for (category, map) in
            [("query", &self.query), ("header", &self.header), ("metadata", &self.metadata)]
        {
            if !map.is_empty() {
                // The reader strips a leading `$.` from these names, so a name that has one
                // is written with another, to read back as it was.
                let written = |k: &String| if k.starts_with("$.") { format!("$.{k}") } else { k.clone() };
                let rules: Map<String, Value> = map.iter().map(|(k, v)| (written(k), v.to_json())).collect();
                out.insert(category.into(), Value::Object(rules));
            }
        }
        if !self.body.is_empty() {
            let rules = path_rules_to_json(&self.body);
            out.insert(if message { "content" } else { "body" }.into(), rules);
        }
        for (k, v) in &self.other {
            out.insert(k.clone(), v.clone());
        }
        Value::Object(out)
    }

    /// The V2 flat form. V2 has one rule per path, so only the first rule of each list is
    /// written, and V3+ matchers are written as they are (V2 readers ignore what they do not know).
    pub fn to_v2_json(&self) -> Value {
        let mut out = Map::new();
        let first = |list: &RuleList| list.rules.first().map(MatchingRule::to_json);
        if let Some(rule) = self.path.as_ref().and_then(first) {
            out.insert("$.path".into(), rule);
        }
        for (name, list) in &self.query {
            if let Some(rule) = first(list) {
                out.insert(format!("$.query.{}", v2_name(name)), rule);
            }
        }
        for (name, list) in &self.header {
            if let Some(rule) = first(list) {
                out.insert(format!("$.headers.{}", v2_name(name)), rule);
            }
        }
        for (path, list) in &self.body {
            if let Some(rule) = first(list) {
                out.insert(format!("$.body{}", &path.as_str()[1..]), rule);
            }
        }
        Value::Object(out)
    }
}

/// `$.headers.Content-Type` and `$.headers['Content-Type']` both name the header `Content-Type`.
fn split_v2_key(rest: &str) -> (&str, Option<&str>) {
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    let (category, tail) = rest.split_at(end);
    if tail.is_empty() {
        (category, None)
    } else {
        (category, Some(tail))
    }
}

/// The name in `.name`, `.name[0]` or `['name']`.
fn name_of(tail: Option<&str>) -> String {
    let tail = tail.unwrap_or("");
    if let Some(name) = tail.strip_prefix('.') {
        return name.split('[').next().unwrap_or(name).to_string();
    }
    if let Some(inner) = tail.strip_prefix("['").and_then(|t| t.strip_suffix("']")) {
        return inner.to_string();
    }
    tail.to_string()
}

fn v2_name(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        name.to_string()
    } else {
        format!("['{name}']")
    }
}

/// Reads a map of path expression to rule list.
pub(crate) fn read_path_rules(node: &Node<'_>) -> Result<BTreeMap<PathExpr, RuleList>> {
    let mut out = BTreeMap::new();
    for (key, inner) in node.entries()? {
        let key = if key.starts_with('$') { key.clone() } else { format!("$.{key}") };
        let path = PathExpr::parse(&key)
            .map_err(|e| inner.error(format!("rules under a valid path expression ({e})")))?;
        let list = RuleList::from_json(&inner)?;
        // An empty `matchers` list states no rule: left out, the value compares by equality
        // (kept, it would select no rule at all and let any value pass).
        if !list.rules.is_empty() {
            out.insert(path, list);
        }
    }
    Ok(out)
}

pub(crate) fn path_rules_to_json(rules: &BTreeMap<PathExpr, RuleList>) -> Value {
    Value::Object(rules.iter().map(|(k, v)| (k.as_str().to_string(), v.to_json())).collect())
}

impl RuleList {
    /// Reads `{"matchers": [...], "combine": "AND"}`, or a single matcher object.
    pub(crate) fn from_json(node: &Node<'_>) -> Result<Self> {
        let Some(matchers) = node.get("matchers") else {
            return Ok(RuleList::one(MatchingRule::from_json(node)?));
        };
        let rules = matchers.items()?.iter().map(MatchingRule::from_json).collect::<Result<Vec<_>>>()?;
        let combine = match node.get("combine") {
            None => RuleLogic::And,
            Some(c) => match c.str()? {
                "AND" | "and" => RuleLogic::And,
                "OR" | "or" => RuleLogic::Or,
                _ => return Err(c.error("\"AND\" or \"OR\"")),
            },
        };
        Ok(RuleList { rules, combine })
    }

    /// `{"combine": "AND", "matchers": [...]}`.
    pub fn to_json(&self) -> Value {
        json!({
            "combine": match self.combine { RuleLogic::And => "AND", RuleLogic::Or => "OR" },
            "matchers": self.rules.iter().map(MatchingRule::to_json).collect::<Vec<_>>(),
        })
    }
}

impl MatchingRule {
    /// Reads one matcher object, such as `{"match": "regex", "regex": "\\d+"}` or the V2
    /// shorthand `{"min": 1}`.
    pub(crate) fn from_json(node: &Node<'_>) -> Result<Self> {
        let obj = node.object()?;
        let string_attr = |key: &str| -> Result<String> {
            match node.get(key) {
                Some(n) => Ok(n.str()?.to_string()),
                None => Err(node.missing(key, "a string")),
            }
        };
        let opt_string = |keys: &[&str]| -> Result<Option<String>> {
            for key in keys {
                if let Some(n) = node.get(key) {
                    return Ok(Some(n.str()?.to_string()));
                }
            }
            Ok(None)
        };
        let size = |key: &str| -> Result<Option<usize>> { node.get(key).map(|n| read_size(&n)).transpose() };
        let regex = || -> Result<MatchingRule> {
            let child = node.get("regex").ok_or_else(|| node.missing("regex", "a regular expression"))?;
            let source = child.str()?;
            PactRegex::new(source)
                .map(MatchingRule::Regex)
                .map_err(|e| child.error(format!("a regular expression the engine can run ({})", e.reason)))
        };
        let type_rule = || -> Result<MatchingRule> {
            Ok(match (size("min")?, size("max")?) {
                (Some(min), Some(max)) => MatchingRule::MinMaxType(min, max),
                (Some(min), None) => MatchingRule::MinType(min),
                (None, Some(max)) => MatchingRule::MaxType(max),
                (None, None) => MatchingRule::Type,
            })
        };
        let Some(name_node) = node.get("match") else {
            // V2 shorthand forms.
            if obj.contains_key("regex") {
                return regex();
            }
            if obj.contains_key("min") || obj.contains_key("max") {
                return type_rule();
            }
            if let Some(f) = opt_string(&["timestamp", "datetime"])? {
                return Ok(MatchingRule::DateTime(Some(f)));
            }
            if let Some(f) = opt_string(&["date"])? {
                return Ok(MatchingRule::Date(Some(f)));
            }
            if let Some(f) = opt_string(&["time"])? {
                return Ok(MatchingRule::Time(Some(f)));
            }
            return Err(node.error("a matcher object with a \"match\" attribute"));
        };
        let name = name_node.str()?;
        Ok(match name {
            "equality" => MatchingRule::Equality,
            "regex" => regex()?,
            "type" => type_rule()?,
            "min" => MatchingRule::MinType(size("min")?.ok_or_else(|| node.missing("min", "an integer"))?),
            "max" => MatchingRule::MaxType(size("max")?.ok_or_else(|| node.missing("max", "an integer"))?),
            "include" => MatchingRule::Include(string_attr("value")?),
            "integer" => MatchingRule::Integer,
            "decimal" | "real" => MatchingRule::Decimal,
            "number" => MatchingRule::Number,
            "boolean" => MatchingRule::Boolean,
            "null" => MatchingRule::Null,
            "datetime" | "timestamp" => {
                MatchingRule::DateTime(opt_string(&["format", "datetime", "timestamp"])?)
            }
            "date" => MatchingRule::Date(opt_string(&["format", "date"])?),
            "time" => MatchingRule::Time(opt_string(&["format", "time"])?),
            "contentType" | "content-type" => MatchingRule::ContentType(string_attr("value")?),
            "values" => MatchingRule::Values,
            "notEmpty" | "not-empty" => MatchingRule::NotEmpty,
            "semver" => MatchingRule::Semver,
            "arrayContains" | "array-contains" => {
                let variants =
                    node.get("variants").ok_or_else(|| node.missing("variants", "an array of variants"))?;
                let mut out = Vec::new();
                for (i, variant) in variants.items()?.iter().enumerate() {
                    let index = match variant.get("index") {
                        Some(n) => n.usize()?,
                        None => i,
                    };
                    let rules = match variant.get("rules") {
                        Some(r) => read_path_rules(&r)?,
                        None => BTreeMap::new(),
                    };
                    let generators = match variant.get("generators") {
                        Some(g) => read_body_generators(&g)?,
                        None => BTreeMap::new(),
                    };
                    out.push(ArrayContainsVariant { index, rules, generators });
                }
                MatchingRule::ArrayContains(out)
            }
            "eachKey" | "each-key" | "eachValue" | "each-value" => {
                let rules = match node.get("rules") {
                    Some(r) => r.items()?.iter().map(MatchingRule::from_json).collect::<Result<Vec<_>>>()?,
                    None => Vec::new(),
                };
                let each = EachRule { rules, value: node.get("value").map(|v| v.value.clone()) };
                if name.starts_with("eachKey") || name == "each-key" {
                    MatchingRule::EachKey(each)
                } else {
                    MatchingRule::EachValue(each)
                }
            }
            "statusCode" | "status-code" => {
                let status =
                    node.get("status").ok_or_else(|| node.missing("status", "a status class or codes"))?;
                MatchingRule::StatusCode(match status.value {
                    Value::String(s) => {
                        match s.as_str() {
                            "info" | "information" => StatusCodeRule::Information,
                            "success" => StatusCodeRule::Success,
                            "redirect" => StatusCodeRule::Redirect,
                            "clientError" => StatusCodeRule::ClientError,
                            "serverError" => StatusCodeRule::ServerError,
                            "nonError" => StatusCodeRule::NonError,
                            "error" => StatusCodeRule::Error,
                            _ => return Err(status.error(
                                "one of info, success, redirect, clientError, serverError, nonError, error",
                            )),
                        }
                    }
                    Value::Array(_) => StatusCodeRule::Codes(
                        status
                            .items()?
                            .iter()
                            .map(|n| {
                                n.usize().and_then(|c| u16::try_from(c).map_err(|_| n.error("a status code")))
                            })
                            .collect::<Result<Vec<_>>>()?,
                    ),
                    _ => return Err(status.error("a status class or an array of codes")),
                })
            }
            other => {
                let mut attributes = obj.clone();
                attributes.remove("match");
                MatchingRule::Unknown { name: other.to_string(), attributes }
            }
        })
    }

    /// The matcher object as written in a pact file.
    pub fn to_json(&self) -> Value {
        let with_format = |name: &str, format: &Option<String>| match format {
            Some(f) => json!({"match": name, "format": f}),
            None => json!({"match": name}),
        };
        match self {
            MatchingRule::Equality => json!({"match": "equality"}),
            MatchingRule::Regex(re) => json!({"match": "regex", "regex": re.as_str()}),
            MatchingRule::Type => json!({"match": "type"}),
            MatchingRule::MinType(min) => json!({"match": "type", "min": min}),
            MatchingRule::MaxType(max) => json!({"match": "type", "max": max}),
            MatchingRule::MinMaxType(min, max) => json!({"match": "type", "min": min, "max": max}),
            MatchingRule::Include(value) => json!({"match": "include", "value": value}),
            MatchingRule::Integer => json!({"match": "integer"}),
            MatchingRule::Decimal => json!({"match": "decimal"}),
            MatchingRule::Number => json!({"match": "number"}),
            MatchingRule::Boolean => json!({"match": "boolean"}),
            MatchingRule::Null => json!({"match": "null"}),
            MatchingRule::DateTime(f) => with_format("datetime", f),
            MatchingRule::Date(f) => with_format("date", f),
            MatchingRule::Time(f) => with_format("time", f),
            MatchingRule::ContentType(value) => json!({"match": "contentType", "value": value}),
            MatchingRule::Values => json!({"match": "values"}),
            MatchingRule::NotEmpty => json!({"match": "notEmpty"}),
            MatchingRule::Semver => json!({"match": "semver"}),
            MatchingRule::ArrayContains(variants) => json!({
                "match": "arrayContains",
                "variants": variants.iter().map(|v| {
                    let mut obj = json!({"index": v.index, "rules": path_rules_to_json(&v.rules)});
                    if !v.generators.is_empty() {
                        obj["generators"] = Value::Object(
                            v.generators.iter().map(|(k, g)| (k.as_str().to_string(), g.to_json())).collect(),
                        );
                    }
                    obj
                }).collect::<Vec<_>>(),
            }),
            MatchingRule::EachKey(each) | MatchingRule::EachValue(each) => {
                let name = if matches!(self, MatchingRule::EachKey(_)) { "eachKey" } else { "eachValue" };
                let mut obj = json!({
                    "match": name,
                    "rules": each.rules.iter().map(MatchingRule::to_json).collect::<Vec<_>>(),
                });
                if let Some(value) = &each.value {
                    obj["value"] = value.clone();
                }
                obj
            }
            MatchingRule::StatusCode(rule) => {
                let status = match rule {
                    StatusCodeRule::Information => json!("info"),
                    StatusCodeRule::Success => json!("success"),
                    StatusCodeRule::Redirect => json!("redirect"),
                    StatusCodeRule::ClientError => json!("clientError"),
                    StatusCodeRule::ServerError => json!("serverError"),
                    StatusCodeRule::NonError => json!("nonError"),
                    StatusCodeRule::Error => json!("error"),
                    StatusCodeRule::Codes(codes) => json!(codes),
                };
                json!({"match": "statusCode", "status": status})
            }
            MatchingRule::Unknown { name, attributes } => {
                let mut obj = attributes.clone();
                obj.insert("match".into(), Value::String(name.clone()));
                Value::Object(obj)
            }
        }
    }

    /// The `match` name of the rule.
    pub fn name(&self) -> &str {
        match self {
            MatchingRule::Equality => "equality",
            MatchingRule::Regex(_) => "regex",
            MatchingRule::Type
            | MatchingRule::MinType(_)
            | MatchingRule::MaxType(_)
            | MatchingRule::MinMaxType(..) => "type",
            MatchingRule::Include(_) => "include",
            MatchingRule::Integer => "integer",
            MatchingRule::Decimal => "decimal",
            MatchingRule::Number => "number",
            MatchingRule::Boolean => "boolean",
            MatchingRule::Null => "null",
            MatchingRule::DateTime(_) => "datetime",
            MatchingRule::Date(_) => "date",
            MatchingRule::Time(_) => "time",
            MatchingRule::ContentType(_) => "contentType",
            MatchingRule::Values => "values",
            MatchingRule::ArrayContains(_) => "arrayContains",
            MatchingRule::EachKey(_) => "eachKey",
            MatchingRule::EachValue(_) => "eachValue",
            MatchingRule::NotEmpty => "notEmpty",
            MatchingRule::Semver => "semver",
            MatchingRule::StatusCode(_) => "statusCode",
            MatchingRule::Unknown { name, .. } => name,
        }
    }
}

/// `min`/`max` are integers, but some writers emit them as strings or floats.
fn read_size(node: &Node<'_>) -> Result<usize> {
    match node.value {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64))
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| node.error("a non-negative integer")),
        Value::String(s) => s.trim().parse::<usize>().map_err(|_| node.error("a non-negative integer")),
        _ => Err(node.error("a non-negative integer")),
    }
}
