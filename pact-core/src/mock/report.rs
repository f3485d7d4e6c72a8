//! What the mock provider reports: interactions never received, requests that matched nothing
//! (with the closest interaction and why it did not match), and mistakes in the declarations.

use std::fmt;

use crate::matching::Mismatch;
use crate::model::{HttpInteraction, Request};

/// The closest interaction to a request that matched none.
#[derive(Debug, Clone)]
pub struct Closest {
    /// The interaction, as `"description" given state (GET /path)`.
    pub description: String,
    /// Whether its method and path matched.
    pub route_matched: bool,
    /// Why it did not match.
    pub mismatches: Vec<Mismatch>,
}

/// A request that matched no interaction.
#[derive(Debug, Clone)]
pub struct Unmatched {
    /// The request, as `GET /path?query`.
    pub request: String,
    /// The closest interaction, if there are any.
    pub closest: Option<Closest>,
}

/// What went wrong in a contract test: mistakes in its declarations, and its exchanges with the
/// mock provider.
#[derive(Debug, Clone, Default)]
pub struct MockReport {
    /// Interactions no request matched.
    pub missing: Vec<String>,
    /// Requests that matched no interaction's route.
    pub unexpected: Vec<Unmatched>,
    /// Requests that matched an interaction's method and path, but not its query, headers or body.
    pub partial: Vec<Unmatched>,
    /// Declaration errors: problems in the interactions themselves (an invalid matcher, an example
    /// that breaks its own rules or that a pact cannot carry), found at run time.
    pub errors: Vec<String>,
}

impl MockReport {
    /// Whether nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && !self.has_exchanges()
    }

    /// Whether the exchanges went wrong: a request missing, unexpected or partly matched.
    pub fn has_exchanges(&self) -> bool {
        !(self.missing.is_empty() && self.unexpected.is_empty() && self.partial.is_empty())
    }

    /// The exchanges that went wrong, one per line, indented.
    pub(crate) fn write_exchanges(&self, f: &mut impl fmt::Write) -> fmt::Result {
        for missing in &self.missing {
            writeln!(f, "  expected but never received: {missing}")?;
        }
        let mut write_unmatched = |heading: &str, items: &[Unmatched]| -> fmt::Result {
            for item in items {
                writeln!(f, "  {heading}: {}", item.request)?;
                if let Some(closest) = &item.closest {
                    writeln!(f, "    closest interaction: {}", closest.description)?;
                    for m in &closest.mismatches {
                        writeln!(f, "      - {m}")?;
                    }
                }
            }
            Ok(())
        };
        write_unmatched("request matched the route but not the content", &self.partial)?;
        write_unmatched("unexpected request", &self.unexpected)
    }
}

impl fmt::Display for MockReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.errors {
            writeln!(f, "declaration error: {error}")?;
        }
        if self.has_exchanges() {
            writeln!(f, "the mock provider's verification failed:")?;
            self.write_exchanges(f)?;
        }
        Ok(())
    }
}

/// An interaction in one line: `"description" given state (GET /path)`.
pub(crate) fn summary(interaction: &HttpInteraction) -> String {
    let states: Vec<&str> = interaction.meta.provider_states.iter().map(|s| s.name.as_str()).collect();
    let given = if states.is_empty() { String::new() } else { format!(" given {}", states.join(", ")) };
    format!("{:?}{} ({})", interaction.meta.description, given, line(&interaction.request))
}

/// A request in one line: `GET /path?query`.
pub(crate) fn line(request: &Request) -> String {
    match &request.query {
        Some(q) if !q.is_empty() => {
            format!("{} {}?{}", request.method, request.path, crate::model::query_to_string(q))
        }
        _ => format!("{} {}", request.method, request.path),
    }
}
