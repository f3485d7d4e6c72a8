//! How `pact diff` shows what it found: a human report (coloured on a terminal, unless
//! `NO_COLOR` is set) or JSON.

use serde_json::{json, Value};

use super::change::{InteractionDiff, Kind, PactDiff};
use super::constraint::Verdict;

/// The human report.
pub fn human(diff: &PactDiff, colour: bool) -> String {
    let paint = |verdict: Verdict, text: &str| -> String {
        if !colour {
            return text.to_string();
        }
        let code = match verdict {
            Verdict::Safe => "32",
            Verdict::Undecided => "33",
            Verdict::Breaking => "31",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    };
    let label = |verdict: Verdict| -> String {
        let text = match verdict {
            Verdict::Safe => "safe     ",
            Verdict::Undecided => "UNDECIDED",
            Verdict::Breaking => "BREAKING ",
        };
        paint(verdict, text)
    };
    let mut out = format!(
        "Comparing the pact between {} and {}\n  OLD: {}\n  NEW: {}\n",
        diff.consumer, diff.provider, diff.old_origin, diff.new_origin
    );
    if diff.interactions.is_empty() {
        out.push_str("\nNo changes.\n");
    }
    for interaction in &diff.interactions {
        out.push('\n');
        let heading = match interaction.kind {
            Kind::Added => "Added",
            Kind::Removed => "Removed",
            Kind::Changed => "Changed",
        };
        out.push_str(&format!("{} {heading} {}\n", label(interaction.judgement.verdict), title(interaction)));
        if interaction.kind != Kind::Changed {
            out.push_str(&format!("            {}\n", interaction.judgement.reason));
        }
        for change in &interaction.changes {
            let values = match (&change.old, &change.new) {
                (Some(o), Some(n)) => format!("{o} -> {n}"),
                (None, Some(n)) => format!("added {n}"),
                (Some(o), None) => format!("removed {o}"),
                (None, None) => change.kind.as_str().to_string(),
            };
            out.push_str(&format!(
                "  {} {} {}: {values}\n              {}\n",
                label(change.judgement.verdict),
                change.part.as_str(),
                change.path,
                change.judgement.reason
            ));
        }
    }
    let counts = diff.counts();
    let undecided =
        if counts.undecided > 0 { format!(" ({} undecided)", counts.undecided) } else { String::new() };
    let verdict = if counts.breaking > 0 {
        paint(Verdict::Breaking, "a provider that satisfied OLD may fail NEW")
    } else {
        paint(Verdict::Safe, "a provider that satisfied OLD satisfies NEW")
    };
    out.push_str(&format!("\n{} breaking{undecided}, {} safe: {verdict}\n", counts.breaking, counts.safe));
    out
}

fn title(interaction: &InteractionDiff) -> String {
    if interaction.states.is_empty() {
        format!("{:?}", interaction.description)
    } else {
        let states: Vec<String> = interaction.states.iter().map(|s| format!("{s:?}")).collect();
        format!("{:?} given {}", interaction.description, states.join(" and "))
    }
}

/// The JSON report.
pub fn to_json(diff: &PactDiff) -> Value {
    let counts = diff.counts();
    json!({
        "consumer": diff.consumer,
        "provider": diff.provider,
        "old": diff.old_origin,
        "new": diff.new_origin,
        "breaking": counts.breaking > 0,
        "summary": {"breaking": counts.breaking, "undecided": counts.undecided, "safe": counts.safe},
        "interactions": diff.interactions.iter().map(|i| json!({
            "description": i.description,
            "providerStates": i.states,
            "change": i.kind.as_str(),
            "verdict": i.judgement.verdict.as_str(),
            "reason": i.judgement.reason,
            "changes": i.changes.iter().map(|c| json!({
                "part": c.part.as_str(),
                "path": c.path,
                "change": c.kind.as_str(),
                "old": c.old,
                "new": c.new,
                "verdict": c.judgement.verdict.as_str(),
                "reason": c.judgement.reason,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
