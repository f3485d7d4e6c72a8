//! What a consumer test reports when it goes wrong, and what it leaves on disk.
//!
//! Each test writes into its own temporary directory through the runtime API
//! (`Contract::with_output_dir`), so the tests run in parallel without sharing a pact file. The
//! `#[contract]` tests at the end fail on purpose, so they write nothing.

use std::path::{Path, PathBuf};

use demo_client::UserClient;
use pact_core::mock::MockReport;
use pact_core::pactfile;
use pact_core::prelude::*;
use pact_core::ContractError;
use serde_json::Value;

const CONSUMER: &str = "UserServiceClient";
const PROVIDER: &str = "UserService";

async fn contract(dir: &Path, test: &str) -> Contract {
    Contract::new_async(CONSUMER, PROVIDER).await.with_output_dir(dir).with_test_name(test)
}

/// The demo's interaction: `GET /users/UserA`, answered with UserA, `admin` as given.
fn expect_user_a(pact: &mut Contract, admin: bool) {
    pact.upon_receiving("a request for UserA")
        .given("UserA exists")
        .get("/users/UserA")
        .header("Accept", "application/json")
        .will_respond_with(200)
        .json_body(json_pattern!({
            "name": "UserA",
            "id": term!("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", "fc763eba-0905-41c5-a27f-3934ab26786c"),
            "created_on": term!(r"^\d+-\d+-\d+T\d+:\d+:\d+$", "2016-12-15T20:16:01"),
            "admin": like!(admin),
        }));
}

fn pact_file(dir: &Path) -> PathBuf {
    pactfile::pact_path(dir, CONSUMER, PROVIDER)
}

/// The text and report of a contract that must fail verification (and not, say, the write).
fn verification_failure(result: Result<PathBuf, ContractError>) -> (String, MockReport) {
    let error = match result {
        Ok(path) => panic!("the contract passed and wrote {}", path.display()),
        Err(error) => error,
    };
    let text = error.to_string();
    match error {
        ContractError::Verification { report, .. } => (text, report),
        other => panic!("expected a verification failure, got: {other}"),
    }
}

/// A client with a typo in its route: `/user/{name}` instead of `/users/{name}`.
async fn broken_get_user(base_url: &str, name: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{base_url}/user/{name}"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap()
}

fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
}

/// No file at all in `dir`: no pact, no ledger, no temporary file.
fn assert_empty(dir: &Path) {
    let entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(entries.is_empty(), "expected nothing written, found {entries:?}");
}

#[tokio::test]
async fn a_broken_client_fails_with_the_path_mismatch_and_leaves_the_pact_untouched() {
    let dir = tempfile::tempdir().unwrap();

    // A good run writes the pact.
    let mut pact = contract(dir.path(), "users::get_user_a").await;
    expect_user_a(&mut pact, false);
    let user = UserClient::new(pact.base_url()).get_user("UserA").await.unwrap().unwrap();
    assert_eq!(user.name, "UserA");
    let written = pact.finish().unwrap();
    assert_eq!(written, pact_file(dir.path()));
    let before = std::fs::read(&written).unwrap();
    let ledger = dir.path().join(".pact-ledger").join("UserServiceClient-UserService.json");
    let ledger_before = std::fs::read(&ledger).unwrap();

    // The same test, changed (admin is now true) and run with a broken client: had it been
    // written, the file would differ.
    let mut pact = contract(dir.path(), "users::get_user_a").await;
    expect_user_a(&mut pact, true);
    let response = broken_get_user(&pact.base_url(), "UserA").await;
    assert_eq!(response.status().as_u16(), 500);
    let (text, report) = verification_failure(pact.finish());

    assert_eq!(report.unexpected.len(), 1, "{text}");
    assert_eq!(report.unexpected[0].request, "GET /user/UserA");
    let closest = report.unexpected[0].closest.as_ref().unwrap();
    assert!(!closest.route_matched);
    assert_eq!(closest.mismatches.len(), 1, "{text}");
    assert_eq!(closest.mismatches[0].path, "$.path");
    assert_eq!(report.missing.len(), 1, "{text}");

    assert_contains(&text, "unexpected request: GET /user/UserA");
    assert_contains(
        &text,
        r#"closest interaction: "a request for UserA" given UserA exists (GET /users/UserA)"#,
    );
    assert_contains(&text, "\n      - $.path: expected \"/users/UserA\" but found \"/user/UserA\"\n");
    assert_contains(&text, r#"expected but never received: "a request for UserA" given UserA exists"#);
    assert_contains(&text, "The pact file was not written.");

    assert_eq!(std::fs::read(&written).unwrap(), before, "the pact file changed");
    assert_eq!(std::fs::read(&ledger).unwrap(), ledger_before, "the ledger changed");
}

#[tokio::test]
async fn a_request_never_sent_is_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = contract(dir.path(), "users::get_two_users").await;
    expect_user_a(&mut pact, false);
    pact.upon_receiving("a request for UserB")
        .given("UserB does not exist")
        .get("/users/UserB")
        .header("Accept", "application/json")
        .will_respond_with(404);

    // The client asks for UserA only.
    UserClient::new(pact.base_url()).get_user("UserA").await.unwrap().unwrap();
    let (text, report) = verification_failure(pact.finish());

    assert_eq!(report.missing, [r#""a request for UserB" given UserB does not exist (GET /users/UserB)"#]);
    assert!(report.unexpected.is_empty() && report.partial.is_empty() && report.errors.is_empty(), "{text}");
    assert_contains(
        &text,
        r#"expected but never received: "a request for UserB" given UserB does not exist (GET /users/UserB)"#,
    );
    assert!(!text.contains("a request for UserA"), "UserA was received:\n{text}");
    assert_empty(dir.path());
}

#[tokio::test]
async fn a_request_with_the_right_route_but_a_wrong_body_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = contract(dir.path(), "users::create_user").await;
    pact.upon_receiving("a request to create UserB")
        .post("/users")
        .header("X-Api-Version", "2")
        .json_body(json_pattern!({"name": "UserB", "admin": false}))
        .will_respond_with(201);

    let response = reqwest::Client::new()
        .post(pact.url("/users"))
        .header("Content-Type", "application/json")
        .header("X-Api-Version", "3")
        .body(r#"{"name": "UserB", "admin": "no"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 500);
    let (text, report) = verification_failure(pact.finish());

    assert!(report.unexpected.is_empty(), "{text}");
    assert_eq!(report.partial.len(), 1, "{text}");
    assert_eq!(report.partial[0].request, "POST /users");
    let closest = report.partial[0].closest.as_ref().unwrap();
    assert!(closest.route_matched);
    let mut paths: Vec<&str> = closest.mismatches.iter().map(|m| m.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["$.body.admin", "$.headers.X-Api-Version"], "{text}");

    assert_contains(&text, "request matched the route but not the content: POST /users");
    assert_contains(&text, r#"closest interaction: "a request to create UserB" (POST /users)"#);
    assert_contains(&text, "\n      - $.body.admin: expected false but found \"no\"\n");
    assert_contains(&text, "\n      - $.headers.X-Api-Version: expected \"2\" but found \"3\"\n");
    assert_empty(dir.path());
}

#[tokio::test]
async fn an_unexpected_request_gets_a_500_explaining_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = contract(dir.path(), "users::get_user_a").await;
    expect_user_a(&mut pact, false);

    let response = reqwest::Client::new()
        .get(pact.url("/users/UserB"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 500);
    let content_type = response.headers().get("content-type").unwrap().to_str().unwrap().to_string();
    assert_eq!(content_type, "application/json");
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();

    let error = body["error"].as_str().unwrap();
    assert_contains(error, "GET /users/UserB");
    assert_contains(error, "matches no interaction");
    assert_eq!(body["closest"], r#""a request for UserA" given UserA exists (GET /users/UserA)"#);
    let mismatches: Vec<&str> =
        body["mismatches"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    assert_eq!(mismatches, [r#"$.path: expected "/users/UserA" but found "/users/UserB""#]);

    // The test fails too, even though the client might have swallowed the 500.
    let (text, _) = verification_failure(pact.finish());
    assert_contains(&text, "unexpected request: GET /users/UserB");
    assert_empty(dir.path());
}

#[tokio::test]
async fn an_example_that_breaks_its_own_matcher_is_a_declaration_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = contract(dir.path(), "users::get_birthday").await;
    // A literal example that breaks its format does not compile (`datetime!` checks it); one
    // computed at run time is checked when the contract is verified.
    let birthday = format!("2020-{}-45", 13);
    pact.upon_receiving("a request for the birthday of UserA")
        .get("/users/UserA/birthday")
        .will_respond_with(200)
        .json_body(json_pattern!({"date": datetime!("yyyy-MM-dd", &birthday)}));

    // The mock serves the example as it is; the client is not at fault.
    let response = reqwest::Client::new().get(pact.url("/users/UserA/birthday")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), r#"{"date":"2020-13-45"}"#);

    let (text, report) = verification_failure(pact.finish());
    assert!(!report.has_exchanges(), "{text}");
    assert_eq!(report.errors.len(), 1, "{text}");
    assert!(
        text.starts_with(
            r#"contract UserServiceClient -> UserService: declaration error: the examples of "a request for the birthday of UserA" break its own rules: $.body.date"#
        ),
        "{text}"
    );
    assert!(
        !text.contains("verification failed"),
        "a declaration error is not the mock's verification:\n{text}"
    );
    assert_contains(&report.errors[0], r#""2020-13-45" is not a valid date-time: the month is out of range"#);
    assert_empty(dir.path());
}

#[test]
#[should_panic(
    expected = "contract UserServiceClient -> UserService was dropped without `finish()`, holding 1 interaction: nothing \
                was verified, and no pact was written. End the test with `pact.finish()`"
)]
fn a_contract_made_by_hand_and_dropped_without_finish_fails_the_test() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = Contract::new(CONSUMER, PROVIDER).with_output_dir(dir.path());
    pact.upon_receiving("a request for UserA").get("/users/UserA").will_respond_with(404);
    // The test "forgets" finish(): it would pass with no pact and no warning.
    drop(pact);
}

#[test]
fn a_contract_that_declared_nothing_may_be_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let pact = Contract::new(CONSUMER, PROVIDER).with_output_dir(dir.path());
    drop(pact);
    assert_empty(dir.path());
}

#[tokio::test]
async fn values_that_a_pact_or_a_request_cannot_carry_are_declaration_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = contract(dir.path(), "orders::odd_values").await;
    // Each compiles (a string, a number pattern), but none could be carried: `number!` of an
    // object would be written as its JSON text, a header cannot hold a line break, and a path
    // without its leading '/' is no request's path.
    let order = String::from("7\r\nX-Injected: 1");
    pact.upon_receiving("an odd request")
        .get("orders")
        .query("total", number!(json!({"amount": 1})))
        .header("X-Order", &order)
        .will_respond_with(200);

    let (text, report) = verification_failure(pact.finish());
    assert_eq!(
        report.errors,
        [
            r#""an odd request": path: the example "orders" does not start with '/', so no request can have it"#,
            r#""an odd request": query parameter total: $: number! takes a number, not {"amount":1}"#,
            r#""an odd request": header X-Order: the example "7\r\nX-Injected: 1" holds a line break or a control character, which a header cannot carry"#,
        ],
        "{text}"
    );
    assert_contains(
        &text,
        "contract UserServiceClient -> UserService: declaration error: \"an odd request\": path: ",
    );
    assert_empty(dir.path());
}

/// One run of the demo's good test into `dir`.
async fn good_run(dir: &Path, test: &str, admin: bool) -> Result<PathBuf, ContractError> {
    let mut pact = contract(dir, test).await;
    expect_user_a(&mut pact, admin);
    let user = UserClient::new(pact.base_url()).get_user("UserA").await.unwrap().unwrap();
    assert_eq!(user.admin, admin);
    pact.finish()
}

#[tokio::test]
async fn running_the_same_test_twice_writes_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = good_run(dir.path(), "users::get_user_a", false).await.unwrap();
    let first = std::fs::read(&path).unwrap();
    let again = good_run(dir.path(), "users::get_user_a", false).await.unwrap();
    assert_eq!(again, path);
    assert_eq!(std::fs::read(&path).unwrap(), first);

    // And a fresh directory gets the same bytes too.
    let other = tempfile::tempdir().unwrap();
    let fresh = good_run(other.path(), "users::get_user_a", false).await.unwrap();
    assert_eq!(std::fs::read(fresh).unwrap(), first);

    let pact: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(pact["interactions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn two_tests_of_one_run_declaring_the_same_interaction_differently_conflict_with_a_short_diff() {
    let dir = tempfile::tempdir().unwrap();
    let path = good_run(dir.path(), "users::first_test", false).await.unwrap();
    let before = std::fs::read(&path).unwrap();

    // Same description and state, different response, from another test of this run (this
    // process's run).
    let error = good_run(dir.path(), "users::second_test", true).await.unwrap_err();
    let ContractError::PactFile(pactfile::Error::Conflict { key, test, other_test, differences, .. }) =
        &error
    else {
        panic!("expected a conflict, got: {error}");
    };
    assert_eq!(key, r#""a request for UserA" given ["UserA exists"]"#);
    assert_eq!(test, "users::second_test");
    assert_eq!(other_test, "users::first_test");
    assert_eq!(
        differences,
        &[pactfile::Difference {
            path: "$.response.body.admin".into(),
            theirs: Some(Value::Bool(false)),
            ours: Some(Value::Bool(true)),
        }]
    );
    // The conflict is the cause of "the pact file was not written".
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(&error);
    while let Some(c) = cause {
        text.push_str(&format!(": {c}"));
        cause = c.source();
    }
    assert_contains(&text, "two tests of this run declare the interaction");
    // The paths where the declarations differ, with both values; not two dumps of JSON.
    assert_contains(
        &text,
        "\n  $.response.body.admin: false in users::first_test, true in users::second_test\n",
    );
    assert!(!text.contains("fc763eba"), "the parts both agree on are not shown:\n{text}");
    // And the way out.
    assert_contains(&text, "Give one of them its own description or provider state");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the first version must stay");

    // The first test re-running with new content is no conflict: it replaces its interaction.
    good_run(dir.path(), "users::first_test", true).await.unwrap();
    let pact: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(pact["interactions"][0]["response"]["body"]["admin"], true);
}

// `#[contract]` tests that fail on purpose, pinning the whole report a user sees. They write
// nothing, so they use the default output directory.

#[contract(
    consumer = "UserServiceClient",
    provider = "UserService",
    given("UserA exists", id = 7, admin = false)
)]
#[should_panic(
    expected = "contract UserServiceClient -> UserService: the mock provider's verification failed:
  expected but never received: \"a request for UserA\" given UserA exists (GET /users/UserA)
The pact file was not written."
)]
fn a_contract_test_whose_client_never_calls_fails_with_the_report(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA").get("/users/UserA").will_respond_with(404);
}

#[contract(consumer = "UserServiceClient", provider = "UserService", given = "UserA exists")]
#[should_panic(
    expected = "contract UserServiceClient -> UserService: the mock provider's verification failed:
  expected but never received: \"a request for UserA\" given UserA exists (GET /users/UserA)
  unexpected request: GET /user/UserA
    closest interaction: \"a request for UserA\" given UserA exists (GET /users/UserA)
      - $.path: expected \"/users/UserA\" but found \"/user/UserA\"
The pact file was not written."
)]
async fn an_async_contract_test_with_a_broken_client_fails_with_the_report(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA").get("/users/UserA").will_respond_with(404);
    let response = broken_get_user(&pact.base_url(), "UserA").await;
    assert_eq!(response.status().as_u16(), 500);
}

#[contract(consumer = "UserServiceClient", provider = "UserService", given = "UserA exists")]
#[tokio::test]
#[should_panic(
    expected = "contract UserServiceClient -> UserService: the mock provider's verification failed:
  expected but never received: \"a request for UserA\" given UserA exists (GET /users/UserA)
  request matched the route but not the content: GET /users/UserA
    closest interaction: \"a request for UserA\" given UserA exists (GET /users/UserA)
      - $.headers.Accept: expected \"application/vnd.users.v2+json\" but found \"application/json\"
The pact file was not written."
)]
async fn a_tokio_contract_test_with_a_wrong_header_fails_with_the_report(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA")
        .get("/users/UserA")
        .header("Accept", "application/vnd.users.v2+json")
        .will_respond_with(404);
    // The demo client sends `Accept: application/json`; it sees the mock's 500 as an error.
    let result = UserClient::new(pact.base_url()).get_user("UserA").await;
    assert!(matches!(result, Err(demo_client::Error::Status { status: 500, .. })), "{result:?}");
}

#[tokio::test]
async fn one_test_declaring_the_same_interaction_twice_differently_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = contract(dir.path(), "users::get_user_a_twice").await;
    expect_user_a(&mut pact, false);
    // Same description and state, a different request: only one of them could be in the pact.
    pact.upon_receiving("a request for UserA")
        .given("UserA exists")
        .get("/users/UserA")
        .header("Accept", "text/plain")
        .will_respond_with(406);

    let client = UserClient::new(pact.base_url());
    client.get_user("UserA").await.unwrap().unwrap();
    let response = reqwest::Client::new()
        .get(pact.url("/users/UserA"))
        .header("Accept", "text/plain")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 406);

    let (text, report) = verification_failure(pact.finish());
    assert!(report.missing.is_empty() && report.unexpected.is_empty() && report.partial.is_empty(), "{text}");
    assert_eq!(report.errors.len(), 1, "{text}");
    assert_contains(
        &text,
        r#"declaration error: "a request for UserA" given ["UserA exists"] is declared twice"#,
    );
    assert_empty(dir.path());
}
