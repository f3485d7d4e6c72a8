//! Applying matching rules to single values.
//!
//! Bodies are JSON values; headers, query parameters, paths and XML text are strings, where the
//! numeric and boolean matchers read the text (`"42"` is an integer in a query string, not in a
//! JSON body).

use serde_json::Value;

use super::datetime::{self, Kind};
use crate::model::{MatchingRule, RuleList, RuleLogic, StatusCodeRule};

/// Whether a value came from JSON or from text (headers, query, path, XML).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Json,
    Text,
}

/// Applies a rule list to `actual`. Returns the failures (empty when it passes). With `OR`, one
/// passing rule is enough; with `AND` every failure is reported.
pub(crate) fn apply(
    list: &RuleList,
    expected: &Value,
    actual: &Value,
    cascaded: bool,
    mode: Mode,
) -> Vec<String> {
    let mut failures = Vec::new();
    for rule in &list.rules {
        match check(rule, expected, actual, cascaded, mode) {
            Ok(()) if list.combine == RuleLogic::Or => return Vec::new(),
            Ok(()) => {}
            Err(message) => failures.push(message),
        }
    }
    if list.combine == RuleLogic::Or && failures.len() > 1 {
        return vec![failures.join("; or ")];
    }
    failures
}

/// Applies one rule. `cascaded` is true when the rule was written for a parent path: then it
/// checks the type of the value but not an array's length.
pub(crate) fn check(
    rule: &MatchingRule,
    expected: &Value,
    actual: &Value,
    cascaded: bool,
    mode: Mode,
) -> Result<(), String> {
    match rule {
        MatchingRule::Equality => {
            let equal = match (expected, actual) {
                // Containers are compared member by member by the caller.
                (Value::Object(_), Value::Object(_)) | (Value::Array(_), Value::Array(_)) => true,
                (e, a) => values_equal(e, a),
            };
            if equal {
                Ok(())
            } else {
                Err(format!("expected {} but found {}", show(expected), show(actual)))
            }
        }
        MatchingRule::Regex(re) => match text_of(actual) {
            Some(text) if re.is_match(&text) => Ok(()),
            Some(_) => Err(format!("expected a value matching /{}/ but found {}", re.as_str(), show(actual))),
            None => Err(format!("expected a value matching /{}/ but found {}", re.as_str(), kind_of(actual))),
        },
        MatchingRule::Type => same_type(expected, actual, mode),
        MatchingRule::MinType(min) => {
            same_type(expected, actual, mode)?;
            length_at_least(actual, *min, cascaded)
        }
        MatchingRule::MaxType(max) => {
            same_type(expected, actual, mode)?;
            length_at_most(actual, *max, cascaded)
        }
        MatchingRule::MinMaxType(min, max) => {
            same_type(expected, actual, mode)?;
            length_at_least(actual, *min, cascaded)?;
            length_at_most(actual, *max, cascaded)
        }
        MatchingRule::Include(part) => match text_of(actual) {
            Some(text) if text.contains(part.as_str()) => Ok(()),
            _ => Err(format!("expected a value including {:?} but found {}", part, show(actual))),
        },
        MatchingRule::Integer => {
            let ok = match actual {
                Value::Number(n) => n.is_i64() || n.is_u64(),
                Value::String(s) if mode == Mode::Text => s.trim().parse::<i128>().is_ok(),
                _ => false,
            };
            ok.then_some(()).ok_or_else(|| format!("expected an integer but found {}", show(actual)))
        }
        MatchingRule::Decimal => {
            let ok = match actual {
                Value::Number(n) => n.is_f64(),
                Value::String(s) if mode == Mode::Text => s.contains('.') && s.trim().parse::<f64>().is_ok(),
                _ => false,
            };
            ok.then_some(()).ok_or_else(|| format!("expected a decimal number but found {}", show(actual)))
        }
        MatchingRule::Number => {
            let ok = match actual {
                Value::Number(_) => true,
                Value::String(s) if mode == Mode::Text => s.trim().parse::<f64>().is_ok(),
                _ => false,
            };
            ok.then_some(()).ok_or_else(|| format!("expected a number but found {}", show(actual)))
        }
        MatchingRule::Boolean => {
            let ok = match actual {
                Value::Bool(_) => true,
                Value::String(s) => s == "true" || s == "false",
                _ => false,
            };
            ok.then_some(()).ok_or_else(|| format!("expected a boolean but found {}", show(actual)))
        }
        MatchingRule::Null => {
            let ok = actual.is_null() || (mode == Mode::Text && actual.as_str().is_some_and(str::is_empty));
            ok.then_some(()).ok_or_else(|| format!("expected null but found {}", show(actual)))
        }
        MatchingRule::DateTime(format) => date_like(Kind::DateTime, format.as_deref(), actual),
        MatchingRule::Date(format) => date_like(Kind::Date, format.as_deref(), actual),
        MatchingRule::Time(format) => date_like(Kind::Time, format.as_deref(), actual),
        MatchingRule::ContentType(ct) => {
            // At value level, a string content is judged by its own bytes.
            let bytes = match actual {
                Value::String(s) => s.as_bytes().to_vec(),
                other => other.to_string().into_bytes(),
            };
            super::content_type::check(ct, &bytes, None)
        }
        MatchingRule::Values | MatchingRule::EachKey(_) | MatchingRule::EachValue(_) => {
            member_rule(rule, expected, actual, cascaded, mode)
        }
        MatchingRule::NotEmpty => {
            let empty = match actual {
                Value::Null => true,
                Value::String(s) => s.is_empty(),
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                _ => false,
            };
            if empty {
                Err(format!("expected a non-empty value but found {}", show(actual)))
            } else {
                Ok(())
            }
        }
        MatchingRule::Semver => match actual.as_str() {
            Some(s) if is_semver(s) => Ok(()),
            _ => Err(format!("expected a semantic version but found {}", show(actual))),
        },
        MatchingRule::StatusCode(rule) => {
            let code = match actual {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            };
            match code.and_then(|c| u16::try_from(c).ok()) {
                Some(code) if status_in(rule, code) => Ok(()),
                _ => Err(format!("expected a status in {} but found {}", status_name(rule), show(actual))),
            }
        }
        MatchingRule::ArrayContains(_) => match actual {
            // Variants are checked by the caller, which knows the rules inside them.
            Value::Array(_) => Ok(()),
            _ => Err(format!("expected an array but found {}", show(actual))),
        },
        MatchingRule::Unknown { name, .. } => Err(format!(
            "the matcher {name:?} is not supported by this engine, so the value cannot be verified"
        )),
    }
}

/// Whether the rule lets a rule on a parent apply to this value too.
pub(crate) fn cascades(rule: &MatchingRule) -> bool {
    !matches!(
        rule,
        MatchingRule::Values
            | MatchingRule::EachKey(_)
            | MatchingRule::EachValue(_)
            | MatchingRule::ArrayContains(_)
            | MatchingRule::NotEmpty
            | MatchingRule::StatusCode(_)
            | MatchingRule::ContentType(_)
    )
}

/// Whether the list holding the rule still governs a parent's descendants: the rule cascades, or
/// it is one of the member rules (`values`, `eachKey`, `eachValue`), which the JSON walk applies
/// to the members where it was written and which then accept (or, for `values`, compare by
/// equality) what lies below.
pub(crate) fn reaches_below(rule: &MatchingRule) -> bool {
    cascades(rule)
        || matches!(rule, MatchingRule::Values | MatchingRule::EachKey(_) | MatchingRule::EachValue(_))
}

/// `values`, `eachKey` and `eachValue` on one value. Their work is on an object's keys and an
/// object's or array's members, which the JSON walk does (`matching::json`); on the container
/// itself they only ask for the same kind of container. On a leaf (below the container where they
/// were written, or a leaf example), `values` compares by equality and the others accept it, as
/// pact_matching does. Headers, query parameters and other text have no members to apply them to.
fn member_rule(
    rule: &MatchingRule,
    expected: &Value,
    actual: &Value,
    cascaded: bool,
    mode: Mode,
) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(_), Value::Object(_)) | (Value::Array(_), Value::Array(_)) => Ok(()),
        (Value::Object(_) | Value::Array(_), _) => {
            Err(format!("expected {} but found {}", kind_of(expected), show(actual)))
        }
        _ if matches!(rule, MatchingRule::Values) => {
            if values_equal(expected, actual) {
                Ok(())
            } else {
                Err(format!("expected {} but found {}", show(expected), show(actual)))
            }
        }
        _ if mode == Mode::Text && !cascaded => Err(format!(
            "the {} matcher applies to the members of an object or array, not to the text {}",
            rule.name(),
            show(actual)
        )),
        _ => Ok(()),
    }
}

fn date_like(kind: Kind, format: Option<&str>, actual: &Value) -> Result<(), String> {
    match actual.as_str() {
        Some(s) => datetime::check(kind, format, s).map_err(|e| format!("{e}, found {}", show(actual))),
        None => Err(format!("expected a string holding a date or time but found {}", show(actual))),
    }
}

fn same_type(expected: &Value, actual: &Value, mode: Mode) -> Result<(), String> {
    let same = match (expected, actual) {
        (Value::Null, Value::Null)
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_))
        | (Value::Array(_), Value::Array(_))
        | (Value::Object(_), Value::Object(_)) => true,
        // Text has no types beyond strings.
        (_, Value::String(_)) if mode == Mode::Text => true,
        _ => false,
    };
    if same {
        Ok(())
    } else {
        Err(format!("expected {} (like {}) but found {}", kind_of(expected), show(expected), show(actual)))
    }
}

fn length_at_least(actual: &Value, min: usize, cascaded: bool) -> Result<(), String> {
    match actual {
        Value::Array(items) if !cascaded && items.len() < min => {
            Err(format!("expected a list of at least {min} items but found {}", count(items.len())))
        }
        _ => Ok(()),
    }
}

fn length_at_most(actual: &Value, max: usize, cascaded: bool) -> Result<(), String> {
    match actual {
        Value::Array(items) if !cascaded && items.len() > max => {
            Err(format!("expected a list of at most {max} items but found {}", count(items.len())))
        }
        _ => Ok(()),
    }
}

pub(crate) fn count(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

/// Equality of JSON values as pact-reference compares them (serde_json's): an integer and a
/// decimal are different numbers, so `1` is not equal to `1.0`, as the official verifier judges.
pub(crate) fn values_equal(expected: &Value, actual: &Value) -> bool {
    expected == actual
}

/// The text a regex or include rule looks at.
pub(crate) fn text_of(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match value {
        Value::String(s) => Some(s.as_str().into()),
        Value::Number(n) => Some(n.to_string().into()),
        Value::Bool(b) => Some(b.to_string().into()),
        Value::Null => None,
        _ => None,
    }
}

/// "a string", "a number"...
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value as compact JSON, cut at 80 characters.
pub(crate) fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn status_in(rule: &StatusCodeRule, code: u16) -> bool {
    match rule {
        StatusCodeRule::Information => (100..200).contains(&code),
        StatusCodeRule::Success => (200..300).contains(&code),
        StatusCodeRule::Redirect => (300..400).contains(&code),
        StatusCodeRule::ClientError => (400..500).contains(&code),
        StatusCodeRule::ServerError => (500..600).contains(&code),
        StatusCodeRule::NonError => (100..400).contains(&code),
        StatusCodeRule::Error => (400..600).contains(&code),
        StatusCodeRule::Codes(codes) => codes.contains(&code),
    }
}

fn status_name(rule: &StatusCodeRule) -> String {
    match rule {
        StatusCodeRule::Information => "1xx (information)".into(),
        StatusCodeRule::Success => "2xx (success)".into(),
        StatusCodeRule::Redirect => "3xx (redirect)".into(),
        StatusCodeRule::ClientError => "4xx (client error)".into(),
        StatusCodeRule::ServerError => "5xx (server error)".into(),
        StatusCodeRule::NonError => "1xx-3xx (non-error)".into(),
        StatusCodeRule::Error => "4xx-5xx (error)".into(),
        StatusCodeRule::Codes(codes) => format!("{codes:?}"),
    }
}

/// `MAJOR.MINOR.PATCH[-pre][+build]` as semver.org defines it.
fn is_semver(s: &str) -> bool {
    let (core_pre, build) = match s.split_once('+') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let (core, pre) = match core_pre.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (core_pre, None),
    };
    let numeric =
        |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) && (p == "0" || !p.starts_with('0'));
    let ident = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| numeric(p))
        && pre.is_none_or(|p| {
            p.split('.').all(|i| ident(i) && (!i.chars().all(|c| c.is_ascii_digit()) || numeric(i)))
        })
        && build.is_none_or(|b| b.split('.').all(ident))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn semver() {
        for ok in ["1.0.0", "0.1.2-alpha.1", "1.2.3+build.5", "10.20.30-rc.1+x"] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in ["1.0", "01.0.0", "1.0.0-", "1.0.0-01", "a.b.c"] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn numbers_in_text_and_json() {
        assert!(check(&MatchingRule::Integer, &json!(1), &json!("42"), false, Mode::Text).is_ok());
        assert!(check(&MatchingRule::Integer, &json!(1), &json!("42"), false, Mode::Json).is_err());
        assert!(check(&MatchingRule::Integer, &json!(1), &json!(4.5), false, Mode::Json).is_err());
        assert!(check(&MatchingRule::Decimal, &json!(1.5), &json!(4.5), false, Mode::Json).is_ok());
        assert!(check(&MatchingRule::Decimal, &json!(1.5), &json!(4), false, Mode::Json).is_err());
        assert!(check(&MatchingRule::Number, &json!(1.5), &json!(4), false, Mode::Json).is_ok());
    }

    #[test]
    fn min_type_checks_length_unless_cascaded() {
        let rule = MatchingRule::MinType(2);
        assert!(check(&rule, &json!([1]), &json!([1]), false, Mode::Json).is_err());
        assert!(check(&rule, &json!([1]), &json!([1]), true, Mode::Json).is_ok());
    }

    #[test]
    fn one_and_one_point_zero() {
        assert!(values_equal(&json!(1), &json!(1)));
        assert!(!values_equal(&json!(1), &json!(2)));
        // pact-reference (serde_json) tells an integer from a decimal.
        assert!(!values_equal(&json!(1), &json!(1.0)));
        assert!(!values_equal(&json!(1.0), &json!(1)));
        assert!(values_equal(&json!(1.5), &json!(1.50)));
    }
}
