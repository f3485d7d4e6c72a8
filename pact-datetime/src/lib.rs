//! Dates and times in the Java-style patterns pacts use (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`).
//!
//! A pattern is turned into an anchored regular expression with named groups, compiled once and
//! cached; the captured fields are then range-checked (month 1-12, a day that exists in that
//! month, hour 0-23 ...). Patterns with no format check ISO 8601.
//!
//! This is its own crate so that the matching engine (in `pact-core`) and the compile-time checks
//! of `datetime!`, `date!` and `time!` (in `pact-macros`) apply the same rules: an example the
//! macro accepts is one the verifier accepts.
//!
//! ```
//! use pact_datetime::{check, Kind};
//!
//! assert!(check(Kind::Date, Some("yyyy-MM-dd"), "2016-12-15").is_ok());
//! let error = check(Kind::Date, Some("yyyy-MM-dd"), "2016-13-15").unwrap_err();
//! assert_eq!(error, r#""2016-13-15" is not a valid date: the month is out of range"#);
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod expression;
mod generate;

pub use generate::{generate, now_millis};

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;

/// Which kind of value a pattern describes; it decides the ISO 8601 default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A date and a time (`datetime`).
    DateTime,
    /// A date (`date`).
    Date,
    /// A time of day (`time`).
    Time,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// Checks `value` against `format` (or ISO 8601 when `None`). The error says what was expected.
pub fn check(kind: Kind, format: Option<&str>, value: &str) -> Result<(), String> {
    let compiled = compile(kind, format)?;
    let Some(caps) = compiled.captures(value) else {
        return Err(format!(
            "expected a {} in the format {:?}",
            kind_name(kind),
            describe_format(kind, format)
        ));
    };
    let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let name_index = |name: &str, names: &[&str]| {
        caps.name(name).and_then(|m| {
            let text = m.as_str().to_ascii_lowercase();
            names.iter().position(|n| n.to_ascii_lowercase().starts_with(&text)).map(|i| i as u32 + 1)
        })
    };
    let month = num("month").or_else(|| name_index("monthname", &MONTHS));
    let bad = |what: &str| Err(format!("{value:?} is not a valid {}: {what}", kind_name(kind)));
    if let Some(m) = month {
        if !(1..=12).contains(&m) {
            return bad("the month is out of range");
        }
    }
    if let Some(d) = num("day") {
        let year = num("year").map(|y| {
            if caps.name("year").is_some_and(|m| m.as_str().len() == 2) {
                2000 + y
            } else {
                y
            }
        });
        let max = month.map_or(31, |m| days_in_month(year, m));
        if d == 0 || d > max {
            return bad("the day is out of range");
        }
    }
    if num("dayofyear").is_some_and(|d| d == 0 || d > 366) {
        return bad("the day of the year is out of range");
    }
    if num("hour24").is_some_and(|h| h > 23) || num("hour1to24").is_some_and(|h| h == 0 || h > 24) {
        return bad("the hour is out of range");
    }
    if num("hour12").is_some_and(|h| h == 0 || h > 12) || num("hour0to11").is_some_and(|h| h > 11) {
        return bad("the hour is out of range");
    }
    if num("minute").is_some_and(|m| m > 59) {
        return bad("the minute is out of range");
    }
    if num("second").is_some_and(|s| s > 60) {
        return bad("the second is out of range");
    }
    Ok(())
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::DateTime => "date-time",
        Kind::Date => "date",
        Kind::Time => "time",
    }
}

fn describe_format(kind: Kind, format: Option<&str>) -> String {
    match format {
        Some(f) => f.to_string(),
        None => match kind {
            Kind::DateTime => "ISO 8601 (yyyy-MM-dd'T'HH:mm:ss)".into(),
            Kind::Date => "ISO 8601 (yyyy-MM-dd)".into(),
            Kind::Time => "ISO 8601 (HH:mm:ss)".into(),
        },
    }
}

fn days_in_month(year: Option<u32>, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 31,
    }
}

/// Compiles a format into a regular expression, once per distinct format.
fn compile(kind: Kind, format: Option<&str>) -> Result<Regex, String> {
    type Cache = HashMap<Kind, HashMap<String, Result<Regex, String>>>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = format.unwrap_or("");
    if let Some(found) =
        cache.lock().ok().and_then(|m| m.get(&kind).and_then(|by_format| by_format.get(key).cloned()))
    {
        return found;
    }
    let source = match format {
        Some(f) => translate(f),
        None => Ok(match kind {
            Kind::DateTime => {
                r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[T ](?P<hour24>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$"
                    .to_string()
            }
            Kind::Date => r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$".to_string(),
            Kind::Time => {
                r"^(?P<hour24>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$"
                    .to_string()
            }
        }),
    };
    let result = source.and_then(|s| {
        Regex::new(&s).map_err(|e| format!("the date/time format {format:?} cannot be used: {e}"))
    });
    if let Ok(mut map) = cache.lock() {
        let by_format = map.entry(kind).or_default();
        if by_format.len() > 1000 {
            by_format.clear();
        }
        by_format.insert(key.to_string(), result.clone());
    }
    result
}

/// Checks that `format` can be used, whatever the value: the error says what is wrong with it.
pub fn check_format(kind: Kind, format: &str) -> Result<(), String> {
    compile(kind, Some(format)).map(|_| ())
}

/// The text of the quoted literal that starts at `chars[start]` (a `'`) in a Java date/time
/// pattern, where `''` stands for a quote (alone, or inside a literal); returns it, the index after
/// it, and whether its closing quote was found.
pub(crate) fn quoted_literal(chars: &[char], start: usize) -> (String, usize, bool) {
    if chars.get(start + 1) == Some(&'\'') {
        return ("'".into(), start + 2, true);
    }
    let mut literal = String::new();
    let mut j = start + 1;
    while j < chars.len() {
        if chars[j] == '\'' {
            if chars.get(j + 1) == Some(&'\'') {
                literal.push('\'');
                j += 2;
                continue;
            }
            return (literal, j + 1, true);
        }
        literal.push(chars[j]);
        j += 1;
    }
    (literal, j + 1, false)
}

/// Translates a Java `DateTimeFormatter`/`SimpleDateFormat` pattern into a regular expression.
fn translate(format: &str) -> Result<String, String> {
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::from("^");
    let mut used = std::collections::HashSet::new();
    let group = |name: &str, body: &str, used: &mut std::collections::HashSet<String>| {
        if used.insert(name.to_string()) {
            format!("(?P<{name}>{body})")
        } else {
            format!("(?:{body})")
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let (literal, next, closed) = quoted_literal(&chars, i);
            if !closed {
                return Err(format!("the date/time format {format:?} has an unterminated quote"));
            }
            out.push_str(&regex::escape(&literal));
            i = next;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            if c == '[' || c == ']' {
                return Err(format!(
                    "the date/time format {format:?} uses optional sections ([...]), which are not supported"
                ));
            }
            out.push_str(&regex::escape(&c.to_string()));
            i += 1;
            continue;
        }
        let mut n = 1;
        while chars.get(i + n) == Some(&c) {
            n += 1;
        }
        let digits = |n: usize| if n == 1 { r"\d{1,2}".to_string() } else { format!(r"\d{{{n}}}") };
        let piece = match c {
            'y' | 'u' | 'Y' => group(
                "year",
                if n == 2 {
                    r"\d{2}"
                } else if n >= 4 {
                    r"\d{4,9}"
                } else {
                    r"\d{1,9}"
                },
                &mut used,
            ),
            'M' | 'L' => match n {
                1 | 2 => group("month", &digits(n), &mut used),
                3 => group("monthname", "(?i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", &mut used),
                _ => group("monthname", &format!("(?i:{})", MONTHS.join("|")), &mut used),
            },
            'd' => group("day", &digits(n), &mut used),
            'D' => group("dayofyear", if n == 1 { r"\d{1,3}" } else { r"\d{3}" }, &mut used),
            'H' => group("hour24", &digits(n), &mut used),
            'k' => group("hour1to24", &digits(n), &mut used),
            'K' => group("hour0to11", &digits(n), &mut used),
            'h' => group("hour12", &digits(n), &mut used),
            'm' => group("minute", &digits(n), &mut used),
            's' => group("second", &digits(n), &mut used),
            'S' => format!(r"\d{{{n}}}"),
            'n' => r"\d{1,9}".to_string(),
            'A' | 'N' => r"\d+".to_string(),
            'E' => {
                if n <= 3 {
                    "(?i:Mon|Tue|Wed|Thu|Fri|Sat|Sun)".to_string()
                } else {
                    format!("(?i:{})", DAYS.join("|"))
                }
            }
            'e' | 'c' => {
                if n <= 2 {
                    r"\d{1,2}".to_string()
                } else if n == 3 {
                    "(?i:Mon|Tue|Wed|Thu|Fri|Sat|Sun)".to_string()
                } else {
                    format!("(?i:{})", DAYS.join("|"))
                }
            }
            'a' => "(?i:AM|PM)".to_string(),
            'G' => "(?i:AD|BC|Anno Domini|Before Christ)".to_string(),
            'w' | 'W' | 'F' => r"\d{1,2}".to_string(),
            'Q' | 'q' => {
                if n <= 2 {
                    r"\d{1,2}".to_string()
                } else {
                    r"(?i:Q[1-4]|[1-4](?:st|nd|rd|th) quarter)".to_string()
                }
            }
            'z' => r"(?:[A-Za-z]{2,5}|[A-Za-z]+(?:/[A-Za-z_]+)+|GMT[+-]\d{1,2}(?::\d{2})?|UTC)".to_string(),
            'V' => r"[A-Za-z]+(?:/[A-Za-z_]+)*".to_string(),
            'O' => r"GMT(?:[+-]\d{1,2}(?::\d{2})?)?".to_string(),
            'Z' => match n {
                1..=3 => r"[+-]\d{4}".to_string(),
                4 => r"(?:GMT|GMT[+-]\d{2}:\d{2}|Z)".to_string(),
                _ => r"(?:Z|[+-]\d{2}:\d{2})".to_string(),
            },
            'X' | 'x' => {
                let z = if c == 'X' { "Z|" } else { "" };
                match n {
                    1 => format!(r"(?:{z}[+-]\d{{2}}(?:\d{{2}})?)"),
                    2 | 4 => format!(r"(?:{z}[+-]\d{{4}})"),
                    _ => format!(r"(?:{z}[+-]\d{{2}}:\d{{2}})"),
                }
            }
            other => {
                return Err(format!(
                    "the date/time format {format:?} uses the unknown pattern letter {other:?}"
                ))
            }
        };
        out.push_str(&piece);
        i += n;
    }
    out.push('$');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_literals_read_two_quotes_as_one() {
        let read = |pattern: &str| {
            let chars: Vec<char> = pattern.chars().collect();
            quoted_literal(&chars, 0)
        };
        assert_eq!(read("'T'HH"), ("T".into(), 3, true));
        assert_eq!(read("''HH"), ("'".into(), 2, true));
        assert_eq!(read("'o''clock' h"), ("o'clock".into(), 10, true));
        assert_eq!(read("'open"), ("open".into(), 6, false));
        assert!(check(Kind::Time, Some("h 'o''clock'"), "5 o'clock").is_ok());
        assert!(check(Kind::Time, Some("h 'o''clock"), "5 o'clock").is_err(), "unterminated");
    }

    #[test]
    fn java_patterns() {
        let f = Some("yyyy-MM-dd'T'HH:mm:ss");
        assert!(check(Kind::DateTime, f, "2016-12-15T20:16:01").is_ok());
        assert!(check(Kind::DateTime, f, "2016-13-15T20:16:01").is_err());
        assert!(check(Kind::DateTime, f, "2016-02-30T20:16:01").is_err());
        assert!(check(Kind::DateTime, f, "2016-12-15 20:16:01").is_err());
        assert!(check(Kind::DateTime, Some("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"), "2020-01-01T10:00:00.123+01:00")
            .is_ok());
        assert!(check(Kind::DateTime, Some("yyyy-MM-dd'T'HH:mm:ss.SSSX"), "2020-01-01T10:00:00.123Z").is_ok());
        assert!(check(Kind::Date, Some("dd/MM/yyyy"), "29/02/2020").is_ok());
        assert!(check(Kind::Date, Some("dd/MM/yyyy"), "29/02/2021").is_err());
        assert!(check(Kind::Date, Some("EEE, d MMM yyyy"), "Wed, 4 Jul 2001").is_ok());
        assert!(check(Kind::Time, Some("HH:mm"), "23:59").is_ok());
        assert!(check(Kind::Time, Some("HH:mm"), "24:00").is_err());
        assert!(check(Kind::Time, Some("h:mm a"), "12:08 PM").is_ok());
        assert!(check(Kind::Time, Some("h:mm a"), "13:08 PM").is_err());
        assert!(check(Kind::Date, Some("yyyy-MM-dd'T'"), "2020-01-01T").is_ok());
    }

    #[test]
    fn iso_defaults() {
        assert!(check(Kind::DateTime, None, "2016-12-15T20:16:01").is_ok());
        assert!(check(Kind::DateTime, None, "2016-12-15T20:16:01.123Z").is_ok());
        assert!(check(Kind::DateTime, None, "2016-12-15").is_err());
        assert!(check(Kind::Date, None, "2016-12-15").is_ok());
        assert!(check(Kind::Time, None, "20:16:01").is_ok());
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert!(check(Kind::Date, Some("yyyy-MM-dd 'T"), "x").unwrap_err().contains("unterminated"));
        assert!(check(Kind::Date, Some("yyyy-bb"), "x").unwrap_err().contains("unknown pattern letter"));
    }
}
