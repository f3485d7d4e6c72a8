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

    // The first broker answers the same query (and caches the answer): pending for `main`.
    let pending_query = json!({"consumerVersionSelectors": [{"mainBranch": true}],
                               "providerVersionBranch": "main", "includePendingStatus": true});
    let pending = |broker_url: String| {
        let (client, query) = (&client, &pending_query);
        async move {
            let r = client
                .post(&format!("{broker_url}/pacts/provider/UserService/for-verification"), query)
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.json["_embedded"]["pacts"].clone()
        }
    };
    for _ in 0..2 {
        assert_eq!(pending(first.url.clone()).await[0]["verificationProperties"]["pending"], json!(true));
    }

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

    // What the first broker answered before is not served again: the verification that went
    // through the second one ended the pending state...
    let verified = pending(first.url.clone()).await;
    assert_eq!(verified[0]["verificationProperties"]["pending"], json!(false));
    // ...and new content published through the second one is listed by the first at once.
    let mut changed = demo_pact();
    changed["interactions"][0]["description"] = json!("a request for UserA, changed");
    let body = contracts_body("UserServiceClient", "0.3", Some("main"), &[], &[&changed]);
    let published = client.post(&second.at("/contracts/publish"), &body).await;
    assert_eq!(published.status, 200, "{}", published.text);
    let now = pending(first.url.clone()).await;
    assert_eq!(now.as_array().unwrap().len(), 1, "{now:#}");
    let self_href =
        |pacts: &serde_json::Value| pacts[0]["_links"]["self"]["href"].as_str().unwrap().to_string();
    assert_ne!(self_href(&now), self_href(&verified), "the new content's URL, not the old one");
    assert_eq!(now[0]["verificationProperties"]["pending"], json!(true), "{now:#}");

    // Writes through both at once do not collide.
    let (empty, path) = (json!({}), "/pacticipants/Shared/versions/1/tags/x");
    let (url_a, url_b) = (first.at(path), second.at(path));
    let (a, b) = tokio::join!(client.put(&url_a, &empty), client.put(&url_b, &empty));
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 201], "{}\n{}", a.text, b.text);
}
