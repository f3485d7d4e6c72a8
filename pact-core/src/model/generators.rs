//! Generators: values a pact says to make up when an interaction is replayed, instead of sending
//! the example (a random id, today's date, a value the provider state set up).
//!
//! They are kept per part, as the specification groups them ([`Generators`]): the path, the
//! method and the status have one generator each; headers, query parameters and message metadata
//! have one per name; the body has one per path expression. Reading is as lenient as
//! pact-reference's: a generator it does not know, or cannot run as written, is kept as
//! [`Generator::Unsupported`] (the model's lint warns about it, and the example is used), so a pact
//! that the official verifier accepts is never refused for it. Building one in code checks it
//! ([`Generator::regex`], [`Generator::date`] ...).
//!
//! Who applies which generator follows the specification's two modes: the mock provider applies
//! all but `ProviderState` to its responses (consumer mode), the verifier all but
//! `MockServerURL` to its requests (provider mode); see the `generate` module.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::error::Result;
use super::json::Node;
use super::path::PathExpr;
use super::regex::PactRegex;

/// The format of a generated UUID (the `format` of a `Uuid` generator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UuidFormat {
    /// `936da01f9abd4d9d80c702af85c822a8`.
    Simple,
    /// `936da01f-9abd-4d9d-80c7-02af85c822a8` (the default).
    #[default]
    LowerCaseHyphenated,
    /// `936DA01F-9ABD-4D9D-80C7-02AF85C822A8`.
    UpperCaseHyphenated,
    /// `urn:uuid:936da01f-9abd-4d9d-80c7-02af85c822a8`.
    Urn,
}

impl UuidFormat {
    /// The name a pact writes: `simple`, `lower-case-hyphenated`, `upper-case-hyphenated`, `URN`.
    pub fn as_str(self) -> &'static str {
        match self {
            UuidFormat::Simple => "simple",
            UuidFormat::LowerCaseHyphenated => "lower-case-hyphenated",
            UuidFormat::UpperCaseHyphenated => "upper-case-hyphenated",
            UuidFormat::Urn => "URN",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "simple" => UuidFormat::Simple,
            "lower-case-hyphenated" => UuidFormat::LowerCaseHyphenated,
            "upper-case-hyphenated" => UuidFormat::UpperCaseHyphenated,
            "URN" => UuidFormat::Urn,
            _ => return None,
        })
    }
}

/// The type a `ProviderState` generator's value is converted to (its `dataType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DataType {
    /// The value as the provider state gave it (the default).
    #[default]
    Raw,
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A decimal number.
    Decimal,
    /// A floating-point number.
    Float,
    /// A boolean.
    Boolean,
}

impl DataType {
    /// The name a pact writes: `RAW`, `STRING`, `INTEGER`, `DECIMAL`, `FLOAT`, `BOOLEAN`.
    pub fn as_str(self) -> &'static str {
        match self {
            DataType::Raw => "RAW",
            DataType::String => "STRING",
            DataType::Integer => "INTEGER",
            DataType::Decimal => "DECIMAL",
            DataType::Float => "FLOAT",
            DataType::Boolean => "BOOLEAN",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_uppercase().as_str() {
            "RAW" => DataType::Raw,
            "STRING" => DataType::String,
            "INTEGER" => DataType::Integer,
            "DECIMAL" => DataType::Decimal,
            "FLOAT" => DataType::Float,
            "BOOLEAN" => DataType::Boolean,
            _ => return None,
        })
    }
}

/// One generator, named as in the Pact specification (the `type` attribute).
///
/// ```
/// use pact_core::model::Generator;
///
/// let id = Generator::random_int(1, 100).unwrap();
/// assert_eq!(id.to_json(), serde_json::json!({"type": "RandomInt", "min": 1, "max": 100}));
/// assert!(Generator::random_int(5, 1).is_err());
/// assert!(Generator::date(Some("yyyy-MM-dd")).is_ok());
/// assert!(Generator::date(Some("yyyy-MM-dd'T")).is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Generator {
    /// `RandomInt`: an integer from `min` to `max`, both included.
    RandomInt {
        /// The smallest value.
        min: i64,
        /// The largest value.
        max: i64,
    },
    /// `RandomDecimal`: a decimal number of `digits` digits.
    RandomDecimal {
        /// How many digits.
        digits: u16,
    },
    /// `RandomHexadecimal`: `digits` hexadecimal digits.
    RandomHexadecimal {
        /// How many digits.
        digits: u16,
    },
    /// `RandomString`: `size` letters and digits.
    RandomString {
        /// How many characters.
        size: u16,
    },
    /// `RandomBoolean`: `true` or `false`.
    RandomBoolean,
    /// `Uuid`: a random (version 4) UUID.
    Uuid {
        /// How it is written; lower-case hyphenated when not stated.
        format: Option<UuidFormat>,
    },
    /// `Regex`: a random string that the expression matches.
    Regex(PactRegex),
    /// `Date`: today's date (or the date `expression` says) in `format` (ISO 8601 when none).
    Date {
        /// A Java-style format such as `yyyy-MM-dd`.
        format: Option<String>,
        /// A date expression such as `+ 1 day` (pact-reference's), kept as written.
        expression: Option<String>,
    },
    /// `Time`: the time now (or what `expression` says) in `format` (ISO 8601 when none).
    Time {
        /// A Java-style format such as `HH:mm:ss`.
        format: Option<String>,
        /// A time expression such as `+ 1 hour`, kept as written.
        expression: Option<String>,
    },
    /// `DateTime`: the date and time now (or what `expression` says) in `format`.
    DateTime {
        /// A Java-style format such as `yyyy-MM-dd'T'HH:mm:ss`.
        format: Option<String>,
        /// A date-time expression, kept as written.
        expression: Option<String>,
    },
    /// `ProviderState`: a value from the provider state, `${name}` expressions filled in.
    ProviderState {
        /// The expression, such as `/users/${id}` or `${id}`.
        expression: String,
        /// The type to convert the value to.
        data_type: Option<DataType>,
    },
    /// `MockServerURL`: the example with the part `regex` matches (its first group kept) moved
    /// onto the mock provider's URL.
    MockServerUrl {
        /// The example URL, such as `http://localhost:8080/orders/1`.
        example: String,
        /// An expression whose first group is the part of the URL to keep, such as `.*(/orders/\d+)$`.
        regex: PactRegex,
    },
    /// A generator this engine does not run: an unknown type (for example from a plugin), a
    /// known type with attributes it cannot use, or a value that is no generator object. It is
    /// kept as written so the pact round-trips, and the example is used instead.
    Unsupported {
        /// The generator as written.
        written: Value,
        /// Why it is not run.
        reason: String,
    },
}

/// Why a generator built in code cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} generator: {reason}")]
pub struct GeneratorError {
    /// The generator's type, such as `RandomInt`.
    pub kind: &'static str,
    /// What is wrong.
    pub reason: String,
}

fn invalid(kind: &'static str, reason: impl Into<String>) -> GeneratorError {
    GeneratorError { kind, reason: reason.into() }
}

impl Generator {
    /// `RandomInt` from `min` to `max`; `min` must not be greater than `max`.
    pub fn random_int(min: i64, max: i64) -> std::result::Result<Self, GeneratorError> {
        if min > max {
            return Err(invalid("RandomInt", format!("min {min} is greater than max {max}")));
        }
        Ok(Generator::RandomInt { min, max })
    }

    /// `RandomDecimal` of `digits` digits (1 to 15, so that the number is exact in a double).
    pub fn random_decimal(digits: u16) -> std::result::Result<Self, GeneratorError> {
        if !(1..=15).contains(&digits) {
            return Err(invalid("RandomDecimal", format!("digits must be from 1 to 15, not {digits}")));
        }
        Ok(Generator::RandomDecimal { digits })
    }

    /// `RandomHexadecimal` of `digits` digits (at least one).
    pub fn random_hexadecimal(digits: u16) -> std::result::Result<Self, GeneratorError> {
        if digits == 0 {
            return Err(invalid("RandomHexadecimal", "digits must be at least 1"));
        }
        Ok(Generator::RandomHexadecimal { digits })
    }

    /// `RandomString` of `size` characters (at least one).
    pub fn random_string(size: u16) -> std::result::Result<Self, GeneratorError> {
        if size == 0 {
            return Err(invalid("RandomString", "size must be at least 1"));
        }
        Ok(Generator::RandomString { size })
    }

    /// `Regex`: the expression must be one the engine runs.
    pub fn regex(regex: &str) -> std::result::Result<Self, GeneratorError> {
        PactRegex::new(regex).map(Generator::Regex).map_err(|e| invalid("Regex", e.to_string()))
    }

    /// `Date` in a Java-style format (ISO 8601 when none).
    pub fn date(format: Option<&str>) -> std::result::Result<Self, GeneratorError> {
        let format = checked_format(pact_datetime::Kind::Date, "Date", format)?;
        Ok(Generator::Date { format, expression: None })
    }

    /// `Time` in a Java-style format (ISO 8601 when none).
    pub fn time(format: Option<&str>) -> std::result::Result<Self, GeneratorError> {
        let format = checked_format(pact_datetime::Kind::Time, "Time", format)?;
        Ok(Generator::Time { format, expression: None })
    }

    /// `DateTime` in a Java-style format (ISO 8601 when none).
    pub fn date_time(format: Option<&str>) -> std::result::Result<Self, GeneratorError> {
        let format = checked_format(pact_datetime::Kind::DateTime, "DateTime", format)?;
        Ok(Generator::DateTime { format, expression: None })
    }

    /// `ProviderState` with `expression` (`${name}` placeholders); the expression must close
    /// every `${`.
    pub fn provider_state(
        expression: &str,
        data_type: Option<DataType>,
    ) -> std::result::Result<Self, GeneratorError> {
        if let Some(at) = unterminated(expression) {
            return Err(invalid(
                "ProviderState",
                format!("the expression {expression:?} has an unterminated \"${{\" at character {at}"),
            ));
        }
        if !expression.contains("${") {
            return Err(invalid(
                "ProviderState",
                format!("the expression {expression:?} names no value: write it as \"${{name}}\""),
            ));
        }
        Ok(Generator::ProviderState { expression: expression.to_string(), data_type })
    }

    /// `MockServerURL`: `regex` must run, match `example`, and have a group (the part kept).
    pub fn mock_server_url(example: &str, regex: &str) -> std::result::Result<Self, GeneratorError> {
        let re = PactRegex::new(regex).map_err(|e| invalid("MockServerURL", e.to_string()))?;
        if re.regex().captures_len() < 2 {
            return Err(invalid(
                "MockServerURL",
                format!("the expression {regex:?} has no group: its first group is the part of the URL kept"),
            ));
        }
        if !re.is_match(example) {
            return Err(invalid(
                "MockServerURL",
                format!("the example {example:?} does not match the expression {regex:?}"),
            ));
        }
        Ok(Generator::MockServerUrl { example: example.to_string(), regex: re })
    }

    /// The `type` name.
    pub fn kind(&self) -> &str {
        match self {
            Generator::RandomInt { .. } => "RandomInt",
            Generator::RandomDecimal { .. } => "RandomDecimal",
            Generator::RandomHexadecimal { .. } => "RandomHexadecimal",
            Generator::RandomString { .. } => "RandomString",
            Generator::RandomBoolean => "RandomBoolean",
            Generator::Uuid { .. } => "Uuid",
            Generator::Regex(_) => "Regex",
            Generator::Date { .. } => "Date",
            Generator::Time { .. } => "Time",
            Generator::DateTime { .. } => "DateTime",
            Generator::ProviderState { .. } => "ProviderState",
            Generator::MockServerUrl { .. } => "MockServerURL",
            Generator::Unsupported { written, .. } => {
                written.get("type").and_then(Value::as_str).unwrap_or("")
            }
        }
    }

    /// The generator object as written in a pact file.
    pub fn to_json(&self) -> Value {
        let with_format = |kind: &str, format: &Option<String>, expression: &Option<String>| {
            let mut out = json!({"type": kind});
            if let Some(format) = format {
                out["format"] = Value::String(format.clone());
            }
            if let Some(expression) = expression {
                out["expression"] = Value::String(expression.clone());
            }
            out
        };
        match self {
            Generator::RandomInt { min, max } => json!({"type": "RandomInt", "min": min, "max": max}),
            Generator::RandomDecimal { digits } => json!({"type": "RandomDecimal", "digits": digits}),
            Generator::RandomHexadecimal { digits } => json!({"type": "RandomHexadecimal", "digits": digits}),
            Generator::RandomString { size } => json!({"type": "RandomString", "size": size}),
            Generator::RandomBoolean => json!({"type": "RandomBoolean"}),
            Generator::Uuid { format: None } => json!({"type": "Uuid"}),
            Generator::Uuid { format: Some(f) } => json!({"type": "Uuid", "format": f.as_str()}),
            Generator::Regex(re) => json!({"type": "Regex", "regex": re.as_str()}),
            Generator::Date { format, expression } => with_format("Date", format, expression),
            Generator::Time { format, expression } => with_format("Time", format, expression),
            Generator::DateTime { format, expression } => with_format("DateTime", format, expression),
            Generator::ProviderState { expression, data_type } => {
                let mut out = json!({"type": "ProviderState", "expression": expression});
                if let Some(data_type) = data_type {
                    out["dataType"] = Value::String(data_type.as_str().into());
                }
                out
            }
            Generator::MockServerUrl { example, regex } => {
                json!({"type": "MockServerURL", "example": example, "regex": regex.as_str()})
            }
            Generator::Unsupported { written, .. } => written.clone(),
        }
    }

    /// Reads a generator. Whatever this engine cannot run (pact-reference ignores such a
    /// generator, with a warning) is kept as [`Generator::Unsupported`], never an error.
    pub(crate) fn from_json(value: &Value) -> Self {
        let unsupported = |reason: String| Generator::Unsupported { written: value.clone(), reason };
        let Some(obj) = value.as_object() else {
            return unsupported(format!("a generator is an object, not {value}"));
        };
        let kind = match obj.get("type") {
            Some(Value::String(kind)) => kind,
            Some(other) => return unsupported(format!("a generator type is a string, not {other}")),
            None => return unsupported("a generator has a \"type\"".into()),
        };
        let mut attributes = obj.clone();
        attributes.remove("type");
        match read_known(kind, &attributes) {
            Ok(Some(generator)) => generator,
            Ok(None) => unsupported(format!("{kind:?} is not a generator type this engine knows")),
            Err(reason) => unsupported(reason),
        }
    }
}

fn checked_format(
    kind: pact_datetime::Kind,
    name: &'static str,
    format: Option<&str>,
) -> std::result::Result<Option<String>, GeneratorError> {
    match format {
        None => Ok(None),
        Some(f) => {
            pact_datetime::check_format(kind, f).map(|()| Some(f.to_string())).map_err(|e| invalid(name, e))
        }
    }
}

/// A number attribute as pact-reference reads one: an integer, a whole float or a numeric string;
/// `default` when absent.
fn number<T: TryFrom<i64>>(
    attributes: &Map<String, Value>,
    key: &str,
    default: T,
) -> std::result::Result<T, String> {
    let value = match attributes.get(key) {
        None | Some(Value::Null) => return Ok(default),
        Some(v) => v,
    };
    let n = match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64)),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    n.and_then(|n| T::try_from(n).ok()).ok_or_else(|| format!("{key} is {value}, not a number it can use"))
}

fn string(attributes: &Map<String, Value>, key: &str) -> std::result::Result<Option<String>, String> {
    match attributes.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("{key} is {other}, not a string")),
    }
}

/// The known generator types; `Ok(None)` for an unknown one, `Err` for attributes it cannot use.
fn read_known(kind: &str, attributes: &Map<String, Value>) -> std::result::Result<Option<Generator>, String> {
    let regex = |key: &str| -> std::result::Result<PactRegex, String> {
        let source = string(attributes, key)?.ok_or_else(|| format!("it has no {key}"))?;
        PactRegex::new(&source).map_err(|e| e.to_string())
    };
    Ok(Some(match kind {
        // pact-reference's defaults: 0 to 10; 10 digits; 10 characters.
        "RandomInt" => {
            let (min, max) = (number(attributes, "min", 0i64)?, number(attributes, "max", 10i64)?);
            // A min above max is kept (the lint warns); generating gives min.
            Generator::RandomInt { min, max }
        }
        "RandomDecimal" => Generator::RandomDecimal { digits: number(attributes, "digits", 10u16)? },
        "RandomHexadecimal" => Generator::RandomHexadecimal { digits: number(attributes, "digits", 10u16)? },
        "RandomString" => Generator::RandomString { size: number(attributes, "size", 10u16)? },
        "RandomBoolean" => Generator::RandomBoolean,
        "Uuid" => Generator::Uuid {
            format: match string(attributes, "format")? {
                None => None,
                Some(f) => Some(UuidFormat::parse(&f).ok_or_else(|| format!("{f:?} is not a UUID format"))?),
            },
        },
        "Regex" => Generator::Regex(regex("regex")?),
        "Date" | "Time" | "DateTime" => {
            let format = string(attributes, "format")?;
            let expression = string(attributes, "expression")?;
            match kind {
                "Date" => Generator::Date { format, expression },
                "Time" => Generator::Time { format, expression },
                _ => Generator::DateTime { format, expression },
            }
        }
        "ProviderState" => {
            let expression = string(attributes, "expression")?.ok_or("it has no expression")?;
            let data_type = match string(attributes, "dataType")? {
                None => None,
                Some(t) => Some(DataType::parse(&t).ok_or_else(|| format!("{t:?} is not a data type"))?),
            };
            Generator::ProviderState { expression, data_type }
        }
        "MockServerURL" => Generator::MockServerUrl {
            example: string(attributes, "example")?.unwrap_or_default(),
            regex: regex("regex")?,
        },
        _ => return Ok(None),
    }))
}

/// The character position of the first `${` with no closing `}` after it.
pub(crate) fn unterminated(expression: &str) -> Option<usize> {
    let mut rest = expression;
    let mut offset = 0;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end) => {
                offset += start + 2 + end + 1;
                rest = &after[end + 1..];
            }
            None => return Some(expression[..offset + start].chars().count()),
        }
    }
    None
}

/// Reads generators keyed by path expression (the body's, an `arrayContains` variant's).
pub(crate) fn read_body_generators(node: &Node<'_>) -> Result<BTreeMap<PathExpr, Generator>> {
    let mut out = BTreeMap::new();
    for (key, inner) in node.entries()? {
        let key = if key.starts_with('$') { key.clone() } else { format!("$.{key}") };
        let path = PathExpr::parse(&key)
            .map_err(|e| inner.error(format!("a generator under a valid path expression ({e})")))?;
        out.insert(path, Generator::from_json(inner.value));
    }
    Ok(out)
}

/// The generators of one request, response or message, by part.
///
/// ```
/// use pact_core::model::{Generator, Generators, PathExpr};
///
/// let mut generators = Generators::default();
/// generators.body.insert(PathExpr::parse("$.id").unwrap(), Generator::random_int(1, 9).unwrap());
/// generators.header.insert("X-Request-Id".into(), Generator::Uuid { format: None });
/// let json = generators.to_json();
/// assert_eq!(json["body"]["$.id"]["type"], "RandomInt");
/// assert_eq!(json["header"]["X-Request-Id"]["type"], "Uuid");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Generators {
    /// The request path.
    pub path: Option<Generator>,
    /// The request method.
    pub method: Option<Generator>,
    /// The response status.
    pub status: Option<Generator>,
    /// Headers, by name (looked up ignoring case).
    pub header: BTreeMap<String, Generator>,
    /// Query parameters, by name.
    pub query: BTreeMap<String, Generator>,
    /// The body (or message contents), by path expression.
    pub body: BTreeMap<PathExpr, Generator>,
    /// Message metadata, by key.
    pub metadata: BTreeMap<String, Generator>,
    /// Categories this engine does not know, kept as written.
    pub other: Map<String, Value>,
}

impl Generators {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.path.is_none()
            && self.method.is_none()
            && self.status.is_none()
            && self.header.is_empty()
            && self.query.is_empty()
            && self.body.is_empty()
            && self.metadata.is_empty()
            && self.other.is_empty()
    }

    /// Every generator with where it applies (`path`, `header X`, `body $.id` ...), in a fixed
    /// order.
    pub fn iter(&self) -> Vec<(String, &Generator)> {
        let mut out = Vec::new();
        for (name, generator) in [("path", &self.path), ("method", &self.method), ("status", &self.status)] {
            if let Some(generator) = generator {
                out.push((name.to_string(), generator));
            }
        }
        for (category, map) in [("header", &self.header), ("query", &self.query)] {
            out.extend(map.iter().map(|(k, g)| (format!("{category} {k}"), g)));
        }
        out.extend(self.body.iter().map(|(k, g)| (format!("body {k}"), g)));
        out.extend(self.metadata.iter().map(|(k, g)| (format!("metadata {k}"), g)));
        out
    }

    /// Reads the `generators` object of a request, response or message. A category that is not
    /// an object is kept as written, as are generators this engine cannot run; a body key that is
    /// not a path expression is an error.
    pub(crate) fn from_json(node: &Node<'_>) -> Result<Self> {
        let mut out = Generators::default();
        for (category, child) in node.entries()? {
            let Some(map) = child.value.as_object() else {
                out.other.insert(category.clone(), child.value.clone());
                continue;
            };
            match category.as_str() {
                "path" | "method" | "status" => {
                    let generator = if map.contains_key("type") || map.is_empty() {
                        (!map.is_empty()).then(|| Generator::from_json(child.value))
                    } else {
                        // Keyed by a path (`{"$": {...}}`), as some writers do.
                        map.values().next().map(Generator::from_json)
                    };
                    match category.as_str() {
                        "path" => out.path = generator,
                        "method" => out.method = generator,
                        _ => out.status = generator,
                    }
                }
                "header" | "headers" | "query" | "metadata" | "metaData" => {
                    let target = match category.as_str() {
                        "query" => &mut out.query,
                        "metadata" | "metaData" => &mut out.metadata,
                        _ => &mut out.header,
                    };
                    for (name, inner) in map {
                        // pact-reference writes these names plainly; a `$.name` form reads too.
                        let name = name.strip_prefix("$.").unwrap_or(name);
                        target.insert(name.to_string(), Generator::from_json(inner));
                    }
                }
                "body" | "content" | "contents" => out.body.extend(read_body_generators(&child)?),
                _ => {
                    out.other.insert(category.clone(), child.value.clone());
                }
            }
        }
        Ok(out)
    }

    /// The `generators` object as a pact writes it.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        for (name, generator) in [("path", &self.path), ("method", &self.method), ("status", &self.status)] {
            if let Some(generator) = generator {
                out.insert(name.into(), generator.to_json());
            }
        }
        for (category, map) in
            [("header", &self.header), ("query", &self.query), ("metadata", &self.metadata)]
        {
            if !map.is_empty() {
                // The reader strips a leading `$.`, so a name that has one is written with another.
                let written = |k: &String| if k.starts_with("$.") { format!("$.{k}") } else { k.clone() };
                out.insert(
                    category.into(),
                    Value::Object(map.iter().map(|(k, g)| (written(k), g.to_json())).collect()),
                );
            }
        }
        if !self.body.is_empty() {
            out.insert(
                "body".into(),
                Value::Object(self.body.iter().map(|(k, g)| (k.as_str().to_string(), g.to_json())).collect()),
            );
        }
        for (k, v) in &self.other {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(value: Value) -> Generators {
        Generators::from_json(&Node::root(&value, "$")).unwrap()
    }

    #[test]
    fn reads_and_writes_every_kind() {
        let written = json!({
            "path": {"type": "ProviderState", "expression": "/users/${id}", "dataType": "STRING"},
            "header": {"X-Id": {"type": "Uuid", "format": "URN"}},
            "query": {"page": {"type": "RandomInt", "min": 1, "max": 9}},
            "body": {
                "$.a": {"type": "RandomDecimal", "digits": 4},
                "$.b": {"type": "RandomHexadecimal", "digits": 8},
                "$.c": {"type": "RandomString", "size": 3},
                "$.d": {"type": "RandomBoolean"},
                "$.e": {"type": "Regex", "regex": "\\d{3}"},
                "$.f": {"type": "Date", "format": "yyyy-MM-dd"},
                "$.g": {"type": "Time"},
                "$.h": {"type": "DateTime", "format": "yyyy-MM-dd'T'HH:mm:ss", "expression": "+ 1 day"},
                "$.i": {"type": "MockServerURL", "example": "http://x/orders/1", "regex": ".*(/orders/\\d+)$"},
                "$.j": {"type": "Plugin", "anything": 1}
            }
        });
        let generators = read(written.clone());
        assert_eq!(generators.body.len(), 10);
        assert!(matches!(generators.body.values().last(), Some(Generator::Unsupported { .. })));
        assert_eq!(generators.to_json(), written);
    }

    #[test]
    fn what_cannot_run_is_kept_as_written() {
        let generators = read(
            json!({"body": {"$.a": {"type": "Regex", "regex": "(?=a)"}, "$.b": {"type": "Uuid", "format": "odd"}}}),
        );
        for generator in generators.body.values() {
            assert!(matches!(generator, Generator::Unsupported { .. }), "{generator:?}");
        }
        assert_eq!(generators.to_json()["body"]["$.a"]["regex"], "(?=a)");
        let untyped = json!({"body": {"$.a": {"format": "x"}, "$.b": 5}, "status": 3});
        assert_eq!(read(untyped.clone()).to_json(), untyped);
        let value = json!({"body": {"$['a": {"type": "Uuid"}}});
        let error = Generators::from_json(&Node::root(&value, "$")).unwrap_err();
        assert!(
            error.to_string().contains("$.body") && error.to_string().contains("path expression"),
            "{error}"
        );
    }

    #[test]
    fn constructors_check_their_input() {
        assert!(Generator::provider_state("${id", None).is_err());
        assert!(Generator::provider_state("id", None).is_err());
        assert!(Generator::mock_server_url("http://x/o/1", ".*/o/\\d+$").is_err());
        assert!(Generator::mock_server_url("http://x/p/1", ".*(/o/\\d+)$").is_err());
        assert!(Generator::mock_server_url("http://x/o/1", ".*(/o/\\d+)$").is_ok());
        assert!(Generator::random_decimal(0).is_err());
        assert!(Generator::regex("(").is_err());
    }
}
