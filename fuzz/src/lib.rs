//! The bodies of the fuzz targets. Each takes arbitrary bytes, must never panic, and returns
//! `Err` with a description when an invariant breaks.
//!
//! cargo-fuzz drives them through `fuzz_targets/` (`bash scripts/fuzz.sh [SECONDS]`), and the
//! main test suite drives them too (`tests/fuzz_regressions.rs` includes this file): every
//! checked-in seed and crash input, then a bounded random run with fixed seeds.

use pact_core::matching::{match_message, match_request, match_response};
use pact_core::model::{parts, Pact, PactRegex, PathExpr, ReadOptions, Response, SpecVersion};
use pact_core::provider::{Params, StateCall, StateRegistry};
use serde_json::{json, Value};

/// A target's body: `Err` describes a broken invariant.
pub type Body = fn(&[u8]) -> Result<(), String>;

/// The targets, by name: the name of each cargo-fuzz binary and of its input folders.
pub const TARGETS: &[(&str, Body)] = &[
    ("pact_reader", pact_reader),
    ("matching_rules", matching_rules),
    ("regex", regex),
    ("matching", matching),
    ("state_call", state_call),
];

/// Small limits, so that a run spends its time on structure rather than on big inputs.
const LIMITS: ReadOptions = ReadOptions { max_file_bytes: 1 << 20, max_body_bytes: 64 << 10 };
/// Written pacts may grow (base64, stated content types), so they are read back with room.
const ROOMY: ReadOptions = ReadOptions { max_file_bytes: 64 << 20, max_body_bytes: 16 << 20 };

const VERSIONS: [SpecVersion; 5] =
    [SpecVersion::V1, SpecVersion::V1_1, SpecVersion::V2, SpecVersion::V3, SpecVersion::V4];

fn version_of(byte: u8) -> SpecVersion {
    VERSIONS[usize::from(byte) % VERSIONS.len()]
}

/// The pact reader, every version: whole pacts (the version from their metadata), and requests,
/// responses and messages read as the version the first byte selects.
///
/// Invariants: a pact that reads, written as V4 and read back, writes the same V4 text again;
/// written as V2 or V3 (when that version can hold it), it reads back.
pub fn pact_reader(data: &[u8]) -> Result<(), String> {
    match Pact::from_slice_checked(data, LIMITS) {
        Ok((pact, warnings)) => {
            for warning in &warnings {
                let _ = warning.to_string();
            }
            let v4 = pact.to_json_string(SpecVersion::V4).map_err(|e| format!("cannot write V4: {e}"))?;
            let (again, _) = Pact::from_slice_checked(v4.as_bytes(), ROOMY)
                .map_err(|e| format!("our V4 output does not read back: {e}\n{v4}"))?;
            let v4_again =
                again.to_json_string(SpecVersion::V4).map_err(|e| format!("cannot write V4 again: {e}"))?;
            if v4 != v4_again {
                return Err(format!("V4 write/read is not a fixpoint:\n{v4}\n---\n{v4_again}"));
            }
            for version in [SpecVersion::V2, SpecVersion::V3] {
                if let Ok(text) = pact.to_json_string(version) {
                    Pact::from_slice_checked(text.as_bytes(), ROOMY)
                        .map_err(|e| format!("our {version} output does not read back: {e}\n{text}"))?;
                }
            }
        }
        Err(e) => {
            let _ = (e.to_string(), e.json_path());
        }
    }
    if let Some((first, rest)) = data.split_first() {
        if let Ok(value) = serde_json::from_slice::<Value>(rest) {
            let version = version_of(*first);
            if let Ok(request) = parts::request_from_json(&value, version) {
                let written = parts::request_to_json(&request, version);
                parts::request_from_json(&written, version).map_err(|e| {
                    format!("a {version} request we wrote does not read back: {e}\n{written}")
                })?;
            }
            if let Ok(response) = parts::response_from_json(&value, version) {
                let written = parts::response_to_json(&response, version);
                parts::response_from_json(&written, version).map_err(|e| {
                    format!("a {version} response we wrote does not read back: {e}\n{written}")
                })?;
            }
            let _ = parts::message_from_json(&value, version);
        }
    }
    Ok(())
}

/// The matching-rule parser (V2 flat and V3/V4 nested forms) and path expressions.
///
/// Invariants: rules that read, written in the V3 form, read back equal; applying them to a
/// body never panics.
pub fn matching_rules(data: &[u8]) -> Result<(), String> {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(path) = PathExpr::parse(text) {
            if path.tokens().is_empty() {
                return Err(format!("{text:?} parsed to no tokens"));
            }
        }
    }
    let Ok(value) = serde_json::from_slice::<Value>(data) else { return Ok(()) };
    let response = json!({"status": 200, "body": {"a": [1, "x", {"b": null}], "c": "2024-01-01"}, "matchingRules": value});
    for version in [SpecVersion::V2, SpecVersion::V3, SpecVersion::V4] {
        let Ok(read) = parts::response_from_json(&response, version) else { continue };
        let written = parts::response_to_json(&read, SpecVersion::V3);
        let again = parts::response_from_json(&written, SpecVersion::V3)
            .map_err(|e| format!("rules we wrote do not read back: {e}\n{written}"))?;
        if again.matching_rules != read.matching_rules {
            return Err(format!(
                "rules changed through a V3 write:\n{:?}\n---\n{:?}",
                read.matching_rules, again.matching_rules
            ));
        }
        let mut actual = Response::status(200);
        actual.body = pact_core::model::Body::json(json!({"a": [2, "y", {"b": 1}, []], "c": "x", "d": {}}));
        for mismatch in match_response(&read, &actual) {
            let _ = mismatch.to_string();
        }
    }
    Ok(())
}

/// The translation of regular expressions from other languages. The first line is the
/// pattern, the rest a text to match.
///
/// Invariant: a pattern with nothing to translate (no backslash, no `{,n}`) compiles only when
/// the `regex` crate compiles it, and matches exactly the texts it matches whole.
pub fn regex(data: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(data) else { return Ok(()) };
    let (pattern, probe) = text.split_once('\n').unwrap_or((text, ""));
    match PactRegex::new(pattern) {
        Ok(re) => {
            let matched = re.is_match(probe);
            if !pattern.contains('\\') && !pattern.contains("{,") {
                let plain = regex::RegexBuilder::new(pattern)
                    .size_limit(1 << 24)
                    .build()
                    .map_err(|e| format!("{pattern:?} was accepted, but the regex crate rejects it: {e}"))?;
                let whole = plain.find_iter(probe).any(|m| m.start() == 0 && m.end() == probe.len())
                    || regex::RegexBuilder::new(&format!(r"\A(?:{pattern})\z"))
                        .size_limit(1 << 24)
                        .build()
                        .is_ok_and(|anchored| anchored.is_match(probe));
                if matched != whole {
                    return Err(format!(
                        "{pattern:?} on {probe:?}: we say {matched}, the regex crate {whole}"
                    ));
                }
            }
        }
        Err(e) => {
            if e.pattern != pattern {
                return Err(format!("the error names {:?}, not the pattern {pattern:?}", e.pattern));
            }
            let _ = e.to_string();
        }
    }
    Ok(())
}

/// Request, response and message matching: the input is a specification-style case
/// (`{"expected": ..., "actual": ...}`) after a byte that selects the version.
///
/// Invariant: matching is deterministic (the same mismatches twice).
pub fn matching(data: &[u8]) -> Result<(), String> {
    let Some((first, rest)) = data.split_first() else { return Ok(()) };
    let Ok(case) = serde_json::from_slice::<Value>(rest) else { return Ok(()) };
    let version = version_of(*first);
    let (Some(expected), Some(actual)) = (case.get("expected"), case.get("actual")) else { return Ok(()) };
    let shown = |list: Vec<pact_core::matching::Mismatch>| -> Vec<String> {
        list.iter().map(ToString::to_string).collect()
    };
    if let (Ok(e), Ok(a)) =
        (parts::request_from_json(expected, version), parts::request_from_json(actual, version))
    {
        let once = shown(match_request(&e, &a));
        if once != shown(match_request(&e, &a)) {
            return Err("request matching is not deterministic".into());
        }
    }
    if let (Ok(e), Ok(a)) =
        (parts::response_from_json(expected, version), parts::response_from_json(actual, version))
    {
        let once = shown(match_response(&e, &a));
        if once != shown(match_response(&e, &a)) {
            return Err("response matching is not deterministic".into());
        }
    }
    if let (Ok(e), Ok(a)) =
        (parts::message_from_json(expected, version), parts::message_from_json(actual, version))
    {
        let _ = shown(match_message(&e, &a));
    }
    Ok(())
}

/// The state-change route's body parser and dispatch.
///
/// Invariants: the body the verifier sends for each state reads back as that state; the route
/// answers 200 or a 4xx, never a 5xx, for handlers that cannot fail; and a call it refuses
/// applies no state.
pub fn state_call(data: &[u8]) -> Result<(), String> {
    if let Ok(call) = StateCall::parse(data) {
        for state in &call.states {
            let body = StateCall::body(state, &call.params, call.action, "consumer");
            let again = StateCall::parse(body.to_string().as_bytes())
                .map_err(|e| format!("the body we send does not read back: {e}\n{body}"))?;
            if again.states != [state.clone()] || again.params != call.params || again.action != call.action {
                return Err(format!("the body we send reads back differently: {again:?}\n{body}"));
            }
        }
    }
    let applied = std::sync::Mutex::new(Vec::<String>::new());
    let record = |name: &'static str| {
        move |app: &std::sync::Mutex<Vec<String>>, _: &Params| {
            app.lock().map(|mut a| a.push(name.to_string())).map_err(|e| e.to_string())
        }
    };
    let registry = StateRegistry::new()
        .register("a", record("a"))
        .register("b", record("b"))
        .register_teardown("a", record("-a"));
    let (status, body) = ready(registry.handle(&applied, data))?;
    let applied = applied.lock().map(|a| a.clone()).unwrap_or_default();
    if !(status == 200 || (400..500).contains(&status)) {
        return Err(format!("the route answered {status} {body}"));
    }
    if status != 200 && !applied.is_empty() {
        return Err(format!("the route answered {status} but applied {applied:?}"));
    }
    Ok(())
}

/// Runs a future that is ready at once (the handlers above are synchronous).
fn ready<T>(future: impl std::future::Future<Output = T>) -> Result<T, String> {
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::pin!(future).poll(&mut context) {
        std::task::Poll::Ready(value) => Ok(value),
        std::task::Poll::Pending => Err("the state route did not finish at once".into()),
    }
}
