//! Strings that a pattern matches, for the `Regex` generator.
//!
//! The pattern is translated as [`crate::translate`] does, parsed with `regex-syntax` (ASCII
//! classes, as pact-reference parses it) and walked: a class gives one of its characters, an
//! alternation one of its branches, a repetition between its minimum and, when unbounded,
//! [`MAX_EXTRA_REPEATS`] more. Anchors and word boundaries write nothing, so a pattern that
//! relies on a boundary may give a string it does not match: callers check the result with the
//! compiled pattern and keep the example when it fails. The result is bounded by
//! [`MAX_LENGTH`] characters.

use regex_syntax::hir::{Class, Hir, HirKind};

use crate::{translate, Error};

/// How many repetitions past its minimum an unbounded repetition (`*`, `+`, `{n,}`) may make,
/// as pact-reference's generator allows.
pub const MAX_EXTRA_REPEATS: u32 = 20;

/// The longest string made, in characters; a pattern that needs more is an error.
pub const MAX_LENGTH: usize = 1 << 14;

/// A string `source` is meant to match, drawing randomness from `next` (any stream of `u64`).
///
/// ```
/// let mut seed = 7u64;
/// let mut next = move || { seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1); seed >> 11 };
/// let id = pact_regex::generate(r"^ORD-\d{4}-[A-F]{2}$", &mut next).unwrap();
/// assert!(pact_regex::compile(r"^ORD-\d{4}-[A-F]{2}$").unwrap().is_match(&id), "{id}");
/// ```
pub fn generate(source: &str, next: &mut dyn FnMut() -> u64) -> Result<String, Error> {
    let fail = |reason: String| Error { pattern: source.to_string(), reason };
    let translated = translate(source)?;
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(true)
        .build()
        .parse(&translated)
        .or_else(|_| regex_syntax::Parser::new().parse(&translated))
        .map_err(|e| fail(format!("does not compile: {e}")))?;
    let mut out = String::new();
    walk(&hir, next, &mut out).map_err(fail)?;
    Ok(out)
}

fn pick(next: &mut dyn FnMut() -> u64, count: u64) -> u64 {
    next() % count.max(1)
}

fn walk(hir: &Hir, next: &mut dyn FnMut() -> u64, out: &mut String) -> Result<(), String> {
    if out.len() > MAX_LENGTH {
        return Err(format!("makes strings longer than {MAX_LENGTH} characters"));
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            // Printable ASCII when the class has any (text that headers and paths can carry),
            // then other ASCII, as pact-reference's ASCII parse does; otherwise any of the class.
            let all: Vec<(u32, u32)> =
                class.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end()))).collect();
            let within = |low: u32, high: u32| -> Vec<(u32, u32)> {
                all.iter()
                    .filter(|(s, e)| *s <= high && *e >= low)
                    .map(|(s, e)| ((*s).max(low), (*e).min(high)))
                    .collect()
            };
            let printable = within(0x20, 0x7e);
            let ascii = within(0, 0x7f);
            let ranges = if !printable.is_empty() {
                printable
            } else if !ascii.is_empty() {
                ascii
            } else {
                all
            };
            let total: u64 = ranges.iter().map(|(s, e)| u64::from(*e) - u64::from(*s) + 1).sum();
            if total == 0 {
                return Err("has a class no character is in".into());
            }
            let mut n = pick(next, total);
            for (start, end) in ranges {
                let size = u64::from(end) - u64::from(start) + 1;
                if n < size {
                    // A class never holds surrogates, but a code point that is no char is skipped.
                    if let Some(c) = u32::try_from(u64::from(start) + n).ok().and_then(char::from_u32) {
                        out.push(c);
                    }
                    break;
                }
                n -= size;
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            // ASCII only, so that the text stays valid UTF-8; printable ASCII when the class has any.
            let within = |low: u8, high: u8| -> Vec<(u8, u8)> {
                class
                    .ranges()
                    .iter()
                    .filter(|r| r.start() <= high && r.end() >= low)
                    .map(|r| (r.start().max(low), r.end().min(high)))
                    .collect()
            };
            let printable = within(0x20, 0x7e);
            let ranges = if printable.is_empty() { within(0, 0x7f) } else { printable };
            let total: u64 = ranges.iter().map(|(s, e)| u64::from(*e) - u64::from(*s) + 1).sum();
            if total == 0 {
                return Err("has a class with no ASCII character".into());
            }
            let mut n = pick(next, total);
            for (start, end) in ranges {
                let size = u64::from(end) - u64::from(start) + 1;
                if n < size {
                    out.push(char::from(start + n as u8));
                    break;
                }
                n -= size;
            }
        }
        HirKind::Repetition(repetition) => {
            let max = repetition.max.unwrap_or(repetition.min.saturating_add(MAX_EXTRA_REPEATS));
            let count = repetition.min + pick(next, u64::from(max - repetition.min) + 1) as u32;
            for _ in 0..count {
                walk(&repetition.sub, next, out)?;
            }
        }
        HirKind::Capture(capture) => walk(&capture.sub, next, out)?,
        HirKind::Concat(items) => {
            for item in items {
                walk(item, next, out)?;
            }
        }
        HirKind::Alternation(branches) => {
            let branch = pick(next, branches.len() as u64) as usize;
            if let Some(branch) = branches.get(branch) {
                walk(branch, next, out)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream() -> impl FnMut() -> u64 {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    #[test]
    fn generated_strings_match_their_pattern() {
        let mut next = stream();
        for pattern in [
            r"^\d+$",
            r"\d{4}-\d{2}-\d{2}",
            r"^(red|green|blue)$",
            r"^[A-Z][a-z]{2,5}\s\w+$",
            r"^\h{8}\Z",
            r"^[^0-9]{3}$",
            r"^user-\d{1,3}(\.\d+)?$",
            r"(?i)^abc$",
            r"^$",
            r"^.{1,8}$",
        ] {
            let re = crate::compile(pattern).unwrap();
            for _ in 0..200 {
                let text = generate(pattern, &mut next).unwrap();
                assert!(re.is_match(&text), "{pattern} made {text:?}");
            }
        }
    }

    #[test]
    fn any_character_is_printable_ascii_so_headers_can_carry_it() {
        let mut next = stream();
        for pattern in [r"^.{20}$", r"^[\s\S]{20}$", r"^\W{20}$"] {
            for _ in 0..50 {
                let text = generate(pattern, &mut next).unwrap();
                assert!(text.chars().all(|c| (' '..='~').contains(&c)), "{pattern} made {text:?}");
            }
        }
    }

    #[test]
    fn unbounded_repetitions_are_bounded() {
        let mut next = stream();
        for _ in 0..100 {
            assert!(generate("^a*$", &mut next).unwrap().len() <= MAX_EXTRA_REPEATS as usize);
        }
        assert!(generate("^(a{1000}){1000}$", &mut next).unwrap_err().reason.contains("longer than"));
        assert!(generate(r"(a)\1", &mut next).is_err());
    }
}
