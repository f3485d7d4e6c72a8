//! What `pact diff` finds: per interaction, the changes with their paths and verdicts.

use super::constraint::{Judgement, Verdict};

/// Which part of an interaction changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The interaction as a whole (its provider states).
    Interaction,
    /// The request the provider receives.
    Request,
    /// The response (or message) the provider must produce.
    Response,
}

impl Part {
    /// `interaction`, `request` or `response`.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Interaction => "interaction",
            Part::Request => "request",
            Part::Response => "response",
        }
    }
}

/// Whether something was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Only in NEW.
    Added,
    /// Only in OLD.
    Removed,
    /// In both, different.
    Changed,
}

impl Kind {
    /// `added`, `removed` or `changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
        }
    }
}

/// One change inside an interaction.
#[derive(Debug, Clone)]
pub struct Change {
    /// The part.
    pub part: Part,
    /// Where: `$.status`, `$.headers.Content-Type`, `$.body.id`, `$.matchingRules.body['$.id']`...
    pub path: String,
    /// Added, removed or changed.
    pub kind: Kind,
    /// OLD's value, as compact JSON or text.
    pub old: Option<String>,
    /// NEW's value.
    pub new: Option<String>,
    /// Breaking, safe or undecided, and why.
    pub judgement: Judgement,
}

/// The outcome for one interaction.
#[derive(Debug, Clone)]
pub struct InteractionDiff {
    /// The description (NEW's, or OLD's for a removed one).
    pub description: String,
    /// The provider states' names.
    pub states: Vec<String>,
    /// Added, removed or changed.
    pub kind: Kind,
    /// For an added or removed interaction, its verdict; for a changed one, the worst change's.
    pub judgement: Judgement,
    /// The changes of a changed interaction.
    pub changes: Vec<Change>,
}

/// Everything `pact diff` found.
#[derive(Debug, Clone)]
pub struct PactDiff {
    /// Where OLD came from.
    pub old_origin: String,
    /// Where NEW came from.
    pub new_origin: String,
    /// The consumer (NEW's).
    pub consumer: String,
    /// The provider (NEW's).
    pub provider: String,
    /// Added, removed and changed interactions (unchanged ones are left out).
    pub interactions: Vec<InteractionDiff>,
}

/// Counts by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Breaking changes (undecided ones included).
    pub breaking: usize,
    /// Of those, the undecided ones.
    pub undecided: usize,
    /// Safe changes.
    pub safe: usize,
}

impl PactDiff {
    /// Every verdict: one per added or removed interaction, one per change of a changed one.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        let mut add = |verdict: Verdict| match verdict {
            Verdict::Safe => counts.safe += 1,
            Verdict::Undecided => {
                counts.breaking += 1;
                counts.undecided += 1
            }
            Verdict::Breaking => counts.breaking += 1,
        };
        for interaction in &self.interactions {
            if interaction.kind == Kind::Changed {
                interaction.changes.iter().for_each(|c| add(c.judgement.verdict));
            } else {
                add(interaction.judgement.verdict);
            }
        }
        counts
    }

    /// Whether a provider that satisfied OLD may fail NEW.
    pub fn is_breaking(&self) -> bool {
        self.counts().breaking > 0
    }
}
