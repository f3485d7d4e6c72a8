//! The matcher DSL: [`Pattern`]s are example values that carry matching rules.
//!
//! Patterns are usually written with the macros, which nest inside an ordinary JSON literal:
//!
//! ```
//! use pact_core::prelude::*;
//!
//! let user = json_pattern!({
//!     "name": "UserA",
//!     "id": term!("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", "fc763eba-0905-41c5-a27f-3934ab26786c"),
//!     "created_on": datetime!("yyyy-MM-dd'T'HH:mm:ss", "2016-12-15T20:16:01"),
//!     "admin": like!(false),
//!     "tags": each_like!("a", min = 1),
//!     "visits": integer!(3),
//! });
//! assert_eq!(user.example()["name"], "UserA");
//! let rules = user.body_rules().unwrap();
//! let paths: Vec<&str> = rules.keys().map(|p| p.as_str()).collect();
//! assert_eq!(paths, ["$.admin", "$.created_on", "$.id", "$.tags", "$.visits"]);
//! ```
//!
//! | macro | rule | example |
//! |---|---|---|
//! | `like!(v)` | `type` (cascades to children) | `v` |
//! | `each_like!(v, min = n, max = m)` | `type` with `min`/`max` | `n` copies of `v` (at least one) |
//! | `term!(regex, example)` | `regex`, checked at compile time | `example` |
//! | `integer!(n)`, `decimal!(x)`, `number!(x)`, `boolean!(b)` | `integer`, `decimal`, `number`, `boolean` | the value |
//! | `datetime!(fmt, ex)`, `date!(fmt, ex)`, `time!(fmt, ex)` | `datetime`, `date`, `time` with a Java-style format | `ex` |
//! | `includes!(s)` | `include` | `s` |
//! | `null!()` | `null` | `null` |
//! | `each_key!(v, regex)`, `each_value!(v, matcher)` | `eachKey`, `eachValue` | `v` |
//! | `array_contains!([a, b])` | `arrayContains` | `[a, b]` |
//! | `equality!(v)` | `equality` (stops a parent's type rule) | `v` |
//! | `like_type!(value)` | the rules of the value's type ([`PactExample`]) | `value` |
//!
//! `includes!` is named so to stay clear of `std::include!`.
//!
//! The macros of one value (`term!`, `integer!`, `datetime!`, `like!` of a literal ...) give a
//! [`Scalar`], which a body takes as a pattern and a path, query parameter or header takes as
//! text; the others give a [`Pattern`], which only a body takes (see [`TextValue`]).
//! `datetime!`, `date!` and `time!` check their format, and that a literal example follows it,
//! at compile time.

mod body;
mod draft;
mod example;
mod generated;
mod multipart;
mod request;
mod response;
mod scalar;
mod xml;

pub(crate) use draft::state_with;
pub use draft::InteractionSink;
pub use example::PactExample;
#[doc(hidden)]
pub use example::{field as example_field, variant as example_variant, RefinedExample, Refinement};
pub use generated::{AnyOf, NOW_EXAMPLE_MILLIS, UUID_EXAMPLE, UUID_REGEX};
pub use multipart::{MultipartExample, MultipartForm};
pub use request::RequestBuilder;
pub use response::ResponseBuilder;
pub use scalar::{Scalar, TextValue};
pub use xml::XmlElement;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::model::json::push_key;
use crate::model::{
    ArrayContainsVariant, EachRule, Generator, MatchingRule, PactRegex, PathExpr, RuleList, RuleLogic,
};

/// Why a pattern cannot be written to a pact: each problem with the path where it is (an
/// invalid matcher built at run time, a value a pact cannot carry there).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", problems.join("; "))]
pub struct PatternError {
    /// Each problem, as `$.path: what is wrong`.
    pub problems: Vec<String>,
}

impl PatternError {
    pub(crate) fn one(problem: impl Into<String>) -> Self {
        PatternError { problems: vec![problem.into()] }
    }
}

/// What a pattern writes into a pact besides its example: rules and generators, by path from
/// the root `$`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Compiled {
    /// The matching rules.
    pub rules: BTreeMap<PathExpr, RuleList>,
    /// The generators.
    pub generators: BTreeMap<PathExpr, Generator>,
}

/// An example value with the matching rules that apply inside it.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// A plain JSON value, compared by equality.
    Value(Value),
    /// An object whose members are patterns (kept in the written order).
    Object(Vec<(String, Pattern)>),
    /// An array whose items are patterns.
    Array(Vec<Pattern>),
    /// An example with rules at its own path.
    Rule {
        /// The example.
        example: Box<Pattern>,
        /// The rules (combined with AND).
        rules: Vec<MatchingRule>,
    },
    /// An array of items like `example`.
    EachLike {
        /// The item example.
        example: Box<Pattern>,
        /// At least this many items (and this many in the example; at least one).
        min: usize,
        /// At most this many items.
        max: Option<usize>,
    },
    /// An array that must contain an item like each variant.
    ArrayContains(Vec<Pattern>),
    /// A value matched by any one of the alternatives' rules (`combine: OR`); the example is the
    /// first alternative's.
    AnyOf(Vec<Pattern>),
    /// An example (with its own rules) whose value a generator makes up when the interaction is
    /// replayed.
    Generated {
        /// The example, with its rules.
        example: Box<Pattern>,
        /// The generator at the example's path.
        generator: Generator,
    },
    /// A matcher built from bad input (for example a regular expression built at run time that
    /// does not compile). The contract test reports it instead of running.
    Invalid {
        /// What is wrong.
        error: String,
    },
}

impl Pattern {
    /// An object pattern.
    pub fn object(entries: Vec<(String, Pattern)>) -> Self {
        Pattern::Object(entries)
    }

    /// An array pattern.
    pub fn array(items: Vec<Pattern>) -> Self {
        Pattern::Array(items)
    }

    /// A plain JSON `null`.
    pub fn null_value() -> Self {
        Pattern::Value(Value::Null)
    }

    fn rule(example: Pattern, rule: MatchingRule) -> Self {
        Pattern::Rule { example: Box::new(example), rules: vec![rule] }
    }

    /// Matches by type (`like!`).
    pub fn like(example: Pattern) -> Self {
        Pattern::rule(example, MatchingRule::Type)
    }

    /// An array like `example` (by type), with at least `min` and at most `max` items:
    /// `like!([1, 2], min = 1, max = 5)` (`min`/`max` on `type`). The example's length must lie
    /// within the bounds.
    pub fn like_bounded(example: Pattern, min: Option<usize>, max: Option<usize>) -> Self {
        let rule = match (min, max) {
            (Some(min), Some(max)) if min > max => {
                return Pattern::Invalid { error: format!("like!: max = {max} is less than min = {min}") }
            }
            (Some(min), Some(max)) => MatchingRule::MinMaxType(min, max),
            (Some(min), None) => MatchingRule::MinType(min),
            (None, Some(max)) => MatchingRule::MaxType(max),
            (None, None) => MatchingRule::Type,
        };
        let len = match example.example() {
            Value::Array(items) => items.len(),
            other => {
                return Pattern::Invalid {
                    error: format!("like! with min or max takes an array, not {other}"),
                }
            }
        };
        if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
            return Pattern::Invalid {
                error: format!("like!: the example's {len} items are outside min = {min:?}, max = {max:?}"),
            };
        }
        Pattern::rule(example, rule)
    }

    /// An array of items like `example`, with at least `min` and at most `max` items (`each_like!`).
    pub fn each_like(example: Pattern, min: usize, max: Option<usize>) -> Self {
        Pattern::EachLike { example: Box::new(example), min, max }
    }

    /// A string matching a regular expression (`term!`).
    pub fn term(regex: &str, example: impl Into<String>) -> Self {
        match PactRegex::new(regex) {
            Ok(re) => Pattern::rule(Pattern::Value(Value::String(example.into())), MatchingRule::Regex(re)),
            Err(e) => Pattern::Invalid { error: e.to_string() },
        }
    }

    /// An integer (`integer!`).
    pub fn integer(example: i64) -> Self {
        Pattern::rule(Pattern::Value(Value::from(example)), MatchingRule::Integer)
    }

    /// A number with a fractional part (`decimal!`).
    pub fn decimal(example: f64) -> Self {
        Pattern::rule(Pattern::Value(Value::from(example)), MatchingRule::Decimal)
    }

    /// Any number (`number!`).
    pub fn number(example: impl Into<Value>) -> Self {
        Pattern::rule(Pattern::Value(example.into()), MatchingRule::Number)
    }

    /// A boolean (`boolean!`).
    pub fn boolean(example: bool) -> Self {
        Pattern::rule(Pattern::Value(Value::Bool(example)), MatchingRule::Boolean)
    }

    /// A `null` (`null!`).
    pub fn null() -> Self {
        Pattern::rule(Pattern::Value(Value::Null), MatchingRule::Null)
    }

    /// A date and time in a Java-style format (`datetime!`).
    pub fn datetime(format: &str, example: &str) -> Self {
        Pattern::rule(Pattern::Value(Value::from(example)), MatchingRule::DateTime(Some(format.into())))
    }

    /// A date in a Java-style format (`date!`).
    pub fn date(format: &str, example: &str) -> Self {
        Pattern::rule(Pattern::Value(Value::from(example)), MatchingRule::Date(Some(format.into())))
    }

    /// A time in a Java-style format (`time!`).
    pub fn time(format: &str, example: &str) -> Self {
        Pattern::rule(Pattern::Value(Value::from(example)), MatchingRule::Time(Some(format.into())))
    }

    /// A string that includes `part` (`includes!`); the example is `example`.
    pub fn includes(part: &str, example: &str) -> Self {
        Pattern::rule(Pattern::Value(Value::from(example)), MatchingRule::Include(part.into()))
    }

    /// Exactly the example (`equality!`).
    pub fn equality(example: Pattern) -> Self {
        Pattern::rule(example, MatchingRule::Equality)
    }

    /// A non-empty value like the example.
    pub fn not_empty(example: Pattern) -> Self {
        Pattern::rule(example, MatchingRule::NotEmpty)
    }

    /// A semantic version string.
    pub fn semver(example: &str) -> Self {
        Pattern::rule(Pattern::Value(Value::from(example)), MatchingRule::Semver)
    }

    /// An object whose keys all match `regex` (`each_key!`).
    pub fn each_key(example: Pattern, regex: &str) -> Self {
        match PactRegex::new(regex) {
            Ok(re) => {
                let value = Some(example.example());
                Pattern::rule(
                    example,
                    MatchingRule::EachKey(EachRule { rules: vec![MatchingRule::Regex(re)], value }),
                )
            }
            Err(e) => Pattern::Invalid { error: e.to_string() },
        }
    }

    /// An object or array whose values all satisfy `matcher`'s rules (`each_value!`).
    pub fn each_value(example: Pattern, matcher: Pattern) -> Self {
        let rules = match &matcher {
            Pattern::Rule { rules, .. } => rules.clone(),
            Pattern::Invalid { error } => return Pattern::Invalid { error: error.clone() },
            _ => vec![MatchingRule::Type],
        };
        let value = Some(example.example());
        Pattern::rule(example, MatchingRule::EachValue(EachRule { rules, value }))
    }

    /// An array that contains an item like each variant, in any order (`array_contains!`).
    pub fn array_contains(variants: Vec<Pattern>) -> Self {
        Pattern::ArrayContains(variants)
    }

    /// The example value.
    pub fn example(&self) -> Value {
        match self {
            Pattern::Value(v) => v.clone(),
            Pattern::Object(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.example())).collect::<Map<_, _>>())
            }
            Pattern::Array(items) | Pattern::ArrayContains(items) => {
                Value::Array(items.iter().map(Pattern::example).collect())
            }
            Pattern::AnyOf(alternatives) => alternatives.first().map_or(Value::Null, Pattern::example),
            Pattern::Rule { example, .. } | Pattern::Generated { example, .. } => example.example(),
            Pattern::EachLike { example, min, .. } => {
                let item = example.example();
                Value::Array(vec![item; (*min).max(1)])
            }
            Pattern::Invalid { .. } => Value::Null,
        }
    }

    /// The example as text, for headers, query parameters and paths.
    pub fn example_text(&self) -> String {
        match self.example() {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }

    /// The rules and the generator at the root of the pattern, for headers, query parameters and
    /// paths.
    pub fn root_rules(&self) -> Result<Option<RuleList>, PatternError> {
        let mut compiled = self.compile()?;
        Ok(compiled.rules.remove(&PathExpr::root()))
    }

    /// All rules of the pattern, keyed by path from the root `$`. An invalid matcher anywhere
    /// inside gives its error.
    pub fn body_rules(&self) -> Result<BTreeMap<PathExpr, RuleList>, PatternError> {
        self.compile().map(|c| c.rules)
    }

    /// The rules and generators of the pattern, keyed by path from the root `$`. Every invalid
    /// matcher inside is reported, each with its path.
    pub fn compile(&self) -> Result<Compiled, PatternError> {
        let mut compiled = Compiled::default();
        let mut problems = Vec::new();
        self.collect("$", &mut compiled, &mut problems);
        if problems.is_empty() {
            Ok(compiled)
        } else {
            Err(PatternError { problems })
        }
    }

    fn collect(&self, path: &str, out: &mut Compiled, problems: &mut Vec<String>) {
        let parsed = |path: &str, problems: &mut Vec<String>| match PathExpr::parse(path) {
            Ok(expr) => Some(expr),
            Err(e) => {
                problems.push(e.to_string());
                None
            }
        };
        let mut add = |path: &str, rule: MatchingRule, problems: &mut Vec<String>| {
            if let Some(expr) = parsed(path, problems) {
                out.rules.entry(expr).or_default().rules.push(rule);
            }
        };
        match self {
            Pattern::Value(_) => {}
            Pattern::Object(entries) => {
                for (key, value) in entries {
                    let mut child = path.to_string();
                    push_key(&mut child, key);
                    value.collect(&child, out, problems);
                }
            }
            Pattern::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    item.collect(&format!("{path}[{i}]"), out, problems);
                }
            }
            Pattern::Rule { example, rules } => {
                for rule in rules {
                    add(path, rule.clone(), problems);
                }
                match (rules.as_slice(), example.as_ref()) {
                    // `values!`: the members' keys are free, so the first member's matchers apply
                    // to every member (`$.path.*`), as pact-reference reads them.
                    ([MatchingRule::Values], Pattern::Object(entries)) => {
                        if let Some((_, first)) = entries.first() {
                            first.collect(&format!("{path}.*"), out, problems);
                        }
                    }
                    _ => example.collect(path, out, problems),
                }
            }
            Pattern::EachLike { example, min, max } => {
                let rule = match max {
                    Some(max) => MatchingRule::MinMaxType(*min, *max),
                    None => MatchingRule::MinType(*min),
                };
                add(path, rule, problems);
                example.collect(&format!("{path}[*]"), out, problems);
            }
            Pattern::ArrayContains(variants) => {
                let mut built = Vec::new();
                for (index, variant) in variants.iter().enumerate() {
                    let mut inner = Compiled::default();
                    variant.collect("$", &mut inner, problems);
                    built.push(ArrayContainsVariant {
                        index,
                        rules: inner.rules,
                        generators: inner.generators,
                    });
                }
                add(path, MatchingRule::ArrayContains(built), problems);
            }
            Pattern::AnyOf(alternatives) => {
                // Each alternative's rules at this path join one list, combined with OR; rules
                // inside the alternatives keep their own paths.
                let mut any = RuleList { rules: Vec::new(), combine: RuleLogic::Or };
                for (i, alternative) in alternatives.iter().enumerate() {
                    let mut inner = Compiled::default();
                    alternative.collect(path, &mut inner, problems);
                    let Some(here) = parsed(path, problems) else { continue };
                    match inner.rules.remove(&here) {
                        Some(list) if list.combine == RuleLogic::Or || list.rules.len() == 1 => {
                            any.rules.extend(list.rules)
                        }
                        Some(_) => problems.push(format!(
                            "{path}: alternative {} of any_of! holds several rules that must all pass; \
                             give each alternative one matcher",
                            i + 1
                        )),
                        None => problems.push(format!(
                            "{path}: alternative {} of any_of! is a plain value; each alternative is a matcher \
                             such as integer!(1) or null!()",
                            i + 1
                        )),
                    }
                    out.rules.extend(inner.rules);
                    if i == 0 {
                        out.generators.extend(inner.generators);
                    }
                }
                if alternatives.is_empty() {
                    problems.push(format!("{path}: any_of! needs at least one alternative"));
                }
                if let Some(here) = parsed(path, problems) {
                    out.rules.insert(here, any);
                }
            }
            Pattern::Generated { example, generator } => {
                if let Some(expr) = parsed(path, problems) {
                    out.generators.insert(expr, generator.clone());
                }
                example.collect(path, out, problems);
            }
            Pattern::Invalid { error } => problems.push(format!("{path}: {error}")),
        }
    }
}

macro_rules! from_value {
    ($($t:ty),*) => {$(
        impl From<$t> for Pattern {
            fn from(value: $t) -> Self {
                Pattern::Value(Value::from(value))
            }
        }
    )*};
}

from_value!(&str, String, bool, i8, i16, i32, i64, u8, u16, u32, u64, usize, isize, f32, f64, Value);

impl From<&String> for Pattern {
    fn from(value: &String) -> Self {
        Pattern::Value(Value::String(value.clone()))
    }
}

impl<T: Into<Pattern>> From<Option<T>> for Pattern {
    fn from(value: Option<T>) -> Self {
        value.map_or(Pattern::Value(Value::Null), Into::into)
    }
}

impl<T: Into<Pattern>> From<Vec<T>> for Pattern {
    fn from(items: Vec<T>) -> Self {
        Pattern::Array(items.into_iter().map(Into::into).collect())
    }
}

/// An integer: `integer!(42)`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"count": integer!(42)});
/// assert_eq!(body.example()["count"], 42);
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.count").unwrap()].rules, [MatchingRule::Integer]);
/// ```
#[macro_export]
macro_rules! integer {
    ($example:expr) => {
        $crate::__private::Scalar::integer($example)
    };
}

/// A number with a fractional part: `decimal!(12.5)`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"price": decimal!(12.5)});
/// assert_eq!(body.example()["price"], 12.5);
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.price").unwrap()].rules, [MatchingRule::Decimal]);
/// ```
#[macro_export]
macro_rules! decimal {
    ($example:expr) => {
        $crate::__private::Scalar::decimal($example)
    };
}

/// Any number: `number!(3)`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"score": number!(3)});
/// assert_eq!(body.example()["score"], 3);
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.score").unwrap()].rules, [MatchingRule::Number]);
/// ```
#[macro_export]
macro_rules! number {
    ($example:expr) => {
        $crate::__private::Scalar::number($example)
    };
}

/// A boolean: `boolean!(true)`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"admin": boolean!(false)});
/// assert_eq!(body.example()["admin"], false);
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.admin").unwrap()].rules, [MatchingRule::Boolean]);
/// ```
#[macro_export]
macro_rules! boolean {
    ($example:expr) => {
        $crate::__private::Scalar::boolean($example)
    };
}

/// A null value: `null!()`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"deleted_at": null!()});
/// assert!(body.example()["deleted_at"].is_null());
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.deleted_at").unwrap()].rules, [MatchingRule::Null]);
/// ```
#[macro_export]
macro_rules! null {
    () => {
        $crate::__private::Pattern::null()
    };
}

/// A value whose content is of a media type, judged by what it looks like (its magic bytes, or
/// whether it parses as JSON, XML or text), not by a header: `content_type!("image/png", example)`
/// (the `contentType` matcher). In a JSON body, a form field or XML, the example is text; for
/// binary content use `binary_body(mime, bytes)`, which writes the same rule on the whole body.
///
/// ```
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"settings": content_type!("application/json", "{\"dark\":true}")});
/// assert_eq!(body.example()["settings"], "{\"dark\":true}");
/// let rules = body.body_rules().unwrap();
/// assert_eq!(rules.values().next().unwrap().rules[0].name(), "contentType");
/// ```
#[macro_export]
macro_rules! content_type {
    ($mime:expr, $example:expr $(,)?) => {
        $crate::__private::Scalar::content_type($mime, $example)
    };
}

/// A string that includes a substring: `includes!("door")` or `includes!("door", "leave at door")`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"note": includes!("door", "leave at door")});
/// assert_eq!(body.example()["note"], "leave at door");
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.note").unwrap()].rules, [MatchingRule::Include("door".into())]);
/// ```
#[macro_export]
macro_rules! includes {
    ($part:expr $(,)?) => {
        $crate::__private::Scalar::includes($part, $part)
    };
    ($part:expr, $example:expr $(,)?) => {
        $crate::__private::Scalar::includes($part, $example)
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(p: &Pattern) -> Vec<(String, Vec<String>)> {
        p.body_rules()
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k.as_str().to_string(), v.rules.iter().map(|r| r.name().to_string()).collect()))
            .collect()
    }

    #[test]
    fn nested_rules_land_on_their_paths() {
        let p = Pattern::object(vec![
            (
                "users".into(),
                Pattern::each_like(Pattern::object(vec![("id".into(), Pattern::integer(1))]), 2, Some(5)),
            ),
            ("odd key".into(), Pattern::like(Pattern::from("x"))),
            ("list".into(), Pattern::array(vec![Pattern::from(1), Pattern::boolean(true)])),
        ]);
        assert_eq!(
            paths(&p),
            vec![
                ("$.list[1]".to_string(), vec!["boolean".to_string()]),
                ("$.users".to_string(), vec!["type".to_string()]),
                ("$.users[*].id".to_string(), vec!["integer".to_string()]),
                ("$['odd key']".to_string(), vec!["type".to_string()]),
            ]
        );
        assert_eq!(p.example(), json!({"users": [{"id": 1}, {"id": 1}], "odd key": "x", "list": [1, true]}));
    }

    #[test]
    fn array_contains_keeps_variant_rules_relative() {
        let p = Pattern::array_contains(vec![
            Pattern::object(vec![("id".into(), Pattern::integer(1))]),
            Pattern::from("x"),
        ]);
        let rules = p.body_rules().unwrap();
        let MatchingRule::ArrayContains(variants) = &rules.values().next().unwrap().rules[0] else {
            panic!()
        };
        assert_eq!(variants[0].rules.keys().next().unwrap().as_str(), "$.id");
        assert!(variants[1].rules.is_empty());
        assert_eq!(p.example(), json!([{"id": 1}, "x"]));
    }

    #[test]
    fn invalid_matchers_report_their_path() {
        let p = Pattern::object(vec![("id".into(), Pattern::term("(", "x"))]);
        let err = p.body_rules().unwrap_err().to_string();
        assert!(err.starts_with("$.id: regular expression \"(\""), "{err}");
    }
}
