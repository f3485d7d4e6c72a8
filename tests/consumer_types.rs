//! Types as contracts, end to end: the client's own serde types derive `PactExample`, a consumer
//! test declares the response with `like_type!`, a real reqwest client reads it back into the
//! same type, and the pact written verifies with the official `pact-verifier` and with ours
//! against a provider that sends other values of the same shape, and fails both against a
//! provider that breaks the shape, on the right path.

mod common;

use std::path::{Path, PathBuf};

use pact_core::model::SpecVersion;
use pact_core::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize, PactExample)]
#[serde(rename_all = "camelCase")]
struct Order {
    order_id: u64,
    #[pact(datetime = "yyyy-MM-dd'T'HH:mm:ss")]
    placed_at: String,
    total: f64,
    paid: bool,
    lines: Vec<Line>,
    #[serde(rename = "note")]
    delivery_note: Option<String>,
    status: Status,
    #[serde(skip)]
    #[allow(dead_code)]
    fetched: bool,
}

#[derive(Debug, Deserialize, PactExample)]
struct Line {
    #[pact(term = "^[A-Z]{3}-[0-9]+$")]
    sku: String,
    quantity: u32,
}

#[derive(Debug, PartialEq, Deserialize, PactExample)]
#[serde(rename_all = "lowercase")]
enum Status {
    Open,
    Shipped,
}

fn example() -> Order {
    Order {
        order_id: 7,
        placed_at: "2016-12-15T20:16:01".into(),
        total: 12.5,
        paid: false,
        lines: vec![Line { sku: "ABC-1".into(), quantity: 2 }],
        delivery_note: Some("leave at the door".into()),
        status: Status::Open,
        fetched: false,
    }
}

/// The consumer test: the client reads the mock's answer into `Order`; the pact is written to `dir`.
async fn consumer_test(dir: &Path, version: SpecVersion) -> PathBuf {
    let mut pact = Contract::new_async("OrderClient", "OrderService")
        .await
        .with_output_dir(dir)
        .with_spec_version(version);
    pact.upon_receiving("a request for order 7").get("/orders/7").responds(200, like_type!(example()));

    let order: Order =
        reqwest::Client::new().get(pact.url("/orders/7")).send().await.unwrap().json().await.unwrap();
    assert_eq!((order.order_id, order.lines[0].quantity, order.status), (7, 2, Status::Open));
    assert_eq!(order.delivery_note.as_deref(), Some("leave at the door"));
    pact.finish().unwrap()
}

/// A provider of `/orders/7`: other values of the same shape, or (`broken`) a quantity sent as
/// text.
async fn provider(broken: bool) -> String {
    let app = axum::Router::new().route(
        "/orders/7",
        axum::routing::get(move || async move {
            let quantity = if broken { serde_json::json!("5") } else { serde_json::json!(5) };
            axum::Json(serde_json::json!({
                "orderId": 123456,
                "placedAt": "2024-02-29T08:00:59",
                "total": 99.95,
                "paid": true,
                "lines": [{"sku": "XYZ-42", "quantity": 1}, {"sku": "QQQ-7", "quantity": quantity}],
                "note": null,
                "status": "shipped",
                "extra": "a field the client does not read",
            }))
        }),
    );
    common::serve_port(app).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pact_declared_by_type_verifies_with_the_official_verifier_and_ours() {
    for version in [SpecVersion::V3, SpecVersion::V4] {
        let dir = tempfile::tempdir().unwrap();
        let path = consumer_test(dir.path(), version).await;
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let interaction = &written["interactions"][0];
        let body = if version == SpecVersion::V4 {
            interaction["response"]["body"]["content"].clone()
        } else {
            interaction["response"]["body"].clone()
        };
        assert_eq!(body["lines"][0]["sku"], "ABC-1", "{written}");
        assert!(body.get("fetched").is_none(), "a skipped field is no part of the contract: {body}");
        let rules = &interaction["response"]["matchingRules"]["body"];
        assert_eq!(rules["$.placedAt"]["matchers"][0]["match"], "datetime", "{rules}");
        assert_eq!(rules["$.note"]["combine"], "OR", "{rules}");
        assert_eq!(rules["$.status"]["matchers"][0]["regex"], "^(open|shipped)$", "{rules}");

        let (passed, text) = test_support::official_verify(&path, provider(false).await, &[]).await;
        assert!(passed, "{version:?}: the official verifier failed the correct provider:\n{text}");
        let report = common::verify_file(&path, provider(false).await, None).await;
        assert!(report.success(), "{version:?}: ours failed the correct provider: {report:?}");

        let (passed, text) = test_support::official_verify(&path, provider(true).await, &[]).await;
        assert!(!passed, "{version:?}: the official verifier passed a broken provider:\n{text}");
        assert!(text.contains("$.lines[1].quantity"), "{version:?}: {text}");
        let report = common::verify_file(&path, provider(true).await, None).await;
        assert!(!report.success(), "{version:?}: ours passed a broken provider");
        assert!(format!("{report:?}").contains("$.body.lines[1].quantity"), "{version:?}: {report:?}");
    }
}

#[tokio::test]
async fn an_example_with_an_empty_list_fails_the_contract_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = Contract::new_async("OrderClient", "OrderService").await.with_output_dir(dir.path());
    let order = Order { lines: Vec::new(), ..example() };
    pact.upon_receiving("a request for order 7").get("/orders/7").responds(200, like_type!(order));
    let _ = reqwest::get(pact.url("/orders/7")).await.unwrap();

    let error = pact.finish().unwrap_err().to_string();
    assert!(
        error.contains("$.lines: Order.lines: the example is an empty list: give it one item"),
        "{error}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no pact is written");
}
