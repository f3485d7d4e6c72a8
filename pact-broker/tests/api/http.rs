//! HTTP behaviour around the resources: basic auth, the body limit, content types, error
//! shapes, unknown resources and methods, hrefs from `--public-url`, shutdown, the default
//! database file.

use serde_json::json;

use crate::on_both_backends;
use crate::support::*;

on_both_backends!(
    basic_auth_guards_writes_and_reads,
    bodies_over_the_limit_get_413_and_other_content_types_415,
    errors_come_in_the_brokers_shapes,
    hrefs_use_the_public_url_or_the_host_header,
);

const AUTH: &[&str] = &[
    "--basic-auth-username",
    "admin",
    "--basic-auth-password",
    "s3cret",
    "--read-only-username",
    "reader",
    "--read-only-password",
    "r3ad",
];

async fn basic_auth_guards_writes_and_reads(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, AUTH);
    let anonymous = Client::new();
    let writer = Client::with_auth("admin", "s3cret");
    let reader = Client::with_auth("reader", "r3ad");
    let wrong = Client::with_auth("admin", "wrong");

    let denied = anonymous.get(&broker.at("/")).await;
    assert_eq!(denied.status, 401);
    assert_eq!(denied.header("www-authenticate"), Some("Basic realm=\"Restricted area\""));
    assert_eq!(denied.header("content-type"), Some("application/hal+json;charset=utf-8"));
    assert_eq!(wrong.get(&broker.at("/")).await.status, 401);
    assert_eq!(anonymous.get(&broker.at("/diagnostic/status/heartbeat")).await.status, 200);
    let url = broker.at(&pact_path("Bar", "Foo", "1"));
    assert_eq!(anonymous.put(&url, &pact("Foo", "Bar", "a")).await.status, 401);
    assert_eq!(reader.put(&url, &pact("Foo", "Bar", "a")).await.status, 403);
    assert_eq!(
        reader
            .post(
                &broker.at("/contracts/publish"),
                &contracts_body("Foo", "1", None, &[], &[&pact("Foo", "Bar", "a")])
            )
            .await
            .status,
        403
    );
    assert_eq!(
        anonymous.get(&broker.at("/pacticipants")).await.json["_embedded"],
        serde_json::Value::Null,
        "nothing leaks"
    );
    assert_eq!(writer.put(&url, &pact("Foo", "Bar", "a")).await.status, 201);
    assert_eq!(reader.get(&url).await.status, 200);
    assert_eq!(reader.delete(&url).await.status, 403);
    // The read-only user may ask for pacts to verify, which is a POST.
    let for_verification = reader.post(&broker.at("/pacts/provider/Bar/for-verification"), &json!({})).await;
    assert_eq!(for_verification.status, 200, "{}", for_verification.text);
    assert_eq!(
        anonymous.post(&broker.at("/pacts/provider/Bar/for-verification"), &json!({})).await.status,
        401
    );
    assert_eq!(reader.get(&url).await.json["consumer"]["name"], "Foo");

    // With public reads, anonymous callers may read but still not write.
    drop(broker);
    let mut args = AUTH.to_vec();
    args.push("--allow-public-read");
    let broker = Broker::start(&db, &args);
    assert_eq!(anonymous.get(&broker.at(&pact_path("Bar", "Foo", "1"))).await.status, 200);
    assert_eq!(
        anonymous.put(&broker.at(&pact_path("Bar", "Foo", "2")), &pact("Foo", "Bar", "a")).await.status,
        401
    );
}

async fn bodies_over_the_limit_get_413_and_other_content_types_415(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &["--max-body-bytes", "2000"]);
    let client = Client::new();
    let mut big = pact("Foo", "Bar", "a");
    big["interactions"][0]["response"]["body"]["padding"] = json!("x".repeat(3000));
    let refused = client.put(&broker.at(&pact_path("Bar", "Foo", "1")), &big).await;
    assert_eq!(refused.status, 413, "{}", refused.text);
    assert_eq!(refused.json, json!({"error": "the request body is larger than 2000 bytes"}));
    let contracts =
        client.post(&broker.at("/contracts/publish"), &contracts_body("Foo", "1", None, &[], &[&big])).await;
    assert_eq!(contracts.status, 413);
    assert_eq!(client.get(&broker.at("/pacticipants/Foo")).await.status, 404, "nothing was stored");
    assert_eq!(
        client.put(&broker.at(&pact_path("Bar", "Foo", "1")), &pact("Foo", "Bar", "a")).await.status,
        201
    );

    let text =
        client.send_raw("PUT", &broker.at(&pact_path("Bar", "Foo", "2")), b"{}".to_vec(), "text/plain").await;
    assert_eq!(text.status, 415, "{}", text.text);
    assert!(text.json["error"].as_str().unwrap().contains("Content-Type: text/plain"));
    let merge_patch = client
        .send(
            "PATCH",
            &broker.at("/pacticipants/Foo"),
            Some(&json!({"displayName": "F"})),
            &[("Content-Type", "application/merge-patch+json")],
        )
        .await;
    assert_eq!(merge_patch.status, 200, "{}", merge_patch.text);
}

async fn errors_come_in_the_brokers_shapes(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let missing = client.get(&broker.at("/pacticipants/Nobody")).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json, json!({"error": "No pacticipant with name 'Nobody' found"}));
    let unknown = client.get(&broker.at("/no/such/resource")).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.header("content-type"), Some("application/hal+json;charset=utf-8"));
    let method = client.send("POST", &broker.at("/pacticipants/Foo"), Some(&json!({})), &[]).await;
    assert_eq!(method.status, 405);
    assert!(method.json["error"].is_string());
    assert_eq!(client.send("OPTIONS", &broker.at("/no/such/resource"), None, &[]).await.status, 404);

    // RFC 7807 on request.
    let problem = client
        .send("GET", &broker.at("/pacticipants/Nobody"), None, &[("Accept", "application/problem+json")])
        .await;
    assert_eq!(problem.status, 404);
    assert_eq!(problem.header("content-type"), Some("application/problem+json;charset=utf-8"));
    assert_eq!(problem.json["title"], "Not found");
    assert_eq!(problem.json["detail"], "No pacticipant with name 'Nobody' found");
    assert_eq!(problem.json["status"], 404);
    let validation = client
        .send(
            "POST",
            &broker.at("/contracts/publish"),
            Some(&json!({"pacticipantName": "Foo"})),
            &[("Accept", "application/problem+json")],
        )
        .await;
    assert_eq!(validation.status, 400);
    assert_eq!(validation.json["title"], "Validation errors");
    let pointers: Vec<&str> = validation.json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/contracts", "/pacticipantVersionNumber"]);
}

async fn hrefs_use_the_public_url_or_the_host_header(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &["--public-url", "https://pact.example.com/broker"]);
    let client = Client::new();
    let index = client.get(&broker.at("/")).await;
    assert_eq!(
        index.json["_links"]["pb:pacticipants"]["href"],
        "https://pact.example.com/broker/pacticipants"
    );
    drop(broker);
    let broker = Broker::start(&db, &[]);
    let proxied = client.send("GET", &broker.at("/"), None, &[("Host", "proxy.internal:8443")]).await;
    assert_eq!(proxied.json["_links"]["pb:pacticipants"]["href"], "http://proxy.internal:8443/pacticipants");
    // A Host header that is not a host falls back to the address the broker listens on.
    let hostile = client.send("GET", &broker.at("/"), None, &[("Host", "evil.example/../x")]).await;
    assert_eq!(hostile.json["_links"]["pb:pacticipants"]["href"], json!(broker.at("/pacticipants")));
}

#[test]
fn sigterm_stops_the_broker_cleanly_and_the_default_database_is_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_pact-broker"));
    command.args(["--port", "0"]);
    let broker = Broker::spawn(command, Some(dir.path()));
    assert!(broker.url.starts_with("http://127.0.0.1:"), "{}", broker.url);
    let status = broker.terminate("-TERM");
    assert_eq!(status.code(), Some(0));
    assert!(dir.path().join("pact_broker.sqlite").is_file());
    // Ctrl-C (SIGINT) too, and the data of the first run is still there.
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_pact-broker"));
    command.args(["--port", "0"]);
    let broker = Broker::spawn(command, Some(dir.path()));
    assert_eq!(broker.terminate("-INT").code(), Some(0));
}

#[tokio::test]
async fn every_flag_has_its_pact_broker_environment_variable() {
    let db = fresh_database(Backend::Sqlite).await;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_pact-broker"));
    command
        .env("PACT_BROKER_PORT", "0")
        .env("PACT_BROKER_DATABASE_URL", &db.url)
        .env("PACT_BROKER_BASIC_AUTH_USERNAME", "admin")
        .env("PACT_BROKER_BASIC_AUTH_PASSWORD", "pw")
        .env("PACT_BROKER_BASE_URL", "https://env.example");
    let broker = Broker::spawn(command, None);
    assert_eq!(Client::new().get(&broker.at("/")).await.status, 401);
    let index = Client::with_auth("admin", "pw").get(&broker.at("/")).await;
    assert_eq!(index.json["_links"]["self"]["href"], "https://env.example/");
    assert!(db.sqlite_path().unwrap().is_file());
}

#[test]
fn usage_errors_exit_2_with_a_one_line_cause() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pact-broker"))
        .args(["--public-url", "ftp://x", "--port", "0"])
        .env_remove("PACT_BROKER_BASE_URL")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--public-url: \"ftp://x\" must be an http:// or https:// URL"), "{stderr}");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pact-broker"))
        .args(["--basic-auth-username", "u", "--port", "0"])
        .env_remove("PACT_BROKER_BASIC_AUTH_PASSWORD")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "a user without a password");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pact-broker"))
        .args(["--port", "0", "--database-url", "/nonexistent-dir/x/broker.sqlite"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not exist"));
}
