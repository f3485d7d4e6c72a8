//! Shared by the workspace-level tests: the demo's interactions, and a way to serve an app on
//! an ephemeral loopback port.
#![allow(dead_code)]

use std::path::PathBuf;

use pact_core::prelude::*;

/// The checked-in copy of the demo pact, which `tests/demo_consumer.rs` proves equal to what
/// the consumer tests write, and which the provider tests verify.
pub fn demo_pact() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/pacts/UserServiceClient-UserService.json")
}

/// The interaction of the "UserA exists and is not an administrator" test. The body is declared
/// by the client's own type: `User` derives `PactExample` (its `id` and `created_on` carry their
/// regular expressions), so the contract is exactly the shape the client reads.
pub fn declare_existing_user(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA")
        .get("/users/UserA")
        .header("Accept", "application/json")
        .will_respond_with(200)
        .json_body(like_type!(demo_client::User {
            name: "UserA".into(),
            id: "fc763eba-0905-41c5-a27f-3934ab26786c".into(),
            created_on: "2016-12-15T20:16:01".into(),
            admin: false,
        }));
}

/// The interaction of the "UserA does not exist" test.
pub fn declare_missing_user(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA")
        .get("/users/UserA")
        .header("Accept", "application/json")
        .will_respond_with(404);
}

/// Serves `app` on 127.0.0.1 with an ephemeral port until the runtime stops; returns its URL.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

/// Verifies `source` over HTTP against the demo service at `url`, with its state-change URL.
pub async fn verify_over_http(
    url: &str,
    source: pact_core::verify::PactSource,
) -> pact_core::verify::VerificationReport {
    pact_core::verify::Verifier::http(url)
        .unwrap()
        .pact(source)
        .state_url(&format!("{url}/_pact/provider_states"))
        .unwrap()
        .verify()
        .await
        .unwrap()
}

/// The demo's event: what the client's handler expects of a `UserCreated` event.
pub fn declare_user_created(pact: &mut pact_core::message::MessagePact) {
    pact.expects_to_receive("a UserCreated event")
        .with_content(json_pattern!({
            "type": "UserCreated",
            "user": {
                "name": "UserC",
                "id": term!("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", "fc763eba-0905-41c5-a27f-3934ab26786c"),
                "created_on": term!(r"^\d+-\d+-\d+T\d+:\d+:\d+$", "2016-12-15T20:16:01"),
                "admin": false,
            }
        }))
        .with_metadata("topic", "user-events")
        .with_metadata("key", like!("UserC"));
}

pub fn handle_user_created(
    received: &pact_core::message::ReceivedMessage,
) -> Result<(), demo_client::EventError> {
    let topic = received.message.metadata.get("topic").and_then(|t| t.as_str());
    let user = demo_client::handle_user_created(&received.message.contents.to_bytes(), topic)?;
    assert_eq!(user.name, "UserC");
    Ok(())
}

/// Our verifier's report on the pact file `pact` against the provider on `127.0.0.1:port`, with
/// the state-change URL at `state_path` on the same provider when there is one.
pub async fn verify_file(
    pact: &std::path::Path,
    port: impl std::fmt::Display,
    state_path: Option<&str>,
) -> pact_core::verify::VerificationReport {
    let url = format!("http://127.0.0.1:{port}");
    let mut verifier = pact_core::verify::Verifier::http(&url)
        .unwrap()
        .pact(pact_core::verify::PactSource::File(pact.to_path_buf()));
    if let Some(path) = state_path {
        verifier = verifier.state_url(&format!("{url}{path}")).unwrap();
    }
    verifier.verify().await.unwrap()
}

/// Serves `app` on 127.0.0.1 with an ephemeral port until the runtime stops; returns the port.
pub async fn serve_port(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    port.to_string()
}

/// What a fixture test run in a child process did.
pub struct FixtureRun {
    pub success: bool,
    /// Its stdout, then its stderr.
    pub output: String,
}

/// Runs the test `test` of the current test binary in a child process, writing pacts into `dir`,
/// with `env` set and `clear` (the fixture switch of the calling file) removed first. Bounded: a
/// child that takes over a minute is killed, and fails the check.
pub fn run_fixture(test: &str, env: &[(&str, &str)], clear: &str, dir: &std::path::Path) -> FixtureRun {
    use std::io::Read;
    use std::time::{Duration, Instant};
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", test, "--test-threads", "1"])
        .env("PACT_OUTPUT_DIR", dir)
        .env_remove("PACT_FILE_WRITE_MODE")
        .env_remove(clear)
        .env("RUST_BACKTRACE", "0")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the fixture {test} did not end within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut output = String::new();
    child.stdout.take().unwrap().read_to_string(&mut output).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut output).unwrap();
    assert!(output.contains("running 1 test"), "the filter must have run {test}:\n{output}");
    FixtureRun { success: status.success(), output }
}
