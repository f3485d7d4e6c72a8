//! Message pacts verified against producers: the demo service's `UserCreated` event (V3
//! `messages`, and a V4 pact that mixes HTTP and asynchronous messages) in-process and over HTTP
//! with the message endpoint; a synchronous message with its own producer; and the official
//! verifier's verdict on the same pacts against the same endpoint.

mod common;

use std::path::PathBuf;

use demo_user_service::{app, AppState, Broken};
use pact_core::message::{Message, MessageProducers, MessageRequest};
use pact_core::verify::{Outcome, PactSource, Verifier, VerifyError};
use serde_json::{json, Value};

fn pact_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/pacts").join(name)
}

fn message_pacts() -> [PactSource; 2] {
    [
        PactSource::File(pact_file("UserEventsClient-UserService-v3.json")),
        PactSource::File(pact_file("UserEventsClient-UserService-v4.json")),
    ]
}

async fn verify_in_process(state: AppState) -> pact_core::verify::VerificationReport {
    let [v3, v4] = message_pacts();
    Verifier::service(app(state.clone(), false))
        .state_handlers(state.clone())
        .message_producers(state)
        .pact(v3)
        .pact(v4)
        .verify()
        .await
        .unwrap()
}

fn failed_paths(report: &pact_core::verify::VerificationReport) -> Vec<String> {
    let json = report.to_json();
    let mut paths = Vec::new();
    for pact in json["pacts"].as_array().unwrap() {
        for interaction in pact["interactions"].as_array().unwrap() {
            for mismatch in interaction["mismatches"].as_array().into_iter().flatten() {
                paths.push(mismatch["path"].as_str().unwrap_or_default().to_string());
            }
        }
    }
    paths
}

#[tokio::test]
async fn the_demo_event_verifies_in_process_with_http_in_the_same_pact() {
    let report = verify_in_process(AppState::default()).await;
    assert!(report.success(), "{}", report.to_human(false));
    let (total, passed, ..) = report.counts();
    assert_eq!((total, passed), (3, 3), "{}", report.to_human(false));
    let human = report.to_human(false);
    assert!(human.contains("a UserCreated event"), "{human}");
    assert!(!human.to_lowercase().contains("skipped"), "{human}");
}

#[tokio::test]
async fn a_wrong_field_in_the_event_fails_with_its_path() {
    let report = verify_in_process(AppState::broken(Some(Broken::BadId))).await;
    assert!(!report.success());
    let paths = failed_paths(&report);
    assert!(paths.iter().any(|p| p == "$.contents.user.id"), "{paths:?}\n{}", report.to_human(false));
    let report = verify_in_process(AppState::broken(Some(Broken::AdminAsString))).await;
    let paths = failed_paths(&report);
    assert!(paths.iter().any(|p| p == "$.contents.user.admin"), "{paths:?}\n{}", report.to_human(false));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_event_verifies_over_http_with_the_message_endpoint() {
    let url = common::serve(app(AppState::default(), true)).await;
    let [v3, v4] = message_pacts();
    let report = Verifier::http(&url)
        .unwrap()
        .state_url(&format!("{url}/_pact/provider_states"))
        .unwrap()
        .message_url(&format!("{url}/_pact/messages"))
        .unwrap()
        .pact(v3)
        .pact(v4)
        .verify()
        .await
        .unwrap();
    assert!(report.success(), "{}", report.to_human(false));
    assert_eq!(report.counts().1, 3);

    let broken = common::serve(app(AppState::broken(Some(Broken::BadId)), true)).await;
    let [v3, _] = message_pacts();
    let report = Verifier::http(&broken)
        .unwrap()
        .message_url(&format!("{broken}/_pact/messages"))
        .unwrap()
        .pact(v3)
        .verify()
        .await
        .unwrap();
    assert!(!report.success());
    assert_eq!(failed_paths(&report), ["$.contents.user.id"], "{}", report.to_human(false));
}

#[tokio::test]
async fn preflight_lists_messages_without_a_producer() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pact.json");
    let mut pact: Value = serde_json::from_str(
        &std::fs::read_to_string(pact_file("UserEventsClient-UserService-v3.json")).unwrap(),
    )
    .unwrap();
    pact["messages"][0]["description"] = json!("a UserDeleted event");
    std::fs::write(&file, pact.to_string()).unwrap();
    let state = AppState::default();
    let error = Verifier::service(app(state.clone(), false))
        .message_producers(state)
        .pact(PactSource::File(file))
        .verify()
        .await
        .unwrap_err();
    assert!(matches!(error, VerifyError::MissingProducers { .. }), "{error}");
    let text = error.to_string();
    assert!(text.contains("\"a UserDeleted event\""), "{text}");
    assert!(text.contains("a UserCreated event"), "the known ones are listed: {text}");
}

// A synchronous message (V4): a request message and its responses.

#[derive(Clone)]
struct Quotes {
    wrong_currency: bool,
}

fn quote_pact(dir: &std::path::Path, responses: usize) -> PathBuf {
    let response = json!({
        "content": {"price": 12.5, "currency": "EUR"},
        "contentType": "application/json",
        "encoded": false
    });
    let pact = json!({
        "consumer": {"name": "Shop"}, "provider": {"name": "Quotes"},
        "interactions": [{
            "type": "Synchronous/Messages",
            "description": "a quote request",
            "request": {"contents": {"content": {"item": "book"}, "contentType": "application/json", "encoded": false}},
            "response": (0..responses).map(|_| json!({
                "contents": response,
                "metadata": {"contentType": "application/json"},
                "matchingRules": {"body": {"$.price": {"combine": "AND", "matchers": [{"match": "decimal"}]}}}
            })).collect::<Vec<_>>(),
            "pending": false
        }],
        "metadata": {"pactSpecification": {"version": "4.0"}}
    });
    let file = dir.join(format!("Shop-Quotes-{responses}.json"));
    std::fs::write(&file, pact.to_string()).unwrap();
    file
}

fn quote_producers(count: usize) -> MessageProducers<Quotes> {
    MessageProducers::new().register("a quote request", move |app: &Quotes, request: &MessageRequest| {
        let item = request.request.as_ref().and_then(|r| r.contents.as_json().cloned());
        if item != Some(json!({"item": "book"})) {
            return Err(format!("unexpected request {item:?}"));
        }
        let currency = if app.wrong_currency { "USD" } else { "EUR" };
        Ok(vec![Message::json(json!({"price": 9.99, "currency": currency})); count])
    })
}

async fn verify_quotes(
    app: Quotes,
    responses: usize,
    produced: usize,
) -> pact_core::verify::VerificationReport {
    let dir = tempfile::tempdir().unwrap();
    let source = pact_core::verify::RegistryMessages::new(app, quote_producers(produced));
    Verifier::service(axum::Router::new())
        .messages(std::sync::Arc::new(source))
        .pact(PactSource::File(quote_pact(dir.path(), responses)))
        .verify()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_synchronous_message_compares_every_response() {
    let report = verify_quotes(Quotes { wrong_currency: false }, 2, 2).await;
    assert!(report.success(), "{}", report.to_human(false));
    let report = verify_quotes(Quotes { wrong_currency: true }, 2, 2).await;
    assert_eq!(
        failed_paths(&report),
        ["$.response[0].contents.currency", "$.response[1].contents.currency"],
        "{}",
        report.to_human(false)
    );
    let report = verify_quotes(Quotes { wrong_currency: false }, 2, 1).await;
    assert_eq!(failed_paths(&report), ["$.response"], "{}", report.to_human(false));
    let outcome = &report.pacts[0].interactions[0].outcome;
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
}

// The official verifier, against the same endpoint.

fn official_verdict(url: &str, files: &[PathBuf]) -> (Option<i32>, String) {
    let port = url.rsplit(':').next().unwrap().to_string();
    let mut args =
        vec!["verifier".to_string(), "--hostname".into(), "127.0.0.1".into(), "--port".into(), port.clone()];
    args.extend(["--transports".into(), format!("message:{port}/_pact/messages")]);
    args.extend(["--state-change-url".into(), format!("{url}/_pact/provider_states"), "--no-colour".into()]);
    for file in files {
        args.extend(["-f".to_string(), file.display().to_string()]);
    }
    let output = test_support::official_command().args(&args).output().unwrap();
    let text =
        format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code(), text)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_official_verifier_reaches_our_verdict_over_http() {
    let files = vec![
        pact_file("UserEventsClient-UserService-v3.json"),
        pact_file("UserEventsClient-UserService-v4.json"),
    ];
    let good = common::serve(app(AppState::default(), true)).await;
    let bad = common::serve(app(AppState::broken(Some(Broken::BadId)), true)).await;
    for (url, expect_pass) in [(good, true), (bad, false)] {
        let ours = {
            let [v3, v4] = message_pacts();
            Verifier::http(&url)
                .unwrap()
                .state_url(&format!("{url}/_pact/provider_states"))
                .unwrap()
                .message_url(&format!("{url}/_pact/messages"))
                .unwrap()
                .pact(v3)
                .pact(v4)
                .verify()
                .await
                .unwrap()
        };
        assert_eq!(ours.success(), expect_pass, "{}", ours.to_human(false));
        let files = files.clone();
        let (code, text) = tokio::task::spawn_blocking(move || official_verdict(&url, &files)).await.unwrap();
        assert_eq!(code, Some(if expect_pass { 0 } else { 1 }), "{text}");
        assert!(text.contains("a UserCreated event"), "the message was verified: {text}");
        assert!(!text.contains("FAILED") || !expect_pass, "{text}");
        if !expect_pass {
            assert!(text.contains("$.user.id"), "the official verifier names the field: {text}");
        }
    }
}

// Message pacts written by pact-python 4.x (V3 `messages` and V4 asynchronous messages, with a
// provider state with params and uuid, datetime, boolean and metadata matchers), checked in
// under interop/pacts/ by interop/generate.sh.

fn python_message_pacts() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop/pacts");
    let files: Vec<PathBuf> =
        ["pact-python-4-v3-messages-UserService.json", "pact-python-4-v4-messages-UserService.json"]
            .iter()
            .map(|name| dir.join(name))
            .collect();
    for file in &files {
        assert!(file.is_file(), "{} is missing; run bash interop/generate.sh", file.display());
    }
    files
}

async fn verify_python_pact(url: &str, file: &std::path::Path) -> pact_core::verify::VerificationReport {
    Verifier::http(url)
        .unwrap()
        .state_url(&format!("{url}/_pact/provider_states"))
        .unwrap()
        .message_url(&format!("{url}/_pact/messages"))
        .unwrap()
        .pact(PactSource::File(file.to_path_buf()))
        .verify()
        .await
        .unwrap()
}

/// Both verifiers on three producers: the demo's, one sending a non-UUID id, and one sending
/// `admin` as the string "true" (which the pact's boolean matcher accepts, in pact-reference's
/// matching as in ours: the verdicts agree both ways).
#[tokio::test(flavor = "multi_thread")]
async fn pact_python_message_pacts_verify_and_fail_when_broken_with_the_official_verdict() {
    let files = python_message_pacts();
    let cases = [
        (None, None),
        (Some(Broken::BadId), Some("$.contents.user.id")),
        (Some(Broken::AdminAsString), None),
    ];
    for (broken, failing_path) in cases {
        let url = common::serve(app(AppState::broken(broken), true)).await;
        for file in &files {
            let report = verify_python_pact(&url, file).await;
            assert_eq!(
                report.success(),
                failing_path.is_none(),
                "{}: {}",
                file.display(),
                report.to_human(false)
            );
            assert_eq!(report.counts().0, 1, "{}", report.to_human(false));
            if let Some(path) = failing_path {
                assert_eq!(failed_paths(&report), [path], "{}: {}", file.display(), report.to_human(false));
            }
        }
        let (url, files) = (url.clone(), files.clone());
        let (code, text) = tokio::task::spawn_blocking(move || official_verdict(&url, &files)).await.unwrap();
        let expected = if failing_path.is_none() { 0 } else { 1 };
        assert_eq!(code, Some(expected), "official verifier, {broken:?}: {text}");
        assert!(text.contains("a UserCreated event"), "{text}");
    }
}
