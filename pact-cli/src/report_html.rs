//! `pact verify --html FILE`: the verification report as one self-contained HTML page (inline
//! style, no scripts, nothing fetched), for CI artefacts.

use std::fmt::Write as _;

use pact_core::verify::{Outcome, VerificationReport};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}\
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}\
.passed{color:#176f2c}.failed,.error{color:#b00020}.pending{color:#8a5a00}.skipped{color:#666}\
.summary{font-weight:bold}code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{white-space:pre-wrap;margin:0}";

/// The page: a summary, the pending pacts and why, then one table per pact with each
/// interaction's states, description, status and mismatches.
pub fn render(report: &VerificationReport, pending: &[String]) -> String {
    let (total, passed, failed, pending_failures, skipped) = report.counts();
    let verdict = if report.success() { "passed" } else { "failed" };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pact verification: {verdict}</title><style>{STYLE}</style></head><body>\n"
    );
    let _ = writeln!(
        out,
        "<h1>Pact verification of {}: <span class=\"{verdict}\">{verdict}</span></h1>",
        escape(&report.target)
    );
    let _ = writeln!(
        out,
        "<p class=\"summary\">{total} interactions: {passed} passed, {failed} failed, {pending_failures} pending failures (not counted), {skipped} skipped</p>"
    );
    if !pending.is_empty() {
        out.push_str("<h2>Pending pacts</h2>\n<ul>\n");
        for line in pending {
            let _ = writeln!(out, "<li class=\"pending\">{}</li>", escape(line.trim()));
        }
        out.push_str("</ul>\n");
    }
    for pact in &report.pacts {
        let _ = writeln!(
            out,
            "<h2>{} &rarr; {}</h2>\n<p><code>{}</code></p>",
            escape(&pact.consumer),
            escape(&pact.provider),
            escape(&pact.source)
        );
        if !pact.warnings.is_empty() {
            out.push_str("<ul>\n");
            for warning in &pact.warnings {
                let _ = writeln!(out, "<li class=\"pending\">warning: {}</li>", escape(warning));
            }
            out.push_str("</ul>\n");
        }
        out.push_str(
            "<table><tr><th>Provider states</th><th>Description</th><th>Status</th><th>Details</th></tr>\n",
        );
        for result in &pact.interactions {
            let (class, status) = match (&result.outcome, result.pending) {
                (Outcome::Passed, _) => ("passed", "passed"),
                (Outcome::Skipped(_), _) => ("skipped", "skipped"),
                (_, true) => ("pending", "failed (pending)"),
                (Outcome::Failed(_), false) => ("failed", "failed"),
                (Outcome::Error(_), false) => ("error", "error"),
            };
            let details = match &result.outcome {
                Outcome::Failed(mismatches) => {
                    mismatches.iter().map(|m| escape(&m.to_string())).collect::<Vec<_>>().join("\n")
                }
                Outcome::Error(message) | Outcome::Skipped(message) => escape(message),
                Outcome::Passed => String::new(),
            };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"{class}\">{status}</td><td><pre>{details}</pre></td></tr>",
                escape(&result.states.join(", ")),
                escape(&result.description)
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pact_core::verify::{InteractionResult, PactReport};

    #[test]
    fn the_page_escapes_what_pacts_say() {
        let report = VerificationReport {
            target: "http://x".into(),
            pacts: vec![PactReport {
                consumer: "C<script>".into(),
                provider: "P".into(),
                source: "a.json".into(),
                warnings: vec!["$.metadata: <unknown> version".into()],
                interactions: vec![InteractionResult {
                    description: "a <b> request".into(),
                    states: vec![],
                    pending: false,
                    outcome: Outcome::Error("boom & bust".into()),
                    duration: std::time::Duration::ZERO,
                }],
            }],
        };
        let page = render(&report, &["The pact is pending".into()]);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("C&lt;script&gt;"));
        assert!(!page.contains("<script>"));
        assert!(page.contains("a &lt;b&gt; request"));
        assert!(page.contains("<td class=\"error\">error</td><td><pre>boom &amp; bust</pre>"));
        assert!(page.contains("<li class=\"pending\">The pact is pending</li>"));
        assert!(page.contains("Pact verification of http://x: <span class=\"failed\">failed</span>"));
        assert!(page.contains("warning: $.metadata: &lt;unknown&gt; version"));
    }
}
