//! `pact verify` as a user runs it: against the demo service on an ephemeral loopback port,
//! with the demo pact and the pacts other implementations wrote; exit codes, reports, filters.
//! Also the official `pact_verifier_cli` against the same service, proving the state route
//! follows the official protocol.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use demo_user_service::{app, AppState, Broken};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn demo_pact() -> String {
    workspace().join("tests/pacts/UserServiceClient-UserService.json").display().to_string()
}

/// Serves the demo service on 127.0.0.1 with an ephemeral port for the rest of the test.
async fn serve(broken: Option<Broken>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app(AppState::broken(broken), true)).await;
    });
    url
}

async fn pact(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_pact")).args(&args).env("NO_COLOR", "1").output().unwrap()
    })
    .await
    .unwrap()
}

fn verify_args(url: &str, pacts: &[String]) -> Vec<String> {
    let mut args = vec!["verify".to_string(), format!("--provider-base-url={url}")];
    args.extend(pacts.iter().map(|p| format!("--pact-url={p}")));
    args.push(format!("--provider-states-setup-url={url}/_pact/provider_states"));
    args
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_pact_verifies_and_exits_0() {
    let url = serve(None).await;
    let output = pact(verify_args(&url, &[demo_pact()])).await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("Verifying a pact between UserServiceClient and UserService"), "{stdout}");
    assert!(stdout.contains("  Given UserA does not exist\n    a request for UserA ... OK"), "{stdout}");
    assert!(stdout.contains("2 interactions: 2 passed, 0 failed"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_provider_exits_1_with_paths_and_writes_json_and_junit() {
    let url = serve(Some(Broken::AdminAsString)).await;
    let dir = tempfile::tempdir().unwrap();
    let (json, junit) = (dir.path().join("report.json"), dir.path().join("report.xml"));
    let mut args = verify_args(&url, &[demo_pact()]);
    args.push(format!("--json={}", json.display()));
    args.push(format!("--junit={}", junit.display()));
    let output = pact(args).await;
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("Failures:"), "{stdout}");
    assert!(
        stdout.contains(r#"$.body.admin: expected a boolean (like false) but found "false""#),
        "{stdout}"
    );

    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["result"], false);
    assert_eq!(report["summary"]["failed"], 1);
    let junit = std::fs::read_to_string(&junit).unwrap();
    assert!(
        junit.contains(r#"<testsuite name="UserServiceClient-UserService" tests="2" failures="1""#),
        "{junit}"
    );
    assert!(junit.contains("<failure message=\"$.body.admin: expected a boolean"), "{junit}");
}

#[tokio::test(flavor = "multi_thread")]
async fn pacts_of_other_implementations_verify_and_fail_when_broken() {
    let pacts: Vec<String> = std::fs::read_dir(workspace().join("interop/pacts"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    assert_eq!(pacts.len(), 7, "five HTTP pacts and two message pacts: {pacts:?}");
    // The message pacts get their messages from the demo's message endpoint.
    let args = |url: &str| {
        let mut args = verify_args(url, &pacts);
        args.push(format!("--message-url={url}/_pact/messages"));
        args
    };
    let good = serve(None).await;
    let output = pact(args(&good)).await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("between PythonV2Client and UserService"), "{stdout}");
    assert!(stdout.contains("between PactJsClient and UserService"), "{stdout}");
    assert!(stdout.contains("between PythonV4EventsClient and UserService"), "{stdout}");

    let broken = serve(Some(Broken::BadId)).await;
    let output = pact(args(&broken)).await;
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("$.body.id: expected a value matching"), "{stdout}");
    assert!(stdout.contains("$.contents.user.id: expected a value matching"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_select_interactions() {
    let url = serve(None).await;
    let mut args = verify_args(&url, &[demo_pact()]);
    args.push("--filter-state=does not exist".into());
    let output = pact(args).await;
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("1 interactions: 1 passed"), "{stdout}");

    let mut args = verify_args(&url, &[demo_pact()]);
    args.push("--filter-consumer=SomebodyElse".into());
    let output = pact(args).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).1.contains("no pacts to verify after the filters"), "{}", text(&output).1);

    // A mistyped interaction filter selects nothing: an error, not "0 interactions" and exit 0.
    let mut args = verify_args(&url, &[demo_pact()]);
    args.push("--filter-description=a request for UsrA".into());
    let output = pact(args).await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stderr.contains("no interaction matched the filters"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn custom_headers_are_sent() {
    // A provider that insists on a token the pact does not carry.
    let guarded = axum::Router::new().route(
        "/users/{name}",
        axum::routing::get(|headers: axum::http::HeaderMap| async move {
            if headers.get("authorization").is_some_and(|v| v == "Bearer s3cret") {
                (axum::http::StatusCode::NOT_FOUND, "no such user")
            } else {
                (axum::http::StatusCode::UNAUTHORIZED, "token please")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, guarded).await;
    });
    let base = vec![
        "verify".to_string(),
        format!("--provider-base-url={url}"),
        format!("--pact-url={}", demo_pact()),
        "--filter-state=does not exist".into(),
    ];
    let without = pact(base.clone()).await;
    assert_eq!(without.status.code(), Some(1));
    assert!(text(&without).0.contains("$.status: expected status 404 but found 401"), "{}", text(&without).0);
    let mut with = base;
    with.push("-H".into());
    with.push("Authorization: Bearer s3cret".into());
    let output = pact(with).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output).0);
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_and_configuration_errors_exit_2_with_one_line() {
    let url = serve(None).await;
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["verify".into(), format!("--provider-base-url={url}")], "--pact-url"),
        (verify_args(&url, &["/nonexistent/pact.json".into()]), "/nonexistent/pact.json"),
        (verify_args("localhost:5001", &[demo_pact()]), "must start with http://"),
        (
            {
                let mut a = verify_args(&url, &[demo_pact()]);
                a.pop();
                a.push("--provider-states-setup-url=localhost:5001/_pact/provider_states".into());
                a
            },
            "the state-change URL \"localhost:5001/_pact/provider_states\" must start with http://",
        ),
        (
            {
                let mut a = verify_args(&url, &[demo_pact()]);
                a.push("--filter-description=(".into());
                a
            },
            "--filter-description: invalid regular expression",
        ),
        (
            {
                let mut a = verify_args(&url, &[demo_pact()]);
                a.push("-H".into());
                a.push("no separator".into());
                a
            },
            "expected \"Name: value\"",
        ),
    ];
    for (args, expected) in cases {
        let output = pact(args.clone()).await;
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_pact_names_the_file_and_path_and_verbose_adds_detail() {
    let url = serve(None).await;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [{"description": "x", "request": {}, "response": {"status": "200"}}]}"#).unwrap();
    let output = pact(verify_args(&url, &[bad.display().to_string()])).await;
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(r#"bad.json: $.interactions[0].response.status: expected an integer, found "200""#),
        "{stderr}"
    );
    let mut verbose = vec!["-v".to_string()];
    verbose.extend(verify_args(&url, &[bad.display().to_string()]));
    let (_, stderr) = text(&pact(verbose).await);
    assert!(stderr.contains("detail: Pact(Invalid"), "{stderr}");
}

/// The official verifier (`pact verifier`, pact_verifier_cli) drives our state route: our provider follows the protocol.
#[tokio::test(flavor = "multi_thread")]
async fn the_official_pact_verifier_cli_verifies_the_demo_service() {
    let url = serve(None).await;
    let port = url.rsplit(':').next().unwrap().to_string();
    let mut args =
        vec!["verifier".to_string(), "--hostname".into(), "127.0.0.1".into(), "--port".into(), port];
    args.extend(["-f".to_string(), demo_pact()]);
    for name in
        ["pact-js-v4-UserService.json", "pact-python-4-v3-UserService.json", "pact-python-2-UserService.json"]
    {
        args.extend(["-f".to_string(), workspace().join("interop/pacts").join(name).display().to_string()]);
    }
    args.extend([
        "--state-change-url".to_string(),
        format!("{url}/_pact/provider_states"),
        "--no-colour".into(),
    ]);
    let output =
        tokio::task::spawn_blocking(move || test_support::official_command().args(&args).output().unwrap())
            .await
            .unwrap();
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(!stdout.contains("FAILED"), "{stdout}");
    assert!(stdout.matches("(OK)").count() >= 20, "{stdout}");
}

/// The official verifier calls the state-change URL also for an interaction without a provider
/// state (`{"state": ""}`), and with `--state-change-as-query` sends the call as query
/// parameters with no body: our route takes both, so such pacts verify with their verifier too.
#[tokio::test(flavor = "multi_thread")]
async fn the_official_verifier_s_empty_state_and_query_calls_are_understood() {
    let url = serve(None).await;
    let port = url.rsplit(':').next().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let stateless = dir.path().join("stateless.json");
    std::fs::write(
        &stateless,
        serde_json::json!({
            "consumer": {"name": "C"}, "provider": {"name": "UserService"},
            "interactions": [{
                "description": "a request for a user nobody created",
                "request": {"method": "GET", "path": "/users/Nobody"},
                "response": {"status": 404}
            }],
            "metadata": {"pactSpecification": {"version": "3.0.0"}}
        })
        .to_string(),
    )
    .unwrap();
    for as_query in [false, true] {
        let mut args = vec!["verifier".to_string(), "--hostname".into(), "127.0.0.1".into(), "--port".into()];
        args.push(port.clone());
        args.extend(["-f".to_string(), stateless.display().to_string(), "-f".into(), demo_pact()]);
        args.extend([
            "--state-change-url".to_string(),
            format!("{url}/_pact/provider_states"),
            "--state-change-teardown".into(),
            "--no-colour".into(),
        ]);
        if as_query {
            args.push("--state-change-as-query".into());
        }
        let output = tokio::task::spawn_blocking(move || {
            test_support::official_command().args(&args).output().unwrap()
        })
        .await
        .unwrap();
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "as query: {as_query}\n{stdout}\n{stderr}");
        assert!(!stdout.contains("FAILED") && !stdout.contains("State change request failed"), "{stdout}");
    }
}
