//! The Regex, Date, Time and DateTime generators end to end, as pact-reference runs them:
//!
//! - a consumer test with `datetime!`, `date!` and `time!` given only a format writes the rule and
//!   a generator for "now"; the mock answers with the current time, not the example;
//! - our verifier and the official `pact-verifier` send freshly generated values in the path,
//!   query, headers and body of the request, which a provider that rejects the pact's examples
//!   (or any value off the format or regex) accepts; a pact written by hand, as pact-jvm writes
//!   them, adds a `Regex` generator and date expressions (`+ 1 day`, `next monday`,
//!   `last december + 2 weeks`, `next jan`).

mod common;

use std::collections::HashMap;
use std::path::Path;

use pact_core::model::SpecVersion;
use pact_core::prelude::*;
use pact_datetime::Kind;
use serde_json::{json, Value};

const STAMP: &str = "yyyy-MM-dd'T'HH:mm:ss";

/// Whether `value` follows `format` and carries a recent date written in `date_format`:
/// yesterday to the day after tomorrow (ours generates in UTC, the official verifier in local
/// time, and `+ 1 day` moves a day on), never the pact's example of 2016 or 2000.
fn fresh(kind: Kind, format: &str, date_format: &str, value: &str) -> bool {
    pact_datetime::check(kind, Some(format), value).is_ok()
        && ["- 1 day", "today", "+ 1 day", "+ 2 days"].iter().any(|e| {
            let day =
                pact_datetime::generate(Kind::Date, Some(date_format), Some(e), pact_datetime::now_millis())
                    .unwrap();
            value.contains(&day)
        })
}

fn header(headers: &axum::http::HeaderMap, name: &str) -> String {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or("").to_string()
}

fn answer(problems: Vec<String>) -> (axum::http::StatusCode, axum::Json<Value>) {
    if problems.is_empty() {
        (axum::http::StatusCode::CREATED, axum::Json(json!({"received": "2020-01-01T00:00:00"})))
    } else {
        (axum::http::StatusCode::BAD_REQUEST, axum::Json(json!({"stale": problems})))
    }
}

/// `POST /events`, the DSL's pact: every value generated now, in its format.
async fn event(
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
    headers: axum::http::HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> (axum::http::StatusCode, axum::Json<Value>) {
    let mut problems = Vec::new();
    let at = query.get("at").cloned().unwrap_or_default();
    if !fresh(Kind::DateTime, STAMP, "yyyy-MM-dd", &at) {
        problems.push(format!("query at {at:?}"));
    }
    let on = header(&headers, "X-On");
    if !fresh(Kind::Date, "dd/MM/yyyy", "dd/MM/yyyy", &on) {
        problems.push(format!("header X-On {on:?}"));
    }
    let when = text(&body["when"]);
    if !fresh(Kind::DateTime, "yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd", &when) {
        problems.push(format!("body when {when:?}"));
    }
    // A time has no date: it must follow its format and not be the example.
    let clock = text(&body["clock"]);
    if pact_datetime::check(Kind::Time, Some("HH:mm"), &clock).is_err() || clock == "20:16" {
        problems.push(format!("body clock {clock:?}"));
    }
    answer(problems)
}

/// `POST /orders/{code}`, the hand-written pact: Regex generators on the path and the body, a
/// date moved by an expression, a time in a header.
async fn order(
    axum::extract::Path(code): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> (axum::http::StatusCode, axum::Json<Value>) {
    let mut problems = Vec::new();
    if !regex::Regex::new("^[a-f0-9]{8}$").unwrap().is_match(&code) || code == "00000000" {
        problems.push(format!("path code {code:?}"));
    }
    let reference = text(&body["ref"]);
    if !regex::Regex::new("^ORD-[0-9]{6}-[A-Z]{3}$").unwrap().is_match(&reference)
        || reference == "ORD-000000-AAA"
    {
        problems.push(format!("body ref {reference:?}"));
    }
    let due = text(&body["due"]);
    let today = pact_datetime::generate(Kind::Date, None, None, pact_datetime::now_millis()).unwrap();
    if !fresh(Kind::Date, "yyyy-MM-dd", "yyyy-MM-dd", &due) || due == today {
        problems.push(format!("body due {due:?} (tomorrow expected)"));
    }
    // pact-reference's weekday and month offsets: the first Monday after today; the first of the
    // December before this month, two weeks on (still December); the first of the next January.
    for (field, expected) in [("weekday", "Monday"), ("month", "12"), ("first", "01")] {
        let value = text(&body[field]);
        if value != expected {
            problems.push(format!("body {field} {value:?} ({expected} expected)"));
        }
    }
    let at = header(&headers, "X-At");
    if pact_datetime::check(Kind::Time, None, &at).is_err() || at == "00:00:00" {
        problems.push(format!("header X-At {at:?}"));
    }
    answer(problems)
}

/// The provider, on an ephemeral port.
async fn provider() -> String {
    let app = axum::Router::new()
        .route("/events", axum::routing::post(event))
        .route("/orders/{code}", axum::routing::post(order));
    common::serve_port(app).await
}

async fn declare(dir: &Path, version: SpecVersion) -> Contract {
    let mut pact = Contract::new_async("EventClient", "EventService")
        .await
        .with_output_dir(dir)
        .with_spec_version(version)
        .with_test_name("events::now");
    pact.upon_receiving("a new event")
        .post("/events")
        .query("at", datetime!(STAMP))
        .header("X-On", date!("dd/MM/yyyy"))
        .json_body(json_pattern!({
            "when": datetime!("yyyy-MM-dd'T'HH:mm:ssXXX"),
            "clock": time!("HH:mm"),
        }))
        .will_respond_with(201)
        .json_body(json_pattern!({"received": datetime!(STAMP)}));
    pact
}

#[tokio::test(flavor = "multi_thread")]
async fn formats_alone_generate_now_in_the_mock_and_in_both_verifiers() {
    for version in [SpecVersion::V3, SpecVersion::V4] {
        let dir = tempfile::tempdir().unwrap();
        let pact = declare(dir.path(), version).await;
        // The consumer's client sends the examples; the mock answers with the time now.
        let response = reqwest::Client::new()
            .post(pact.url("/events?at=2016-12-15T20:16:01"))
            .header("X-On", "15/12/2016")
            .json(&json!({"when": "2016-12-15T20:16:01Z", "clock": "20:16"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        let received = text(&body["received"]);
        assert!(
            fresh(Kind::DateTime, STAMP, "yyyy-MM-dd", &received),
            "{version:?}: the mock answered {body}"
        );

        let path = pact.finish().unwrap();
        let written: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let request = &written["interactions"][0]["request"];
        // A V4 body is under `content`.
        let body_of = |part: &Value| part["body"].get("content").unwrap_or(&part["body"]).clone();
        assert_eq!(body_of(request)["when"], "2016-12-15T20:16:01Z", "{version:?}: {request}");
        assert_eq!(
            request["generators"]["body"]["$.when"],
            json!({"type": "DateTime", "format": "yyyy-MM-dd'T'HH:mm:ssXXX"}),
            "{version:?}: {request}"
        );
        assert_eq!(request["generators"]["body"]["$.clock"], json!({"type": "Time", "format": "HH:mm"}));
        assert_eq!(request["generators"]["header"]["X-On"], json!({"type": "Date", "format": "dd/MM/yyyy"}));
        assert_eq!(request["generators"]["query"]["at"]["type"], "DateTime");
        let rules = &request["matchingRules"];
        assert_eq!(
            rules["body"]["$.clock"]["matchers"][0],
            json!({"match": "time", "format": "HH:mm"}),
            "{rules}"
        );
        let response = &written["interactions"][0]["response"];
        assert_eq!(body_of(response)["received"], "2016-12-15T20:16:01", "{response}");
        assert_eq!(response["generators"]["body"]["$.received"]["type"], "DateTime", "{response}");

        let report = common::verify_file(&path, provider().await, None).await;
        assert!(report.success(), "{version:?}: ours sent stale values: {report:?}");
        let (passed, out) = test_support::official_verify(&path, provider().await, &[]).await;
        assert!(passed, "{version:?}: the official verifier sent stale values:\n{out}");

        // The provider is not lenient: the examples alone fail, with both verifiers.
        let mut stale = written.clone();
        stale["interactions"][0]["request"]["generators"] = json!({});
        std::fs::write(&path, stale.to_string()).unwrap();
        assert!(
            !common::verify_file(&path, provider().await, None).await.success(),
            "{version:?}: ours passed the examples"
        );
        let (passed, out) = test_support::official_verify(&path, provider().await, &[]).await;
        assert!(!passed, "{version:?}: the official verifier passed the examples:\n{out}");
    }
}

/// A pact as pact-jvm writes one, with `Regex` generators and a date expression.
fn hand_written_pact(dir: &Path) -> std::path::PathBuf {
    let pact = json!({
        "consumer": {"name": "OrderClient"},
        "provider": {"name": "OrderService"},
        "interactions": [{
            "description": "a new order",
            "request": {
                "method": "POST",
                "path": "/orders/00000000",
                "headers": {"Content-Type": "application/json", "X-At": "00:00:00"},
                "body": {"ref": "ORD-000000-AAA", "due": "2000-01-02", "weekday": "Sunday", "month": "01", "first": "15"},
                "matchingRules": {
                    "path": {"matchers": [{"match": "regex", "regex": "^/orders/[a-f0-9]{8}$"}]},
                    "body": {
                        "$.ref": {"matchers": [{"match": "regex", "regex": "^ORD-[0-9]{6}-[A-Z]{3}$"}]},
                        "$.due": {"matchers": [{"match": "date", "format": "yyyy-MM-dd"}]}
                    }
                },
                "generators": {
                    "path": {"type": "Regex", "regex": "/orders/[a-f0-9]{8}"},
                    "header": {"X-At": {"type": "Time"}},
                    "body": {
                        "$.ref": {"type": "Regex", "regex": "^ORD-[0-9]{6}-[A-Z]{3}$"},
                        "$.due": {"type": "Date", "format": "yyyy-MM-dd", "expression": "+ 1 day"},
                        "$.weekday": {"type": "Date", "format": "EEEE", "expression": "next monday"},
                        "$.month": {"type": "Date", "format": "MM", "expression": "last december + 2 weeks"},
                        "$.first": {"type": "Date", "format": "dd", "expression": "next jan"}
                    }
                }
            },
            "response": {"status": 201}
        }],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    });
    let path = dir.join("OrderClient-OrderService.json");
    std::fs::write(&path, serde_json::to_string_pretty(&pact).unwrap()).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn both_verifiers_run_regex_and_date_expression_generators_on_a_pact_from_another_tool() {
    let dir = tempfile::tempdir().unwrap();
    let path = hand_written_pact(dir.path());
    let report = common::verify_file(&path, provider().await, None).await;
    assert!(report.success(), "ours sent stale values: {report:?}");
    let (passed, out) = test_support::official_verify(&path, provider().await, &[]).await;
    assert!(passed, "the official verifier sent stale values:\n{out}");

    // The provider is not lenient: the pact's own examples fail, with both verifiers.
    let mut stale: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    stale["interactions"][0]["request"]["generators"] = json!({});
    std::fs::write(&path, stale.to_string()).unwrap();
    assert!(
        !common::verify_file(&path, provider().await, None).await.success(),
        "ours passed the pact's examples"
    );
    let (passed, out) = test_support::official_verify(&path, provider().await, &[]).await;
    assert!(!passed, "the official verifier passed the pact's examples:\n{out}");
}
