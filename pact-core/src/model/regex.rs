//! Regular expressions as they appear in pacts, which come from many languages.
//!
//! The translation of Ruby, Java and PCRE forms, and what is refused, is the `pact-regex` crate's
//! (see its documentation for the table): `term!` checks its pattern at compile time with the same
//! crate, so build time and run time accept exactly the same patterns. A pattern must match the
//! whole value.
//!
//! Compiled patterns are cached for the life of the process, so each distinct pattern is
//! compiled once however many pacts, rules and comparisons use it.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

/// A compiled regular expression from a pact, keeping the source text it was written with.
///
/// Equality, ordering and serialisation use the source text.
///
/// ```
/// use pact_core::model::PactRegex;
///
/// // A Ruby-style end anchor, as written by pact-python 2.x.
/// let re = PactRegex::new(r"^\d+\Z").unwrap();
/// assert!(re.is_match("123"));
/// assert!(!re.is_match("12a"));
/// assert_eq!(re.as_str(), r"^\d+\Z");
///
/// let err = PactRegex::new(r"^(?=a)b").unwrap_err();
/// assert!(err.to_string().contains("look-around"));
/// ```
#[derive(Clone)]
pub struct PactRegex {
    source: String,
    // Shared, so that clones share the compiled program and its match caches.
    compiled: Arc<regex::Regex>,
}

/// Why a pattern from a pact cannot be used: the pattern as written and what is wrong with it.
pub use pact_regex::Error as RegexError;

impl PactRegex {
    /// Translates and compiles `source`, or explains why it cannot be used.
    pub fn new(source: &str) -> Result<Self, RegexError> {
        type Cache = HashMap<String, Result<Arc<regex::Regex>, RegexError>>;
        static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Ok(map) = cache.lock() {
            if let Some(found) = map.get(source) {
                return found.clone().map(|compiled| PactRegex { source: source.to_string(), compiled });
            }
        }
        let result = pact_regex::compile(source).map(Arc::new);
        if let Ok(mut map) = cache.lock() {
            if map.len() > 10_000 {
                map.clear();
            }
            map.insert(source.to_string(), result.clone());
        }
        result.map(|compiled| PactRegex { source: source.to_string(), compiled })
    }

    /// The pattern as written in the pact.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern matches the whole of `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled.is_match(text)
    }

    /// The compiled expression (after translation).
    pub fn regex(&self) -> &regex::Regex {
        &self.compiled
    }
}

impl fmt::Debug for PactRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PactRegex({:?})", self.source)
    }
}

impl fmt::Display for PactRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl PartialEq for PactRegex {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for PactRegex {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_and_caches() {
        let re = PactRegex::new(r"^\w+\Z").unwrap();
        assert!(re.is_match("abc\n"));
        assert_eq!(re, PactRegex::new(r"^\w+\Z").unwrap());
        let err = PactRegex::new(r"a(?=b)").unwrap_err();
        assert_eq!(err.pattern, "a(?=b)");
        assert!(err.to_string().contains("look-around"), "{err}");
    }
}
