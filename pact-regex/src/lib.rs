//! The regular expressions of pacts, which come from many languages, as the `regex` crate runs
//! them.
//!
//! Pacts are written by Ruby (pact-python 2.x, pact-ruby), the JVM, JavaScript and the Rust core.
//! The `regex` crate rejects some of their syntax, so [`translate`] first rewrites the forms that
//! have an exact equivalent:
//!
//! | written | meaning | becomes |
//! |---|---|---|
//! | `\Z` (Ruby, Java, PCRE) | end of text, or before a final newline | `(?:\n?\z)` |
//! | `\h` / `\H` (Ruby) | a hex digit / not one | `[0-9A-Fa-f]` / `[^0-9A-Fa-f]` |
//! | `\e` | the escape character | `\x1B` |
//! | `\Q...\E` (Java, PCRE) | quoted literal text | the text, escaped |
//! | `\p{Alpha}`, `\p{Digit}`, `\p{Alnum}`, `\p{Upper}`, `\p{Lower}`, `\p{XDigit}`, `\p{Punct}`, `\p{Space}` (Java POSIX classes) | ASCII classes | `[A-Za-z]`, `[0-9]`, ... |
//! | `{,n}` (Ruby) | at most n times | `{0,n}` |
//!
//! Features the engine cannot run (look-around, back-references, atomic groups, possessive
//! quantifiers, `\G`) give an [`Error`] that names the pattern; a pattern is never silently
//! weakened. A pattern must match the whole value, as the specification's cases require
//! (`alligator named .{4}` does not match "alligator named brent"), so [`compile`] anchors it.
//!
//! This is its own crate so that the matching engine (in `pact-core`) and the compile-time check
//! of `term!` and `each_key!` (in `pact-macros`) accept exactly the same patterns, with the same
//! messages.
//!
//! ```
//! let re = pact_regex::compile(r"^\d+\Z").unwrap();
//! assert!(re.is_match("123"));
//! assert!(!re.is_match("12a"));
//! let error = pact_regex::compile(r"^(?=a)b").unwrap_err();
//! assert!(error.to_string().contains("look-around"));
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod generate;

pub use generate::{generate, MAX_EXTRA_REPEATS, MAX_LENGTH};

/// The largest compiled program a pattern may make (the `regex` crate's size limit).
pub const SIZE_LIMIT: usize = 1 << 22;

/// Why a pattern cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("regular expression {pattern:?} {reason}")]
pub struct Error {
    /// The pattern as written.
    pub pattern: String,
    /// What is wrong with it, such as `does not compile: unclosed character class, at `[``.
    pub reason: String,
}

/// Translates `source` and compiles it anchored to the whole value (`\A(?:...)\z`), or explains
/// why it cannot be used.
pub fn compile(source: &str) -> Result<regex::Regex, Error> {
    let translated = translate(source)?;
    check_syntax(source, &translated)?;
    regex::RegexBuilder::new(&format!(r"\A(?:{translated})\z")).size_limit(SIZE_LIMIT).build().map_err(|e| {
        Error {
            pattern: source.to_string(),
            reason: format!("does not compile: {}", one_line(&e.to_string())),
        }
    })
}

/// Translates `source` and compiles it unanchored: whether it matches *part* of a text, for the
/// hint that a pact pattern must match all of it.
pub fn compile_unanchored(source: &str) -> Result<regex::Regex, Error> {
    let translated = translate(source)?;
    check_syntax(source, &translated)?;
    regex::RegexBuilder::new(&translated).size_limit(SIZE_LIMIT).build().map_err(|e| Error {
        pattern: source.to_string(),
        reason: format!("does not compile: {}", one_line(&e.to_string())),
    })
}

/// The translated pattern must parse on its own before it is wrapped: wrapped first, a `)`
/// closing no group (`a)|(b`) would close the wrapper and make a pattern that matches any text
/// starting with `a`.
fn check_syntax(source: &str, translated: &str) -> Result<(), Error> {
    regex_syntax::Parser::new().parse(translated).map(|_| ()).map_err(|e| Error {
        pattern: source.to_string(),
        reason: format!("does not compile: {}", describe(&e, source, translated)),
    })
}

/// A syntax error in one line: what is wrong and, when the pattern needed no translation (so
/// that positions are the user's), the part of it at fault.
fn describe(error: &regex_syntax::Error, source: &str, translated: &str) -> String {
    let (what, span) = match error {
        regex_syntax::Error::Parse(e) => (e.kind().to_string(), Some(e.span())),
        regex_syntax::Error::Translate(e) => (e.kind().to_string(), Some(e.span())),
        other => (one_line(&other.to_string()), None),
    };
    match span {
        Some(span) if source == translated && !source.contains('\n') => {
            match source.get(span.start.offset..span.end.offset).filter(|p| !p.is_empty()) {
                Some(part) => format!("{what}, at `{part}`"),
                None => what,
            }
        }
        _ => what,
    }
}

fn one_line(s: &str) -> String {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Rewrites the syntax of other engines into the `regex` crate's, or rejects what has no
/// equivalent.
///
/// ```
/// assert_eq!(pact_regex::translate(r"^\h+\Z").unwrap(), r"^[0-9A-Fa-f]+(?:\n?\z)");
/// assert!(pact_regex::translate(r"(a)\1").is_err());
/// ```
pub fn translate(source: &str) -> Result<String, Error> {
    let fail = |reason: &str| Error { pattern: source.to_string(), reason: reason.to_string() };
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len() + 8);
    let mut i = 0;
    // Classes nest (`[a[b]]`), as in Java, Ruby and the `regex` crate.
    let mut class_depth = 0usize;
    // Whether the last thing written was a quantifier, so that a `+` after it is possessive.
    let mut prev_quantifier = false;
    while i < chars.len() {
        let in_class = class_depth > 0;
        let c = chars[i];
        let was_quantifier = std::mem::replace(&mut prev_quantifier, false);
        match c {
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    return Err(fail("ends with a lone backslash"));
                };
                i += 2;
                match next {
                    'Z' => out.push_str(if in_class { "Z" } else { r"(?:\n?\z)" }),
                    'h' => out.push_str(if in_class { "0-9A-Fa-f" } else { "[0-9A-Fa-f]" }),
                    'H' if !in_class => out.push_str("[^0-9A-Fa-f]"),
                    'e' => out.push_str(r"\x1B"),
                    'G' => {
                        return Err(fail("uses \\G (end of previous match), which has no equivalent here"))
                    }
                    'Q' => {
                        let rest: String = chars[i..].iter().collect();
                        let (literal, consumed) = match rest.find(r"\E") {
                            Some(end) => (&rest[..end], end + 2),
                            None => (rest.as_str(), rest.len()),
                        };
                        out.push_str(&regex::escape(literal));
                        i += rest[..consumed].chars().count();
                    }
                    'p' | 'P' if chars.get(i) == Some(&'{') => {
                        let close = chars[i..].iter().position(|&c| c == '}').map(|p| p + i);
                        let Some(close) = close else {
                            return Err(fail("has an unterminated \\p{...} class"));
                        };
                        let name: String = chars[i + 1..close].iter().collect();
                        let negated = next == 'P';
                        match posix_class(&name) {
                            Some(set) if negated => out.push_str(&format!("[^{set}]")),
                            Some(set) => out.push_str(&format!("[{set}]")),
                            None if name.starts_with("java") => {
                                return Err(fail(&format!("uses the Java-only class \\p{{{name}}}")))
                            }
                            None => {
                                out.push('\\');
                                out.push(next);
                                out.push_str(&chars[i..=close].iter().collect::<String>());
                            }
                        }
                        i = close + 1;
                    }
                    d @ '1'..='9' if !in_class => {
                        let _ = d;
                        return Err(fail("uses a back-reference, which the engine cannot run"));
                    }
                    'k' if !in_class && matches!(chars.get(i), Some('<') | Some('\'') | Some('{')) => {
                        return Err(fail("uses a named back-reference, which the engine cannot run"));
                    }
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
                continue;
            }
            '[' if !in_class => {
                class_depth = 1;
                out.push('[');
                i += 1;
                // A leading `^` and a leading `]` belong to the class.
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str(r"\]");
                    i += 1;
                }
                continue;
            }
            '[' if in_class && chars.get(i + 1) == Some(&':') => {
                // POSIX class inside a class: copy through to the closing `:]`.
                let rest: String = chars[i..].iter().collect();
                if let Some(end) = rest.find(":]") {
                    out.push_str(&rest[..end + 2]);
                    i += rest[..end + 2].chars().count();
                    continue;
                }
                // Otherwise a nested class, as below (`[[:alp]` is not a POSIX class, and
                // escaping the `[` would turn an invalid pattern into a valid one).
                class_depth += 1;
                out.push('[');
                i += 1;
                continue;
            }
            '[' if in_class => {
                // Java and Ruby allow nested classes; so does `regex`.
                class_depth += 1;
                out.push('[');
                i += 1;
                continue;
            }
            ']' if in_class => {
                class_depth -= 1;
                out.push(']');
                i += 1;
                continue;
            }
            '(' if !in_class && chars.get(i + 1) == Some(&'?') => {
                let after: String = chars[i + 2..chars.len().min(i + 4)].iter().collect();
                if after.starts_with('=') || after.starts_with('!') || after == "<=" || after == "<!" {
                    return Err(fail("uses look-around ((?=, (?!, (?<=, (?<!), which the engine cannot run"));
                }
                if after.starts_with('>') {
                    return Err(fail("uses an atomic group (?>...), which the engine cannot run"));
                }
                out.push('(');
                i += 1;
                continue;
            }
            '{' if !in_class && chars.get(i + 1) == Some(&',') => {
                // Ruby's `{,n}`.
                let digits: String = chars[i + 2..].iter().take_while(|c| c.is_ascii_digit()).collect();
                if !digits.is_empty() && chars.get(i + 2 + digits.len()) == Some(&'}') {
                    out.push_str(&format!("{{0,{digits}}}"));
                    i += 3 + digits.len();
                    continue;
                }
                out.push_str(r"\{");
                i += 1;
                continue;
            }
            '+' if !in_class && was_quantifier => {
                return Err(fail("uses a possessive quantifier (*+, ++, ?+), which the engine cannot run"));
            }
            '*' | '+' | '?' if !in_class => {
                out.push(c);
                i += 1;
                // `?` after a quantifier makes it lazy; a `+` after that is not possessive.
                prev_quantifier = c != '?' || !was_quantifier;
                continue;
            }
            '{' if !in_class => {
                // A counted repetition `{n}`, `{n,}`, `{n,m}` is a quantifier too.
                let rest: String = chars[i..].iter().take(24).collect();
                let counted = rest.find('}').map(|end| &rest[1..end]).filter(|inner| {
                    !inner.is_empty()
                        && inner.chars().all(|c| c.is_ascii_digit() || c == ',')
                        && !inner.starts_with(',')
                });
                if let Some(inner) = counted {
                    out.push_str(&format!("{{{inner}}}"));
                    i += inner.chars().count() + 2;
                    prev_quantifier = true;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    Ok(out)
}

fn posix_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "Alpha" | "IsAlphabetic" => "A-Za-z",
        "Digit" | "IsDigit" => "0-9",
        "Alnum" => "A-Za-z0-9",
        "Upper" | "IsUppercase" => "A-Z",
        "Lower" | "IsLowercase" => "a-z",
        "XDigit" => "0-9A-Fa-f",
        "Punct" => r##"!-/:-@\[-`{-~"##,
        "Space" => r"\t\n\x0B\f\r ",
        "Blank" => r" \t",
        "ASCII" => r"\x00-\x7F",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_ruby_end_anchor() {
        let re = compile(r"^\w+\Z").unwrap();
        assert!(re.is_match("abc"));
        assert!(re.is_match("abc\n"));
        assert!(!re.is_match("abc def"));
    }

    #[test]
    fn translates_hex_and_posix() {
        assert!(compile(r"^\h+$").unwrap().is_match("00ff"));
        assert!(!compile(r"^\h+$").unwrap().is_match("0g"));
        assert!(compile(r"^\p{Alpha}+$").unwrap().is_match("abC"));
        assert!(!compile(r"^\p{Alpha}+$").unwrap().is_match("ab1"));
        assert!(compile(r"^[\p{Digit}x]+$").unwrap().is_match("1x2"));
        assert!(compile(r"^\Qa.b\E$").unwrap().is_match("a.b"));
        assert!(!compile(r"^\Qa.b\E$").unwrap().is_match("axb"));
        assert!(compile(r"^a{,2}$").unwrap().is_match("aa"));
        assert!(!compile(r"^a{,2}$").unwrap().is_match("aaa"));
        assert!(compile(r"^[[:alpha:]]+$").unwrap().is_match("abc"));
        assert!(compile(r"^[]a]+$").unwrap().is_match("]a"));
        // Nested classes: what follows the inner `]` is still in the outer class.
        assert!(compile(r"^[[a])]+$").unwrap().is_match("a)"));
        assert!(compile(r"^[[a]\h]+$").unwrap().is_match("af"));
        assert!(!compile(r"^[[a]\h]+$").unwrap().is_match("g"));
    }

    #[test]
    fn keeps_plain_patterns_and_escapes() {
        let re = compile(r"^\d{4}-\d{2}\/\.$").unwrap();
        assert!(re.is_match("2020-01/."));
        assert!(compile(r"^(?<year>\d{4})$").unwrap().is_match("2020"));
        assert!(compile(r"(?i)^abc$").unwrap().is_match("ABC"));
    }

    #[test]
    fn rejects_what_cannot_run() {
        for (pattern, why) in [
            (r"a(?=b)", "look-around"),
            (r"a(?!b)", "look-around"),
            (r"(?<=a)b", "look-around"),
            (r"(?<!a)b", "look-around"),
            (r"(a)\1", "back-reference"),
            (r"(?>a)", "atomic"),
            (r"a*+", "possessive"),
            (r"\Ga", "\\G"),
            (r"(", "does not compile"),
            (r"\p{javaLowerCase}", "Java-only"),
            // Invalid patterns that the translation once made valid (the fuzz targets check this).
            (r"a)|(b", "unopened group"),
            (r"(a))(", "unopened group"),
            ("[[:alp]c+", "does not compile"),
            ("_[[0-9a-f]{8}(-[?:%a-f]:{4}){3}", "unopened group"),
        ] {
            let err = compile(pattern).unwrap_err();
            assert!(err.to_string().contains(why), "{pattern}: {err}");
            assert!(err.to_string().contains(&format!("{pattern:?}")), "{err}");
        }
    }

    #[test]
    fn escaped_plus_is_not_possessive() {
        assert!(compile(r"^a\++$").unwrap().is_match("a++"));
        assert!(compile(r"^[*+]$").unwrap().is_match("+"));
    }
}
