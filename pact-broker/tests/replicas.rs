//! Two `pact-broker` processes on one PostgreSQL database, as a team runs replicas behind a load
//! balancer: they start together (the migrations run once), a pact published through one is
//! verified through the other by the official verifier, and the first sees the result.

mod support;

use serde_json::json;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_brokers_on_one_postgres_database_share_everything() {
    let db = fresh_database(Backend::Postgres).await;
    // Both start at once on the empty database.
    let (first, second) = std::thread::scope(|scope| {
        let a = scope.spawn(|| Broker::start(&db, &[]));
        let b = scope.spawn(|| Broker::start(&db, &[]));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_ne!(first.url, second.url);
    let client = Client::new();

    let body = contracts_body("UserServiceClient", "0.1", Some("main"), &[], &[&demo_pact()]);
    let published = client.post(&first.at("/contracts/publish"), &body).await;
    assert_eq!(published.status, 200, "{}", published.text);

    // The second broker serves it, with hrefs of its own.
    let for_verification = client
        .post(
            &second.at("/pacts/provider/UserService/for-verification"),
            &json!({"consumerVersionSelectors": [{"mainBranch": true}]}),
        )
        .await;
    let href = for_verification.json["_embedded"]["pacts"][0]["_links"]["self"]["href"].as_str().unwrap();
    assert!(href.starts_with(&second.url), "{href}");

    // The official verifier verifies the demo service through the second broker.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let provider = format!("http://{}", listener.local_addr().unwrap());
    let port = listener.local_addr().unwrap().port().to_string();
    tokio::spawn(async move {
        let _ =
            axum::serve(listener, demo_user_service::app(demo_user_service::AppState::default(), true)).await;
    });
    let broker_url = second.url.clone();
    let output = tokio::task::spawn_blocking(move || {
        let mut command = test_support::official_command();
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("PACT_BROKER_") {
                command.env_remove(key);
            }
        }
        command
            .args([
                "verifier",
                "--broker-url",
                &broker_url,
                "-n",
                "UserService",
                "--hostname",
                "127.0.0.1",
                "--port",
                &port,
            ])
            .args(["--state-change-url", &format!("{provider}/_pact/provider_states")])
            .args([
                "--consumer-version-selectors",
                r#"{"mainBranch": true}"#,
                "--publish",
                "--provider-version",
                "0.2",
            ])
            .args(["--provider-branch", "main"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    // The first broker sees the verification in the matrix: 0.1 verified by 0.2.
    let matrix = client
        .get(&first.at("/matrix?q[][pacticipant]=UserServiceClient&q[][version]=0.1&latestby=cvp"))
        .await;
    let row = &matrix.json["matrix"][0];
    assert_eq!(row["provider"]["version"]["number"], "0.2", "{:#}", matrix.json);
    assert_eq!(row["verificationResult"]["success"], json!(true));
    assert_eq!(matrix.json["summary"]["deployable"], json!(true));

    // Writes through both at once do not collide.
    let (empty, path) = (json!({}), "/pacticipants/Shared/versions/1/tags/x");
    let (url_a, url_b) = (first.at(path), second.at(path));
    let (a, b) = tokio::join!(client.put(&url_a, &empty), client.put(&url_b, &empty));
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 201], "{}\n{}", a.text, b.text);
}
