//! Verifying pacts from a broker with the [`Verifier`](crate::verify::Verifier): the pacts
//! become verifier sources (pending ones marked so that their failures do not fail the run),
//! and each pact's report becomes the verification result the broker stores.
//!
//! ```no_run
//! use pact_core::broker::{verification, BrokerClient, BrokerConfig, PactSelection, ProviderVersion};
//! use pact_core::verify::Verifier;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = BrokerClient::new(BrokerConfig::from_env()?)?;
//! let selection = PactSelection { include_pending: true, ..PactSelection::provider("UserService") };
//! let pacts = client.pacts_for_verification(&selection).await?;
//! let mut verifier = Verifier::http("http://127.0.0.1:5001")?;
//! for source in verification::sources(&pacts) {
//!     verifier = verifier.pact(source);
//! }
//! let report = verifier.verify().await?;
//! let provider = ProviderVersion { version: "0.2".into(), branch: Some("main".into()), ..Default::default() };
//! for (pact, outcome) in verification::publish(&client, &pacts, &report, &provider).await {
//!     outcome?;
//! }
//! println!("{}", verification::pending_summary(&pacts, &report).join("\n"));
//! assert!(report.success());
//! # Ok(())
//! # }
//! ```

use serde_json::{json, Value};

use super::{BrokerClient, BrokerError, BrokerPact, ProviderVersion, VerificationResult};
use crate::matching::{Mismatch, MismatchKind};
use crate::verify::{Outcome, PactReport, PactSource, VerificationReport};

/// The verifier sources for broker pacts. Every interaction of a pending pact is marked pending,
/// so that its failures are reported but do not fail the verification.
pub fn sources(pacts: &[BrokerPact]) -> Vec<PactSource> {
    pacts
        .iter()
        .map(|p| {
            let mut pact = p.pact.clone();
            if p.pending {
                for interaction in &mut pact.interactions {
                    interaction.meta_mut().pending = true;
                }
            }
            PactSource::Fetched { url: p.url.to_string(), pact: Box::new(pact) }
        })
        .collect()
}

/// The part of a report that concerns one broker pact.
pub fn report_of<'a>(report: &'a VerificationReport, pact: &BrokerPact) -> Option<&'a PactReport> {
    report.pacts.iter().find(|r| r.source == pact.url.as_str())
}

/// The result the broker stores for one pact: success is whether every interaction passed,
/// pending or not.
pub fn result_of(pact: &BrokerPact, report: &PactReport) -> VerificationResult {
    let mut test_results = Vec::new();
    let mut success = true;
    for result in &report.interactions {
        let passed = matches!(result.outcome, Outcome::Passed | Outcome::Skipped(_));
        success &= passed;
        let mut entry = json!({
            "interactionDescription": result.description,
            "success": passed,
        });
        let id = pact
            .pact
            .interactions
            .iter()
            .find(|i| {
                i.description() == result.description
                    && i.provider_states().iter().map(|s| &s.name).eq(result.states.iter())
            })
            .and_then(|i| i.meta().extra.get("_id").and_then(Value::as_str).map(str::to_string));
        if let Some(id) = id {
            entry["interactionId"] = json!(id);
        }
        match &result.outcome {
            Outcome::Failed(mismatches) => {
                entry["mismatches"] = Value::Array(mismatches.iter().map(mismatch_json).collect());
            }
            Outcome::Error(message) => entry["exceptions"] = json!([{ "message": message }]),
            Outcome::Passed | Outcome::Skipped(_) => {}
        }
        test_results.push(entry);
    }
    VerificationResult { success, test_results }
}

fn mismatch_json(m: &Mismatch) -> Value {
    let (attribute, prefix) = match m.kind {
        MismatchKind::Method => ("method", "$.method"),
        MismatchKind::Path => ("path", "$.path"),
        MismatchKind::Query => ("query", "$.query"),
        MismatchKind::Header => ("header", "$.headers"),
        MismatchKind::Status => ("status", "$.status"),
        MismatchKind::Metadata => ("metadata", "$.metadata"),
        _ => ("body", "$.body"),
    };
    let rest = m.path.strip_prefix(prefix).unwrap_or(&m.path);
    let identifier = match attribute {
        "body" => format!("${rest}"),
        _ => rest.trim_start_matches('.').to_string(),
    };
    let mut value = json!({"attribute": attribute, "description": m.to_string()});
    if !identifier.is_empty() {
        value["identifier"] = json!(identifier);
    }
    if !m.expected.is_empty() {
        value["expected"] = json!(m.expected);
    }
    if !m.actual.is_empty() {
        value["actual"] = json!(m.actual);
    }
    value
}

/// Publishes the result of every broker pact found in the report. Returns, per pact, the URL of
/// the stored result or the error.
pub async fn publish<'a>(
    client: &BrokerClient,
    pacts: &'a [BrokerPact],
    report: &VerificationReport,
    provider: &ProviderVersion,
) -> Vec<(&'a BrokerPact, Result<Option<String>, BrokerError>)> {
    let mut out = Vec::new();
    for pact in pacts {
        let Some(pact_report) = report_of(report, pact) else { continue };
        let result = result_of(pact, pact_report);
        out.push((pact, client.publish_verification_results(pact, provider, &result).await));
    }
    out
}

/// Lines for people: which pacts are pending or work in progress, why, and which failures did
/// not fail the verification because of it.
pub fn pending_summary(pacts: &[BrokerPact], report: &VerificationReport) -> Vec<String> {
    let mut lines = Vec::new();
    for pact in pacts.iter().filter(|p| p.pending) {
        let Some(pact_report) = report_of(report, pact) else { continue };
        let failed = pact_report
            .interactions
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Failed(_) | Outcome::Error(_)))
            .count();
        let kind = if pact.wip { "work in progress (pending)" } else { "pending" };
        let outcome = if failed == 0 {
            "it passed".to_string()
        } else {
            format!("{failed} interaction(s) failed, which does not fail the verification")
        };
        lines.push(format!(
            "The pact between {} and {} ({}) is {kind}: {outcome}.",
            pact.pact.consumer, pact.pact.provider, pact.description
        ));
        if let Some(reason) = pact.pending_reason() {
            lines.push(format!("  Why: {}", reason.trim()));
        }
    }
    lines
}
