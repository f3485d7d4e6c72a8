//! `pact verify` on message pacts against the demo service's message endpoint: with
//! `--message-url`, with pact_verifier_cli's `--transports message:PORT/PATH`, and failing with
//! the field's path when the producer sends a wrong field.

use std::path::Path;
use std::process::{Command, Output};

use demo_user_service::{app, AppState, Broken};

fn pact_file(name: &str) -> String {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    workspace.join("tests/pacts").join(name).display().to_string()
}

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

fn pacts() -> Vec<String> {
    vec![
        "-f".into(),
        pact_file("UserEventsClient-UserService-v3.json"),
        "-f".into(),
        pact_file("UserEventsClient-UserService-v4.json"),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn message_url_flag_verifies_v3_and_v4_messages_with_http() {
    let url = serve(None).await;
    let mut args = vec!["verify".to_string(), format!("--provider-base-url={url}")];
    args.push(format!("--state-change-url={url}/_pact/provider_states"));
    args.push(format!("--message-url={url}/_pact/messages"));
    args.extend(pacts());
    let output = pact(args).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("a UserCreated event ... OK"), "{stdout}");
    assert!(stdout.contains("3 interactions: 3 passed, 0 failed"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn transports_form_finds_the_endpoint_and_a_wrong_field_exits_1_with_its_path() {
    for (broken, code) in [(None, 0), (Some(Broken::BadId), 1)] {
        let url = serve(broken).await;
        let port = url.rsplit(':').next().unwrap().to_string();
        let mut args = vec!["verify".to_string(), "-h".into(), "127.0.0.1".into(), "-p".into(), port.clone()];
        args.extend(["--transports".into(), format!("message:{port}/_pact/messages")]);
        args.push(format!("--state-change-url={url}/_pact/provider_states"));
        args.extend(pacts());
        let output = pact(args).await;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{stdout}\n{stderr}");
        if code == 1 {
            assert!(stdout.contains("$.contents.user.id"), "{stdout}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_transport_is_a_usage_error() {
    let output = pact(vec![
        "verify".into(),
        "--transports".into(),
        "grpc:5555".into(),
        "-f".into(),
        pact_file("UserEventsClient-UserService-v3.json"),
    ])
    .await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("\"grpc\" is not supported"), "{stderr}");
}
