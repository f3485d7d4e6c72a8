//! A status-code class on the response (V4 `statusCode`): the consumer test sees the example
//! status, and a provider that answers any status of the class passes, with the official
//! `pact-verifier` and with ours. With it, the V4 interaction metadata the DSL writes: `pending`
//! (both verifiers report a pending interaction's failure without failing), `comments`, `key`.

mod common;

use std::path::Path;

use pact_core::model::{SpecVersion, StatusCodeRule};
use pact_core::prelude::*;

async fn provider(status: u16) -> String {
    let app = axum::Router::new().route(
        "/orders",
        axum::routing::post(move || async move { axum::http::StatusCode::from_u16(status).unwrap() }),
    );
    common::serve_port(app).await
}

async fn ours(pact: &Path, port: String) -> bool {
    common::verify_file(pact, port, None).await.success()
}

#[tokio::test(flavor = "multi_thread")]
async fn any_status_of_the_class_passes_and_another_class_fails() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = Contract::new_async("OrderClient", "OrderService")
        .await
        .with_output_dir(dir.path())
        .with_spec_version(SpecVersion::V4);
    // A pending interaction (no provider has it yet): its failure is reported, not failed.
    pact.upon_receiving("a request for refunds").pending(true).get("/refunds").will_respond_with(200);
    pact.upon_receiving("an order is placed")
        .comment("any 2xx will do")
        .key("place-order")
        .post("/orders")
        .will_respond_with(201)
        .status_class(StatusCodeRule::Success);
    let response = reqwest::Client::new().post(pact.url("/orders")).send().await.unwrap();
    assert_eq!(response.status(), 201, "the mock answers with the example status");
    assert_eq!(reqwest::get(pact.url("/refunds")).await.unwrap().status(), 200);
    let path = pact.finish().unwrap();
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    // Interactions are written sorted by description: the pending one ("a request ...") first.
    let (pending, placed) = (&written["interactions"][0], &written["interactions"][1]);
    assert_eq!(
        placed["response"]["matchingRules"]["status"],
        serde_json::json!({"combine": "AND", "matchers": [{"match": "statusCode", "status": "success"}]})
    );

    // V4 interaction metadata from the DSL.
    assert_eq!(pending["pending"], true, "{pending}");
    assert_eq!(placed["pending"], false, "{placed}");
    assert_eq!(placed["comments"]["text"], serde_json::json!(["any 2xx will do"]));
    assert_eq!(placed["key"], "place-order");

    for (status, pass) in [(201, true), (204, true), (302, false), (404, false)] {
        let (official_passed, text) = test_support::official_verify(&path, provider(status).await, &[]).await;
        assert_eq!(official_passed, pass, "official verifier, status {status}:\n{text}");
        assert_eq!(ours(&path, provider(status).await).await, pass, "our verifier, status {status}");
    }
}
