//! Webhooks against a real `pact-broker` process, on SQLite and PostgreSQL, with a receiver
//! on 127.0.0.1 (an axum app that records every request it gets):
//!
//! - `contract_requiring_verification_published` fires once per provider version that has not
//!   verified the new content (the main branch's latest, a deployed one), with the rendered
//!   URL, headers, basic auth and JSON body; its `pactUrl` is fetchable;
//! - `contract_content_changed` is retried after the receiver's 500, and the execution log
//!   shows both attempts; a refused publish triggers nothing;
//! - a request that hangs times out; a webhook left `retrying` is sent by the restarted broker
//!   after a `kill -9` (the outbox is in the database);
//! - the API: create, read (credentials redacted), update, delete, scoped lists, schemes, the
//!   read-only user; and `pact broker create-webhook` / `test-webhook` / `delete-webhook` of the
//!   official CLI.

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use base64::Engine as _;
use serde_json::{json, Value};
use support::*;

const USER: &str = "admin";
const PASSWORD: &str = "broker-s3cret";

on_both_backends!(
    webhooks_fire_after_the_publish_commits_with_rendered_requests_retries_and_logs,
    an_unanswered_webhook_times_out_and_a_retrying_one_survives_a_kill_9,
    the_webhook_resources_validate_redact_and_scope,
    the_official_cli_creates_and_deletes_webhooks,
);

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    path: String,
    query: String,
    headers: HeaderMap,
    body: String,
    at: Instant,
}

/// The receiver: records requests; answers 500 while a path has failures left, then 200; a
/// path starting with `/slow` waits 30 s first.
#[derive(Clone, Default)]
struct Receiver {
    requests: Arc<Mutex<Vec<Received>>>,
    failures: Arc<Mutex<HashMap<String, usize>>>,
    url: String,
}

impl Receiver {
    async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let receiver =
            Receiver { url: format!("http://{}", listener.local_addr().unwrap()), ..Receiver::default() };
        let state = receiver.clone();
        let app =
            axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move {
                    let path = uri.path().to_string();
                    state.requests.lock().unwrap().push(Received {
                        method: method.to_string(),
                        path: path.clone(),
                        query: uri.query().unwrap_or("").to_string(),
                        headers,
                        body: String::from_utf8_lossy(&body).to_string(),
                        at: Instant::now(),
                    });
                    if path.starts_with("/slow") {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                    let mut failures = state.failures.lock().unwrap();
                    match failures.get_mut(&path) {
                        Some(n) if *n > 0 => {
                            *n -= 1;
                            (StatusCode::INTERNAL_SERVER_ERROR, "receiver failure")
                        }
                        _ => (StatusCode::OK, "received"),
                    }
                }
            });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        receiver
    }

    fn fail(&self, path: &str, times: usize) {
        self.failures.lock().unwrap().insert(path.to_string(), times);
    }

    fn on(&self, prefix: &str) -> Vec<Received> {
        self.requests.lock().unwrap().iter().filter(|r| r.path.starts_with(prefix)).cloned().collect()
    }

    /// Waits (at most 60 s) until `count` requests to paths starting with `prefix` arrived.
    async fn wait_for(&self, prefix: &str, count: usize, broker: &Broker) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let got = self.on(prefix);
            if got.len() >= count {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{count} requests to {prefix} expected, got {}: {got:#?}\nbroker log: {}",
                got.len(),
                broker.stderr()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn start(db: &Database, retry_schedule: &str) -> Broker {
    let args = vec![
        "--basic-auth-username",
        USER,
        "--basic-auth-password",
        PASSWORD,
        "--read-only-username",
        "reader",
        "--read-only-password",
        "r3ad",
        "--webhook-retry-schedule",
        retry_schedule,
        "--webhook-request-timeout",
        "2",
    ];
    Broker::start(db, &args)
}

fn admin() -> Client {
    Client::with_auth(USER, PASSWORD)
}

fn basic(header: &HeaderMap) -> String {
    let value = header.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    let encoded = value.strip_prefix("Basic ").unwrap_or("");
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded).unwrap_or_default()).unwrap()
}

/// Provider Bar with 2.0 on its main branch and 1.5 deployed to production; consumer Foo.
async fn provider_versions(broker: &Broker, client: &Client) {
    assert_eq!(
        client.put(&broker.at("/pacticipants/Bar/branches/main/versions/1.5"), &json!({})).await.status,
        201
    );
    assert_eq!(
        client.put(&broker.at("/pacticipants/Bar/branches/main/versions/2.0"), &json!({})).await.status,
        201
    );
    let env =
        client.post(&broker.at("/environments"), &json!({"name": "production", "production": true})).await;
    assert_eq!(env.status, 201, "{}", env.text);
    let uuid = env.json["uuid"].as_str().unwrap();
    let deployed = client
        .post(
            &broker.at(&format!("/pacticipants/Bar/versions/1.5/deployed-versions/environment/{uuid}")),
            &json!({}),
        )
        .await;
    assert_eq!(deployed.status, 201, "{}", deployed.text);
    assert_eq!(client.post(&broker.at("/pacticipants"), &json!({"name": "Foo"})).await.status, 201);
}

async fn webhooks_fire_after_the_publish_commits_with_rendered_requests_retries_and_logs(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = start(&db, "1 1");
    let client = admin();
    let receiver = Receiver::start().await;
    provider_versions(&broker, &client).await;

    let requiring = client
        .post(
            &broker.at("/webhooks"),
            &json!({
                "description": "Verify Foo's new pact",
                "consumer": {"name": "Foo"},
                "provider": {"name": "Bar"},
                "events": [{"name": "contract_requiring_verification_published"}],
                "request": {
                    "method": "POST",
                    "url": format!("{}/verify/${{pactbroker.providerVersionNumber}}?pact=${{pactbroker.pactUrl}}&who=${{pactbroker.consumerName}}", receiver.url),
                    "headers": {"Content-Type": "application/json", "X-Consumer": "${pactbroker.consumerName}", "X-Api-Token": "t0ken-value"},
                    "body": {
                        "pactUrl": "${pactbroker.pactUrl}",
                        "consumer": "${pactbroker.consumerName}",
                        "provider": "${pactbroker.providerName}",
                        "consumerVersion": "${pactbroker.consumerVersionNumber}",
                        "consumerBranch": "${pactbroker.consumerVersionBranch}",
                        "consumerTags": "${pactbroker.consumerVersionTags}",
                        "providerVersion": "${pactbroker.providerVersionNumber}",
                        "providerBranch": "${pactbroker.providerVersionBranch}",
                        "why": "${pactbroker.providerVersionDescriptions}",
                        "build": "${pactbroker.buildUrl}",
                        "event": "${pactbroker.eventName}",
                        "status": "${pactbroker.githubVerificationStatus}"
                    },
                    "username": "hook-user",
                    "password": "hook-pass"
                }
            }),
        )
        .await;
    assert_eq!(requiring.status, 201, "{}", requiring.text);
    let changed = client
        .post(
            &broker.at("/webhooks/provider/Bar"),
            &json!({
                "events": [{"name": "contract_content_changed"}],
                "request": {"method": "POST", "url": format!("{}/changed", receiver.url), "body": "changed: ${pactbroker.consumerName} ${pactbroker.consumerVersionNumber}"}
            }),
        )
        .await;
    assert_eq!(changed.status, 201, "{}", changed.text);
    assert_eq!(changed.json["provider"]["name"], "Bar", "the scoped list's provider applies");
    receiver.fail("/changed", 1);

    // The publish: a branch and tags with spaces, a build URL.
    let mut body =
        contracts_body("Foo", "1.0.0", Some("feat/x"), &["t1", "t 2"], &[&pact("Foo", "Bar", "a")]);
    body["buildUrl"] = json!("https://ci.example/builds/1");
    let published = client.post(&broker.at("/contracts/publish"), &body).await;
    assert_eq!(published.status, 200, "{}", published.text);
    let notices: Vec<String> = published.json["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap().to_string())
        .collect();
    assert!(
        notices.iter().any(|n| n == "Webhook \"Verify Foo's new pact\" triggered for event contract_requiring_verification_published."),
        "{notices:#?}"
    );
    assert!(
        notices.iter().any(|n| n.contains("/triggered-webhooks/") && n.contains("View logs at")),
        "{notices:#?}"
    );

    // contract_requiring_verification_published: once for 2.0 (main) and once for 1.5 (deployed).
    let verify = receiver.wait_for("/verify/", 2, &broker).await;
    let mut by_version: HashMap<String, Received> = HashMap::new();
    for r in verify {
        by_version.insert(r.path.trim_start_matches("/verify/").to_string(), r);
    }
    let mut versions: Vec<&String> = by_version.keys().collect();
    versions.sort();
    assert_eq!(versions, ["1.5", "2.0"]);
    let main = &by_version["2.0"];
    assert_eq!(main.method, "POST");
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(main.query.as_bytes()).into_owned().collect();
    assert_eq!(query["who"], "Foo");
    let pact_url = &query["pact"];
    assert!(
        pact_url.starts_with(&format!("{}/pacts/provider/Bar/consumer/Foo/pact-version/", broker.url)),
        "{pact_url}"
    );
    assert!(pact_url.contains("/metadata/"), "{pact_url}");
    assert_eq!(main.headers["x-consumer"], "Foo");
    assert_eq!(main.headers["x-api-token"], "t0ken-value");
    assert_eq!(basic(&main.headers), "hook-user:hook-pass", "the webhook's credentials, never the broker's");
    let sent: Value = serde_json::from_str(&main.body).unwrap();
    assert_eq!(
        sent,
        json!({
            "pactUrl": pact_url,
            "consumer": "Foo",
            "provider": "Bar",
            "consumerVersion": "1.0.0",
            "consumerBranch": "feat/x",
            "consumerTags": "t1, t 2",
            "providerVersion": "2.0",
            "providerBranch": "main",
            "why": "latest from main branch",
            "build": "https://ci.example/builds/1",
            "event": "contract_requiring_verification_published",
            "status": "pending"
        })
    );
    let deployed: Value = serde_json::from_str(&by_version["1.5"].body).unwrap();
    assert_eq!(
        (deployed["providerVersion"].clone(), deployed["why"].clone()),
        (json!("1.5"), json!("deployed in production"))
    );
    // The pact URL is the pact, as a verifier given --webhook-callback-url fetches it.
    let fetched = client.get(pact_url).await;
    assert_eq!(fetched.status, 200, "{}", fetched.text);
    assert_eq!(fetched.json["consumer"]["name"], "Foo");
    assert!(fetched.json["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap()
        .contains("/metadata/"));

    // contract_content_changed: the receiver's 500, then the retry a second later.
    let changed_requests = receiver.wait_for("/changed", 2, &broker).await;
    assert_eq!(changed_requests[0].body, "changed: Foo 1.0.0");
    assert_eq!(changed_requests[1].body, "changed: Foo 1.0.0");
    assert!(changed_requests[0].headers.get("authorization").is_none(), "no credentials of the broker's");

    // The log, through the pact's triggered webhooks.
    let pact_resource = client.get(&broker.at(&pact_path("Bar", "Foo", "1.0.0"))).await;
    let triggered_href =
        pact_resource.json["_links"]["pb:triggered-webhooks"]["href"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    let changed_entry = loop {
        let list = client.get(&triggered_href).await;
        assert_eq!(list.status, 200, "{}", list.text);
        let items = list.json["_embedded"]["triggeredWebhooks"].as_array().unwrap().clone();
        assert_eq!(items.len(), 3, "{items:#?}");
        let entry = items.iter().find(|i| i["eventName"] == "contract_content_changed").unwrap().clone();
        if entry["status"] == "success" {
            break entry;
        }
        assert!(Instant::now() < deadline, "{entry:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(changed_entry["attemptsMade"], 2);
    assert_eq!(changed_entry["name"], "POST 127.0.0.1");
    let logs = client.get(changed_entry["_links"]["pb:logs"]["href"].as_str().unwrap()).await;
    assert_eq!(logs.status, 200, "{}", logs.text);
    let executions = logs.json["executions"].as_array().unwrap();
    assert_eq!(executions.len(), 2, "{:#}", logs.json);
    assert_eq!(
        (executions[0]["success"].clone(), executions[1]["success"].clone()),
        (json!(false), json!(true))
    );
    let first = executions[0]["logs"].as_str().unwrap();
    assert!(first.contains(&format!("HTTP/1.1 POST {}/changed", receiver.url)), "{first}");
    assert!(first.contains("HTTP/1.1 500 Internal Server Error"), "{first}");
    assert!(first.contains("Retrying webhook in 1 seconds"), "{first}");
    let second = executions[1]["logs"].as_str().unwrap();
    assert!(
        second.contains("HTTP/1.1 200 OK") && second.contains("Successfully executed webhook"),
        "{second}"
    );
    let text_logs = reqwest::Client::new()
        .get(changed_entry["_links"]["pb:logs"]["href"].as_str().unwrap())
        .header("Accept", "text/plain")
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(text_logs.headers()["content-type"], "text/plain;charset=utf-8");
    let text_logs = text_logs.text().await.unwrap();
    assert!(
        text_logs.contains("Retrying webhook in 1 seconds")
            && text_logs.contains("Successfully executed webhook")
    );
    // Secrets stay out of the logs.
    let requiring_entry = client.get(&triggered_href).await.json["_embedded"]["triggeredWebhooks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["eventName"] == "contract_requiring_verification_published")
        .unwrap()
        .clone();
    let requiring_logs =
        client.get(requiring_entry["_links"]["pb:logs"]["href"].as_str().unwrap()).await.text;
    assert!(
        !requiring_logs.contains("hook-pass") && !requiring_logs.contains("t0ken-value"),
        "{requiring_logs}"
    );
    assert!(requiring_logs.contains("X-Api-Token: **********"), "{requiring_logs}");

    // After 2.0 verifies the content, a new version with the same content needs only 1.5; a
    // publish with unchanged content (same tags) does not fire contract_content_changed.
    let verification = client
        .post(
            fetched.json["_links"]["pb:publish-verification-results"]["href"].as_str().unwrap(),
            &json!({"success": true, "providerApplicationVersion": "2.0"}),
        )
        .await;
    assert_eq!(verification.status, 201, "{}", verification.text);
    let again = contracts_body("Foo", "1.0.1", Some("feat/x"), &["t1", "t 2"], &[&pact("Foo", "Bar", "a")]);
    assert_eq!(client.post(&broker.at("/contracts/publish"), &again).await.status, 200);
    let verify = receiver.wait_for("/verify/", 3, &broker).await;
    assert_eq!(verify[2].path, "/verify/1.5");
    let status: Value = serde_json::from_str(&verify[2].body).unwrap();
    assert_eq!(status["status"], "success", "the content's latest verification");
    // A refused publish (changed content for a published version) triggers nothing.
    let conflict = contracts_body("Foo", "1.0.1", None, &[], &[&pact("Foo", "Bar", "b")]);
    assert_eq!(client.post(&broker.at("/contracts/publish"), &conflict).await.status, 409);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.on("/verify/").len(), 3);
    assert_eq!(
        receiver.on("/changed").len(),
        2,
        "unchanged content and a refused publish do not change the content"
    );
}

async fn an_unanswered_webhook_times_out_and_a_retrying_one_survives_a_kill_9(backend: Backend) {
    let db = fresh_database(backend).await;
    let mut broker = start(&db, "5");
    let client = admin();
    let receiver = Receiver::start().await;
    assert_eq!(client.post(&broker.at("/pacticipants"), &json!({"name": "Foo"})).await.status, 201);
    for path in ["slow", "flaky"] {
        let created = client
            .post(
                &broker.at("/webhooks"),
                &json!({"consumer": {"name": "Foo"}, "events": [{"name": "contract_published"}],
                        "request": {"method": "POST", "url": format!("{}/{path}", receiver.url)}}),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
    }
    receiver.fail("/flaky", 1);
    let body = contracts_body("Foo", "1", None, &[], &[&pact("Foo", "Bar", "a")]);
    assert_eq!(client.post(&broker.at("/contracts/publish"), &body).await.status, 200);
    let triggered = broker.at(&format!("{}/triggered-webhooks", pact_path("Bar", "Foo", "1")));
    // Wait for both first attempts to be recorded: /flaky got a 500 and /slow timed out after
    // 2 s; both are `retrying`, due 5 seconds later.
    let deadline = Instant::now() + Duration::from_secs(30);
    let entries = loop {
        let list = client.get(&triggered).await;
        let entries = list.json["_embedded"]["triggeredWebhooks"].as_array().unwrap().clone();
        if entries.len() == 2 && entries.iter().all(|t| t["status"] == "retrying" && t["attemptsMade"] == 1) {
            break entries;
        }
        assert!(Instant::now() < deadline, "{}", list.text);
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut logs = String::new();
    for entry in &entries {
        logs.push_str(&client.get(entry["_links"]["pb:logs"]["href"].as_str().unwrap()).await.text);
    }
    assert!(logs.contains("timed out"), "{logs}");
    assert!(logs.contains("HTTP/1.1 500 Internal Server Error"), "{logs}");

    // kill -9, restart: the retry is in the database, and the new process sends it, once.
    broker.kill();
    let killed_at = Instant::now();
    let broker = start(&db, "5");
    let flaky = receiver.wait_for("/flaky", 2, &broker).await;
    assert!(flaky[1].at > killed_at, "the retry came from the restarted broker");
    let triggered = broker.at(&format!("{}/triggered-webhooks", pact_path("Bar", "Foo", "1")));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let list = client.get(&triggered).await;
        let done = list.json["_embedded"]["triggeredWebhooks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["status"] == "success" && t["attemptsMade"] == 2);
        if done {
            break;
        }
        assert!(Instant::now() < deadline, "{}", list.text);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(receiver.on("/flaky").len(), 2);
}

async fn the_webhook_resources_validate_redact_and_scope(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = start(&db, "1 1");
    let client = admin();
    let reader = Client::with_auth("reader", "r3ad");
    assert_eq!(client.post(&broker.at("/pacticipants"), &json!({"name": "Foo"})).await.status, 201);
    assert_eq!(client.post(&broker.at("/pacticipants"), &json!({"name": "Bar"})).await.status, 201);
    let request = json!({"method": "POST", "url": "https://ci.example/build", "password": "p4ss",
                         "headers": {"Authorization": "Bearer abc", "Accept": "application/json"}});

    // Refusals: schemes, methods, templated hosts, unknown pacticipants and events, the reader.
    for (body, field) in [
        (json!({"request": {"method": "POST", "url": "file:///etc/passwd"}}), "url"),
        (json!({"request": {"method": "POST", "url": "ftp://ci.example/x"}}), "url"),
        (json!({"request": {"method": "POST", "url": "https://${pactbroker.consumerName}.example/"}}), "url"),
        (json!({"request": {"method": "DELETE", "url": "https://ci.example/"}}), "method"),
    ] {
        let refused = client.post(&broker.at("/webhooks"), &body).await;
        assert_eq!(refused.status, 400, "{body}: {}", refused.text);
        assert!(refused.json["errors"]["request"][field].is_array(), "{}", refused.text);
    }
    let unknown = client
        .post(&broker.at("/webhooks"), &json!({"consumer": {"name": "Nobody"}, "request": request}))
        .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.json["errors"]["consumer"]["name"][0], "No pacticipant with name 'Nobody' found");
    let bad_event = client
        .post(&broker.at("/webhooks"), &json!({"events": [{"name": "nope"}], "request": request}))
        .await;
    assert_eq!(bad_event.status, 400, "{}", bad_event.text);
    assert_eq!(reader.post(&broker.at("/webhooks"), &json!({"request": request})).await.status, 403);

    // Create (no events: contract_content_changed), read with credentials redacted.
    let created = client
        .post(
            &broker.at("/webhooks"),
            &json!({"consumer": {"name": "Foo"}, "provider": {"name": "Bar"}, "request": request}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let href = created.header("location").unwrap().to_string();
    let shown = reader.get(&href).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json["events"], json!([{"name": "contract_content_changed"}]));
    assert_eq!(shown.json["description"], "A webhook for the pact between Foo and Bar");
    assert_eq!(shown.json["request"]["password"], "**********");
    assert_eq!(shown.json["request"]["headers"]["Authorization"], "**********");
    assert_eq!(shown.json["request"]["headers"]["Accept"], "application/json");
    assert!(!shown.text.contains("p4ss") && !shown.text.contains("Bearer abc"));
    assert_eq!(
        shown.json["_links"]["pb:pact-webhooks"]["href"],
        broker.at("/webhooks/provider/Bar/consumer/Foo")
    );

    // Scoped lists show exactly their scope; the pact's list is the pair's.
    let pair = client.get(&broker.at("/webhooks/provider/Bar/consumer/Foo")).await;
    assert_eq!(pair.json["_links"]["pb:webhooks"].as_array().unwrap().len(), 1, "{}", pair.text);
    assert_eq!(
        client.get(&broker.at("/pacts/provider/Bar/consumer/Foo/webhooks")).await.json["_links"]
            ["pb:webhooks"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        client.get(&broker.at("/webhooks/provider/Bar")).await.json["_links"]["pb:webhooks"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(client.get(&broker.at("/webhooks/consumer/Nobody")).await.status, 404);
    assert_eq!(
        client.get(&broker.at("/webhooks")).await.json["_links"]["pb:webhooks"].as_array().unwrap().len(),
        1
    );

    // PUT with a uuid creates, then updates; a short uuid is refused.
    let uuid_href = broker.at("/webhooks/my-own-webhook-uuid-1");
    let put = client.put(&uuid_href, &json!({"description": "mine", "request": request})).await;
    assert_eq!(put.status, 201, "{}", put.text);
    let put = client
        .put(&uuid_href, &json!({"description": "mine, updated", "enabled": false, "request": request}))
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(
        (put.json["description"].clone(), put.json["enabled"].clone()),
        (json!("mine, updated"), json!(false))
    );
    assert_eq!(client.put(&broker.at("/webhooks/short"), &json!({"request": request})).await.status, 400);

    // Delete.
    assert_eq!(client.delete(&href).await.status, 204);
    assert_eq!(client.get(&href).await.status, 404);
    assert_eq!(client.delete(&href).await.status, 404);
    // The index links to the webhooks.
    assert_eq!(
        client.get(&broker.at("/")).await.json["_links"]["pb:webhooks"]["href"],
        broker.at("/webhooks")
    );
}

async fn the_official_cli_creates_and_deletes_webhooks(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = start(&db, "1 1");
    let client = admin();
    let receiver = Receiver::start().await;
    for name in ["Foo", "Bar"] {
        assert_eq!(client.post(&broker.at("/pacticipants"), &json!({"name": name})).await.status, 201);
    }
    let cli = |command: &[&str]| {
        let mut args: Vec<String> = ["broker"].iter().chain(command).map(|s| s.to_string()).collect();
        args.extend(
            ["--broker-base-url", &broker.url, "--broker-username", USER, "--broker-password", PASSWORD]
                .map(String::from),
        );
        args
    };
    let url = format!("{}/from-cli", receiver.url);
    let created = official(cli(&[
        "create-webhook",
        &url,
        "--request",
        "POST",
        "--header",
        "Content-Type: application/json",
        "--data",
        r#"{"pact": "${pactbroker.pactUrl}", "version": "${pactbroker.consumerVersionNumber}"}"#,
        "--consumer",
        "Foo",
        "--provider",
        "Bar",
        "--description",
        "from the official CLI",
        "--contract-content-changed",
    ]))
    .await;
    assert_eq!(created.status.code(), Some(0), "{}", text(&created));
    let listed = client.get(&broker.at("/webhooks")).await;
    let links = listed.json["_links"]["pb:webhooks"].as_array().unwrap().clone();
    assert_eq!(links.len(), 1, "{}", listed.text);
    assert_eq!(links[0]["name"], "from the official CLI");
    let webhook = client.get(links[0]["href"].as_str().unwrap()).await;
    let uuid = webhook.json["uuid"].as_str().unwrap().to_string();

    let body = contracts_body("Foo", "3.1", Some("main"), &[], &[&pact("Foo", "Bar", "a")]);
    assert_eq!(client.post(&broker.at("/contracts/publish"), &body).await.status, 200);
    let got = receiver.wait_for("/from-cli", 1, &broker).await;
    let sent: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(sent["version"], "3.1");
    assert!(sent["pact"].as_str().unwrap().contains("/pacts/provider/Bar/consumer/Foo/pact-version/"));
    assert_eq!(got[0].headers["content-type"], "application/json");

    // pact broker test-webhook: POST to pb:execute, with the latest pact of the pair.
    let tested = official(cli(&["test-webhook", "--uuid", &uuid])).await;
    assert_eq!(tested.status.code(), Some(0), "{}", text(&tested));
    assert!(text(&tested).contains("Successfully executed webhook"), "{}", text(&tested));
    let got = receiver.wait_for("/from-cli", 2, &broker).await;
    assert_eq!(serde_json::from_str::<Value>(&got[1].body).unwrap()["version"], "3.1");

    let deleted = official(cli(&["delete-webhook", "--uuid", &uuid])).await;
    assert_eq!(deleted.status.code(), Some(0), "{}", text(&deleted));
    assert_eq!(client.get(&broker.at(&format!("/webhooks/{uuid}"))).await.status, 404);
}
