//! Patterns of one value, the only kind a path, a query parameter or a header can hold.
//!
//! A path, a query parameter value and a header value are text in HTTP and in a pact. An object
//! or an array there could only be written as its JSON text (`"fields": ["[\"carrier\"]"]`), a
//! contract no provider means to honour, so the request builders take a [`TextValue`]: a string,
//! a number, a boolean, or a [`Scalar`] from `term!`, `includes!`, `datetime!`, `date!`, `time!`,
//! `integer!`, `decimal!`, `number!`, `boolean!`, or `like!`/`equality!` of a literal, or an
//! `any_of!` of those. `nullable!` is for bodies only (text is never null). Anything
//! else, such as `each_like!` or a `json_pattern!` object, does not compile.
//!
//! ```compile_fail
//! use pact_core::prelude::*;
//!
//! let mut pact = Contract::new("OrderClient", "OrderService");
//! pact.upon_receiving("a search").get("/orders").query("fields", each_like!("carrier", min = 1));
//! ```
//!
//! For several values of one query parameter, call `query` once per value.

use serde_json::Value;

use super::draft::TextPart;
use super::{Pattern, PatternError};
use crate::model::{PathExpr, RuleList};

/// A pattern whose example is one string, number or boolean, with its rules at the root.
///
/// Bodies take it as a [`Pattern`]; a path, query parameter or header takes its example as text
/// (`integer!(10)` is `"10"` with the `integer` rule, which a provider's verifier checks on the
/// text).
///
/// ```
/// use pact_core::prelude::*;
///
/// let limit = integer!(10);
/// assert_eq!(limit.example(), 10);
/// let id: Pattern = term!("^\\d+$", "42").into();
/// assert_eq!(id.example(), "42");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar(Pattern);

impl Scalar {
    /// A scalar from a pattern that must hold one value: anything else becomes an invalid
    /// pattern, which the contract test reports as a declaration error.
    pub(super) fn checked(pattern: Pattern, macro_name: &str) -> Self {
        match pattern.example() {
            Value::Object(_) | Value::Array(_) if !matches!(pattern, Pattern::Invalid { .. }) => {
                Scalar(Pattern::Invalid {
                    error: format!(
                        "{macro_name} takes a string, a number or a boolean here, not {}",
                        pattern.example()
                    ),
                })
            }
            _ => Scalar(pattern),
        }
    }

    /// A string matching a regular expression (`term!`).
    pub fn term(regex: &str, example: impl Into<String>) -> Self {
        Scalar(Pattern::term(regex, example))
    }

    /// An integer (`integer!`).
    pub fn integer(example: i64) -> Self {
        Scalar(Pattern::integer(example))
    }

    /// A number with a fractional part (`decimal!`).
    pub fn decimal(example: f64) -> Self {
        Scalar(Pattern::decimal(example))
    }

    /// Any number (`number!`).
    pub fn number(example: impl Into<Value>) -> Self {
        let example = example.into();
        if !example.is_number() {
            return Scalar(Pattern::Invalid { error: format!("number! takes a number, not {example}") });
        }
        Scalar(Pattern::number(example))
    }

    /// A boolean (`boolean!`).
    pub fn boolean(example: bool) -> Self {
        Scalar(Pattern::boolean(example))
    }

    /// A date and time in a Java-style format (`datetime!`).
    pub fn datetime(format: &str, example: &str) -> Self {
        Scalar(Pattern::datetime(format, example))
    }

    /// A date in a Java-style format (`date!`).
    pub fn date(format: &str, example: &str) -> Self {
        Scalar(Pattern::date(format, example))
    }

    /// A time in a Java-style format (`time!`).
    pub fn time(format: &str, example: &str) -> Self {
        Scalar(Pattern::time(format, example))
    }

    /// A string that includes `part` (`includes!`); the example is `example`.
    pub fn includes(part: &str, example: &str) -> Self {
        Scalar(Pattern::includes(part, example))
    }

    /// Matches by type (`like!` of a literal).
    pub fn like(example: impl TextValue) -> Self {
        Scalar::checked(Pattern::like(example.into_scalar().0), "like!")
    }

    /// Exactly the example (`equality!` of a literal).
    pub fn equality(example: impl TextValue) -> Self {
        Scalar::checked(Pattern::equality(example.into_scalar().0), "equality!")
    }

    /// A semantic version string.
    pub fn semver(example: &str) -> Self {
        Scalar(Pattern::semver(example))
    }

    /// A non-empty value like the example.
    pub fn not_empty(example: impl TextValue) -> Self {
        Scalar::checked(Pattern::not_empty(example.into_scalar().0), "not_empty")
    }

    /// Content of a media type, judged by what it looks like (`content_type!`); the example is
    /// text.
    pub fn content_type(mime: &str, example: impl Into<String>) -> Self {
        let example = example.into();
        let checked = super::body::check_media_type(mime).map_err(|e| e.to_string()).and_then(|()| {
            crate::matching::check_content_type(mime, example.as_bytes(), None)
                .map_err(|e| format!("the example does not match its own matcher: {e}"))
        });
        match checked {
            Ok(()) => Scalar(Pattern::Rule {
                example: Box::new(Pattern::from(example)),
                rules: vec![crate::model::MatchingRule::ContentType(mime.to_string())],
            }),
            Err(e) => Scalar(Pattern::Invalid { error: format!("content_type!: {e}") }),
        }
    }

    /// The example value.
    pub fn example(&self) -> Value {
        self.0.example()
    }

    /// The pattern, for a body.
    pub fn into_pattern(self) -> Pattern {
        self.0
    }

    /// The example as text, the rules at its root and its generator, for a path, a query
    /// parameter or a header; an error when the pact could not carry it.
    pub(crate) fn text(&self) -> Result<TextPart, PatternError> {
        let mut compiled = self.0.compile()?;
        let root = PathExpr::root();
        let example = match self.0.example() {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                return Err(PatternError::one(format!(
                    "{other} is not a single value, and a pact holds text here"
                )))
            }
        };
        Ok(TextPart {
            example,
            rules: compiled.rules.remove(&root),
            generator: compiled.generators.remove(&root),
        })
    }

    /// The rules at the root, for callers that set them on a part themselves.
    pub fn root_rules(&self) -> Result<Option<RuleList>, PatternError> {
        self.0.root_rules()
    }

    /// Whether any rule at the root is `rule`.
    #[cfg(test)]
    fn has_rule(&self, rule: &crate::model::MatchingRule) -> bool {
        self.0.root_rules().ok().flatten().is_some_and(|l| l.rules.contains(rule))
    }
}

impl From<Scalar> for Pattern {
    fn from(scalar: Scalar) -> Self {
        scalar.0
    }
}

/// A value a path, a query parameter or a header can hold: a string, a number, a boolean, or a
/// [`Scalar`] pattern of one of those.
#[diagnostic::on_unimplemented(
    message = "a path, query parameter or header value must be a string or a one-value pattern, not `{Self}`",
    label = "this is not a single value",
    note = "use a string, a number, or a pattern of one value: term!, includes!, datetime!, date!, time!, integer!, \
            decimal!, number!, boolean!, any_of! of those, or like!/equality! of a literal",
    note = "nullable! is for bodies only: a path, query parameter or header is text and is never null",
    note = "for several values of one query parameter, call `.query(name, value)` once per value"
)]
pub trait TextValue {
    /// The value as a scalar pattern.
    fn into_scalar(self) -> Scalar;
}

impl TextValue for Scalar {
    fn into_scalar(self) -> Scalar {
        self
    }
}

macro_rules! text_values {
    ($($t:ty),*) => {$(
        impl TextValue for $t {
            fn into_scalar(self) -> Scalar {
                Scalar(Pattern::from(self))
            }
        }
        impl From<$t> for Scalar {
            fn from(value: $t) -> Self {
                Scalar(Pattern::from(value))
            }
        }
    )*};
}

text_values!(&str, String, &String, bool, i8, i16, i32, i64, u8, u16, u32, u64, usize, isize, f32, f64);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MatchingRule;

    #[test]
    fn numbers_and_booleans_are_carried_as_text_with_their_rule() {
        assert_eq!(Scalar::integer(10).text().unwrap().example, "10");
        assert!(Scalar::integer(10).has_rule(&MatchingRule::Integer));
        assert_eq!(Scalar::boolean(true).text().unwrap().example, "true");
        assert_eq!(Scalar::decimal(12.5).text().unwrap().example, "12.5");
    }

    #[test]
    fn a_value_a_pact_cannot_carry_as_text_is_an_error() {
        let error = Scalar::number(serde_json::json!({"a": 1})).text().err().unwrap();
        assert_eq!(error.to_string(), "$: number! takes a number, not {\"a\":1}");
    }
}
