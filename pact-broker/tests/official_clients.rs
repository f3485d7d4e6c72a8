//! The official Pact clients against a real `pact-broker` process, on SQLite and PostgreSQL:
//! pact-foundation's consolidated CLI (`pact broker …` is pact-broker-cli, `pact verifier …` is
//! pact_verifier_cli), called by its path (see `test_support::official_cli`).
//!
//! The whole seed workflow: publish the demo consumer's pact as 0.1 on `main`, verify the demo
//! service as provider version 0.3 from the broker and publish the results, create an
//! environment, ask can-i-deploy (no, then yes after recording the deployment), and the
//! describe/list commands. A broken provider's failed verification makes can-i-deploy say no.

mod support;

use demo_user_service::{app, AppState, Broken};
use serde_json::json;
use support::*;

const USER: &str = "pactbroker";
const PASSWORD: &str = "pactbroker";

on_both_backends!(the_official_clients_run_the_whole_workflow_against_the_broker);

/// Serves the demo service on 127.0.0.1 with an ephemeral port; returns its URL.
async fn serve_demo(broken: Option<Broken>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app(AppState::broken(broken), true)).await;
    });
    url
}

fn broker_args(broker: &Broker, command: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["broker"].iter().chain(command).map(|s| s.to_string()).collect();
    args.extend(
        ["--broker-base-url", &broker.url, "--broker-username", USER, "--broker-password", PASSWORD]
            .map(String::from),
    );
    args
}

fn verifier_args(broker: &Broker, provider_url: &str, provider_version: &str, extra: &[&str]) -> Vec<String> {
    let port = provider_url.rsplit(':').next().unwrap();
    let mut args: Vec<String> = vec![
        "verifier".into(),
        "--broker-url".into(),
        broker.url.clone(),
        "--user".into(),
        USER.into(),
        "--password".into(),
        PASSWORD.into(),
        "-n".into(),
        "UserService".into(),
        "--hostname".into(),
        "127.0.0.1".into(),
        "--port".into(),
        port.into(),
        "--state-change-url".into(),
        format!("{provider_url}/_pact/provider_states"),
        "--publish".into(),
        "--provider-version".into(),
        provider_version.into(),
        // The demo's event pacts: their messages come from the demo's message endpoint.
        "--transports".into(),
        format!("message:{port}/_pact/messages"),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

async fn the_official_clients_run_the_whole_workflow_against_the_broker(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &["--basic-auth-username", USER, "--basic-auth-password", PASSWORD]);
    let client = Client::with_auth(USER, PASSWORD);
    let pacts_dir = workspace().join("tests/pacts").display().to_string();

    // pact broker publish <dir> --consumer-app-version 0.1 --branch main
    let published = official(broker_args(
        &broker,
        &["publish", &pacts_dir, "--consumer-app-version", "0.1", "--branch", "main"],
    ))
    .await;
    assert_eq!(published.status.code(), Some(0), "{}", text(&published));
    assert!(
        text(&published).contains(
            "Pact successfully published for UserServiceClient version 0.1 and provider UserService"
        ),
        "{}",
        text(&published)
    );
    let stored = client.get(&broker.at(&pact_path("UserService", "UserServiceClient", "0.1"))).await;
    assert_eq!(stored.status, 200);
    assert_eq!(stored.json["interactions"].as_array().unwrap().len(), 2);
    assert_eq!(
        client.get(&broker.at("/pacticipants/UserServiceClient/branches/main/latest-version")).await.json
            ["number"],
        "0.1"
    );

    // pact verifier --broker-url … -n UserService --publish --provider-version 0.3 --provider-branch main
    let provider = serve_demo(None).await;
    let verified = official(verifier_args(&broker, &provider, "0.3", &["--provider-branch", "main"])).await;
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));
    let result =
        client
            .get(&broker.at(
                "/pacts/provider/UserService/consumer/UserServiceClient/latest/verification-results/latest",
            ))
            .await;
    assert_eq!(result.status, 200, "{}", result.text);
    assert_eq!(
        (result.json["providerApplicationVersion"].clone(), result.json["success"].clone()),
        (json!("0.3"), json!(true))
    );
    assert_eq!(
        client.get(&broker.at("/pacticipants/UserService/branches/main/latest-version")).await.json["number"],
        "0.3"
    );

    // The pacts-for-verification flow of the verifier, with pending status.
    let selected = official(verifier_args(
        &broker,
        &provider,
        "0.3",
        &[
            "--provider-branch",
            "main",
            "--consumer-version-selectors",
            r#"{"mainBranch": true}"#,
            "--enable-pending",
        ],
    ))
    .await;
    assert_eq!(selected.status.code(), Some(0), "{}", text(&selected));
    assert!(
        text(&selected).contains("is being verified because the pact content belongs to the consumer version matching the following criterion"),
        "{}",
        text(&selected)
    );

    // pact broker create-environment, then can-i-deploy: no (nothing recorded there), then yes.
    for (name, flag) in [("production", Some("--production")), ("staging", None)] {
        let mut command = vec!["create-environment", "--name", name];
        command.extend(flag);
        let created = official(broker_args(&broker, &command)).await;
        assert_eq!(created.status.code(), Some(0), "{}", text(&created));
    }
    let can_i_deploy = [
        "can-i-deploy",
        "--pacticipant",
        "UserServiceClient",
        "--version",
        "0.1",
        "--to-environment",
        "production",
    ];
    let no = official(broker_args(&broker, &can_i_deploy)).await;
    assert_eq!(no.status.code(), Some(1), "{}", text(&no));
    assert!(text(&no).contains("Computer says no"), "{}", text(&no));
    let deployed = official(broker_args(
        &broker,
        &[
            "record-deployment",
            "--pacticipant",
            "UserService",
            "--version",
            "0.3",
            "--environment",
            "production",
        ],
    ))
    .await;
    assert_eq!(deployed.status.code(), Some(0), "{}", text(&deployed));
    let yes = official(broker_args(&broker, &can_i_deploy)).await;
    assert_eq!(yes.status.code(), Some(0), "{}", text(&yes));
    assert!(text(&yes).contains("Computer says yes"), "{}", text(&yes));

    // A broken provider version fails verification; deployed to staging, can-i-deploy says no.
    let broken = serve_demo(Some(Broken::AdminAsString)).await;
    let failed =
        official(verifier_args(&broker, &broken, "0.4-broken", &["--provider-branch", "broken"])).await;
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    let deployed = official(broker_args(
        &broker,
        &[
            "record-deployment",
            "--pacticipant",
            "UserService",
            "--version",
            "0.4-broken",
            "--environment",
            "staging",
        ],
    ))
    .await;
    assert_eq!(deployed.status.code(), Some(0), "{}", text(&deployed));
    let to_staging = [
        "can-i-deploy",
        "--pacticipant",
        "UserServiceClient",
        "--version",
        "0.1",
        "--to-environment",
        "staging",
    ];
    let no = official(broker_args(&broker, &to_staging)).await;
    assert_eq!(no.status.code(), Some(1), "{}", text(&no));
    assert!(text(&no).contains("failed"), "{}", text(&no));

    // describe-version and list-latest-pact-versions.
    let described = official(broker_args(
        &broker,
        &["describe-version", "--pacticipant", "UserServiceClient", "--version", "0.1", "--output", "json"],
    ))
    .await;
    assert_eq!(described.status.code(), Some(0), "{}", text(&described));
    let json_line = String::from_utf8_lossy(&described.stdout)
        .lines()
        .find(|l| l.starts_with('{'))
        .map(str::to_string)
        .unwrap();
    let version: serde_json::Value = serde_json::from_str(&json_line).unwrap();
    assert_eq!(version["number"], "0.1");
    let latest = official(broker_args(&broker, &["describe-version", "--pacticipant", "UserService"])).await;
    assert_eq!(latest.status.code(), Some(0), "{}", text(&latest));
    assert!(text(&latest).contains("0.4-broken"), "{}", text(&latest));
    let listed = official(broker_args(&broker, &["list-latest-pact-versions"])).await;
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed));
    let listing = text(&listed);
    assert!(
        listing.contains("UserServiceClient") && listing.contains("0.1") && listing.contains("UserService"),
        "{listing}"
    );

    // Wrong credentials are refused by the broker, and the CLI says so.
    let mut bad = broker_args(&broker, &["list-latest-pact-versions"]);
    let password = bad.iter().position(|a| a == PASSWORD).unwrap();
    bad[password] = "wrong".into();
    let refused = official(bad).await;
    assert_ne!(refused.status.code(), Some(0), "{}", text(&refused));
}
