//! Header values with commas get the same verdict from the official `pact verifier` and ours.
//! pact-reference splits a value at commas only for the known multi-value headers (`Vary`,
//! `Accept-Language`, ...), compares such lists value by value and applies a header rule to each
//! value, and keeps any other header (`Date`, a custom one) whole. Each case is checked both ways:
//! a provider that should pass and one that should fail, so a false pass on either side shows.

mod common;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// A provider answering `GET /resource` with `name: value` (sent as one header line).
async fn provider(name: &'static str, value: &'static str) -> String {
    let app = axum::Router::new()
        .route("/resource", axum::routing::get(move || async move { ([(name, value)], "") }))
        .route("/_pact/state", axum::routing::post(|| async { axum::Json(json!({})) }));
    common::serve_port(app).await
}

/// A V3 pact, as another tool writes it, whose response has `name: value` and, if given, `rule`
/// on that header.
fn header_pact(dir: &Path, case: &str, name: &str, value: &str, rule: Option<Value>) -> PathBuf {
    let mut response = json!({"status": 200, "headers": {name: value}});
    if let Some(rule) = rule {
        response["matchingRules"] = json!({"header": {name: {"matchers": [rule]}}});
    }
    write_pact(dir, case, response, "3.0.0")
}

/// Writes a pact of one interaction, `GET /resource` answered by `response`, in `spec` format.
fn write_pact(dir: &Path, case: &str, response: Value, spec: &str) -> PathBuf {
    let pact = json!({
        "consumer": {"name": format!("HeaderClient-{case}")},
        "provider": {"name": "HeaderService"},
        "interactions": [{
            "description": "a resource",
            "request": {"method": "GET", "path": "/resource"},
            "response": response
        }],
        "metadata": {"pactSpecification": {"version": spec}}
    });
    let path = dir.join(format!("{case}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&pact).unwrap()).unwrap();
    path
}

/// Both verifiers' verdict on `pact` against a provider answering `name: answer`; panics if
/// they disagree, and returns the verdict.
async fn verdict(pact: &Path, name: &'static str, answer: &'static str) -> bool {
    let port = provider(name, answer).await;
    let state_url = format!("http://127.0.0.1:{port}/_pact/state");
    let (official, official_text) =
        test_support::official_verify(pact, &port, &["--state-change-url", &state_url]).await;
    let report = common::verify_file(pact, &port, Some("/_pact/state")).await;
    assert_eq!(
        official,
        report.success(),
        "{}: the verifiers disagree on {name}: {answer}\nofficial:\n{official_text}\nours:\n{}",
        pact.display(),
        report.to_human(false)
    );
    official
}

#[tokio::test(flavor = "multi_thread")]
async fn a_multi_value_header_is_compared_value_by_value_by_both_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    let pact = header_pact(dir.path(), "vary", "Vary", "Accept, Origin", None);
    assert!(verdict(&pact, "vary", "Accept,Origin").await);
    assert!(verdict(&pact, "vary", "Accept,    Origin").await);
    assert!(!verdict(&pact, "vary", "Accept, Origin, Cookie").await);
    assert!(!verdict(&pact, "vary", "Origin, Accept").await);
    assert!(!verdict(&pact, "vary", "Accept").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_custom_header_with_commas_is_one_value_for_both_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    let pact = header_pact(dir.path(), "tags", "X-Tags", "a,b", None);
    assert!(verdict(&pact, "x-tags", "a, b").await);
    assert!(!verdict(&pact, "x-tags", "a, c").await);
    // A rule on a custom header sees the whole value, commas and all.
    let digits = json!({"match": "regex", "regex": "^\\d+$"});
    let ids = header_pact(dir.path(), "ids", "X-Ids", "12", Some(digits));
    assert!(verdict(&ids, "x-ids", "345").await);
    assert!(!verdict(&ids, "x-ids", "3, 4").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_regex_on_a_multi_value_header_applies_to_each_value_in_both_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    let two_letters = json!({"match": "regex", "regex": "^[a-z]{2}$"});
    let pact = header_pact(dir.path(), "language", "Accept-Language", "en", Some(two_letters));
    assert!(verdict(&pact, "accept-language", "de").await);
    assert!(verdict(&pact, "accept-language", "de, fr,it").await);
    assert!(!verdict(&pact, "accept-language", "de, fr-CH").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_date_header_is_not_split_by_either_verifier() {
    let dir = tempfile::tempdir().unwrap();
    let http_date =
        json!({"match": "regex", "regex": "^\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$"});
    let pact =
        header_pact(dir.path(), "date", "Last-Modified", "Mon, 01 Dec 2008 01:15:39 GMT", Some(http_date));
    assert!(verdict(&pact, "last-modified", "Tue, 02 Dec 2008 11:15:39 GMT").await);
    assert!(!verdict(&pact, "last-modified", "Tue, 02 Dec 2008").await);
    let plain = header_pact(dir.path(), "plain-date", "Last-Modified", "Mon, 01 Dec 2008 01:15:39 GMT", None);
    assert!(verdict(&plain, "last-modified", "Mon,01 Dec 2008 01:15:39 GMT").await);
    assert!(!verdict(&plain, "last-modified", "Mon, 01 Dec 2008 01:15:40 GMT").await);
}

/// The mock shares the matcher: a client's `Accept-Language: de, fr` passes a two-letter regex
/// on each value, `de, fr-CH` is refused. The V4 pact it writes lists `Vary`'s values one by one,
/// and both verifiers pass it against a provider sending them on one line.
#[tokio::test(flavor = "multi_thread")]
async fn the_mock_splits_a_multi_value_request_header_and_writes_a_list_both_verifiers_pass() {
    use pact_core::model::SpecVersion;
    use pact_core::prelude::*;

    let dir = tempfile::tempdir().unwrap();
    let declare = |pact: &mut Contract| {
        pact.upon_receiving("a resource in some languages")
            .get("/resource")
            .header("Accept-Language", term!("^[a-z]{2}$", "en"))
            .will_respond_with(200)
            .header("Vary", "Accept, Origin");
    };
    let mut pact = Contract::new_async("HeaderClient-dsl", "HeaderService")
        .await
        .with_output_dir(dir.path())
        .with_spec_version(SpecVersion::V4)
        .with_test_name("interop::header_values");
    declare(&mut pact);
    let client = reqwest::Client::new();
    let ok = client.get(pact.url("/resource")).header("Accept-Language", "de, fr").send().await.unwrap();
    assert_eq!(ok.status(), 200, "the mock refused two two-letter languages");
    let written = pact.finish().unwrap();
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&written).unwrap()).unwrap();
    assert_eq!(json["interactions"][0]["response"]["headers"]["Vary"], json!(["Accept", "Origin"]));
    assert!(verdict(&written, "vary", "Accept,Origin").await);
    assert!(!verdict(&written, "vary", "Accept").await);

    let refusing_dir = tempfile::tempdir().unwrap();
    let mut refusing = Contract::new_async("HeaderClient-refused", "HeaderService")
        .await
        .with_output_dir(refusing_dir.path())
        .with_spec_version(SpecVersion::V4)
        .with_test_name("interop::header_values_refused");
    declare(&mut refusing);
    let bad =
        client.get(refusing.url("/resource")).header("Accept-Language", "de, fr-CH").send().await.unwrap();
    assert_ne!(bad.status(), 200, "the mock accepted fr-CH as a two-letter language");
    assert!(refusing.finish().is_err(), "a contract whose request was refused must not finish cleanly");
}

/// A pact whose response header `X-Val: consumervalue` has a one-letter regex keyed `key` (as
/// FFI-based tools wrote it for a while: on the first value, `X-Val[0]`), in `spec` format.
fn indexed_rule_pact(dir: &Path, case: &str, spec: &str) -> PathBuf {
    let rule = json!({"match": "regex", "regex": "^[a-z]$"});
    let mut response = json!({"status": 200, "headers": {"X-Val": "consumervalue"}});
    response["matchingRules"] = if spec.starts_with('2') {
        json!({"$.headers.X-Val[0]": rule})
    } else {
        json!({"header": {"X-Val[0]": {"matchers": [rule]}}})
    };
    write_pact(dir, case, response, spec)
}

/// pact-reference reads a V2 rule at `$.headers.X-Val[0]` as a rule on the header's first value,
/// and a V3 rule keyed `X-Val[0]` as a rule on a header literally named `X-Val[0]` (so it never
/// applies): both verifiers give these verdicts (its issue #238).
#[tokio::test(flavor = "multi_thread")]
async fn a_header_rule_on_the_first_value_gets_the_same_verdict_from_both_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    let v2 = indexed_rule_pact(dir.path(), "indexed-v2", "2.0.0");
    assert!(!verdict(&v2, "x-val", "consumervalue").await, "the one-letter regex applies");
    assert!(verdict(&v2, "x-val", "x").await);
    let v3 = indexed_rule_pact(dir.path(), "indexed-v3", "3.0.0");
    assert!(verdict(&v3, "x-val", "consumervalue").await, "the rule names another header");
    assert!(!verdict(&v3, "x-val", "x").await);
}

/// A rule on a header with several values applies to the list as pact-reference's
/// `compare_lists_with_matchingrules` does: `equality` to the whole list, `arrayContains` by its
/// variants, `eachValue` to each value, sizes and `null` to the list, then the rule to each value.
/// Before, our verifier passed `Accept-Language: en` against an `equality` rule on `en, de`.
#[tokio::test(flavor = "multi_thread")]
async fn list_rules_on_a_multi_value_header_get_the_same_verdict_from_both_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    let two_letters = json!([{"match": "regex", "regex": "^[a-z]{2}$"}]);
    let cases: [(&str, Value, &str, &str, bool); 14] = [
        ("equality", json!({"match": "equality"}), "en, de", "en, de", true),
        ("equality", json!({"match": "equality"}), "en, de", "en", false),
        (
            "contains",
            json!({"match": "arrayContains", "variants": [{"index": 0, "rules": {}}]}),
            "en, de",
            "de, en",
            true,
        ),
        (
            "contains",
            json!({"match": "arrayContains", "variants": [{"index": 0, "rules": {}}]}),
            "en, de",
            "fr",
            false,
        ),
        (
            "contains",
            json!({"match": "arrayContains", "variants": [{"index": 0, "rules": {}}]}),
            "en, de",
            "EN, de",
            false,
        ),
        (
            "contains-regex",
            json!({"match": "arrayContains", "variants": [{"index": 1, "rules": {"$": {"matchers": two_letters}}}]}),
            "en, de",
            "fr",
            true,
        ),
        (
            "each-value",
            json!({"match": "eachValue", "rules": two_letters, "value": ""}),
            "en, de",
            "xx, yy, zz",
            true,
        ),
        (
            "each-value",
            json!({"match": "eachValue", "rules": two_letters, "value": ""}),
            "en, de",
            "EN, de",
            false,
        ),
        (
            "each-value",
            json!({"match": "eachValue", "rules": two_letters, "value": ""}),
            "en",
            "en, de, fr",
            true,
        ),
        ("null", json!({"match": "null"}), "en, de", "en, de", false),
        ("max", json!({"match": "type", "max": 1}), "en, de", "en", true),
        ("max", json!({"match": "type", "max": 1}), "en, de", "en, de", false),
        ("values", json!({"match": "values"}), "en, de", "en", true),
        ("values", json!({"match": "values"}), "en, de", "de, en", false),
    ];
    for (n, (case, rule, example, answer, passes)) in cases.into_iter().enumerate() {
        let pact = header_pact(dir.path(), &format!("{case}-{n}"), "Accept-Language", example, Some(rule));
        assert_eq!(
            verdict(&pact, "accept-language", answer).await,
            passes,
            "{case}: {example} against {answer}"
        );
    }
}
