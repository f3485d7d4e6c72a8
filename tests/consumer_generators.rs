//! The generator macros and the combining matchers end to end: the mock provider answers with
//! generated values that still satisfy the contract, the pact file carries the rules and
//! generators the specification defines, and the official `pact-verifier` verifies that pact
//! against a correct provider and fails it against a broken one, on the right path.

mod common;

use std::path::Path;

use pact_core::dsl::XmlElement;
use pact_core::model::SpecVersion;
use pact_core::prelude::*;
use serde_json::Value;

const EXAMPLE_LINK: &str = "http://localhost:8080/orders/1";

async fn declare(dir: &Path, version: SpecVersion) -> Contract {
    let mut pact = Contract::new_async("OrderClient", "OrderService")
        .await
        .with_output_dir(dir)
        .with_spec_version(version)
        .with_test_name("orders::generated");
    pact.upon_receiving("a request for order 1")
        .get("/orders/1")
        .query("page", random_int!(1, 9))
        .will_respond_with(200)
        .header("X-Trace", uuid!())
        .json_body(json_pattern!({
            "id": uuid!(),
            "count": random_int!(1, 9),
            "price": random_decimal!(4),
            "code": random_hex!(8),
            "token": random_string!(10),
            "flag": random_boolean!(),
            "link": mock_server_url!(".*(/orders/\\d+)$", EXAMPLE_LINK),
            "nickname": nullable!(like!("Al")),
            "amount": any_of!(integer!(1), term!("^n/a$", "n/a")),
            "scores": values!(json_pattern!({"a": like!(1)})),
            "version": semver!("1.2.3"),
            "label": not_empty!("x"),
            "items": like!([1, 2], min = 1, max = 3),
        }));
    pact
}

fn is_uuid(text: &str) -> bool {
    regex::Regex::new(pact_core::dsl::UUID_REGEX).unwrap().is_match(text)
}

#[tokio::test]
async fn the_mock_answers_with_generated_values_and_the_pact_carries_the_generators() {
    let dir = tempfile::tempdir().unwrap();
    let pact = declare(dir.path(), SpecVersion::V4).await;
    let response = reqwest::get(pact.url("/orders/1?page=1")).await.unwrap();
    assert_eq!(response.status(), 200);
    let trace = response.headers()["X-Trace"].to_str().unwrap().to_string();
    assert!(is_uuid(&trace) && trace != pact_core::dsl::UUID_EXAMPLE, "{trace}");
    let body: Value = response.json().await.unwrap();
    let id = body["id"].as_str().unwrap();
    assert!(is_uuid(id) && id != pact_core::dsl::UUID_EXAMPLE, "{body}");
    assert!((1..=9).contains(&body["count"].as_i64().unwrap()), "{body}");
    assert_eq!(body["code"].as_str().unwrap().len(), 8, "{body}");
    assert_eq!(body["token"].as_str().unwrap().len(), 10, "{body}");
    assert!(body["flag"].is_boolean() && body["price"].is_number(), "{body}");
    // The link moves onto the mock provider's own URL, keeping the regex's group.
    assert_eq!(body["link"], format!("{}/orders/1", pact.base_url().trim_end_matches('/')), "{body}");
    assert_eq!(
        (&body["nickname"], &body["amount"], &body["version"]),
        (&"Al".into(), &1.into(), &"1.2.3".into())
    );

    let path = pact.finish().unwrap();
    let written: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let interaction = &written["interactions"][0];
    let generators = &interaction["response"]["generators"];
    for (path, kind) in [
        ("$.id", "Uuid"),
        ("$.count", "RandomInt"),
        ("$.price", "RandomDecimal"),
        ("$.code", "RandomHexadecimal"),
        ("$.token", "RandomString"),
        ("$.flag", "RandomBoolean"),
        ("$.link", "MockServerURL"),
    ] {
        assert_eq!(generators["body"][path]["type"], kind, "{path}: {generators}");
    }
    assert_eq!(generators["header"]["X-Trace"]["type"], "Uuid", "{generators}");
    assert_eq!(interaction["request"]["generators"]["query"]["page"]["type"], "RandomInt");
    let rules = &interaction["response"]["matchingRules"]["body"];
    assert_eq!(rules["$.nickname"]["combine"], "OR", "{rules}");
    assert_eq!(rules["$.nickname"]["matchers"], serde_json::json!([{"match": "type"}, {"match": "null"}]));
    assert_eq!(rules["$.amount"]["matchers"][1]["match"], "regex", "{rules}");
    assert_eq!(rules["$.scores"]["matchers"][0]["match"], "values", "{rules}");
    assert_eq!(rules["$.scores.*"]["matchers"][0]["match"], "type", "{rules}");
    assert_eq!(rules["$.version"]["matchers"][0]["match"], "semver", "{rules}");
    assert_eq!(rules["$.label"]["matchers"][0]["match"], "notEmpty", "{rules}");
    assert_eq!(rules["$.items"]["matchers"], serde_json::json!([{"match": "type", "min": 1, "max": 3}]));
}

/// What a provider answers for `/orders/1`: `broken` sends a number where a string or null is due.
async fn provider(broken: bool) -> String {
    let app = axum::Router::new().route(
        "/orders/1",
        axum::routing::get(move || async move {
            let nickname = if broken { serde_json::json!(5) } else { Value::Null };
            (
                [("X-Trace", "0F3C5B2A-1111-4222-8333-444455556666")],
                axum::Json(serde_json::json!({
                    "id": "9b2e5c1a-0000-4000-8000-000000000001",
                    "count": 7,
                    "price": 12.5,
                    "code": "DEADbeef",
                    "token": "zzz",
                    "flag": false,
                    "link": "http://provider.example/orders/1",
                    "nickname": nickname,
                    "amount": "n/a",
                    "scores": {"x": 3, "y": 4},
                    "version": "2.0.0-rc.1",
                    "label": "y",
                    "items": [5, 6, 7],
                })),
            )
        }),
    );
    common::serve_port(app).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_official_verifier_agrees_on_the_pacts_we_write() {
    for version in [SpecVersion::V3, SpecVersion::V4] {
        let dir = tempfile::tempdir().unwrap();
        let pact = declare(dir.path(), version).await;
        let response = reqwest::get(pact.url("/orders/1?page=1")).await.unwrap();
        assert_eq!(response.status(), 200);
        let path = pact.finish().unwrap();

        let (passed, text) = test_support::official_verify(&path, provider(false).await, &[]).await;
        assert!(passed, "{version:?}: the correct provider failed:\n{text}");
        assert!(
            common::verify_file(&path, provider(false).await, None).await.success(),
            "{version:?}: ours failed the correct provider"
        );
        let (passed, text) = test_support::official_verify(&path, provider(true).await, &[]).await;
        assert!(!passed, "{version:?}: the broken provider passed:\n{text}");
        assert!(
            !common::verify_file(&path, provider(true).await, None).await.success(),
            "{version:?}: ours passed the broken provider"
        );
        assert!(text.contains("$.nickname"), "{version:?}: the failure is not on $.nickname:\n{text}");
    }
}

/// A form exchange whose fields carry generators: a random nonce in the request, a random ticket
/// in the response.
async fn declare_form(dir: &Path) -> Contract {
    let mut pact = Contract::new_async("FormClient", "FormService")
        .await
        .with_output_dir(dir)
        .with_test_name("forms::generated");
    pact.upon_receiving("a form with generated fields")
        .post("/forms")
        .form_field("nonce", random_hex!(8))
        .form_field("kind", "order")
        .will_respond_with(200)
        .form_field("ticket", random_int!(100000, 999999))
        .form_field("status", "ok");
    pact
}

/// A provider that takes a form only with a fresh nonce: eight hex digits, not `stale`.
async fn form_provider(stale: String) -> String {
    let app = axum::Router::new().route(
        "/forms",
        axum::routing::post(move |body: String| async move {
            let form = pact_core::model::parse_query_string(&body);
            let nonce = form.get("nonce").and_then(|v| v.first()).cloned().unwrap_or_default();
            let fresh = nonce.len() == 8 && nonce.chars().all(|c| c.is_ascii_hexdigit()) && nonce != stale;
            let status = if fresh { axum::http::StatusCode::OK } else { axum::http::StatusCode::BAD_REQUEST };
            (status, [("Content-Type", "application/x-www-form-urlencoded")], "ticket=123456&status=ok")
        }),
    );
    common::serve_port(app).await
}

/// Generators on form fields are applied as pact-reference's form handler applies them: the
/// mock answers with a generated ticket, and both verifiers send a generated nonce (a provider
/// refusing the pact's own example passes with both, and fails with both once the generators
/// are taken out of the pact).
#[tokio::test(flavor = "multi_thread")]
async fn generators_in_form_fields_are_applied_by_the_mock_and_both_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    let pact = declare_form(dir.path()).await;
    let client = reqwest::Client::new();
    let mut tickets = std::collections::BTreeSet::new();
    for _ in 0..5 {
        let response = client
            .post(pact.url("/forms"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("nonce=0a1b2c3d&kind=order")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let form = pact_core::model::parse_query_string(&response.text().await.unwrap());
        let ticket: u32 = form["ticket"][0].parse().unwrap();
        assert!((100_000..=999_999).contains(&ticket), "{ticket}");
        assert_eq!(form["status"], vec!["ok"]);
        tickets.insert(ticket);
    }
    assert!(tickets.len() > 1, "the mock answered the same ticket five times: {tickets:?}");
    let path = pact.finish().unwrap();
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let request = &written["interactions"][0]["request"];
    assert_eq!(request["generators"]["body"]["$.nonce"]["type"], "RandomHexadecimal", "{request}");
    let example = pact_core::model::parse_query_string(request["body"].as_str().unwrap())["nonce"][0].clone();

    let report = common::verify_file(&path, form_provider(example.clone()).await, None).await;
    assert!(report.success(), "ours sent the example nonce: {report:?}");
    let (passed, text) =
        test_support::official_verify(&path, form_provider(example.clone()).await, &[]).await;
    assert!(passed, "the official verifier sent the example nonce:\n{text}");

    let mut stale = written.clone();
    stale["interactions"][0]["request"]["generators"] = serde_json::json!({});
    std::fs::write(&path, stale.to_string()).unwrap();
    assert!(!common::verify_file(&path, form_provider(example.clone()).await, None).await.success());
    let (passed, text) = test_support::official_verify(&path, form_provider(example).await, &[]).await;
    assert!(!passed, "the provider took the example nonce from the official verifier:\n{text}");
}

/// The state "an order exists" creates order 7 with reference R-7 and says so; the pact's own
/// examples (order 42, reference R-1) name an order the provider does not have.
const XML_STATE: (&str, &str) = ("7", "R-7");

/// An XML exchange whose elements and attributes carry generators: the request's order id (an
/// attribute) and reference (text) come from the provider state, and the response's receipt
/// number (an attribute) and token (text) are random.
async fn declare_xml(dir: &Path) -> Contract {
    let mut pact = Contract::new_async("XmlClient", "XmlService")
        .await
        .with_output_dir(dir)
        .with_test_name("xml::generated");
    pact.upon_receiving("an XML order with generated values")
        .given_with("an order exists", serde_json::json!({"id": 42, "ref": "R-1"}))
        .post("/orders")
        .xml_body(
            XmlElement::new("order")
                .attr("id", from_provider_state!("${id}", 42))
                .child(XmlElement::new("ref").text(from_provider_state!("${ref}", "R-1")))
                .child(XmlElement::new("kind").text("standard")),
        )
        .will_respond_with(200)
        .xml_body(
            XmlElement::new("receipt")
                .attr("number", random_int!(100000, 999999))
                .child(XmlElement::new("token").text(uuid!()))
                .child(XmlElement::new("status").text("accepted")),
        );
    pact
}

/// A provider that takes an order only for the order its state created: `<order id="7">` with
/// `<ref>R-7</ref>`.
async fn xml_provider() -> String {
    use axum::routing::post;
    let app = axum::Router::new()
        .route(
            "/_pact/state",
            post(|| async { axum::Json(serde_json::json!({"id": 7, "ref": XML_STATE.1})) }),
        )
        .route(
            "/orders",
            post(|body: String| async move {
                let known = roxmltree::Document::parse(&body).is_ok_and(|doc| {
                    let order = doc.root_element();
                    let reference = order.children().find(|c| c.has_tag_name("ref")).and_then(|r| r.text());
                    order.has_tag_name("order") && order.attribute("id") == Some(XML_STATE.0) && reference == Some(XML_STATE.1)
                });
                if !known {
                    return (axum::http::StatusCode::NOT_FOUND, [("Content-Type", "text/plain")], body);
                }
                let receipt = r#"<receipt number="314159"><token>1b4e28ba-2fa1-41d2-883f-0016d3cca427</token><status>accepted</status></receipt>"#;
                (axum::http::StatusCode::OK, [("Content-Type", "application/xml")], receipt.to_string())
            }),
        );
    common::serve_port(app).await
}

/// Generators on XML elements and attributes are applied as pact-reference's XML handler applies
/// them: the mock answers with a random receipt number and token, and both verifiers send the
/// order the provider state returned (a provider that does not know the pact's example order
/// passes with both, and fails with both once the generators are taken out of the pact).
#[tokio::test(flavor = "multi_thread")]
async fn generators_in_xml_bodies_are_applied_by_the_mock_and_both_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    let pact = declare_xml(dir.path()).await;
    let client = reqwest::Client::new();
    let mut numbers = std::collections::BTreeSet::new();
    for _ in 0..5 {
        let response = client
            .post(pact.url("/orders"))
            .header("Content-Type", "application/xml")
            .body(r#"<order id="42"><ref>R-1</ref><kind>standard</kind></order>"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let text = response.text().await.unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        let receipt = doc.root_element();
        let number: u32 = receipt.attribute("number").unwrap().parse().unwrap();
        assert!((100_000..=999_999).contains(&number), "{text}");
        let child = |name: &str| receipt.children().find(|c| c.has_tag_name(name)).and_then(|c| c.text());
        let token = child("token").unwrap();
        assert!(is_uuid(token) && token != pact_core::dsl::UUID_EXAMPLE, "{text}");
        assert_eq!(child("status"), Some("accepted"), "{text}");
        numbers.insert(number);
    }
    assert!(numbers.len() > 1, "the mock answered the same receipt number five times: {numbers:?}");
    let path = pact.finish().unwrap();
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let interaction = &written["interactions"][0];
    let request = &interaction["request"]["generators"]["body"];
    assert_eq!(request["$.order['@id']"]["type"], "ProviderState", "{request}");
    assert_eq!(request["$.order.ref['#text']"]["expression"], "${ref}", "{request}");
    let response = &interaction["response"]["generators"]["body"];
    assert_eq!(response["$.receipt['@number']"]["type"], "RandomInt", "{response}");
    assert_eq!(response["$.receipt.token['#text']"]["type"], "Uuid", "{response}");

    let state_url = |port: &str| format!("http://127.0.0.1:{port}/_pact/state");
    let port = xml_provider().await;
    let report = common::verify_file(&path, &port, Some("/_pact/state")).await;
    assert!(report.success(), "ours did not send the state's order: {report:?}");
    let (passed, text) =
        test_support::official_verify(&path, &port, &["--state-change-url", &state_url(&port)]).await;
    assert!(passed, "the official verifier did not send the state's order:\n{text}");

    let mut stale = written.clone();
    stale["interactions"][0]["request"]["generators"] = serde_json::json!({});
    std::fs::write(&path, stale.to_string()).unwrap();
    assert!(!common::verify_file(&path, &port, Some("/_pact/state")).await.success());
    let (passed, text) =
        test_support::official_verify(&path, &port, &["--state-change-url", &state_url(&port)]).await;
    assert!(!passed, "the provider took the pact's example order from the official verifier:\n{text}");
}
