//! Runs every case of the Pact specification's own test suite (`shared/pact-spec`, read at run
//! time) through the model readers and the matching engine, for every version.
//!
//! Run it with `cargo test -p pact-core --test spec_conformance`. It reports each failing case by
//! file name and ends with the line `pact-spec: N passed, M failed`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use pact_core::matching::{match_message, match_request, match_response, Mismatch};
use pact_core::model::{parts, SpecVersion};
use serde_json::Value;

/// Cases where we deliberately follow the Rust reference implementation instead of the case
/// file. Each counts as a deviation in the summary, never as passed.
///
/// V1 compared query strings as raw text; V1.1 changed that to comparing parameters, and every
/// later version (and the Rust core) reads V1 query strings as parameters too. We do the same, so
/// that one pact gives the same verdict whatever version it was written in.
const DEVIATIONS: &[(&str, &str)] = &[
    (
        "v1/request/query/different param order.json",
        "V1 query strings are read as parameters (as V1.1+ and the Rust core do), so order does not matter",
    ),
    (
        "v1/request/query/trailing amperand.json",
        "V1 query strings are read as parameters (as V1.1+ and the Rust core do), so a trailing & is empty",
    ),
];

/// Finds `pact-spec`: `$PACT_SPEC_DIR`, or a `shared/pact-spec` beside an ancestor of this
/// crate, or the team's shared folder.
fn spec_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("PACT_SPEC_DIR") {
        return PathBuf::from(dir);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for ancestor in manifest.ancestors() {
        let candidate = ancestor.join("shared").join("pact-spec");
        if candidate.is_dir() {
            return candidate;
        }
    }
    PathBuf::from("/work/shared/pact-spec")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

enum Outcome {
    Pass,
    Fail(String),
}

fn run_case(root: &Path, file: &Path) -> Outcome {
    let relative = file.strip_prefix(root).unwrap_or(file);
    let mut parts_iter = relative.iter().map(|p| p.to_string_lossy().into_owned());
    let version_dir = parts_iter.next().unwrap_or_default();
    let kind = parts_iter.next().unwrap_or_default();
    let version = match version_dir.as_str() {
        "v1" => SpecVersion::V1,
        "v1.1" => SpecVersion::V1_1,
        "v2" => SpecVersion::V2,
        "v3" => SpecVersion::V3,
        "v4" => SpecVersion::V4,
        other => return Outcome::Fail(format!("unknown version folder {other}")),
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return Outcome::Fail(format!("cannot read: {e}")),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let case: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return Outcome::Fail(format!("not JSON: {e}")),
    };
    let should_match = case["match"].as_bool().unwrap_or(false);
    let result: Result<Vec<Mismatch>, String> = (|| {
        let e = &case["expected"];
        let a = &case["actual"];
        let err = |side: &str, e: pact_core::model::Error| format!("cannot read {side}: {e}");
        Ok(match kind.as_str() {
            "request" => match_request(
                &parts::request_from_json(e, version).map_err(|x| err("expected", x))?,
                &parts::request_from_json(a, version).map_err(|x| err("actual", x))?,
            ),
            "response" => match_response(
                &parts::response_from_json(e, version).map_err(|x| err("expected", x))?,
                &parts::response_from_json(a, version).map_err(|x| err("actual", x))?,
            ),
            "message" => match_message(
                &parts::message_from_json(e, version).map_err(|x| err("expected", x))?,
                &parts::message_from_json(a, version).map_err(|x| err("actual", x))?,
            ),
            other => return Err(format!("unknown kind {other}")),
        })
    })();
    match result {
        Err(e) => Outcome::Fail(e),
        Ok(mismatches) if mismatches.is_empty() == should_match => Outcome::Pass,
        Ok(mismatches) if should_match => Outcome::Fail(format!(
            "expected a match, got {} mismatch(es): {}",
            mismatches.len(),
            mismatches.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(" | ")
        )),
        Ok(_) => Outcome::Fail(format!("expected a mismatch ({}), got none", case["comment"])),
    }
}

#[test]
fn pact_specification_cases() {
    let root = spec_dir();
    assert!(root.is_dir(), "the Pact specification cases are not at {} (set PACT_SPEC_DIR)", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    assert!(
        files.len() >= 803,
        "expected the 803 specification cases under {}, found {}",
        root.display(),
        files.len()
    );

    let (mut passed, mut failed, mut deviations) = (0, 0, 0);
    let mut report = String::new();
    for file in &files {
        let name = file.strip_prefix(&root).unwrap_or(file).to_string_lossy().into_owned();
        if let Some((_, why)) = DEVIATIONS.iter().find(|(case, _)| *case == name) {
            deviations += 1;
            report.push_str(&format!("DEVIATION {name}: {why}\n"));
            continue;
        }
        match run_case(&root, file) {
            Outcome::Pass => passed += 1,
            Outcome::Fail(why) => {
                failed += 1;
                report.push_str(&format!("FAIL {name}: {why}\n"));
            }
        }
    }
    let summary = if deviations > 0 {
        format!("pact-spec: {passed} passed, {failed} failed, {deviations} deviations")
    } else {
        format!("pact-spec: {passed} passed, {failed} failed")
    };
    // Written straight to stderr so that it shows without --nocapture.
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{report}");
    let _ = writeln!(err, "{summary}");
    assert_eq!(failed, 0, "{summary}");
}
