//! The outcome of a verification, and its three renderings: a human report (with colour on a
//! terminal), JSON, and JUnit XML.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{json, Value};

use crate::matching::Mismatch;

/// The result of verifying every selected pact.
#[derive(Debug, Clone, Default)]
pub struct VerificationReport {
    /// What was verified (`http://127.0.0.1:5001` or `in-process service`).
    pub target: String,
    /// One entry per pact.
    pub pacts: Vec<PactReport>,
}

/// The result of verifying one pact.
#[derive(Debug, Clone)]
pub struct PactReport {
    /// The consumer.
    pub consumer: String,
    /// The provider.
    pub provider: String,
    /// Where the pact came from.
    pub source: String,
    /// What the pact reader accepted but reports (an unknown specification version, a
    /// duplicate key, an unknown generator...), each as `JSON path: message`.
    pub warnings: Vec<String>,
    /// One entry per interaction (after filters).
    pub interactions: Vec<InteractionResult>,
}

/// The result of verifying one interaction.
#[derive(Debug, Clone)]
pub struct InteractionResult {
    /// The interaction's description.
    pub description: String,
    /// Its provider states.
    pub states: Vec<String>,
    /// Whether the interaction is pending (V4): its failure does not fail the verification.
    pub pending: bool,
    /// What happened.
    pub outcome: Outcome,
    /// How long it took, setup and teardown included.
    pub duration: Duration,
}

/// What happened to one interaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The response matched.
    Passed,
    /// The response did not match.
    Failed(Vec<Mismatch>),
    /// No response could be compared: state setup failed, the provider was unreachable...
    Error(String),
    /// Not verified, with the reason (for example a message interaction over HTTP).
    Skipped(String),
}

impl InteractionResult {
    /// Whether this result fails the verification.
    pub fn fails(&self) -> bool {
        !self.pending && matches!(self.outcome, Outcome::Failed(_) | Outcome::Error(_))
    }

    fn name(&self) -> String {
        if self.states.is_empty() {
            self.description.clone()
        } else {
            format!("{} (given {})", self.description, self.states.join(", "))
        }
    }

    fn status(&self) -> &'static str {
        match (&self.outcome, self.pending) {
            (Outcome::Passed, _) => "passed",
            (Outcome::Failed(_) | Outcome::Error(_), true) => "pending",
            (Outcome::Failed(_), false) => "failed",
            (Outcome::Error(_), false) => "error",
            (Outcome::Skipped(_), _) => "skipped",
        }
    }
}

impl VerificationReport {
    /// Whether every interaction passed (pending and skipped ones aside), and at least one was
    /// verified: a run that verified nothing does not pass.
    pub fn success(&self) -> bool {
        let mut all = self.pacts.iter().flat_map(|p| &p.interactions);
        let verified = all.clone().any(|r| !matches!(r.outcome, Outcome::Skipped(_)));
        verified && !all.any(InteractionResult::fails)
    }

    /// Counts: (total, passed, failed or errored, pending failures, skipped).
    pub fn counts(&self) -> (usize, usize, usize, usize, usize) {
        let all: Vec<&InteractionResult> = self.pacts.iter().flat_map(|p| &p.interactions).collect();
        let passed = all.iter().filter(|r| r.outcome == Outcome::Passed).count();
        let failed = all.iter().filter(|r| r.fails()).count();
        let pending = all
            .iter()
            .filter(|r| r.pending && matches!(r.outcome, Outcome::Failed(_) | Outcome::Error(_)))
            .count();
        let skipped = all.iter().filter(|r| matches!(r.outcome, Outcome::Skipped(_))).count();
        (all.len(), passed, failed, pending, skipped)
    }

    /// The report for people: per pact, each interaction's states, description and status, then
    /// every failure with its path, expected and actual values.
    pub fn to_human(&self, colour: bool) -> String {
        let paint = |code: &str, text: &str| {
            if colour {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let mut out = String::new();
        let mut failures: Vec<(String, &InteractionResult)> = Vec::new();
        for pact in &self.pacts {
            let _ = writeln!(
                out,
                "Verifying a pact between {} and {} ({}) against {}",
                pact.consumer, pact.provider, pact.source, self.target
            );
            for warning in &pact.warnings {
                let _ = writeln!(out, "  {} {warning}", paint("33", "warning:"));
            }
            for result in &pact.interactions {
                if !result.states.is_empty() {
                    let _ = writeln!(out, "  Given {}", result.states.join(" and "));
                }
                let status = match result.status() {
                    "passed" => paint("32", "OK"),
                    "failed" => paint("31", "FAILED"),
                    "error" => paint("31", "ERROR"),
                    "pending" => paint("33", "FAILED (pending: does not fail the verification)"),
                    _ => paint("2", "SKIPPED"),
                };
                let _ = writeln!(out, "    {} ... {status}", result.description);
                if let Outcome::Skipped(why) = &result.outcome {
                    let _ = writeln!(out, "      ({why})");
                }
                if matches!(result.outcome, Outcome::Failed(_) | Outcome::Error(_)) {
                    failures.push((format!("{} -> {}", pact.consumer, pact.provider), result));
                }
            }
        }
        if !failures.is_empty() {
            let _ = writeln!(out, "\nFailures:");
            for (i, (pair, result)) in failures.iter().enumerate() {
                let _ = writeln!(out, "\n{}) {pair}: {}", i + 1, result.name());
                match &result.outcome {
                    Outcome::Failed(mismatches) => {
                        for m in mismatches {
                            let _ = writeln!(out, "    {}", paint("31", &m.to_string()));
                        }
                    }
                    Outcome::Error(message) => {
                        let _ = writeln!(out, "    {}", paint("31", message));
                    }
                    _ => {}
                }
            }
        }
        let (total, passed, failed, pending, skipped) = self.counts();
        let mut summary = format!("\n{total} interactions: {passed} passed, {failed} failed");
        if skipped > 0 {
            let _ = write!(summary, ", {skipped} skipped");
        }
        if pending > 0 {
            let _ = write!(
                summary,
                "; {pending} pending interaction(s) failed, which does not fail the verification"
            );
        }
        if !self.success() && failed == 0 {
            let _ = write!(summary, "; nothing was verified, which does not pass");
        }
        out.push_str(&paint(if self.success() { "32" } else { "31" }, &summary));
        out.push('\n');
        out
    }

    /// The report as JSON.
    pub fn to_json(&self) -> Value {
        let (total, passed, failed, pending, skipped) = self.counts();
        json!({
            "result": self.success(),
            "target": self.target,
            "summary": {"total": total, "passed": passed, "failed": failed, "pending": pending, "skipped": skipped},
            "pacts": self.pacts.iter().map(|p| json!({
                "consumer": p.consumer,
                "provider": p.provider,
                "source": p.source,
                "warnings": p.warnings,
                "interactions": p.interactions.iter().map(|r| {
                    let mut obj = json!({
                        "description": r.description,
                        "providerStates": r.states,
                        "status": r.status(),
                        "pending": r.pending,
                        "durationMs": r.duration.as_secs_f64() * 1000.0,
                    });
                    match &r.outcome {
                        Outcome::Failed(mismatches) => obj["mismatches"] = Value::Array(mismatches.iter().map(|m| json!({
                            "kind": format!("{:?}", m.kind),
                            "path": m.path,
                            "expected": m.expected,
                            "actual": m.actual,
                            "message": m.message,
                        })).collect()),
                        Outcome::Error(e) => obj["error"] = Value::String(e.clone()),
                        Outcome::Skipped(why) => obj["reason"] = Value::String(why.clone()),
                        Outcome::Passed => {}
                    }
                    obj
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }

    /// The report as JUnit XML: one test suite per pact, one test case per interaction.
    pub fn to_junit(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        for pact in &self.pacts {
            let suite = format!("{}-{}", pact.consumer, pact.provider);
            let failures = pact
                .interactions
                .iter()
                .filter(|r| r.fails() && matches!(r.outcome, Outcome::Failed(_)))
                .count();
            let errors = pact
                .interactions
                .iter()
                .filter(|r| r.fails() && matches!(r.outcome, Outcome::Error(_)))
                .count();
            let skipped = pact
                .interactions
                .iter()
                .filter(|r| {
                    matches!(r.outcome, Outcome::Skipped(_)) || (r.pending && r.outcome != Outcome::Passed)
                })
                .count();
            let time: f64 = pact.interactions.iter().map(|r| r.duration.as_secs_f64()).sum();
            let _ = writeln!(
                out,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{time:.3}\">",
                xml(&suite),
                pact.interactions.len()
            );
            for r in &pact.interactions {
                let _ = write!(
                    out,
                    "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                    xml(&suite),
                    xml(&r.name()),
                    r.duration.as_secs_f64()
                );
                match (&r.outcome, r.pending) {
                    (Outcome::Passed, _) => out.push_str("/>\n"),
                    (Outcome::Skipped(why), _) => {
                        let _ =
                            writeln!(out, ">\n      <skipped message=\"{}\"/>\n    </testcase>", xml(why));
                    }
                    (_, true) => {
                        out.push_str(">\n      <skipped message=\"pending interaction\"/>\n    </testcase>\n")
                    }
                    (Outcome::Failed(mismatches), false) => {
                        let text = mismatches.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
                        let first = mismatches.first().map(ToString::to_string).unwrap_or_default();
                        let _ = writeln!(
                            out,
                            ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                            xml(&first),
                            xml(&text)
                        );
                    }
                    (Outcome::Error(e), false) => {
                        let _ = writeln!(out, ">\n      <error message=\"{}\"/>\n    </testcase>", xml(e));
                    }
                }
            }
            out.push_str("  </testsuite>\n");
        }
        out.push_str("</testsuites>\n");
        out
    }
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}
