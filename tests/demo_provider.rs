//! The demo provider verified against the demo pact, in-process and over HTTP with the
//! state-change URL; and the verifier catching a broken provider.

mod common;

use std::sync::Arc;

use demo_user_service::{app, AppState, Broken};
use pact_core::model::Pact;
use pact_core::provider::StateRegistry;
use pact_core::verify::{Outcome, PactSource, RegistryStates, Verifier, VerifyError};

fn demo_pact() -> PactSource {
    PactSource::File(common::demo_pact())
}

#[tokio::test]
async fn verifies_in_process_without_a_port() {
    let state = AppState::default();
    let report = Verifier::service(app(state.clone(), false))
        .state_handlers(state)
        .pact(demo_pact())
        .verify()
        .await
        .unwrap();
    assert!(report.success(), "{}", report.to_human(false));
    assert_eq!(report.counts().1, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn verifies_over_http_with_the_state_change_url() {
    let url = common::serve(app(AppState::default(), true)).await;
    let report = common::verify_over_http(&url, demo_pact()).await;
    assert!(report.success(), "{}", report.to_human(false));
    let human = report.to_human(false);
    assert!(human.contains("Given UserA exists and is not an administrator"), "{human}");
    assert!(human.contains("a request for UserA ... OK"), "{human}");
}

async fn verify_broken(broken: Broken) -> String {
    let state = AppState::broken(Some(broken));
    let report = Verifier::service(app(state.clone(), false))
        .state_handlers(state)
        .pact(demo_pact())
        .verify()
        .await
        .unwrap();
    assert!(!report.success());
    report.to_human(false)
}

#[tokio::test]
async fn catches_admin_as_a_string() {
    let human = verify_broken(Broken::AdminAsString).await;
    assert!(human.contains(r#"$.body.admin: expected a boolean (like false) but found "false""#), "{human}");
    assert!(human.contains("2 interactions: 1 passed, 1 failed"), "{human}");
}

#[tokio::test(flavor = "multi_thread")]
async fn catches_a_non_uuid_id_over_http() {
    let url = common::serve(app(AppState::broken(Some(Broken::BadId)), true)).await;
    let report = common::verify_over_http(&url, demo_pact()).await;
    assert!(!report.success());
    let json = report.to_json();
    let failed = &json["pacts"][0]["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "failed")
        .unwrap()["mismatches"][0];
    assert_eq!(failed["path"], "$.body.id");
    assert_eq!(failed["actual"], "\"not-a-uuid\"");
    assert!(failed["message"].as_str().unwrap().contains("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$"));
}

#[tokio::test]
async fn preflight_lists_states_without_handlers_before_sending_anything() {
    let mut pact = Pact::from_file(common::demo_pact()).unwrap();
    let meta = pact.interactions[0].meta_mut();
    meta.provider_states[0].name = "UserA is on holiday".into();
    let state = AppState::default();
    let registry = StateRegistry::<AppState>::registered();
    let err = Verifier::service(app(state.clone(), false))
        .states(Arc::new(RegistryStates::new(state, registry)))
        .pact(PactSource::Pact(Box::new(pact)))
        .verify()
        .await
        .unwrap_err();
    let VerifyError::MissingStates { missing, known } = &err else { panic!("{err}") };
    assert_eq!(missing.len(), 1);
    assert!(
        missing[0]
            .starts_with(r#""UserA is on holiday" (needed by UserServiceClient: "a request for UserA")"#),
        "{}",
        missing[0]
    );
    assert!(known.contains(&"UserA exists and is not an administrator".to_string()));
    assert!(err.to_string().contains("nothing was sent"), "{err}");
}

#[tokio::test]
async fn a_provider_that_is_down_is_an_error_naming_the_url() {
    // Bind then drop a listener, to get a loopback port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let report = Verifier::http(&url).unwrap().pact(demo_pact()).verify().await.unwrap();
    assert!(!report.success());
    let Outcome::Error(message) = &report.pacts[0].interactions[0].outcome else {
        panic!("{:?}", report.pacts[0].interactions[0])
    };
    assert!(message.contains(&format!("GET {url}/users/UserA failed: cannot connect")), "{message}");
    assert!(message.contains("is the provider running?"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_provider_times_out_with_a_clear_error() {
    let slow = axum::Router::new().route(
        "/users/{name}",
        axum::routing::get(|| async {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            "late"
        }),
    );
    let url = common::serve(slow).await;
    let report = Verifier::http(&url)
        .unwrap()
        .timeout(std::time::Duration::from_millis(200))
        .pact(demo_pact())
        .verify()
        .await
        .unwrap();
    let Outcome::Error(message) = &report.pacts[0].interactions[0].outcome else { panic!() };
    assert!(message.contains("timed out"), "{message}");
    assert!(message.contains(&url), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_state_route_accepts_both_protocols_and_rejects_unknown_states() {
    let url = common::serve(app(AppState::default(), true)).await;
    let client = reqwest::Client::new();
    let post =
        |body: serde_json::Value| client.post(format!("{url}/_pact/provider_states")).json(&body).send();

    // The Rust core's body, with params; the handler returns values to inject.
    let rust = post(serde_json::json!({"state": "a user exists", "params": {"name": "UserB", "admin": true}, "action": "setup"})).await.unwrap();
    assert_eq!(rust.status(), 200);
    let injected: serde_json::Value = rust.json().await.unwrap();
    assert_eq!(injected["name"], "UserB");
    assert_eq!(injected["id"].as_str().unwrap().len(), 36);

    // The Ruby verifier's body: no action means setup.
    let ruby = post(serde_json::json!({"consumer": "C", "state": "UserA exists", "states": ["UserA exists"], "params": {}})).await.unwrap();
    assert_eq!(ruby.status(), 200);
    let user = client.get(format!("{url}/users/UserA")).send().await.unwrap();
    assert_eq!(user.status(), 200);

    // Teardown empties the store.
    let teardown = post(serde_json::json!({"state": "UserA exists", "action": "teardown"})).await.unwrap();
    assert_eq!(teardown.status(), 200);
    assert_eq!(client.get(format!("{url}/users/UserA")).send().await.unwrap().status(), 404);

    // An unknown state is a 400 naming it and the registered ones.
    let unknown = post(serde_json::json!({"state": "the moon is full"})).await.unwrap();
    assert_eq!(unknown.status(), 400);
    let body: serde_json::Value = unknown.json().await.unwrap();
    let error = body["error"].as_str().unwrap();
    assert!(error.contains(r#""the moon is full""#), "{error}");
    assert!(error.contains(r#""UserA does not exist""#), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_state_route_is_off_in_production() {
    let url = common::serve(app(AppState::default(), false)).await;
    let response = reqwest::Client::new()
        .post(format!("{url}/_pact/provider_states"))
        .json(&serde_json::json!({"state": "UserA exists"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn verifies_a_pact_fetched_from_a_url() {
    let pact_json = std::fs::read_to_string(common::demo_pact()).unwrap();
    let pacts = axum::Router::new().route(
        "/pacts/demo.json",
        axum::routing::get(move || {
            let body = pact_json.clone();
            async move { ([("content-type", "application/json")], body) }
        }),
    );
    let pacts_url = common::serve(pacts).await;
    let provider = common::serve(app(AppState::default(), true)).await;
    let report =
        common::verify_over_http(&provider, PactSource::parse(&format!("{pacts_url}/pacts/demo.json"))).await;
    assert!(report.success(), "{}", report.to_human(false));
    assert_eq!(report.pacts[0].source, format!("{pacts_url}/pacts/demo.json"));

    let missing = Verifier::http(&provider)
        .unwrap()
        .pact(PactSource::parse(&format!("{pacts_url}/pacts/none.json")))
        .verify()
        .await;
    let err = missing.unwrap_err().to_string();
    assert!(err.contains("/pacts/none.json: answered 404"), "{err}");
}
