//! Matchers that combine others (`any_of!`, `nullable!`, `values!`), and values a generator
//! makes up when the interaction is replayed (`uuid!`, `random_int!`, `from_provider_state!` ...).
//!
//! A generated value has an example (what the pact file and the consumer test see) and a rule
//! that every generated value satisfies, so the mock provider's answers and the verifier's requests
//! still match the contract. The mock provider runs the generators of responses; the verifier
//! runs those of requests (and `ProviderState` with the state's values).
//!
//! ```
//! use pact_core::prelude::*;
//!
//! let body = json_pattern!({
//!     "id": uuid!(),
//!     "count": random_int!(1, 9),
//!     "nickname": nullable!(like!("Al")),
//! });
//! let compiled = body.compile().unwrap();
//! assert_eq!(compiled.generators.len(), 2);
//! assert_eq!(body.example()["count"], 1);
//! ```

use serde_json::Value;

use super::{Pattern, Scalar, TextValue};
use crate::model::{DataType, Generator, GeneratorError, MatchingRule, PactRegex};

/// The moment whose date and time are the examples of `datetime!`, `date!` and `time!` given only
/// a format: 2016-12-15T20:16:01Z.
pub const NOW_EXAMPLE_MILLIS: i64 = 1_481_832_961_000;

/// The example of `uuid!()`.
pub const UUID_EXAMPLE: &str = "e2490de5-5bd3-43d5-b7c4-526e33f71304";
/// The regular expression `uuid!` writes (lower or upper case hexadecimal, hyphenated).
pub const UUID_REGEX: &str = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

impl Pattern {
    /// A value matched by any one of `alternatives` (a `combine: OR` rule list); the example is the
    /// first alternative's (`any_of!`).
    pub fn any_of(alternatives: Vec<Pattern>) -> Self {
        Pattern::AnyOf(alternatives)
    }

    /// `matcher`, or `null` (`nullable!`): the same as `any_of!(matcher, null!())`.
    pub fn nullable(matcher: Pattern) -> Self {
        Pattern::AnyOf(vec![matcher, Pattern::null()])
    }

    /// An object whose keys are free and whose every value is like the example's first value
    /// (`values!`): the first member's matchers are written for every member (`$.path.*`).
    pub fn values(example: Pattern) -> Self {
        Pattern::Rule { example: Box::new(example), rules: vec![MatchingRule::Values] }
    }

    /// `example` with `rule`, whose value `generator` makes up on replay.
    fn generated(example: Value, rule: MatchingRule, generator: Result<Generator, GeneratorError>) -> Self {
        match generator {
            Ok(generator) => Pattern::Generated {
                example: Box::new(Pattern::Rule {
                    example: Box::new(Pattern::Value(example)),
                    rules: vec![rule],
                }),
                generator,
            },
            Err(e) => Pattern::Invalid { error: e.to_string() },
        }
    }
}

impl Scalar {
    fn generated(
        example: Value,
        rule: MatchingRule,
        generator: Result<Generator, GeneratorError>,
        name: &str,
    ) -> Self {
        Scalar::checked(Pattern::generated(example, rule, generator), name)
    }

    /// A value the provider state gives (`from_provider_state!`): `expression` holds `${name}`
    /// placeholders; the example is used by the consumer test and matched by type.
    pub fn from_provider_state(expression: &str, example: impl TextValue) -> Self {
        let example = example.into_scalar().example();
        let data_type = match &example {
            Value::String(_) => DataType::String,
            Value::Number(n) if n.is_i64() || n.is_u64() => DataType::Integer,
            Value::Number(_) => DataType::Decimal,
            Value::Bool(_) => DataType::Boolean,
            _ => DataType::Raw,
        };
        let generator = Generator::provider_state(expression, Some(data_type));
        Scalar::generated(example, MatchingRule::Type, generator, "from_provider_state!")
    }

    /// A random UUID (`uuid!`), matched by [`UUID_REGEX`]; the example is [`UUID_EXAMPLE`] or
    /// the one given.
    pub fn uuid(example: &str) -> Self {
        let checked = PactRegex::new(UUID_REGEX).map_err(|e| e.to_string()).and_then(|re| {
            if re.is_match(example) {
                Ok(re)
            } else {
                Err(format!("uuid!: the example {example:?} is not a hyphenated UUID"))
            }
        });
        match checked {
            Ok(re) => Scalar::generated(
                Value::from(example),
                MatchingRule::Regex(re),
                Ok(Generator::Uuid { format: None }),
                "uuid!",
            ),
            Err(error) => Scalar::checked(Pattern::Invalid { error }, "uuid!"),
        }
    }

    /// The date and time "now" in a Java-style `format` (`datetime!` with only a format): a
    /// `DateTime` generator and a `datetime` rule. The example is [`NOW_EXAMPLE_MILLIS`]'s
    /// moment in that format, so the pact file does not change from run to run.
    pub fn datetime_now(format: &str) -> Self {
        Scalar::now(pact_datetime::Kind::DateTime, format, "datetime!")
    }

    /// Today's date in a Java-style `format` (`date!` with only a format): a `Date` generator and
    /// a `date` rule.
    pub fn date_now(format: &str) -> Self {
        Scalar::now(pact_datetime::Kind::Date, format, "date!")
    }

    /// The time now in a Java-style `format` (`time!` with only a format): a `Time` generator and
    /// a `time` rule.
    pub fn time_now(format: &str) -> Self {
        Scalar::now(pact_datetime::Kind::Time, format, "time!")
    }

    fn now(kind: pact_datetime::Kind, format: &str, name: &str) -> Self {
        let example = match pact_datetime::generate(kind, Some(format), None, NOW_EXAMPLE_MILLIS) {
            Ok(example) => example,
            Err(error) => {
                return Scalar::checked(Pattern::Invalid { error: format!("{name}: {error}") }, name)
            }
        };
        let (rule, generator) = match kind {
            pact_datetime::Kind::DateTime => {
                (MatchingRule::DateTime(Some(format.into())), Generator::date_time(Some(format)))
            }
            pact_datetime::Kind::Date => {
                (MatchingRule::Date(Some(format.into())), Generator::date(Some(format)))
            }
            pact_datetime::Kind::Time => {
                (MatchingRule::Time(Some(format.into())), Generator::time(Some(format)))
            }
        };
        Scalar::generated(Value::from(example), rule, generator, name)
    }

    /// A random integer from `min` to `max` (`random_int!`); the example is `min`.
    pub fn random_int(min: i64, max: i64) -> Self {
        Scalar::generated(
            Value::from(min),
            MatchingRule::Integer,
            Generator::random_int(min, max),
            "random_int!",
        )
    }

    /// A random decimal number of `digits` digits (`random_decimal!`); the example has as many.
    pub fn random_decimal(digits: u16) -> Self {
        let text = match digits {
            0 | 1 => "1.5".to_string(),
            n => format!("{}.5", "1".repeat(usize::from(n - 1).min(15))),
        };
        let example = text.parse::<f64>().map(Value::from).unwrap_or(Value::from(1.5));
        Scalar::generated(
            example,
            MatchingRule::Decimal,
            Generator::random_decimal(digits),
            "random_decimal!",
        )
    }

    /// `digits` random hexadecimal digits (`random_hex!`), matched by `^[0-9a-fA-F]+$`.
    pub fn random_hex(digits: u16) -> Self {
        let example: String = "0123456789abcdef".chars().cycle().take(usize::from(digits).max(1)).collect();
        match PactRegex::new("^[0-9a-fA-F]+$") {
            Ok(re) => Scalar::generated(
                Value::from(example),
                MatchingRule::Regex(re),
                Generator::random_hexadecimal(digits),
                "random_hex!",
            ),
            Err(e) => Scalar::checked(Pattern::Invalid { error: e.to_string() }, "random_hex!"),
        }
    }

    /// A random string of `size` letters and digits (`random_string!`), matched by type.
    pub fn random_string(size: u16) -> Self {
        let example: String = "abcdefghij".chars().cycle().take(usize::from(size)).collect();
        Scalar::generated(
            Value::from(example),
            MatchingRule::Type,
            Generator::random_string(size),
            "random_string!",
        )
    }

    /// A random boolean (`random_boolean!`); the example is `true`.
    pub fn random_boolean() -> Self {
        Scalar::generated(
            Value::Bool(true),
            MatchingRule::Boolean,
            Ok(Generator::RandomBoolean),
            "random_boolean!",
        )
    }

    /// A URL of the mock provider (`mock_server_url!`): `regex` matches `example` and keeps its
    /// first group, which the mock provider moves onto its own URL.
    pub fn mock_server_url(regex: &str, example: &str) -> Self {
        let rule = PactRegex::new(regex).map(MatchingRule::Regex);
        match rule {
            Ok(rule) => Scalar::generated(
                Value::from(example),
                rule,
                Generator::mock_server_url(example, regex),
                "mock_server_url!",
            ),
            Err(e) => Scalar::checked(Pattern::Invalid { error: e.to_string() }, "mock_server_url!"),
        }
    }
}

/// Any one of several matchers (a `combine: OR` rule list), in a body, a path, a query value or a
/// header; the example is the first alternative's.
///
/// ```
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"amount": any_of!(integer!(1), term!("^n/a$", "n/a"))});
/// assert_eq!(body.example()["amount"], 1);
///
/// // In a path, a query value or a header (`.query("limit", any_of!(...))`), each alternative
/// // holds one value, and the example is the first one's, as text.
/// use pact_core::dsl::TextValue;
/// use pact_core::model::RuleLogic;
///
/// let limit = any_of!(integer!(10), term!("^all$", "all")).into_scalar();
/// assert_eq!(limit.example(), 10);
/// let rules = limit.root_rules().unwrap().unwrap();
/// assert_eq!((rules.combine, rules.rules.len()), (RuleLogic::Or, 2));
/// ```
#[macro_export]
macro_rules! any_of {
    ($($alternative:expr),+ $(,)?) => {
        $crate::__private::AnyOf::new(vec![$($crate::__private::Pattern::from($alternative)),+])
    };
}

/// What `any_of!` makes: a [`Pattern`] in a body, and a [`TextValue`] in a path, a query value or
/// a header, where every alternative must hold one string, number or boolean (checked when the
/// interaction is declared).
#[derive(Debug, Clone, PartialEq)]
pub struct AnyOf(Pattern);

impl AnyOf {
    /// Any one of `alternatives`.
    pub fn new(alternatives: Vec<Pattern>) -> Self {
        AnyOf(Pattern::any_of(alternatives))
    }

    /// The example: the first alternative's.
    pub fn example(&self) -> Value {
        self.0.example()
    }
}

impl From<AnyOf> for Pattern {
    fn from(any: AnyOf) -> Self {
        any.0
    }
}

impl TextValue for AnyOf {
    fn into_scalar(self) -> Scalar {
        let Pattern::AnyOf(alternatives) = &self.0 else {
            return Scalar::checked(self.0, "any_of!");
        };
        let several = alternatives
            .iter()
            .position(|a| matches!(a.example(), Value::Object(_) | Value::Array(_) | Value::Null));
        match several {
            Some(i) => Scalar::checked(
                Pattern::Invalid {
                    error: format!(
                        "alternative {} of any_of! is not one string, number or boolean, which is all a path, \
                         query value or header holds",
                        i + 1
                    ),
                },
                "any_of!",
            ),
            None => Scalar::checked(self.0, "any_of!"),
        }
    }
}

/// A matcher, or `null`: `nullable!(like!("Al"))` is `any_of!(like!("Al"), null!())`.
///
/// Only in a body: a path, a query value or a header is text and is never null, so `nullable!`
/// there does not compile (leave the header or parameter out of the request instead).
///
/// ```
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"nickname": nullable!(like!("Al"))});
/// assert_eq!(body.example()["nickname"], "Al");
/// ```
///
/// ```compile_fail
/// use pact_core::prelude::*;
///
/// let mut pact = Contract::new("OrderClient", "OrderService");
/// pact.upon_receiving("a search").get("/orders").header("X-Tag", nullable!(like!("a")));
/// ```
#[macro_export]
macro_rules! nullable {
    ($matcher:expr $(,)?) => {
        $crate::__private::Pattern::nullable($crate::__private::Pattern::from($matcher))
    };
}

/// An object whose keys are free and whose values are all like its first value:
/// `values!(json_pattern!({"a": like!(1)}))` accepts `{"x": 3, "y": 4}`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"scores": values!(json_pattern!({"a": like!(1)}))});
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.scores").unwrap()].rules, [MatchingRule::Values]);
/// assert_eq!(rules[&PathExpr::parse("$.scores.*").unwrap()].rules, [MatchingRule::Type]);
/// ```
#[macro_export]
macro_rules! values {
    ($example:expr $(,)?) => {
        $crate::__private::Pattern::values($crate::__private::Pattern::from($example))
    };
}

/// A value that is not empty (a non-empty string, array or object): `not_empty!("x")`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"label": not_empty!("x")});
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.label").unwrap()].rules, [MatchingRule::NotEmpty]);
/// ```
#[macro_export]
macro_rules! not_empty {
    ($example:expr $(,)?) => {
        $crate::__private::Scalar::not_empty($example)
    };
}

/// A semantic version: `semver!("1.2.3")`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"version": semver!("1.2.3")});
/// assert_eq!(body.example()["version"], "1.2.3");
/// let rules = body.compile().unwrap().rules;
/// assert_eq!(rules[&PathExpr::parse("$.version").unwrap()].rules, [MatchingRule::Semver]);
/// ```
#[macro_export]
macro_rules! semver {
    ($example:expr $(,)?) => {
        $crate::__private::Scalar::semver($example)
    };
}

/// A value filled in from the provider state: `from_provider_state!("/users/${id}", "/users/1")`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"id": from_provider_state!("${id}", 42)});
/// assert_eq!(body.example()["id"], 42);
/// let generators = body.compile().unwrap().generators;
/// let id = &generators[&PathExpr::parse("$.id").unwrap()];
/// assert!(matches!(id, Generator::ProviderState { expression, .. } if expression == "${id}"));
/// ```
#[macro_export]
macro_rules! from_provider_state {
    ($expression:expr, $example:expr $(,)?) => {
        $crate::__private::Scalar::from_provider_state($expression, $example)
    };
}

/// A random UUID, matched by a UUID regex: `uuid!()` or `uuid!("9b2e...")`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"id": uuid!()});
/// assert_eq!(body.example()["id"], pact_core::dsl::UUID_EXAMPLE);
/// let generators = body.compile().unwrap().generators;
/// assert!(matches!(generators[&PathExpr::parse("$.id").unwrap()], Generator::Uuid { .. }));
/// ```
#[macro_export]
macro_rules! uuid {
    () => {
        $crate::__private::Scalar::uuid($crate::dsl::UUID_EXAMPLE)
    };
    ($example:expr $(,)?) => {
        $crate::__private::Scalar::uuid($example)
    };
}

/// A random integer from `min` to `max`: `random_int!(1, 100)`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"count": random_int!(1, 9)});
/// assert_eq!(body.example()["count"], 1);
/// let compiled = body.compile().unwrap();
/// let count = PathExpr::parse("$.count").unwrap();
/// assert_eq!(compiled.generators[&count], Generator::RandomInt { min: 1, max: 9 });
/// assert_eq!(compiled.rules[&count].rules, [MatchingRule::Integer]);
/// ```
#[macro_export]
macro_rules! random_int {
    ($min:expr, $max:expr $(,)?) => {
        $crate::__private::Scalar::random_int($min, $max)
    };
}

/// A random decimal number of `digits` digits: `random_decimal!(4)`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"price": random_decimal!(4)});
/// let generators = body.compile().unwrap().generators;
/// assert_eq!(generators[&PathExpr::parse("$.price").unwrap()], Generator::RandomDecimal { digits: 4 });
/// ```
#[macro_export]
macro_rules! random_decimal {
    ($digits:expr $(,)?) => {
        $crate::__private::Scalar::random_decimal($digits)
    };
}

/// `digits` random hexadecimal digits: `random_hex!(8)`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"code": random_hex!(8)});
/// assert_eq!(body.example()["code"].as_str().unwrap().len(), 8);
/// let generators = body.compile().unwrap().generators;
/// assert_eq!(generators[&PathExpr::parse("$.code").unwrap()], Generator::RandomHexadecimal { digits: 8 });
/// ```
#[macro_export]
macro_rules! random_hex {
    ($digits:expr $(,)?) => {
        $crate::__private::Scalar::random_hex($digits)
    };
}

/// A random string of `size` letters and digits: `random_string!(10)`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"token": random_string!(10)});
/// let generators = body.compile().unwrap().generators;
/// assert_eq!(generators[&PathExpr::parse("$.token").unwrap()], Generator::RandomString { size: 10 });
/// ```
#[macro_export]
macro_rules! random_string {
    ($size:expr $(,)?) => {
        $crate::__private::Scalar::random_string($size)
    };
}

/// A random boolean: `random_boolean!()`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"flag": random_boolean!()});
/// let generators = body.compile().unwrap().generators;
/// assert_eq!(generators[&PathExpr::parse("$.flag").unwrap()], Generator::RandomBoolean);
/// ```
#[macro_export]
macro_rules! random_boolean {
    () => {
        $crate::__private::Scalar::random_boolean()
    };
}

/// A link to the mock provider: `mock_server_url!(".*(/orders/\\d+)$", "http://localhost:8080/orders/1")`.
///
/// ```
/// use pact_core::model::{Generator, MatchingRule, PathExpr};
/// use pact_core::prelude::*;
///
/// let body = json_pattern!({"link": mock_server_url!(".*(/orders/\\d+)$", "http://localhost:8080/orders/1")});
/// assert_eq!(body.example()["link"], "http://localhost:8080/orders/1");
/// let generators = body.compile().unwrap().generators;
/// assert!(matches!(generators[&PathExpr::parse("$.link").unwrap()], Generator::MockServerUrl { .. }));
/// ```
#[macro_export]
macro_rules! mock_server_url {
    ($regex:expr, $example:expr $(,)?) => {
        $crate::__private::Scalar::mock_server_url($regex, $example)
    };
}
