//! `any_of!` in a path, a query value and headers, end to end: the mock provider accepts any
//! alternative, the pact carries a `combine: OR` rule list on each part, and our verifier and
//! the official `pact-verifier` pass a provider whose response header takes the second
//! alternative and fail one that takes neither, on that header.

mod common;

use std::path::Path;

use pact_core::model::SpecVersion;
use pact_core::prelude::*;
use serde_json::{json, Value};

async fn declare(dir: &Path, version: SpecVersion) -> Contract {
    let mut pact = Contract::new_async("OrderClient", "OrderService")
        .await
        .with_output_dir(dir)
        .with_spec_version(version)
        .with_test_name("orders::any_of_text");
    pact.upon_receiving("orders, by id or the latest")
        .get(any_of!(term!("^/orders/\\d+$", "/orders/1"), term!("^/orders/latest$", "/orders/latest")))
        .query("limit", any_of!(integer!(10), term!("^all$", "all")))
        .header("X-Mode", any_of!(term!("^fast$", "fast"), term!("^slow$", "slow")))
        .will_respond_with(200)
        .header("X-Count", any_of!(integer!(3), term!("^none$", "none")))
        .json_body(json_pattern!({"ok": true}));
    pact
}

async fn provider(count: &'static str) -> String {
    let app = axum::Router::new().route(
        "/orders/{id}",
        axum::routing::get(move || async move { ([("X-Count", count)], axum::Json(json!({"ok": true}))) }),
    );
    common::serve_port(app).await
}

#[tokio::test(flavor = "multi_thread")]
async fn any_of_in_text_positions_is_honoured_by_the_mock_and_both_verifiers() {
    for version in [SpecVersion::V3, SpecVersion::V4] {
        let dir = tempfile::tempdir().unwrap();
        let pact = declare(dir.path(), version).await;
        // The second alternative of each part, which the examples are not.
        let response = reqwest::Client::new()
            .get(pact.url("/orders/latest?limit=all"))
            .header("X-Mode", "slow")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{version:?}: the mock refused the second alternatives");
        assert_eq!(response.headers()["X-Count"], "3");
        let path = pact.finish().unwrap();

        let written: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let request = &written["interactions"][0]["request"];
        assert_eq!((&request["path"], &request["query"]["limit"][0]), (&json!("/orders/1"), &json!("10")));
        let rules = &request["matchingRules"];
        let path_rules = &rules["path"];
        assert_eq!(path_rules["combine"], "OR", "{version:?}: {rules}");
        assert_eq!(path_rules["matchers"].as_array().map(Vec::len), Some(2), "{rules}");
        assert_eq!(
            rules["query"]["limit"],
            json!({"combine": "OR", "matchers": [{"match": "integer"}, {"match": "regex", "regex": "^all$"}]}),
            "{version:?}: {rules}"
        );
        assert_eq!(rules["header"]["X-Mode"]["combine"], "OR", "{rules}");
        let response_rules = &written["interactions"][0]["response"]["matchingRules"];
        assert_eq!(response_rules["header"]["X-Count"]["combine"], "OR", "{response_rules}");

        assert!(
            common::verify_file(&path, provider("none").await, None).await.success(),
            "{version:?}: ours failed the provider"
        );
        let (passed, out) = test_support::official_verify(&path, provider("none").await, &[]).await;
        assert!(passed, "{version:?}: the official verifier failed the provider:\n{out}");
        let report = common::verify_file(&path, provider("many").await, None).await;
        assert!(!report.success(), "{version:?}: ours passed X-Count: many");
        assert!(format!("{report:?}").contains("X-Count"), "{version:?}: {report:?}");
        let (passed, out) = test_support::official_verify(&path, provider("many").await, &[]).await;
        assert!(!passed, "{version:?}: the official verifier passed X-Count: many:\n{out}");
        assert!(out.contains("X-Count"), "{version:?}: not on X-Count:\n{out}");
    }
}

/// An alternative that is no single value is a declaration error naming it, not a pact that
/// carries JSON text in a header.
#[test]
fn an_alternative_of_several_values_in_a_header_is_a_declaration_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = Contract::new("OrderClient", "OrderService").with_output_dir(dir.path());
    pact.upon_receiving("a tagged search")
        .get("/orders")
        .header("X-Tags", any_of!(term!("^a$", "a"), each_like!("b")))
        .will_respond_with(200);
    let error = pact.finish().unwrap_err().to_string();
    assert!(error.contains("alternative 2 of any_of!"), "{error}");
}
