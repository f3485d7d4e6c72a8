//! What a failing contract test prints, seen from outside: the test binary runs again, in a
//! child process, one fixture test at a time, with `PACT_REPORT_FIXTURE` naming the test that
//! must misbehave. Its output (as the test harness shows it for a failed test) must hold the
//! mock provider's report, with the mismatch paths, and a panic located in this file.
//!
//! The fixtures are also ordinary contract tests: run normally, their client is right, and they
//! write the demo's "UserA exists" interaction, exactly as `tests/demo_consumer.rs` declares it.
//! Misbehaving, their client calls `/api/users/UserA` (a wrong base URL, a common mistake), gets
//! the mock's `500`, and fails in the shape of a real test: by `unwrap()`, by `?`, or by
//! swallowing the error so that only the verification catches it.

mod common;

use std::io::{Read, Write};
use std::path::Path;

use demo_client::UserClient;
use pact_core::prelude::*;

/// Names the one fixture test that misbehaves in a child process.
const FIXTURE: &str = "PACT_REPORT_FIXTURE";

fn misbehaves(test: &str) -> bool {
    std::env::var(FIXTURE).is_ok_and(|v| v == test)
}

/// The base URL the client is given: the mock's, or a wrong one when `test` misbehaves.
fn client_base(pact: &Contract, test: &str) -> String {
    if misbehaves(test) {
        format!("{}/api", pact.base_url())
    } else {
        pact.base_url()
    }
}

/// A blocking `GET`, for the sync test: the body on a 200, the status line otherwise.
fn blocking_get(url: &str) -> Result<String, String> {
    let rest = url.trim_start_matches("http://");
    let (address, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = std::net::TcpStream::connect(address).map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    let status = answer.lines().next().unwrap_or_default().to_string();
    match answer.split_once("\r\n\r\n") {
        Some((_, body)) if status.starts_with("HTTP/1.1 200") => Ok(body.to_string()),
        _ => Err(status),
    }
}

#[contract(
    consumer = "UserServiceClient",
    provider = "UserService",
    given = "UserA exists and is not an administrator"
)]
fn sync_test_unwrapping_the_mocks_500(pact: &mut Contract) {
    common::declare_existing_user(pact);
    let base = client_base(pact, "sync_test_unwrapping_the_mocks_500");
    let body = blocking_get(&format!("{base}/users/UserA")).unwrap();
    assert!(body.contains(r#""name":"UserA""#), "{body}");
}

#[contract(
    consumer = "UserServiceClient",
    provider = "UserService",
    given = "UserA exists and is not an administrator"
)]
async fn async_test_unwrapping_the_mocks_500(pact: &mut Contract) {
    common::declare_existing_user(pact);
    let base = client_base(pact, "async_test_unwrapping_the_mocks_500");
    let user = UserClient::new(base).get_user("UserA").await.unwrap().unwrap();
    assert_eq!(user.name, "UserA");
}

#[contract(
    consumer = "UserServiceClient",
    provider = "UserService",
    given = "UserA exists and is not an administrator"
)]
#[tokio::test]
async fn tokio_test_unwrapping_the_mocks_500(pact: &mut Contract) {
    common::declare_existing_user(pact);
    let base = client_base(pact, "tokio_test_unwrapping_the_mocks_500");
    let user = UserClient::new(base).get_user("UserA").await.unwrap().unwrap();
    assert_eq!(user.name, "UserA");
}

#[contract(
    consumer = "UserServiceClient",
    provider = "UserService",
    given = "UserA exists and is not an administrator"
)]
async fn test_returning_the_mocks_500_through_question_mark(
    pact: &mut Contract,
) -> Result<(), demo_client::Error> {
    common::declare_existing_user(pact);
    let base = client_base(pact, "test_returning_the_mocks_500_through_question_mark");
    let user = UserClient::new(base).get_user("UserA").await?;
    assert_eq!(user.map(|u| u.name).as_deref(), Some("UserA"));
    Ok(())
}

#[contract(
    consumer = "UserServiceClient",
    provider = "UserService",
    given = "UserA exists and is not an administrator"
)]
async fn test_whose_client_swallows_the_500(pact: &mut Contract) {
    common::declare_existing_user(pact);
    let base = client_base(pact, "test_whose_client_swallows_the_500");
    // A client that logs errors and carries on: only the verification sees the mistake.
    let user = UserClient::new(base).get_user("UserA").await.ok().flatten();
    assert!(user.is_some() || misbehaves("test_whose_client_swallows_the_500"));
}

/// A contract made by hand, the way to reach a second provider from one test.
#[tokio::test]
async fn hand_made_contract_in_a_test_unwrapping_the_mocks_500() {
    let mut pact = Contract::new_async("UserServiceClient", "UserService")
        .await
        .with_test_name("consumer_reports::hand_made_contract_in_a_test_unwrapping_the_mocks_500")
        .given("UserA exists and is not an administrator");
    common::declare_existing_user(&mut pact);
    let base = client_base(&pact, "hand_made_contract_in_a_test_unwrapping_the_mocks_500");
    let user = UserClient::new(base).get_user("UserA").await.unwrap().unwrap();
    assert_eq!(user.name, "UserA");
    pact.finish().unwrap();
}

// The checks, each running one fixture in a child process.

/// Runs `test` of this binary in a child process, with `env`, writing pacts into `dir`.
fn run(test: &str, env: &[(&str, &str)], dir: &Path) -> common::FixtureRun {
    common::run_fixture(test, env, FIXTURE, dir)
}

/// Runs `test` misbehaving, and checks that it failed, wrote nothing and printed the report.
fn run_failing(test: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let child = run(test, &[(FIXTURE, test)], dir.path());
    let output = child.output;
    assert!(!child.success, "{test} must fail:\n{output}");
    for line in [
        "  expected but never received: \"a request for UserA\" given UserA exists and is not an administrator (GET /users/UserA)\n",
        "  unexpected request: GET /api/users/UserA\n",
        "    closest interaction: \"a request for UserA\" given UserA exists and is not an administrator (GET /users/UserA)\n",
        "      - $.path: expected \"/users/UserA\" but found \"/api/users/UserA\"\n",
        "The pact file was not written.",
    ] {
        assert!(output.contains(line), "{test}: expected {line:?} in:\n{output}");
    }
    let written: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(written.is_empty(), "{test} wrote {written:?}");
    output
}

/// Where a panic at the name of the fn `name` in this file is reported:
/// `tests/consumer_reports.rs:line:column`.
fn location_of_fn(name: &str) -> String {
    let source = include_str!("consumer_reports.rs");
    let needle = format!("fn {name}(");
    let (number, line) = source.lines().enumerate().find(|(_, l)| l.contains(&needle)).unwrap();
    format!("tests/consumer_reports.rs:{}:{}", number + 1, line.find(&needle).unwrap() + "fn ".len() + 1)
}

fn assert_panicked_in_this_file(test: &str, output: &str) {
    assert!(
        output.contains("panicked at tests/consumer_reports.rs:"),
        "{test}: the panic must be located in the test:\n{output}"
    );
    assert!(
        !output.contains("panicked at pact-core"),
        "{test}: the panic must not be located in the library:\n{output}"
    );
}

#[test]
fn a_test_that_panics_prints_the_report_sync_async_and_tokio() {
    for test in [
        "sync_test_unwrapping_the_mocks_500",
        "async_test_unwrapping_the_mocks_500",
        "tokio_test_unwrapping_the_mocks_500",
        "hand_made_contract_in_a_test_unwrapping_the_mocks_500",
    ] {
        let output = run_failing(test);
        let heading =
            "contract UserServiceClient -> UserService: the test panicked; the mock provider's report:\n";
        assert!(output.contains(heading), "{test}:\n{output}");
        assert_panicked_in_this_file(test, &output);
        // The user's own panic comes first, then the report that explains it.
        let panic = output.find("panicked at").unwrap();
        assert!(panic < output.find(heading).unwrap(), "{test}:\n{output}");
    }
}

#[test]
fn a_test_that_returns_an_error_prints_the_report_before_the_error() {
    let test = "test_returning_the_mocks_500_through_question_mark";
    let output = run_failing(test);
    let heading = "contract UserServiceClient -> UserService: the test returned an error; the mock provider's report:\n";
    let report = output.find(heading).unwrap_or_else(|| panic!("{output}"));
    let error = output.find("Error: Status").unwrap_or_else(|| panic!("{output}"));
    assert!(report < error, "the report comes before the test's error:\n{output}");
}

#[test]
fn a_failed_verification_panics_at_the_test() {
    let test = "test_whose_client_swallows_the_500";
    let output = run_failing(test);
    // The location is the test's name, in this file, not a line of the library.
    let expected = format!(
        "panicked at {}:\ncontract UserServiceClient -> UserService: the mock provider's verification failed:\n",
        location_of_fn(test)
    );
    assert!(output.contains(&expected), "expected {expected:?} in:\n{output}");
}

#[test]
fn an_unknown_write_mode_fails_the_test_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let child =
        run("async_test_unwrapping_the_mocks_500", &[("PACT_FILE_WRITE_MODE", "overwite")], dir.path());
    assert!(!child.success, "{}", child.output);
    let message =
        r#"PACT_FILE_WRITE_MODE="overwite" is not a write mode: use `merge` (the default) or `overwrite`"#;
    assert!(child.output.contains(message), "{}", child.output);
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "nothing may be written");

    // The same test, with the mode spelt right, writes its pact.
    let child = run("async_test_unwrapping_the_mocks_500", &[("PACT_FILE_WRITE_MODE", "Merge")], dir.path());
    assert!(child.success, "{}", child.output);
    assert!(dir.path().join("UserServiceClient-UserService.json").exists());
}
