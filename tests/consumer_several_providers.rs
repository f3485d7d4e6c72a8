//! A consumer that calls two services in one flow: `#[contract(provider("A", ...), provider("B", ...))]`
//! gives the test one contract (one mock, one pact) per provider. The checkout client below gets
//! a user from the `InventoryUsers` service, then bills them with the `Billing` service, with a
//! real reqwest client.
//!
//! The fixtures are ordinary contract tests (sync, async, and driven by `#[tokio::test]`). The
//! checks run each again in a child process with `PACT_OUTPUT_DIR` set to a temporary
//! directory, then read the two pact files it wrote: one per provider, each with its own
//! provider states and the V4 test name (`comments.testname`), and each passed by the official
//! verifier against a provider that answers as declared. With `SEVERAL_PROVIDERS_FIXTURE`
//! naming a way to misbehave, the client skips the billing call, or calls a wrong path on the
//! first service; the test then fails naming that provider, and neither pact is written.

mod common;

use std::path::Path;

use pact_core::prelude::*;
use serde_json::Value;

const CONSUMER: &str = "CheckoutClient";
const USERS: &str = "CheckoutUsers";
const BILLING: &str = "CheckoutBilling";
/// How the client misbehaves in a child process: `skip-billing` or `wrong-user-path`.
const FIXTURE: &str = "SEVERAL_PROVIDERS_FIXTURE";

fn misbehaviour() -> Option<String> {
    std::env::var(FIXTURE).ok()
}

/// The consumer's flow: read the user, then bill them; the invoice number.
async fn checkout(users: &str, billing: &str, name: &str) -> Result<String, String> {
    let client = reqwest::Client::new();
    let user_path = if misbehaviour().as_deref() == Some("wrong-user-path") { "user" } else { "users" };
    let response = client
        .get(format!("{users}/{user_path}/{name}"))
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status() != 200 {
        return Err(format!("the user service answered {}", response.status()));
    }
    let user: Value = serde_json::from_str(&response.text().await.map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    if misbehaviour().as_deref() == Some("skip-billing") {
        return Ok("not billed".into());
    }
    let response = client
        .post(format!("{billing}/invoices"))
        .header("Content-Type", "application/json")
        .body(serde_json::json!({"user": user["id"], "amount": 12}).to_string())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status() != 201 {
        return Err(format!("the billing service answered {}", response.status()));
    }
    let invoice: Value = serde_json::from_str(&response.text().await.map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    invoice["invoice"].as_str().map(str::to_string).ok_or_else(|| format!("no invoice in {invoice}"))
}

fn declare(users: &mut Contract, billing: &mut Contract) {
    users
        .upon_receiving("a request for UserA")
        .get("/users/UserA")
        .header("Accept", "application/json")
        .will_respond_with(200)
        .json_body(json_pattern!({"name": "UserA", "id": integer!(7)}));
    billing
        .upon_receiving("a request to bill UserA")
        .comment("the amount is in euros")
        .post("/invoices")
        .header("Content-Type", "application/json")
        .json_body(json_pattern!({"user": 7, "amount": integer!(12)}))
        .will_respond_with(201)
        .json_body(json_pattern!({"invoice": like!("INV-1")}));
}

// The fixtures.

#[contract(
    consumer = "CheckoutClient",
    provider("CheckoutUsers", given = "UserA exists"),
    provider("CheckoutBilling", given("an account exists", id = 7), given = "billing is open"),
    spec = "v4"
)]
fn sync_checkout(users: &mut Contract, billing: &mut Contract) {
    declare(users, billing);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let invoice = runtime.block_on(checkout(&users.base_url(), &billing.base_url(), "UserA")).unwrap();
    if misbehaviour().is_none() {
        assert_eq!(invoice, "INV-1");
    }
}

#[contract(
    consumer = "CheckoutClient",
    provider("CheckoutUsers", given = "UserA exists"),
    provider("CheckoutBilling", given("an account exists", id = 7), given = "billing is open"),
    spec = "v4"
)]
async fn async_checkout(users: &mut Contract, billing: &mut Contract) -> Result<(), String> {
    declare(users, billing);
    let invoice = checkout(&users.base_url(), &billing.base_url(), "UserA").await?;
    if misbehaviour().is_none() {
        assert_eq!(invoice, "INV-1");
    }
    Ok(())
}

#[contract(
    consumer = "CheckoutClient",
    provider("CheckoutUsers", given = "UserA exists"),
    provider("CheckoutBilling", given("an account exists", id = 7), given = "billing is open"),
    spec = "v4"
)]
#[tokio::test]
async fn tokio_checkout(users: &mut Contract, billing: &mut Contract) {
    declare(users, billing);
    let invoice = checkout(&users.base_url(), &billing.base_url(), "UserA").await.unwrap();
    if misbehaviour().is_none() {
        assert_eq!(invoice, "INV-1");
    }
}

// The checks.

/// Runs the fixture `test` of this binary in a child process writing pacts into `dir`, with the
/// misbehaviour `fixture` if any.
fn run(test: &str, fixture: Option<&str>, dir: &Path) -> common::FixtureRun {
    match fixture {
        Some(fixture) => common::run_fixture(test, &[(FIXTURE, fixture)], FIXTURE, dir),
        None => common::run_fixture(test, &[], FIXTURE, dir),
    }
}

fn read_pact(dir: &Path, provider: &str) -> Value {
    let path = pact_core::pactfile::pact_path(dir, CONSUMER, provider);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Both pacts, each with its own interaction, states and the test's name.
fn check_pacts(dir: &Path, test: &str) {
    let testname = format!("consumer_several_providers::{test}");
    let users = read_pact(dir, USERS);
    assert_eq!(users["consumer"]["name"], CONSUMER);
    assert_eq!(users["provider"]["name"], USERS);
    assert_eq!(users["metadata"]["pactSpecification"]["version"], "4.0");
    let interactions = users["interactions"].as_array().unwrap();
    assert_eq!(interactions.len(), 1, "{users:#}");
    let user = &interactions[0];
    assert_eq!(user["description"], "a request for UserA");
    assert_eq!(user["providerStates"], serde_json::json!([{"name": "UserA exists"}]));
    assert_eq!(user["request"]["path"], "/users/UserA");
    assert_eq!(user["comments"], serde_json::json!({"testname": testname}));

    let billing = read_pact(dir, BILLING);
    assert_eq!(billing["provider"]["name"], BILLING);
    let interactions = billing["interactions"].as_array().unwrap();
    assert_eq!(interactions.len(), 1, "{billing:#}");
    let bill = &interactions[0];
    assert_eq!(bill["description"], "a request to bill UserA");
    assert_eq!(
        bill["providerStates"],
        serde_json::json!([{"name": "an account exists", "params": {"id": 7}}, {"name": "billing is open"}])
    );
    assert_eq!(bill["request"]["method"], "POST");
    assert_eq!(
        bill["comments"],
        serde_json::json!({"testname": testname, "text": ["the amount is in euros"]}),
        "the test name sits beside the user's comments"
    );
}

#[test]
fn each_provider_gets_its_own_pact_from_a_sync_async_or_tokio_test() {
    for test in ["sync_checkout", "async_checkout", "tokio_checkout"] {
        let dir = tempfile::tempdir().unwrap();
        let child = run(test, None, dir.path());
        assert!(child.success, "{test} must pass:\n{}", child.output);
        check_pacts(dir.path(), test);
    }
}

/// The two providers, answering as the pacts say, on ephemeral ports.
async fn providers() -> (u16, u16) {
    async fn serve(app: axum::Router) -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        port
    }
    let users = axum::Router::new().route(
        "/users/{name}",
        axum::routing::get(|| async { axum::Json(serde_json::json!({"name": "UserA", "id": 7})) }),
    );
    let billing = axum::Router::new().route(
        "/invoices",
        axum::routing::post(|| async {
            (axum::http::StatusCode::CREATED, axum::Json(serde_json::json!({"invoice": "INV-42"})))
        }),
    );
    (serve(users).await, serve(billing).await)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_official_verifier_passes_both_pacts_and_shows_the_test_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let child = tokio::task::spawn_blocking(move || run("sync_checkout", None, &path)).await.unwrap();
    assert!(child.success, "{}", child.output);
    let (users_port, billing_port) = providers().await;
    for (provider, port) in [(USERS, users_port), (BILLING, billing_port)] {
        let pact = pact_core::pactfile::pact_path(dir.path(), CONSUMER, provider);
        let (passed, text) = test_support::official_verify(&pact, port, &[]).await;
        assert!(passed, "{provider}: the official verifier failed:\n{text}");
        assert!(
            text.contains("Test Name: consumer_several_providers::sync_checkout"),
            "{provider}: the official verifier shows the test name:\n{text}"
        );
        let ours = pact_core::verify::Verifier::http(&format!("http://127.0.0.1:{port}"))
            .unwrap()
            .pact(pact_core::verify::PactSource::File(pact.clone()))
            .verify()
            .await
            .unwrap();
        assert!(ours.success(), "{provider}: our verifier failed");
    }
}

fn assert_nothing_written(dir: &Path, test: &str) {
    let written: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    assert!(written.is_empty(), "{test} wrote {written:?}");
}

#[test]
fn a_provider_whose_request_never_came_fails_the_test_naming_it_and_no_pact_is_written() {
    for test in ["sync_checkout", "async_checkout", "tokio_checkout"] {
        let dir = tempfile::tempdir().unwrap();
        let child = run(test, Some("skip-billing"), dir.path());
        let output = child.output;
        assert!(!child.success, "{test} must fail:\n{output}");
        for line in [
            "contract CheckoutClient -> CheckoutBilling: the mock provider's verification failed:\n",
            "  expected but never received: \"a request to bill UserA\" given an account exists, billing is open (POST /invoices)\n",
            "The pacts of CheckoutClient -> CheckoutUsers were not written either",
        ] {
            assert!(output.contains(line), "{test}: expected {line:?} in:\n{output}");
        }
        assert!(
            !output.contains(
                "contract CheckoutClient -> CheckoutUsers: the mock provider's verification failed"
            ),
            "{test}: the provider that got its request is not reported as failing:\n{output}"
        );
        assert_nothing_written(dir.path(), test);
    }
}

#[test]
fn an_unexpected_request_is_reported_by_the_mock_of_the_provider_that_got_it() {
    // The client calls `/user/UserA` on the users mock, gets its 500, and fails the test (by
    // `unwrap()` in the sync and tokio tests, by `?` in the async one). Each mock reports what
    // it saw, naming its provider.
    for test in ["sync_checkout", "async_checkout", "tokio_checkout"] {
        let dir = tempfile::tempdir().unwrap();
        let child = run(test, Some("wrong-user-path"), dir.path());
        let output = child.output;
        assert!(!child.success, "{test} must fail:\n{output}");
        for line in [
            "contract CheckoutClient -> CheckoutUsers: the ",
            "  unexpected request: GET /user/UserA\n",
            "      - $.path: expected \"/users/UserA\" but found \"/user/UserA\"\n",
            "contract CheckoutClient -> CheckoutBilling: the ",
            "  expected but never received: \"a request to bill UserA\"",
        ] {
            assert!(output.contains(line), "{test}: expected {line:?} in:\n{output}");
        }
        assert_nothing_written(dir.path(), test);
    }
}
