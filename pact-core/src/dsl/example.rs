//! Types as contracts: [`PactExample`] turns a value of the client's own type into a
//! [`Pattern`], so a response is declared as `like_type!(User { ... })` instead of repeating its
//! shape in `json_pattern!`.
//!
//! `#[derive(PactExample)]` writes the implementation for a struct with named fields (or an enum
//! of unit variants); this module implements it for the standard types a field holds:
//!
//! | field type | pattern | rule |
//! |---|---|---|
//! | `String`, `&str`, `char` | the value | `type` |
//! | `i8` .. `i64`, `u8` .. `u64`, `isize`, `usize` | the value | `integer` |
//! | `f32`, `f64` | the value | `decimal` |
//! | `bool` | the value | `type` (the `boolean` matcher also accepts the strings `"true"` and `"false"`, which a `bool` cannot read) |
//! | `Vec<T>`, `[T]`, `[T; N]`, `VecDeque<T>` | the first item's pattern | `type` with `min: 1` (`each_like!`) |
//! | `Option<T>` | the inner pattern | the inner rule OR `null` (`nullable!`) |
//! | `BTreeMap<K, V>`, `HashMap<K, V>` | every member, by key | `values` (the first member's rules for every member) |
//! | `Box<T>`, `Rc<T>`, `Arc<T>`, `&T` | the inner pattern | the inner rule |
//! | a type that derives it | an object of its fields | each field's |
//!
//! An example must show what a value looks like, so an empty list or map, a `None` and a float
//! that is not a number (NaN, infinity) are not examples: the pattern is invalid, and the contract
//! test fails before it runs, naming the JSON path and the field (never a contract that says less
//! than the type). Only the first item of a list is used: every item must be like it.
//!
//! ```
//! use pact_core::prelude::*;
//!
//! let tags = vec!["admin".to_string()];
//! let rules = tags.pact_example().body_rules().unwrap();
//! assert_eq!(rules.keys().map(|p| p.as_str()).collect::<Vec<_>>(), ["$", "$[*]"]);
//!
//! let empty: Vec<String> = Vec::new();
//! let error = empty.pact_example().compile().unwrap_err();
//! assert!(error.to_string().starts_with("$: the example is an empty list"), "{error}");
//! ```

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Display;
use std::rc::Rc;
use std::sync::Arc;

use serde_json::Value;

use super::Pattern;
use crate::model::{MatchingRule, PactRegex};

/// A value that describes its own contract: an example of the type, turned into a [`Pattern`]
/// whose rules accept any value of the same shape.
///
/// Derive it with `#[derive(PactExample)]` (see the derive's documentation for the attributes),
/// and use it with [`like_type!`](crate::like_type) wherever a pattern goes: `json_body`,
/// `responds`, or inside `json_pattern!`.
///
/// ```
/// use pact_core::prelude::*;
///
/// #[derive(PactExample)]
/// struct Order {
///     id: u64,
///     total: f64,
///     lines: Vec<String>,
/// }
///
/// let order = like_type!(Order { id: 7, total: 12.5, lines: vec!["book".into()] });
/// assert_eq!(order.example(), json!({"id": 7, "total": 12.5, "lines": ["book"]}));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot describe a pact example",
    label = "this type has no PactExample",
    note = "derive it on your own types: `#[derive(PactExample)]`",
    note = "strings, integers, floats, booleans, Vec, arrays, Option, Box and maps have it"
)]
pub trait PactExample {
    /// The pattern of this value used as an example.
    fn pact_example(&self) -> Pattern;
}

/// Declares a pattern by example of a type that implements [`PactExample`]:
/// `like_type!(User { name: "UserA".into(), admin: false })`.
///
/// It reads as the sentence "like a `User` such as this one": a value of the type, whose rules
/// accept any value of the same shape (see [`PactExample`]). The result is a [`Pattern`], so it
/// goes wherever one does: `json_body`, `responds`, or a member of `json_pattern!`.
///
/// ```
/// use pact_core::prelude::*;
///
/// #[derive(PactExample)]
/// #[serde(rename_all = "camelCase")]
/// struct User {
///     user_name: String,
///     #[pact(term = "^[0-9]+$")]
///     id: String,
///     admin: bool,
/// }
///
/// fn declare(pact: &mut Contract) {
///     pact.upon_receiving("a request for UserA")
///         .get("/users/UserA")
///         .responds(200, like_type!(User { user_name: "UserA".into(), id: "42".into(), admin: false }));
/// }
///
/// let page = json_pattern!({"users": like_type!(vec![User { user_name: "UserB".into(), id: "7".into(), admin: true }])});
/// assert_eq!(page.example()["users"][0]["userName"], "UserB");
/// ```
#[macro_export]
macro_rules! like_type {
    ($example:expr $(,)?) => {
        $crate::__private::PactExample::pact_example(&$example)
    };
}

/// How a `#[pact(...)]` attribute refines a text field; used by the derive's generated code.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Refinement {
    /// `#[pact(term = "regex")]`.
    Term(&'static str),
    /// `#[pact(datetime = "format")]`.
    DateTime(&'static str),
    /// `#[pact(date = "format")]`.
    Date(&'static str),
    /// `#[pact(time = "format")]`.
    Time(&'static str),
}

impl Refinement {
    fn apply(self, example: &str) -> Pattern {
        let (kind, name, format) = match self {
            Refinement::Term(regex) => {
                return match PactRegex::new(regex) {
                    Ok(re) if re.is_match(example) => Pattern::term(regex, example),
                    Ok(_) => {
                        invalid(format!("the example {example:?} does not match #[pact(term = {regex:?})]"))
                    }
                    Err(e) => invalid(e.to_string()),
                };
            }
            Refinement::DateTime(format) => (pact_datetime::Kind::DateTime, "datetime", format),
            Refinement::Date(format) => (pact_datetime::Kind::Date, "date", format),
            Refinement::Time(format) => (pact_datetime::Kind::Time, "time", format),
        };
        if let Err(e) = pact_datetime::check(kind, Some(format), example) {
            return invalid(format!("the example {example:?} breaks #[pact({name} = {format:?})]: {e}"));
        }
        match kind {
            pact_datetime::Kind::DateTime => Pattern::datetime(format, example),
            pact_datetime::Kind::Date => Pattern::date(format, example),
            pact_datetime::Kind::Time => Pattern::time(format, example),
        }
    }
}

/// Text that a `#[pact(term = ..)]`, `datetime`, `date` or `time` attribute can refine: a string,
/// or a list, option or box of them. Used by the derive's generated code.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "#[pact(term/datetime/date/time)] refines text, and `{Self}` is not text",
    label = "not a string",
    note = "the attribute applies to a String or &str field, or a Vec, Option or Box of one"
)]
pub trait RefinedExample {
    /// The pattern of this value, refined.
    fn refined_example(&self, refinement: Refinement) -> Pattern;
}

/// The pattern of one field of a derived type: problems in it name the field (`User.id`) as well
/// as the JSON path the contract test reports.
#[doc(hidden)]
pub fn field(type_name: &str, field: &str, pattern: Pattern) -> Pattern {
    label(pattern, &format!("{type_name}.{field}"))
}

/// The example of a unit variant of a derived enum: a string, matched by `regex` (every name
/// the type can read), or by type when it has an `#[serde(other)]` variant.
#[doc(hidden)]
pub fn variant(name: &'static str, regex: Option<&'static str>) -> Pattern {
    match regex {
        Some(regex) => Pattern::term(regex, name),
        None => Pattern::like(Pattern::from(name)),
    }
}

/// Prefixes the problems of `pattern` with `label`, down to (not into) nested objects, which
/// label their own fields.
fn label(pattern: Pattern, label: &str) -> Pattern {
    match pattern {
        Pattern::Invalid { error } => invalid(format!("{label}: {error}")),
        Pattern::Rule { example, rules } => {
            Pattern::Rule { example: Box::new(self::label(*example, label)), rules }
        }
        Pattern::EachLike { example, min, max } => {
            Pattern::EachLike { example: Box::new(self::label(*example, label)), min, max }
        }
        Pattern::AnyOf(alternatives) => {
            Pattern::AnyOf(alternatives.into_iter().map(|p| self::label(p, label)).collect())
        }
        other => other,
    }
}

fn invalid(error: impl Into<String>) -> Pattern {
    Pattern::Invalid { error: error.into() }
}

fn each_like(first: Option<Pattern>) -> Pattern {
    match first {
        Some(item) => Pattern::each_like(item, 1, None),
        None => invalid(
            "the example is an empty list: give it one item, which describes every item \
             (each_like with min 1)",
        ),
    }
}

fn nullable(inner: Option<Pattern>) -> Pattern {
    match inner {
        Some(pattern) => Pattern::nullable(pattern),
        None => invalid(
            "the example is None: give Some(value), so the contract says what a value looks like \
             (it accepts null as well)",
        ),
    }
}

impl PactExample for str {
    fn pact_example(&self) -> Pattern {
        Pattern::like(Pattern::from(self))
    }
}

impl PactExample for String {
    fn pact_example(&self) -> Pattern {
        self.as_str().pact_example()
    }
}

impl PactExample for char {
    fn pact_example(&self) -> Pattern {
        Pattern::like(Pattern::from(self.to_string()))
    }
}

/// `type`, not `boolean`: the `boolean` matcher also accepts the strings "true" and "false" (as
/// pact-reference's does), which a `bool` field cannot read, so it would pass a provider that
/// breaks the client.
impl PactExample for bool {
    fn pact_example(&self) -> Pattern {
        Pattern::like(Pattern::from(*self))
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl PactExample for $t {
            fn pact_example(&self) -> Pattern {
                Pattern::rule(Pattern::Value(Value::from(*self)), MatchingRule::Integer)
            }
        }
    )*};
}

integers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

macro_rules! floats {
    ($($t:ty),*) => {$(
        impl PactExample for $t {
            fn pact_example(&self) -> Pattern {
                if self.is_finite() {
                    Pattern::decimal(f64::from(*self))
                } else {
                    invalid(format!("the example {} is not a JSON number", self))
                }
            }
        }
    )*};
}

floats!(f32, f64);

impl<T: PactExample> PactExample for [T] {
    fn pact_example(&self) -> Pattern {
        each_like(self.first().map(T::pact_example))
    }
}

impl<T: PactExample, const N: usize> PactExample for [T; N] {
    fn pact_example(&self) -> Pattern {
        self.as_slice().pact_example()
    }
}

impl<T: PactExample> PactExample for Vec<T> {
    fn pact_example(&self) -> Pattern {
        self.as_slice().pact_example()
    }
}

impl<T: PactExample> PactExample for VecDeque<T> {
    fn pact_example(&self) -> Pattern {
        each_like(self.front().map(T::pact_example))
    }
}

impl<T: PactExample> PactExample for Option<T> {
    fn pact_example(&self) -> Pattern {
        nullable(self.as_ref().map(T::pact_example))
    }
}

macro_rules! pointers {
    ($($p:ident),*) => {$(
        impl<T: PactExample + ?Sized> PactExample for $p<T> {
            fn pact_example(&self) -> Pattern {
                T::pact_example(self)
            }
        }
        impl<T: RefinedExample + ?Sized> RefinedExample for $p<T> {
            fn refined_example(&self, refinement: Refinement) -> Pattern {
                T::refined_example(self, refinement)
            }
        }
    )*};
}

pointers!(Box, Rc, Arc);

impl<T: PactExample + ?Sized> PactExample for &T {
    fn pact_example(&self) -> Pattern {
        T::pact_example(self)
    }
}

/// A map's members, sorted by key so that a `HashMap` gives the same pact every run.
fn map<'a, K: Display + 'a, V: PactExample + 'a>(members: impl Iterator<Item = (&'a K, &'a V)>) -> Pattern {
    let mut entries: Vec<(String, Pattern)> =
        members.map(|(k, v)| (k.to_string(), v.pact_example())).collect();
    if entries.is_empty() {
        return invalid("the example is an empty map: give it one member, whose value describes every value");
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Pattern::values(Pattern::object(entries))
}

impl<K: Display, V: PactExample> PactExample for BTreeMap<K, V> {
    fn pact_example(&self) -> Pattern {
        map(self.iter())
    }
}

impl<K: Display, V: PactExample, S> PactExample for HashMap<K, V, S> {
    fn pact_example(&self) -> Pattern {
        map(self.iter())
    }
}

impl RefinedExample for str {
    fn refined_example(&self, refinement: Refinement) -> Pattern {
        refinement.apply(self)
    }
}

impl RefinedExample for String {
    fn refined_example(&self, refinement: Refinement) -> Pattern {
        refinement.apply(self)
    }
}

impl<T: RefinedExample + ?Sized> RefinedExample for &T {
    fn refined_example(&self, refinement: Refinement) -> Pattern {
        T::refined_example(self, refinement)
    }
}

impl<T: RefinedExample> RefinedExample for Option<T> {
    fn refined_example(&self, refinement: Refinement) -> Pattern {
        nullable(self.as_ref().map(|v| v.refined_example(refinement)))
    }
}

impl<T: RefinedExample> RefinedExample for [T] {
    fn refined_example(&self, refinement: Refinement) -> Pattern {
        each_like(self.first().map(|v| v.refined_example(refinement)))
    }
}

impl<T: RefinedExample> RefinedExample for Vec<T> {
    fn refined_example(&self, refinement: Refinement) -> Pattern {
        self.as_slice().refined_example(refinement)
    }
}

impl<T: RefinedExample, const N: usize> RefinedExample for [T; N] {
    fn refined_example(&self, refinement: Refinement) -> Pattern {
        self.as_slice().refined_example(refinement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(p: &Pattern) -> Value {
        let compiled = p.compile().unwrap();
        let rules: serde_json::Map<String, Value> = compiled
            .rules
            .into_iter()
            .map(|(path, list)| (path.as_str().to_string(), list.to_json()))
            .collect();
        Value::Object(rules)
    }

    #[test]
    fn scalars_match_by_kind() {
        assert_eq!(
            rules(&"a".pact_example()),
            json!({"$": {"combine": "AND", "matchers": [{"match": "type"}]}})
        );
        assert_eq!(
            rules(&u64::MAX.pact_example()),
            json!({"$": {"combine": "AND", "matchers": [{"match": "integer"}]}})
        );
        assert_eq!(u64::MAX.pact_example().example(), json!(u64::MAX));
        assert_eq!(
            rules(&1.5f32.pact_example()),
            json!({"$": {"combine": "AND", "matchers": [{"match": "decimal"}]}})
        );
        assert_eq!(
            rules(&true.pact_example()),
            json!({"$": {"combine": "AND", "matchers": [{"match": "type"}]}})
        );
    }

    #[test]
    fn what_is_not_an_example_is_an_error() {
        let none: Option<i64> = None;
        let error = none.pact_example().compile().unwrap_err().to_string();
        assert!(error.starts_with("$: the example is None: give Some(value)"), "{error}");
        let error = f64::NAN.pact_example().compile().unwrap_err().to_string();
        assert_eq!(error, "$: the example NaN is not a JSON number");
        let error = BTreeMap::<String, i64>::new().pact_example().compile().unwrap_err().to_string();
        assert!(error.starts_with("$: the example is an empty map"), "{error}");
        let labelled = field("User", "tags", Vec::<String>::new().pact_example());
        let error = labelled.compile().unwrap_err().to_string();
        assert!(error.starts_with("$: User.tags: the example is an empty list"), "{error}");
    }

    #[test]
    fn maps_are_values_sorted_by_key() {
        let members: HashMap<&str, i64> = [("b", 2), ("a", 1)].into_iter().collect();
        let p = members.pact_example();
        assert_eq!(p.example(), json!({"a": 1, "b": 2}));
        assert_eq!(
            rules(&p),
            json!({
                "$": {"combine": "AND", "matchers": [{"match": "values"}]},
                "$.*": {"combine": "AND", "matchers": [{"match": "integer"}]},
            })
        );
    }

    #[test]
    fn refinements_check_the_example() {
        let ok = Some(vec!["2016-12-15".to_string()]).refined_example(Refinement::Date("yyyy-MM-dd"));
        assert_eq!(ok.example(), json!(["2016-12-15"]));
        let bad = "12/15/2016".refined_example(Refinement::Date("yyyy-MM-dd"));
        let error = bad.compile().unwrap_err().to_string();
        assert!(
            error.starts_with("$: the example \"12/15/2016\" breaks #[pact(date = \"yyyy-MM-dd\")]"),
            "{error}"
        );
        let bad = "x1".refined_example(Refinement::Term("^\\d+$"));
        assert_eq!(
            bad.compile().unwrap_err().to_string(),
            "$: the example \"x1\" does not match #[pact(term = \"^\\\\d+$\")]"
        );
    }
}
