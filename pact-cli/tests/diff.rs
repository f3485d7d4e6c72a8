//! `pact diff` as a user runs it: one pair of pacts for each rule of the classification, real
//! pairs made from the demo pact, OLD fetched from a real `pact-broker`, and
//! `pact publish --check-breaking`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};
use test_support::broker::PactBroker;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn demo_pact() -> PathBuf {
    workspace().join("tests/pacts/UserServiceClient-UserService.json")
}

fn pact(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pact"))
        .args(args)
        .env_remove("PACT_BROKER_BASE_URL")
        .env_remove("PACT_BROKER_TOKEN")
        .env_remove("PACT_BROKER_USERNAME")
        .env_remove("PACT_BROKER_PASSWORD")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// A V3 pact with these interactions.
fn pact_json(interactions: Value) -> Value {
    json!({
        "consumer": {"name": "Web"},
        "provider": {"name": "Api"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    })
}

/// One interaction: GET /thing answered with `response`.
fn thing(response: Value) -> Value {
    json!({
        "description": "a request for the thing",
        "providerStates": [{"name": "the thing exists"}],
        "request": {"method": "GET", "path": "/thing"},
        "response": response
    })
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    path.display().to_string()
}

/// Runs `pact diff --json OLD NEW` and returns the exit code and the report.
fn diff(old: &Value, new: &Value) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let (o, n) = (write(dir.path(), "old.json", old), write(dir.path(), "new.json", new));
    let output = pact(&["diff", "--json", &o, &n]);
    let report: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&output)));
    (output.status.code().unwrap(), report)
}

/// The verdict of the change at `path` of the only changed interaction.
fn verdict_at(report: &Value, path: &str) -> (String, String) {
    let changes = report["interactions"][0]["changes"].as_array().unwrap_or_else(|| panic!("{report:#}"));
    let change = changes
        .iter()
        .find(|c| c["path"] == path)
        .unwrap_or_else(|| panic!("no change at {path}: {report:#}"));
    (change["verdict"].as_str().unwrap().to_string(), change["reason"].as_str().unwrap().to_string())
}

fn body_with_rules(body: Value, rules: Value) -> Value {
    json!({"status": 200, "headers": {"Content-Type": "application/json"}, "body": body, "matchingRules": {"body": rules}})
}

fn rule(matchers: Value) -> Value {
    json!({"matchers": matchers, "combine": "AND"})
}

#[test]
fn identical_pacts_have_no_changes_and_exit_0() {
    let one = pact_json(json!([thing(json!({"status": 200}))]));
    let (code, report) = diff(&one, &one);
    assert_eq!(code, 0);
    assert_eq!(report["interactions"], json!([]));
    assert_eq!(report["breaking"], false);
    let output = pact(&["diff", &demo_pact().display().to_string(), &demo_pact().display().to_string()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output).contains("No changes."), "{}", text(&output));
}

#[test]
fn a_new_interaction_and_a_new_provider_state_are_breaking() {
    let old = pact_json(json!([thing(json!({"status": 200}))]));
    let mut other = thing(json!({"status": 200}));
    other["description"] = json!("a request for another thing");
    other["providerStates"] = json!([{"name": "another thing exists"}]);
    let new = pact_json(json!([thing(json!({"status": 200})), other]));
    let (code, report) = diff(&old, &new);
    assert_eq!(code, 1);
    let added = &report["interactions"][0];
    assert_eq!(added["change"], "added");
    assert_eq!(added["verdict"], "breaking");
    assert!(
        added["reason"].as_str().unwrap().contains("new provider state: \"another thing exists\""),
        "{report:#}"
    );

    // The same interaction moved to a state OLD never had.
    let mut moved = thing(json!({"status": 200}));
    moved["providerStates"] = json!([{"name": "the thing was archived"}]);
    let (code, report) = diff(&old, &pact_json(json!([moved])));
    assert_eq!(code, 1);
    let (verdict, reason) = verdict_at(&report, "$.providerStates[0]");
    assert_eq!(verdict, "breaking");
    assert!(reason.contains("new provider state"), "{reason}");
}

#[test]
fn a_removed_interaction_is_safe() {
    let mut other = thing(json!({"status": 404}));
    other["description"] = json!("a request for a missing thing");
    let old = pact_json(json!([thing(json!({"status": 200})), other]));
    let new = pact_json(json!([thing(json!({"status": 200}))]));
    let (code, report) = diff(&old, &new);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["interactions"][0]["change"], "removed");
    assert_eq!(report["interactions"][0]["verdict"], "safe");
    assert_eq!(report["summary"], json!({"breaking": 0, "undecided": 0, "safe": 1}));
}

#[test]
fn a_changed_status_is_breaking() {
    let (code, report) = diff(
        &pact_json(json!([thing(json!({"status": 200}))])),
        &pact_json(json!([thing(json!({"status": 201}))])),
    );
    assert_eq!(code, 1);
    let (verdict, reason) = verdict_at(&report, "$.status");
    assert_eq!(verdict, "breaking");
    assert!(reason.contains("a changed status"), "{reason}");
}

#[test]
fn a_newly_required_field_or_header_is_breaking_and_a_removed_one_safe() {
    let old = thing(
        json!({"status": 200, "headers": {"Content-Type": "application/json", "X-Old": "1"}, "body": {"name": "a", "legacy": true}}),
    );
    let new = thing(
        json!({"status": 200, "headers": {"Content-Type": "application/json", "X-Trace": "t"}, "body": {"name": "a", "email": "a@example.com"}}),
    );
    let (code, report) = diff(&pact_json(json!([old])), &pact_json(json!([new])));
    assert_eq!(code, 1);
    assert_eq!(
        verdict_at(&report, "$.body.email"),
        ("breaking".into(), "a newly required response field".into())
    );
    assert_eq!(
        verdict_at(&report, "$.headers.X-Trace"),
        ("breaking".into(), "a newly required response header".into())
    );
    assert_eq!(
        verdict_at(&report, "$.body.legacy"),
        ("safe".into(), "a response field no longer required".into())
    );
    assert_eq!(
        verdict_at(&report, "$.headers.X-Old"),
        ("safe".into(), "the response header is no longer required".into())
    );
}

#[test]
fn stricter_matchers_are_breaking() {
    let cases = [
        // type -> regex
        (
            json!({"$.id": rule(json!([{"match": "type"}]))}),
            json!({"$.id": rule(json!([{"match": "regex", "regex": "^[a-z]+$"}]))}),
            "stricter: type → regex ^[a-z]+$",
        ),
        // a higher min
        (
            json!({"$.items": rule(json!([{"match": "type", "min": 1}]))}),
            json!({"$.items": rule(json!([{"match": "type", "min": 2}]))}),
            "stricter: type with min 1 → type with min 2",
        ),
        // a narrower type
        (
            json!({"$.count": rule(json!([{"match": "number"}]))}),
            json!({"$.count": rule(json!([{"match": "integer"}]))}),
            "stricter: number → integer",
        ),
    ];
    for (old_rules, new_rules, reason) in cases {
        let body = json!({"id": "abc", "items": [1, 2], "count": 3});
        let path = format!(
            "$.body.{}",
            old_rules.as_object().unwrap().keys().next().unwrap().trim_start_matches("$.")
        );
        let (code, report) = diff(
            &pact_json(json!([thing(body_with_rules(body.clone(), old_rules))])),
            &pact_json(json!([thing(body_with_rules(body, new_rules))])),
        );
        assert_eq!(code, 1, "{report:#}");
        assert_eq!(verdict_at(&report, &path), ("breaking".to_string(), reason.to_string()), "{report:#}");
    }
}

#[test]
fn a_changed_regex_that_rejects_old_s_example_is_breaking_and_two_unrelated_ones_undecided() {
    let old = body_with_rules(
        json!({"code": "abc"}),
        json!({"$.code": rule(json!([{"match": "regex", "regex": "^[a-z]+$"}]))}),
    );
    let rejecting = body_with_rules(
        json!({"code": "123"}),
        json!({"$.code": rule(json!([{"match": "regex", "regex": "^[0-9]+$"}]))}),
    );
    let (code, report) = diff(&pact_json(json!([thing(old.clone())])), &pact_json(json!([thing(rejecting)])));
    assert_eq!(code, 1);
    let (verdict, reason) = verdict_at(&report, "$.body.code");
    assert_eq!(verdict, "breaking");
    assert!(reason.contains("OLD's example \"abc\" fails"), "{reason}");

    let unrelated = body_with_rules(
        json!({"code": "abc"}),
        json!({"$.code": rule(json!([{"match": "regex", "regex": "^a.*"}]))}),
    );
    let (code, report) = diff(&pact_json(json!([thing(old)])), &pact_json(json!([thing(unrelated)])));
    assert_eq!(code, 1, "undecided counts as breaking");
    let (verdict, reason) = verdict_at(&report, "$.body.code");
    assert_eq!(verdict, "undecided");
    assert!(reason.contains("cannot decide"), "{reason}");
    assert_eq!(report["summary"], json!({"breaking": 1, "undecided": 1, "safe": 0}));
}

#[test]
fn looser_matchers_are_safe() {
    let cases = [
        // regex -> type
        (
            json!({"$.id": rule(json!([{"match": "regex", "regex": "^[a-z]+$"}]))}),
            json!({"$.id": rule(json!([{"match": "type"}]))}),
        ),
        // equality -> type
        (json!({}), json!({"$.id": rule(json!([{"match": "type"}]))})),
        // a lower min
        (
            json!({"$.items": rule(json!([{"match": "type", "min": 2}]))}),
            json!({"$.items": rule(json!([{"match": "type", "min": 1}]))}),
        ),
        // integer -> number
        (
            json!({"$.count": rule(json!([{"match": "integer"}]))}),
            json!({"$.count": rule(json!([{"match": "number"}]))}),
        ),
    ];
    for (old_rules, new_rules) in cases {
        let body = json!({"id": "abc", "items": [1, 2], "count": 3});
        let (code, report) = diff(
            &pact_json(json!([thing(body_with_rules(body.clone(), old_rules))])),
            &pact_json(json!([thing(body_with_rules(body, new_rules))])),
        );
        assert_eq!(code, 0, "{report:#}");
        let changes = report["interactions"][0]["changes"].as_array().unwrap();
        assert!(!changes.is_empty() && changes.iter().all(|c| c["verdict"] == "safe"), "{report:#}");
    }
}

#[test]
fn request_examples_are_breaking_and_request_matchers_safe() {
    let mut old = thing(json!({"status": 200}));
    let mut new = old.clone();
    new["request"]["query"] = json!({"limit": ["10"]});
    let (code, report) = diff(&pact_json(json!([old.clone()])), &pact_json(json!([new])));
    assert_eq!(code, 1);
    assert_eq!(verdict_at(&report, "$.query").0, "breaking", "{report:#}");

    old["request"]["path"] = json!("/thing/1");
    let mut new = old.clone();
    new["request"]["matchingRules"] =
        json!({"path": {"matchers": [{"match": "regex", "regex": "^/thing/\\d+$"}], "combine": "AND"}});
    let (code, report) = diff(&pact_json(json!([old])), &pact_json(json!([new])));
    assert_eq!(code, 0, "{report:#}");
    let change = &report["interactions"][0]["changes"][0];
    assert_eq!(change["part"], "request");
    assert_eq!(change["verdict"], "safe");
}

/// The demo pact with one of its interactions changed by `edit`.
fn demo_with(edit: impl FnOnce(&mut Value)) -> Value {
    let mut value: Value = serde_json::from_str(&std::fs::read_to_string(demo_pact()).unwrap()).unwrap();
    edit(&mut value);
    value
}

fn demo() -> Value {
    demo_with(|_| {})
}

#[test]
fn real_pairs_from_the_demo_pact() {
    // A new field required.
    let (code, report) = diff(
        &demo(),
        &demo_with(|p| p["interactions"][1]["response"]["body"]["email"] = json!("a@example.com")),
    );
    assert_eq!(code, 1);
    assert_eq!(verdict_at(&report, "$.body.email").0, "breaking");
    assert_eq!(
        report["interactions"][0]["providerStates"],
        json!(["UserA exists and is not an administrator"])
    );

    // A regex tightened so that OLD's id no longer passes (upper-case hex only).
    let (code, report) = diff(
        &demo(),
        &demo_with(|p| {
            p["interactions"][1]["response"]["matchingRules"]["body"]["$.id"]["matchers"][0]["regex"] =
                json!("^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$")
        }),
    );
    assert_eq!(code, 1);
    let (verdict, reason) = verdict_at(&report, "$.body.id");
    assert_eq!(verdict, "breaking");
    assert!(reason.contains("\"fc763eba-0905-41c5-a27f-3934ab26786c\" fails"), "{reason}");

    // A regex tightened that OLD's example still passes: cannot be decided, counted breaking.
    let (code, report) = diff(
        &demo(),
        &demo_with(|p| {
            p["interactions"][1]["response"]["matchingRules"]["body"]["$.created_on"]["matchers"][0]
                ["regex"] = json!("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$")
        }),
    );
    assert_eq!(code, 1);
    assert_eq!(verdict_at(&report, "$.body.created_on").0, "undecided");

    // An interaction removed.
    let (code, report) = diff(
        &demo(),
        &demo_with(|p| {
            p["interactions"].as_array_mut().unwrap().remove(0);
        }),
    );
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["interactions"][0]["change"], "removed");
    assert_eq!(report["interactions"][0]["providerStates"], json!(["UserA does not exist"]));
}

#[test]
fn the_human_report_names_each_change_with_its_path_and_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.json", &demo());
    let new = write(
        dir.path(),
        "new.json",
        &demo_with(|p| {
            p["interactions"][1]["response"]["body"]["email"] = json!("a@example.com");
            p["interactions"][1]["response"]["body"].as_object_mut().unwrap().remove("admin");
        }),
    );
    let output = pact(&["diff", &old, &new]);
    assert_eq!(output.status.code(), Some(1));
    let report = text(&output);
    assert!(
        report.contains(r#"Changed "a request for UserA" given "UserA exists and is not an administrator""#),
        "{report}"
    );
    assert!(report.contains(r#"BREAKING  response $.body.email: added "a@example.com""#), "{report}");
    assert!(report.contains("safe      response $.body.admin: removed false"), "{report}");
    assert!(report.contains("1 breaking, 1 safe: a provider that satisfied OLD may fail NEW"), "{report}");
    assert!(!report.contains('\x1b'), "no colour when not on a terminal");
}

#[test]
fn errors_exit_2() {
    let output = pact(&["diff", "/nonexistent/old.json", &demo_pact().display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("/nonexistent/old.json: no such pact file"), "{}", text(&output));
    let output = pact(&["diff", &demo_pact().display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("give OLD and NEW"), "{}", text(&output));
    // Two files are compared as they are, even where a CI sets PACT_BROKER_BASE_URL.
    let demo = demo_pact().display().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_pact"))
        .args(["diff", &demo, &demo])
        .env("PACT_BROKER_BASE_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

/// Serves the demo provider on 127.0.0.1 with an ephemeral port, on a thread of its own.
fn serve_demo() -> String {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            send.send(format!("http://{}", listener.local_addr().unwrap())).unwrap();
            let app = demo_user_service::app(demo_user_service::AppState::broken(None), true);
            let _ = axum::serve(listener, app).await;
        });
    });
    receive.recv().unwrap()
}

/// Publishes the demo pact as consumer 0.1 on `main`, and records a successful verification
/// by provider 0.2 of its main branch.
fn publish_and_verify(broker: &PactBroker) {
    let output = pact(&[
        "publish",
        &demo_pact().display().to_string(),
        "-a",
        "0.1",
        "--branch",
        "main",
        "-b",
        &broker.url,
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let url = serve_demo();
    let output = pact(&[
        "verify",
        "--provider-base-url",
        &url,
        "--provider-states-setup-url",
        &format!("{url}/_pact/provider_states"),
        "--pact-broker-url",
        &broker.url,
        "--provider-name",
        "UserService",
        "--provider-app-version",
        "0.2",
        "--provider-version-branch",
        "main",
        "--publish-verification-results",
    ]);
    assert!(output.status.success(), "{}", text(&output));
}

#[test]
fn old_comes_from_the_broker_and_publish_refuses_a_breaking_change() {
    let broker = PactBroker::start();
    publish_and_verify(&broker);
    let dir = tempfile::tempdir().unwrap();
    let breaking = write(
        dir.path(),
        "UserServiceClient-UserService.json",
        &demo_with(|p| p["interactions"][1]["response"]["body"]["email"] = json!("a@example.com")),
    );

    // OLD: the pact last verified by the provider's main branch.
    let output = pact(&["diff", &breaking, "--broker-base-url", &broker.url]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report = text(&output);
    assert!(report.contains("last verified by UserService 0.2 of its main branch"), "{report}");
    assert!(report.contains("$.body.email"), "{report}");
    // OLD: the latest pact of the consumer's branch.
    let output = pact(&["diff", &breaking, "--broker-base-url", &broker.url, "--branch", "main", "--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    // OLD: the pact of the consumer version deployed to an environment.
    let output = pact(&["create-environment", "--name", "production", "-b", &broker.url]);
    assert!(output.status.success(), "{}", text(&output));
    let output = pact(&[
        "record-deployment",
        "-a",
        "UserServiceClient",
        "-e",
        "0.1",
        "--environment",
        "production",
        "-b",
        &broker.url,
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let output =
        pact(&["diff", &breaking, "--broker-base-url", &broker.url, "--environment", "production", "--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["old"].as_str().unwrap().contains("/pacts/provider/UserService/consumer/UserServiceClient/"),
        "{report:#}"
    );
    assert_eq!(verdict_at(&report, "$.body.email").0, "breaking");
    let output = pact(&["diff", &breaking, "--broker-base-url", &broker.url, "--environment", "staging"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let output = pact(&["diff", &breaking, "--broker-base-url", &broker.url, "--branch", "no-such-branch"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("the broker has no pact between UserServiceClient and UserService on the consumer branch \"no-such-branch\""), "{}", text(&output));

    // publish --check-breaking refuses, and publishes nothing.
    let output =
        pact(&["publish", &breaking, "-a", "0.3", "--branch", "feat", "-b", &broker.url, "--check-breaking"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output)
            .contains("not published: breaking changes for the provider (UserServiceClient -> UserService)"),
        "{}",
        text(&output)
    );
    let check = status_of(&format!(
        "{}/pacts/provider/UserService/consumer/UserServiceClient/version/0.3",
        broker.url
    ));
    assert_eq!(check, 404, "the refused pact was not published");

    // A safe change is published; --allow-breaking publishes a breaking one.
    let safe = write(
        dir.path(),
        "safe.json",
        &demo_with(|p| {
            p["interactions"].as_array_mut().unwrap().remove(0);
        }),
    );
    let output = pact(&["publish", &safe, "-a", "0.4", "-b", &broker.url, "--check-breaking"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let output =
        pact(&["publish", &breaking, "-a", "0.3", "-b", &broker.url, "--check-breaking", "--allow-breaking"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(text(&output).contains("because of --allow-breaking"), "{}", text(&output));
    let check = status_of(&format!(
        "{}/pacts/provider/UserService/consumer/UserServiceClient/version/0.3",
        broker.url
    ));
    assert_eq!(check, 200);
}

/// The status of a GET, from a thread of its own (the test is not async).
fn status_of(url: &str) -> u16 {
    let url = url.to_string();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async { reqwest::get(url).await.unwrap().status().as_u16() })
    })
    .join()
    .unwrap()
}

#[test]
fn message_contents_are_judged_as_responses() {
    let message = |contents: Value, metadata: Value| {
        json!({
            "consumer": {"name": "Worker"},
            "provider": {"name": "Producer"},
            "messages": [{
                "description": "a user created event",
                "providerStates": [{"name": "a user exists"}],
                "contents": contents,
                "metaData": metadata,
                "matchingRules": {"body": {"$.id": {"matchers": [{"match": "type"}], "combine": "AND"}}}
            }],
            "metadata": {"pactSpecification": {"version": "3.0.0"}}
        })
    };
    let old = message(
        json!({"id": 1, "name": "UserA"}),
        json!({"contentType": "application/json", "queue": "users"}),
    );
    let new = message(
        json!({"id": 2, "name": "UserA", "email": "a@example.com"}),
        json!({"contentType": "application/json"}),
    );
    let (code, report) = diff(&old, &new);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        verdict_at(&report, "$.contents.email"),
        ("breaking".into(), "a newly required response field".into())
    );
    assert_eq!(verdict_at(&report, "$.contents.id").0, "safe", "the example changed under a type matcher");
    assert_eq!(verdict_at(&report, "$.metadata.queue").0, "safe");
}
