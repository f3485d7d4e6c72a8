//! Response bodies get the same verdict from the official `pact verifier` and ours: which body
//! kind the pact states or implies, which content type the provider declares, and how JSON
//! values compare. Each case is a V3 pact written as another tool writes it, verified by both
//! against a provider answering with a given `Content-Type` and body; the verdicts must agree
//! and be the one written down.

mod common;

use serde_json::{json, Value};

/// A provider answering `GET /r` with `body` and, if given, `content_type`.
async fn provider(content_type: Option<&'static str>, body: &'static str) -> String {
    let app = axum::Router::new()
        .route(
            "/r",
            axum::routing::get(move || async move {
                let mut response = axum::response::Response::new(axum::body::Body::from(body));
                if let Some(ct) = content_type {
                    response.headers_mut().insert("content-type", ct.parse().unwrap());
                }
                response
            }),
        )
        .route("/_pact/state", axum::routing::post(|| async { axum::Json(json!({})) }));
    common::serve_port(app).await
}

/// Before, ours passed `json-noheader-vs-text` (a JSON example answered as `text/plain`) and the
/// integer/decimal cases (`1` against `1.0`), which the official verifier fails.
#[tokio::test(flavor = "multi_thread")]
async fn body_kinds_content_types_and_numbers_get_the_same_verdict_from_both_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    // (case, the pact's response, the provider's content type and body)
    let cases: Vec<(&str, Value, Option<&'static str>, &'static str)> = vec![
        ("json-noheader-vs-text", json!({"status":200,"body":{"a":1}}), Some("text/plain"), "{\"a\":1}"),
        ("json-noheader-vs-none", json!({"status":200,"body":{"a":1}}), None, "{\"a\":1}"),
        (
            "json-noheader-vs-json-extra",
            json!({"status":200,"body":{"a":1}}),
            Some("application/json"),
            "{\"a\":1,\"b\":2}",
        ),
        ("json-vs-empty", json!({"status":200,"body":{"a":1}}), Some("application/json"), ""),
        ("emptyobj-vs-obj", json!({"status":200,"body":{}}), Some("application/json"), "{\"a\":1}"),
        ("string-noheader-vs-text", json!({"status":200,"body":"hello"}), Some("text/plain"), "hello"),
        (
            "string-noheader-vs-jsonstring",
            json!({"status":200,"body":"hello"}),
            Some("application/json"),
            "\"hello\"",
        ),
        (
            "text-header-vs-json",
            json!({"status":200,"headers":{"Content-Type":"text/plain"},"body":"{\"a\":1}"}),
            Some("text/plain"),
            "{\"a\": 1}",
        ),
        ("array-vs-longer", json!({"status":200,"body":[1,2]}), Some("application/json"), "[1,2,3]"),
        ("nobody-vs-body", json!({"status":200}), Some("application/json"), "{\"a\":1}"),
        ("null-vs-null", json!({"status":200,"body":null}), Some("application/json"), "null"),
        ("null-vs-empty", json!({"status":200,"body":null}), Some("application/json"), ""),
        ("emptystr-vs-body", json!({"status":200,"body":""}), Some("text/plain"), "x"),
        (
            "jsonct-charset",
            json!({"status":200,"headers":{"Content-Type":"application/json"},"body":{"a":1}}),
            Some("application/json; charset=utf-8"),
            "{\"a\":1}",
        ),
        (
            "hal-vs-json",
            json!({"status":200,"headers":{"Content-Type":"application/hal+json"},"body":{"a":1}}),
            Some("application/json"),
            "{\"a\":1}",
        ),
        ("number-vs-string", json!({"status":200,"body":{"a":1}}), Some("application/json"), "{\"a\":\"1\"}"),
        ("float-vs-int", json!({"status":200,"body":{"a":1.0}}), Some("application/json"), "{\"a\":1}"),
        ("int-vs-float", json!({"status":200,"body":{"a":1}}), Some("application/json"), "{\"a\":1.0}"),
        (
            "json-noheader-vs-hal",
            json!({"status":200,"body":{"a":1}}),
            Some("application/hal+json"),
            "{\"a\":1}",
        ),
        (
            "json-noheader-vs-vnd",
            json!({"status":200,"body":{"a":1}}),
            Some("application/vnd.api+json; charset=utf-8"),
            "{\"a\":1}",
        ),
        ("json-noheader-vs-textjson", json!({"status":200,"body":{"a":1}}), Some("text/json"), "{\"a\":1}"),
        (
            "json-noheader-vs-octet",
            json!({"status":200,"body":{"a":1}}),
            Some("application/octet-stream"),
            "{\"a\":1}",
        ),
        ("json-noheader-vs-star", json!({"status":200,"body":{"a":1}}), Some("*/*"), "{\"a\":1}"),
        ("json-noheader-vs-garbage", json!({"status":200,"body":{"a":1}}), Some("garbage"), "{\"a\":1}"),
        (
            "xmlstring-noheader-vs-text",
            json!({"status":200,"body":"<a>1</a>"}),
            Some("text/plain"),
            "<a>1</a>",
        ),
        ("textstring-noheader-vs-html", json!({"status":200,"body":"hello"}), Some("text/html"), "hello"),
        (
            "charset-case",
            json!({"status":200,"headers":{"Content-Type":"application/json; charset=UTF-8"},"body":{"a":1}}),
            Some("application/json; charset=utf-8"),
            "{\"a\":1}",
        ),
        ("xml-noheader", json!({"status":200,"body":"<a>1</a>"}), Some("application/xml"), "<a>1</a>"),
        (
            "xml-ws",
            json!({"status":200,"headers":{"Content-Type":"application/xml"},"body":"<a><b>1</b></a>"}),
            Some("application/xml"),
            "<a>\n  <b>1</b>\n</a>",
        ),
        (
            "xml-extra-attr",
            json!({"status":200,"headers":{"Content-Type":"application/xml"},"body":"<a x=\"1\"/>"}),
            Some("application/xml"),
            "<a x=\"1\" y=\"2\"/>",
        ),
        (
            "xml-extra-child",
            json!({"status":200,"headers":{"Content-Type":"application/xml"},"body":"<a><b/></a>"}),
            Some("application/xml"),
            "<a><b/><c/></a>",
        ),
    ];
    // The cases both verifiers fail; they pass the others.
    let fail = [
        "json-noheader-vs-text",
        "json-vs-empty",
        "string-noheader-vs-jsonstring",
        "text-header-vs-json",
        "array-vs-longer",
        "null-vs-null",
        "emptystr-vs-body",
        "hal-vs-json",
        "number-vs-string",
        "float-vs-int",
        "int-vs-float",
        "json-noheader-vs-textjson",
        "json-noheader-vs-octet",
        "xmlstring-noheader-vs-text",
        "textstring-noheader-vs-html",
    ];
    for (case, response, content_type, body) in cases {
        let passes = !fail.contains(&case);
        let pact = json!({
            "consumer": {"name": format!("BodyClient-{case}")},
            "provider": {"name": "BodyService"},
            "interactions": [{"description": "r", "request": {"method": "GET", "path": "/r"}, "response": response}],
            "metadata": {"pactSpecification": {"version": "3.0.0"}}
        });
        let path = dir.path().join(format!("{case}.json"));
        std::fs::write(&path, pact.to_string()).unwrap();
        let port = provider(content_type, body).await;
        let state_url = format!("http://127.0.0.1:{port}/_pact/state");
        let (official, text) =
            test_support::official_verify(&path, &port, &["--state-change-url", &state_url]).await;
        let report = common::verify_file(&path, &port, Some("/_pact/state")).await;
        assert_eq!(official, passes, "{case}: the official verifier\n{text}");
        assert_eq!(report.success(), passes, "{case}: our verifier\n{}", report.to_human(false));
    }
}
