//! `pact stub` as a user runs it: a real process on 127.0.0.1 with an ephemeral port, driven
//! by a real HTTP client (reqwest) and by the demo client.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use demo_client::UserClient;
use serde_json::{json, Value};
use test_support::broker::PactBroker;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn demo_pact() -> String {
    workspace().join("tests/pacts/UserServiceClient-UserService.json").display().to_string()
}

/// A running `pact stub`, stopped when dropped.
struct Stub {
    url: String,
    child: Child,
    stderr: PathBuf,
    _dir: tempfile::TempDir,
}

impl Stub {
    fn start(args: &[&str]) -> Stub {
        let dir = tempfile::tempdir().unwrap();
        let stderr = dir.path().join("stderr.log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_pact"))
            .arg("stub")
            .args(args)
            .env_remove("PACT_BROKER_BASE_URL")
            .env_remove("PACT_BROKER_TOKEN")
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = send.send(line);
        });
        let line = receive.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
        let Some(url) = line.split_whitespace().find(|u| u.starts_with("http://")) else {
            let _ = child.kill();
            panic!(
                "pact stub did not start: {line:?}\n{}",
                std::fs::read_to_string(&stderr).unwrap_or_default()
            );
        };
        Stub { url: url.to_string(), child, stderr, _dir: dir }
    }

    fn logs(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap()
}

/// Waits until the log holds `text` (the log is written just after the answer is sent).
fn wait_for_log(stub: &Stub, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let logs = stub.logs();
        if logs.contains(text) || Instant::now() > deadline {
            return logs;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn the_demo_client_gets_usera_from_the_stub_of_the_demo_pact() {
    let stub = Stub::start(&[&demo_pact()]);
    let user =
        UserClient::new(&stub.url).get_user("UserA").await.unwrap().expect("the 2xx interaction answers");
    assert_eq!(user.name, "UserA");
    assert_eq!(user.id, "fc763eba-0905-41c5-a27f-3934ab26786c");
    assert!(!user.admin);
    let logs = wait_for_log(&stub, "-> 200");
    assert!(
        logs.contains(
            r#"GET /users/UserA -> 200: "a request for UserA" given "UserA exists and is not an administrator""#
        ),
        "{logs}"
    );
    assert!(logs.contains("1 other interaction(s) matched as well"), "{logs}");
}

#[tokio::test]
async fn a_provider_state_flag_or_header_chooses_another_interaction() {
    let stub = Stub::start(&["--port", "0", "--provider-state", "does not exist", "-f", &demo_pact()]);
    assert_eq!(UserClient::new(&stub.url).get_user("UserA").await.unwrap(), None);

    let stub = Stub::start(&[&demo_pact()]);
    let answer = http()
        .get(stub.url("/users/UserA"))
        .header("X-Pact-Provider-State", "UserA does not")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 404);
    let answer =
        http().get(stub.url("/users/UserA")).header("X-Pact-Provider-State", "(").send().await.unwrap();
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("not a regular expression"), "{body}");
}

#[tokio::test]
async fn an_unmatched_request_gets_a_404_saying_why_and_is_logged() {
    let stub = Stub::start(&[&demo_pact()]);
    let answer = http().get(stub.url("/users/UserA?verbose=1")).send().await.unwrap();
    assert_eq!(answer.status(), 404);
    assert_eq!(answer.headers()["access-control-allow-origin"], "*");
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"], "no interaction matches GET /users/UserA?verbose=1", "{body}");
    let reasons = body["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 2, "{body}");
    assert!(reasons[0].as_str().unwrap().contains("$.query.verbose: unexpected query parameter"), "{body}");

    let answer = http().delete(stub.url("/users/UserB")).send().await.unwrap();
    assert_eq!(answer.status(), 404);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"], "no interaction has the route DELETE /users/UserB");
    assert_eq!(body["closest"], r#""a request for UserA" given "UserA does not exist""#);

    let logs = wait_for_log(&stub, "DELETE /users/UserB -> 404");
    assert!(logs.contains("GET /users/UserA?verbose=1 -> 404: no interaction matches"), "{logs}");
    assert!(logs.contains("$.query.verbose: unexpected query parameter"), "{logs}");
    assert!(logs.contains("DELETE /users/UserB -> 404: no interaction has the route"), "{logs}");
    assert!(logs.contains("$.method: expected GET but found DELETE"), "{logs}");
}

#[tokio::test]
async fn cors_preflight_is_answered_with_cors() {
    let stub = Stub::start(&["--cors", &demo_pact()]);
    let answer = http()
        .request(reqwest::Method::OPTIONS, stub.url("/users/UserA"))
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "accept, x-trace")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let headers = answer.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert!(headers["access-control-allow-methods"].to_str().unwrap().contains("GET"));
    assert_eq!(headers["access-control-allow-headers"], "accept, x-trace");
    // Every answer allows any origin, as pact_stub_server's do.
    let answer = http().get(stub.url("/users/UserA")).send().await.unwrap();
    assert_eq!(answer.headers()["access-control-allow-origin"], "*");

    let referer = Stub::start(&["-o", "--cors-referer", &demo_pact()]);
    let answer = http()
        .request(reqwest::Method::OPTIONS, referer.url("/anything"))
        .header("Referer", "http://localhost:3000/page")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()["access-control-allow-origin"], "http://localhost:3000/page");

    let without = Stub::start(&[&demo_pact()]);
    let answer = http().request(reqwest::Method::OPTIONS, without.url("/users/UserA")).send().await.unwrap();
    assert_eq!(answer.status(), 404, "no pre-flight reply without --cors");
}

fn write_pact(path: &Path, interactions: Value) {
    let pact = json!({
        "consumer": {"name": "Web"},
        "provider": {"name": "Api"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    });
    std::fs::write(path, serde_json::to_vec_pretty(&pact).unwrap()).unwrap();
}

#[tokio::test]
async fn generators_fill_the_responses() {
    let dir = tempfile::tempdir().unwrap();
    write_pact(
        &dir.path().join("Web-Api.json"),
        json!([{
            "description": "a new order",
            "providerStates": [{"name": "a customer", "params": {"customer": "C-7"}}],
            "request": {"method": "POST", "path": "/orders", "headers": {"Content-Type": "application/json"},
                        "body": {"item": "book"}},
            "response": {
                "status": 201,
                "headers": {"Content-Type": "application/json"},
                "body": {"id": "00000000-0000-4000-8000-000000000000", "count": 1, "customer": "C-1", "item": "book",
                         "href": "http://localhost:1234/orders/1"},
                "generators": {"body": {
                    "$.href": {"type": "MockServerURL", "example": "http://localhost:1234/orders/1", "regex": ".*(/orders/\\d+)$"},
                    "$.id": {"type": "Uuid"},
                    "$.count": {"type": "RandomInt", "min": 100, "max": 200},
                    "$.customer": {"type": "ProviderState", "expression": "${customer}"}
                }}
            }
        }]),
    );
    let stub = Stub::start(&["-d", &dir.path().display().to_string()]);
    let mut ids = Vec::new();
    for _ in 0..2 {
        let answer = http().post(stub.url("/orders")).json(&json!({"item": "book"})).send().await.unwrap();
        assert_eq!(answer.status(), 201);
        let body: Value = answer.json().await.unwrap();
        let id = body["id"].as_str().unwrap().to_string();
        assert_eq!(id.len(), 36, "{body}");
        assert_ne!(id, "00000000-0000-4000-8000-000000000000");
        assert!((100..=200).contains(&body["count"].as_i64().unwrap()), "{body}");
        assert_eq!(body["customer"], "C-7", "filled from the state's params");
        assert_eq!(body["href"], stub.url("/orders/1"), "MockServerURL points at the stub");
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1]);
    // A POST whose body does not match is not answered.
    let answer = http().post(stub.url("/orders")).json(&json!({"item": "pen"})).send().await.unwrap();
    assert_eq!(answer.status(), 404);
}

#[tokio::test]
async fn generators_fill_xml_responses() {
    let dir = tempfile::tempdir().unwrap();
    write_pact(
        &dir.path().join("Web-Api.json"),
        json!([{
            "description": "a receipt",
            "providerStates": [{"name": "an order", "params": {"order": "O-7"}}],
            "request": {"method": "GET", "path": "/receipt"},
            "response": {
                "status": 200,
                "headers": {"Content-Type": "application/xml"},
                "body": "<receipt number=\"1\"><order>O-1</order><id>x</id></receipt>",
                "generators": {"body": {
                    "$.receipt['@number']": {"type": "RandomInt", "min": 100, "max": 200},
                    "$.receipt.order['#text']": {"type": "ProviderState", "expression": "${order}"},
                    "$.receipt.id['#text']": {"type": "Uuid"}
                }}
            }
        }]),
    );
    let stub = Stub::start(&["-d", &dir.path().display().to_string()]);
    let answer = http().get(stub.url("/receipt")).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-type"], "application/xml");
    let body = answer.text().await.unwrap();
    let document = roxmltree::Document::parse(&body).unwrap();
    let receipt = document.root_element();
    let number: i64 = receipt.attribute("number").unwrap().parse().unwrap();
    assert!((100..=200).contains(&number), "{body}");
    let text = |name: &str| receipt.children().find(|n| n.has_tag_name(name)).and_then(|n| n.text()).unwrap();
    assert_eq!(text("order"), "O-7", "filled from the state's params: {body}");
    assert_eq!(text("id").len(), 36, "{body}");
}

#[tokio::test]
async fn watch_reloads_a_changed_pact_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Web-Api.json");
    let ping = |answer: &str| {
        json!([{"description": "a ping", "request": {"method": "GET", "path": "/ping"},
                "response": {"status": 200, "headers": {"Content-Type": "text/plain"}, "body": answer}}])
    };
    write_pact(&file, ping("one"));
    let stub = Stub::start(&["--watch", &file.display().to_string()]);
    let text = |url: String| async move { http().get(url).send().await.unwrap().text().await.unwrap() };
    assert_eq!(text(stub.url("/ping")).await, "one");

    // A broken file is reported and the previous pacts keep answering.
    std::fs::write(&file, "{ not json").unwrap();
    let logs = wait_for_log(&stub, "cannot reload the pacts");
    assert!(logs.contains("cannot reload the pacts, still serving the previous ones"), "{logs}");
    assert!(logs.contains(&file.display().to_string()), "the error names the file: {logs}");
    assert_eq!(text(stub.url("/ping")).await, "one");

    write_pact(&file, ping("two"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while text(stub.url("/ping")).await != "two" {
        assert!(Instant::now() < deadline, "the stub did not reload: {}", stub.logs());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn pacts_are_loaded_from_a_broker_by_provider_and_consumer() {
    let broker = PactBroker::start();
    let published = Command::new(env!("CARGO_BIN_EXE_pact"))
        .args(["publish", &demo_pact(), "--consumer-app-version", "0.1", "--broker-base-url", &broker.url])
        .env_remove("PACT_BROKER_TOKEN")
        .output()
        .unwrap();
    assert!(published.status.success(), "{}", String::from_utf8_lossy(&published.stderr));

    let stub = Stub::start(&[
        "--broker-url",
        &broker.url,
        "--provider-name",
        "UserService",
        "--consumer-name",
        "User.*",
    ]);
    let user = UserClient::new(&stub.url).get_user("UserA").await.unwrap().unwrap();
    assert_eq!(user.name, "UserA");

    let filtered = Command::new(env!("CARGO_BIN_EXE_pact"))
        .args(["stub", "-b", &broker.url, "--provider-name", "SomeoneElse"])
        .output()
        .unwrap();
    assert_eq!(filtered.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&filtered.stderr).contains("hold no HTTP interactions"));
}

#[test]
fn usage_and_pact_errors_exit_2_with_one_line() {
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_pact"))
            .arg("stub")
            .args(args)
            .env_remove("PACT_BROKER_BASE_URL")
            .output()
            .unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let (code, stderr) = run(&[]);
    assert_eq!(code, Some(2));
    assert!(stderr.starts_with("pact: no pacts to serve"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"consumer": {"name": "A"}, "provider": {"name": "B"}, "interactions": [{"description": 3}]}"#,
    )
    .unwrap();
    let (code, stderr) = run(&[&bad.display().to_string()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("bad.json") && stderr.contains("$.interactions[0].description"), "{stderr}");

    let (code, stderr) = run(&["--provider-state", "(", &demo_pact()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--provider-state"), "{stderr}");
}

/// pact_stub_server's own command line (from the official consolidated CLI's `pact stub
/// --help`) starts ours unchanged.
#[tokio::test]
async fn the_official_stub_command_line_is_accepted() {
    let dir = workspace().join("tests/pacts").display().to_string();
    let stub = Stub::start(&[
        "-d",
        &dir,
        "-e",
        "json",
        "-p",
        "0",
        "-o",
        "-s",
        "exists and",
        "--empty-provider-state",
        "--provider-state-header-name",
        "X-State",
        "-l",
        "info",
        "--retries",
        "2",
        "-w",
    ]);
    let answer = http().get(stub.url("/users/UserA")).header("X-State", "does not").send().await.unwrap();
    assert_eq!(answer.status(), 404);
    let user = UserClient::new(&stub.url).get_user("UserA").await.unwrap();
    assert_eq!(user.unwrap().name, "UserA");
}

/// A free port on 127.0.0.1 (bound, read, released).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The official `pact stub` (pact_stub_server), killed when dropped.
struct OfficialStub(Child);

impl Drop for OfficialStub {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The official `pact stub` started with `args` and the port it listens on (waited for).
async fn official_stub(args: &[String], port: u16) -> (OfficialStub, String) {
    let official = OfficialStub(
        test_support::official_command()
            .arg("stub")
            .args(args)
            .env_remove("PACT_BROKER_BASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let official_url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while http().get(format!("{official_url}/")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the official pact stub did not start on port {port}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (official, official_url)
}

/// The same command line given to the official `pact stub` and to ours answers the same
/// requests the same way (status, CORS headers, body).
#[tokio::test]
async fn the_official_stub_and_ours_answer_alike() {
    let port = free_port();
    let pact = demo_pact();
    let args = |port: u16| {
        vec![
            "-f".to_string(),
            pact.clone(),
            "-p".into(),
            port.to_string(),
            "-s".into(),
            "exists and".into(),
            "-o".into(),
        ]
    };
    let (official, official_url) = official_stub(&args(port), port).await;
    let ours_args = args(free_port());
    let ours = Stub::start(&ours_args.iter().map(String::as_str).collect::<Vec<_>>());

    let requests: Vec<(reqwest::Method, &str, Option<&str>)> = vec![
        (reqwest::Method::GET, "/users/UserA", Some("application/json")),
        (reqwest::Method::GET, "/users/UserA?x=1", Some("application/json")),
        (reqwest::Method::GET, "/nothing", None),
        (reqwest::Method::OPTIONS, "/users/UserB", None),
    ];
    for (method, path, accept) in requests {
        let mut answers = Vec::new();
        for base in [official_url.as_str(), ours.url.as_str()] {
            let mut request = http().request(method.clone(), format!("{base}{path}"));
            if let Some(accept) = accept {
                request = request.header("Accept", accept);
            }
            let answer = request.send().await.unwrap();
            let status = answer.status().as_u16();
            let header = |name: &str| answer.headers().get(name).map(|v| v.to_str().unwrap().to_string());
            let cors = (header("access-control-allow-origin"), header("access-control-allow-methods"));
            let body = answer.bytes().await.unwrap();
            // Our 404 explains itself in a body; the official one is empty: compare 2xx bodies.
            let body = if status < 300 { body.to_vec() } else { Vec::new() };
            answers.push((status, cors, body));
        }
        assert_eq!(answers[0], answers[1], "{method} {path}: the official stub, then ours");
    }
    drop(official);
}

/// A rule on a repeated query parameter judges the list the same way in the official stub and in
/// ours (pact-reference's `match_query_values`): each interaction has its own path and a rule on
/// `lang=en&lang=de`, and each query string gets the same answer (matched or not) from both.
#[tokio::test]
async fn rules_on_repeated_query_parameters_match_alike_in_the_official_stub_and_ours() {
    let dir = tempfile::tempdir().unwrap();
    let two_letters = json!([{"match": "regex", "regex": "^[a-z]{2}$"}]);
    let rules = [
        ("equality", json!({"match": "equality"})),
        ("contains", json!({"match": "arrayContains", "variants": [{"index": 0, "rules": {}}]})),
        ("each-value", json!({"match": "eachValue", "rules": two_letters, "value": ""})),
        ("max", json!({"match": "type", "max": 2})),
        ("regex", json!({"match": "regex", "regex": "^[a-z]{2}$"})),
    ];
    let interactions: Vec<Value> = rules
        .iter()
        .map(|(name, rule)| {
            json!({
                "description": format!("languages by {name}"),
                "request": {
                    "method": "GET", "path": format!("/{name}"), "query": {"lang": ["en", "de"]},
                    "matchingRules": {"query": {"lang": {"matchers": [rule]}}}
                },
                "response": {"status": 200, "body": *name}
            })
        })
        .collect();
    let pact = dir.path().join("Web-Api.json");
    write_pact(&pact, Value::Array(interactions));
    let args = |port: u16| vec!["-f".to_string(), pact.display().to_string(), "-p".into(), port.to_string()];
    let port = free_port();
    let (official, official_url) = official_stub(&args(port), port).await;
    let ours = Stub::start(&args(free_port()).iter().map(String::as_str).collect::<Vec<_>>());
    let queries = [
        "lang=en&lang=de",
        "lang=en",
        "lang=de&lang=en",
        "lang=fr",
        "lang=en&lang=de&lang=fr",
        "lang=EN&lang=de",
    ];
    let mut verdicts = Vec::new();
    for (name, _) in &rules {
        for query in queries {
            let mut answers = Vec::new();
            for base in [official_url.as_str(), ours.url.as_str()] {
                let answer = http().get(format!("{base}/{name}?{query}")).send().await.unwrap();
                answers.push(answer.status().as_u16());
            }
            assert_eq!(answers[0], answers[1], "/{name}?{query}: the official stub, then ours");
            verdicts.push(answers[0] == 200);
        }
    }
    // The cases tell the rules apart: some queries match and some do not.
    assert!(verdicts.contains(&true) && verdicts.contains(&false), "{verdicts:?}");
    drop(official);
}
