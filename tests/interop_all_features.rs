//! Proof that the official Pact tools agree with what we write: one consumer contract, through a
//! real reqwest client against the mock, that uses every matcher macro, every generator macro and
//! every body kind, written once as a V3 pact and once as a V4 pact. The official
//! `pact verifier` and ours both pass each pact against a correct provider and both fail it
//! against a broken one, naming the same paths.
//!
//! A V3 pact cannot hold a status-code class (V4 `statusCode` rule), so it lives in one
//! interaction declared for V4 only, with a multipart request and a binary response (V3 pacts
//! carry those as base64 strings: `tests/consumer_bodies.rs` verifies them in V3). Every other
//! matcher and generator is in both pacts.

mod common;

use std::path::{Path, PathBuf};

use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use pact_core::dsl::{MultipartForm, XmlElement};
use pact_core::model::{SpecVersion, StatusCodeRule};
use pact_core::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};

/// The start of a PNG file: enough for its magic bytes.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01";
/// The start of a JPEG file.
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0";
/// The link the consumer saw; the mock rewrites it onto its own URL.
const EXAMPLE_LINK: &str = "http://localhost:8080/orders/42";
/// The order the provider state creates: the pact's example path names order 42, which the
/// provider does not know, so only a verifier that injects the state's value passes.
const STATE_ID: i64 = 7;

#[derive(Debug, Deserialize, PactExample)]
struct Dimensions {
    width: u32,
    unit: String,
}

/// The contract: four interactions, the last for V4 only.
fn declare(pact: &mut Contract, v4: bool) {
    pact.upon_receiving("an order is fetched")
        .given_with("an order exists", json!({"id": 42}))
        .get(from_provider_state!("/orders/${id}", "/orders/42"))
        .query("since", date!("yyyy-MM-dd"))
        .query("view", any_of!(term!("^full$", "full"), term!("^brief$", "brief")))
        .header("X-Request-Id", uuid!())
        .will_respond_with(200)
        .header("X-Version", semver!("1.2.3"))
        .json_body(json_pattern!({
            "id": integer!(42),
            "name": like!("Widget"),
            "tags": each_like!("red", min = 1),
            "sizes": like!([1, 2], min = 1, max = 5),
            "price": decimal!(9.99),
            "quantity": number!(3),
            "inStock": boolean!(true),
            "discontinuedAt": null!(),
            "sku": term!("^[A-Z]{3}-\\d+$", "ABC-1"),
            "createdAt": datetime!("yyyy-MM-dd'T'HH:mm:ss", "2020-01-01T10:00:00"),
            "shipDate": date!("yyyy-MM-dd", "2020-01-02"),
            "cutoff": time!("HH:mm", "17:30"),
            "updatedAt": datetime!("yyyy-MM-dd'T'HH:mm:ss"),
            "summary": includes!("Widget", "A Widget for you"),
            "attributes": each_key!({"color": "red"}, "^[a-z]+$"),
            "stock": each_value!({"north": 1}, integer!(1)),
            "related": array_contains!([{"id": integer!(1)}]),
            "kind": equality!("widget"),
            "ratings": values!(json_pattern!({"alice": integer!(5)})),
            "label": not_empty!("x"),
            "version": semver!("1.2.3"),
            "settings": content_type!("application/json", "{\"dark\":true}"),
            "discount": any_of!(integer!(5), term!("^none$", "none")),
            "nickname": nullable!(like!("Al")),
            "dimensions": like_type!(Dimensions { width: 10, unit: "cm".into() }),
            "ref": uuid!(),
            "serial": random_int!(1, 9),
            "weight": random_decimal!(4),
            "code": random_hex!(8),
            "token": random_string!(10),
            "fragile": random_boolean!(),
            "self": mock_server_url!(".*(/orders/\\d+)$", EXAMPLE_LINK),
        }));
    pact.upon_receiving("a greeting")
        .post("/greetings")
        .text_body(term!("^Hello, \\w+$", "Hello, Bob"))
        .will_respond_with(200)
        .text_body(term!("^Hi, \\w+!$", "Hi, Bob!"));
    pact.upon_receiving("an order is placed by form")
        .post("/orders")
        .form_field("item", like!("Widget"))
        .form_field("count", integer!(2))
        .will_respond_with(201)
        .xml_body(
            XmlElement::new("order")
                .attr("id", integer!(7))
                .child(XmlElement::new("note").text(term!("^[a-z ]+$", "leave at door")))
                .each_child_like(
                    XmlElement::new("item").attr("sku", term!("^[A-Z]-\\d+$", "A-1")).text(like!("apple")),
                    1,
                ),
        );
    if v4 {
        // V4 only: a multipart request with a file, a binary response, a status class.
        pact.upon_receiving("a photo upload")
            .post("/photos")
            .multipart_body(MultipartForm::new().field("title", term!("^[A-Z][a-z]+$", "Holiday")).file(
                "photo",
                "cat.png",
                "image/png",
                PNG,
            ))
            .will_respond_with(201)
            .status_class(StatusCodeRule::Success)
            .binary_body("image/png", PNG);
    }
}

/// A correct client: other values of the same shapes.
async fn client(pact: &Contract, v4: bool) {
    let client = reqwest::Client::new();
    let order = client
        .get(pact.url("/orders/42?since=2024-05-06&view=brief"))
        .header("X-Request-Id", "5c0f9e3a-8d4b-4a1e-9f0c-2b7d6e1a3c55")
        .send()
        .await
        .unwrap();
    assert_eq!(order.status(), 200);
    let body: Value = order.json().await.unwrap();
    let link = body["self"].as_str().unwrap();
    assert!(link.starts_with(&pact.url("/")) && link.ends_with("/orders/42"), "{body}");
    let dimensions = Dimensions::deserialize(&body["dimensions"]).unwrap();
    assert_eq!((dimensions.width, dimensions.unit.as_str()), (10, "cm"));

    let greeting = client
        .post(pact.url("/greetings"))
        .header(CONTENT_TYPE.as_str(), "text/plain")
        .body("Hello, Carol")
        .send()
        .await
        .unwrap();
    assert_eq!(greeting.text().await.unwrap(), "Hi, Bob!");

    let placed = client
        .post(pact.url("/orders"))
        .header(CONTENT_TYPE.as_str(), "application/x-www-form-urlencoded")
        .body("count=5&item=Gadget")
        .send()
        .await
        .unwrap();
    assert_eq!(placed.status(), 201);
    assert!(placed.text().await.unwrap().starts_with(r#"<order id="7">"#));

    if v4 {
        let photo =
            reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("dog.png").mime_str("image/png").unwrap();
        let form = reqwest::multipart::Form::new().text("title", "Beach").part("photo", photo);
        let upload = client.post(pact.url("/photos")).multipart(form).send().await.unwrap();
        assert_eq!(upload.status(), 201);
        assert_eq!(upload.bytes().await.unwrap().as_ref(), PNG);
    }
}

async fn write_pact(dir: &Path, version: SpecVersion) -> PathBuf {
    let v4 = version == SpecVersion::V4;
    let consumer = if v4 { "InteropClientV4" } else { "InteropClientV3" };
    let mut pact = Contract::new_async(consumer, "InteropService")
        .await
        .with_output_dir(dir)
        .with_spec_version(version)
        .with_test_name("interop::all_features");
    declare(&mut pact, v4);
    client(&pact, v4).await;
    pact.finish().unwrap()
}

/// Every `match` and generator `type` anywhere in `value`.
fn collect(value: &Value, key: &str, found: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if let (true, Some(text)) = (k == key, v.as_str()) {
                    found.insert(text.to_string());
                }
                collect(v, key, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, key, found)),
        _ => {}
    }
}

/// Whether some object in `value` has `min` and `max` as given.
fn has_bounds(value: &Value, min: i64, max: i64) -> bool {
    match value {
        Value::Object(map) => {
            (map.get("min") == Some(&json!(min)) && map.get("max") == Some(&json!(max)))
                || map.values().any(|v| has_bounds(v, min, max))
        }
        Value::Array(items) => items.iter().any(|v| has_bounds(v, min, max)),
        _ => false,
    }
}

/// The pact holds every rule and generator the contract meant to write: coverage, proven.
fn assert_coverage(path: &Path, version: SpecVersion) {
    let pact: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut rules = std::collections::BTreeSet::new();
    let mut generators = std::collections::BTreeSet::new();
    for interaction in pact["interactions"].as_array().unwrap() {
        for part in ["request", "response"] {
            collect(&interaction[part]["matchingRules"], "match", &mut rules);
            collect(&interaction[part]["generators"], "type", &mut generators);
        }
    }
    let mut expected_rules = vec![
        "type",
        "integer",
        "decimal",
        "number",
        "boolean",
        "null",
        "regex",
        "datetime",
        "date",
        "time",
        "include",
        "eachKey",
        "eachValue",
        "arrayContains",
        "equality",
        "values",
        "notEmpty",
        "semver",
        "contentType",
    ];
    let mut expected_generators =
        vec!["ProviderState", "Date", "DateTime", "Uuid", "RandomInt", "RandomDecimal", "RandomHexadecimal"];
    expected_generators.extend(["RandomString", "RandomBoolean", "MockServerURL"]);
    if version == SpecVersion::V4 {
        expected_rules.push("statusCode");
    }
    for rule in expected_rules {
        assert!(rules.contains(rule), "{version:?}: no `{rule}` rule in the pact; it has {rules:?}");
    }
    for generator in expected_generators {
        assert!(
            generators.contains(generator),
            "{version:?}: no `{generator}` generator in the pact; it has {generators:?}"
        );
    }
    // `any_of!` and `nullable!` write OR-combined rule lists; `like!` with bounds both bounds.
    assert!(has_bounds(&pact, 1, 5), "{version:?}: no rule with min 1 and max 5 (like! with bounds)");
    let fetched =
        pact["interactions"].as_array().unwrap().iter().find(|i| i["description"] == "an order is fetched");
    let body_rules = &fetched.unwrap()["response"]["matchingRules"]["body"];
    let alternatives = |path: &str| {
        let list = &body_rules[path];
        assert_eq!(list["combine"], "OR", "{version:?}: {path}: {list}");
        list["matchers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["match"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(alternatives("$.nickname"), ["type", "null"], "{version:?}");
    assert_eq!(alternatives("$.discount"), ["integer", "regex"], "{version:?}");
    let kinds: Vec<String> = pact["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| ["request", "response"].map(|p| i[p]["headers"]["Content-Type"].to_string()))
        .collect();
    let mut expected_kinds =
        vec!["application/json", "text/plain", "application/x-www-form-urlencoded", "application/xml"];
    if version == SpecVersion::V4 {
        expected_kinds.extend(["multipart/form-data", "image/png"]);
        assert_eq!(pact["metadata"]["pactSpecification"]["version"], "4.0", "{path:?}");
    } else {
        assert_eq!(pact["metadata"]["pactSpecification"]["version"], "3.0.0", "{path:?}");
    }
    for kind in expected_kinds {
        assert!(
            kinds.iter().any(|k| k.contains(kind)),
            "{version:?}: no {kind} body; content types {kinds:?}"
        );
    }
}

fn header(headers: &axum::http::HeaderMap, name: &str) -> String {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

/// The provider: `broken` answers with wrong types or values in a few fields of every body kind.
async fn provider(broken: bool) -> String {
    use axum::routing::{get, post};
    let app = axum::Router::new()
        // The state change: creates order 7 and says so, for the `${id}` of the path.
        .route("/_pact/state", post(|| async { axum::Json(json!({"id": STATE_ID})) }))
        .route(
            "/orders/{id}",
            get(move |axum::extract::Path(id): axum::extract::Path<i64>,
                      axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
                      headers: axum::http::HeaderMap| async move {
                let request_id = header(&headers, "X-Request-Id");
                let uuid = regex::Regex::new(pact_core::dsl::UUID_REGEX).unwrap();
                let since = query.get("since").cloned().unwrap_or_default();
                if id != STATE_ID
                    || !uuid.is_match(&request_id)
                    || request_id == pact_core::dsl::UUID_EXAMPLE
                    || pact_datetime::check(pact_datetime::Kind::Date, Some("yyyy-MM-dd"), &since).is_err()
                    || !["full", "brief"].contains(&query.get("view").map(String::as_str).unwrap_or(""))
                {
                    return (StatusCode::NOT_FOUND, format!("{id} {request_id} {query:?}")).into_response();
                }
                let mut body = json!({
                    "id": id,
                    "name": "Gadget",
                    "tags": ["blue", "green"],
                    "sizes": [3],
                    "price": 12.5,
                    "quantity": 4.5,
                    "inStock": false,
                    "discontinuedAt": null,
                    "sku": "XYZ-77",
                    "createdAt": "2023-04-05T06:07:08",
                    "shipDate": "2023-04-06",
                    "cutoff": "09:15",
                    "updatedAt": "2023-04-05T06:07:09",
                    "summary": "The Widget of the year",
                    "attributes": {"colour": "blue", "size": "m"},
                    "stock": {"south": 4, "east": 0},
                    "related": [{"id": 3}, {"id": 9}],
                    "kind": "widget",
                    "ratings": {"bob": 3, "carol": 4},
                    "label": "new",
                    "version": "2.0.1",
                    "settings": "{\"dark\":false}",
                    "discount": "none",
                    "nickname": null,
                    "dimensions": {"width": 30, "unit": "mm"},
                    "ref": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                    "serial": 3,
                    "weight": 1.234,
                    "code": "00ff00aa",
                    "token": "abcdefghij",
                    "fragile": true,
                    "self": "http://provider.example/orders/7",
                });
                if broken {
                    body["price"] = json!("12.50");
                    body["sku"] = json!("xyz-77");
                    body["version"] = json!("2.0");
                    body["label"] = json!("");
                    body["attributes"] = json!({"Colour": "blue"});
                    body["stock"] = json!({"south": "four"});
                    body["kind"] = json!("gadget");
                }
                let version = if broken { "v2" } else { "2.1.0" };
                ([("X-Version", version)], axum::Json(body)).into_response()
            }),
        )
        .route(
            "/greetings",
            post(move || async move {
                ([(CONTENT_TYPE, "text/plain")], if broken { "Hi Bob" } else { "Hi, Dora!" }).into_response()
            }),
        )
        .route(
            "/orders",
            post(move || async move {
                let body = if broken {
                    r#"<order id="seven"><note>Leave at door</note><item sku="A-1">apple</item></order>"#
                } else {
                    r#"<order id="8"><note>ring twice</note><item sku="B-2">pear</item><item sku="C-3">fig</item></order>"#
                };
                (StatusCode::CREATED, [(CONTENT_TYPE, "application/xml")], body).into_response()
            }),
        )
        .route(
            "/photos",
            post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| async move {
                let well_formed = header(&headers, "content-type").starts_with("multipart/form-data; boundary=")
                    && body.windows(PNG.len()).any(|w| w == PNG);
                if !well_formed {
                    return StatusCode::BAD_REQUEST.into_response();
                }
                // Any 2xx passes the status class; the broken one answers a JPEG.
                let (status, bytes) = if broken { (StatusCode::OK, JPEG) } else { (StatusCode::ACCEPTED, PNG) };
                (status, [(CONTENT_TYPE, "image/png")], bytes).into_response()
            }),
        );
    common::serve_port(app).await
}

async fn official(pact: &Path, port: String) -> (bool, String) {
    let state_url = format!("http://127.0.0.1:{port}/_pact/state");
    test_support::official_verify(pact, port, &["--state-change-url", &state_url]).await
}

async fn ours(pact: &Path, port: String) -> (bool, String) {
    let report = common::verify_file(pact, port, Some("/_pact/state")).await;
    (report.success(), report.to_human(false))
}

async fn both_verifiers_agree(version: SpecVersion) {
    let dir = tempfile::tempdir().unwrap();
    let path = write_pact(dir.path(), version).await;
    assert_coverage(&path, version);

    let (passed, text) = ours(&path, provider(false).await).await;
    assert!(passed, "our verifier, correct provider, {version:?}:\n{text}");
    let (passed, text) = official(&path, provider(false).await).await;
    assert!(passed, "official verifier, correct provider, {version:?}:\n{text}");

    let (official_passed, official_text) = official(&path, provider(true).await).await;
    assert!(!official_passed, "official verifier, broken provider, {version:?}:\n{official_text}");
    let (ours_passed, ours_text) = ours(&path, provider(true).await).await;
    assert!(!ours_passed, "our verifier, broken provider, {version:?}:\n{ours_text}");
    // The same failures on the same paths, in each tool's spelling: the official one relative to
    // the body (`$.price -> ...`), ours from the interaction's root (`$.body.price: ...`).
    let mut expected = vec![
        "$",
        "$.price",
        "$.sku",
        "$.version",
        "$.label",
        "$.attributes.Colour",
        "$.stock.south",
        "$.kind",
        "$.order['@id']",
        "$.order.note['#text']",
    ];
    expected.sort();
    let theirs = official_paths(&official_text);
    assert_eq!(theirs, expected, "{version:?}: the official verifier's failing paths:\n{official_text}");
    let (mine, headers) = our_paths(&ours_text);
    assert_eq!(mine, expected, "{version:?}: our verifier's failing paths:\n{ours_text}");
    // The header that is no semantic version, named by both.
    assert!(official_text.contains("Mismatch with header 'X-Version': 'v2' is not a valid semantic version"));
    assert_eq!(headers, ["$.headers.X-Version"], "{ours_text}");
    // Every interaction fails, each on its own body kind.
    let interactions = if version == SpecVersion::V4 { 4 } else { 3 };
    assert!(official_text.contains(&format!("There were {interactions} pact failures")), "{official_text}");
    assert!(
        ours_text.contains(&format!("{interactions} interactions: 0 passed, {interactions} failed")),
        "{ours_text}"
    );
    assert!(official_text.contains("$ -> Expected 'Hi Bob' to match '^Hi, \\w+!$'"), "{official_text}");
    assert!(
        ours_text.contains(r#"$.body: expected a value matching /^Hi, \w+!$/ but found "Hi Bob""#),
        "{ours_text}"
    );
    let jpeg = "image/jpeg";
    let v4 = version == SpecVersion::V4;
    assert_eq!(official_text.contains(jpeg), v4, "{version:?}: the binary body's failure:\n{official_text}");
    assert_eq!(ours_text.contains(jpeg), v4, "{version:?}: the binary body's failure:\n{ours_text}");
}

/// The body paths in the official verifier's failures (`$.price -> Expected ...`), sorted, once each.
fn official_paths(text: &str) -> Vec<String> {
    let paths: std::collections::BTreeSet<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with('$'))
        .filter_map(|line| line.split_once(" -> ").map(|(path, _)| path.to_string()))
        .collect();
    paths.into_iter().collect()
}

/// The paths in our verifier's failures (`$.body.price: expected ...`): body paths rewritten
/// relative to the body as the official verifier writes them, and the header paths apart.
fn our_paths(text: &str) -> (Vec<String>, Vec<String>) {
    let mut body = std::collections::BTreeSet::new();
    let mut headers = std::collections::BTreeSet::new();
    for line in text.lines().map(str::trim).filter(|line| line.starts_with("$.")) {
        let Some((path, _)) = line.split_once(": ") else { continue };
        if let Some(rest) = path.strip_prefix("$.body") {
            body.insert(format!("${rest}"));
        } else {
            headers.insert(path.to_string());
        }
    }
    (body.into_iter().collect(), headers.into_iter().collect())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_v3_pact_of_every_feature_is_verified_the_same_by_both_verifiers() {
    both_verifiers_agree(SpecVersion::V3).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_v4_pact_of_every_feature_is_verified_the_same_by_both_verifiers() {
    both_verifiers_agree(SpecVersion::V4).await;
}

/// A provider answering `GET /order` with `body` as XML.
async fn xml_provider(body: &'static str) -> String {
    let app = axum::Router::new()
        .route(
            "/order",
            axum::routing::get(move || async move { ([(CONTENT_TYPE, "application/xml")], body) }),
        )
        // The official verifier calls the state-change URL for an interaction without a state too.
        .route("/_pact/state", axum::routing::post(|| async { axum::Json(json!({})) }));
    common::serve_port(app).await
}

/// A V3 pact, as another tool writes it, whose response is an XML order with the given rule on
/// its repeated `<item>` element.
fn xml_rule_pact(dir: &Path, name: &str, rule: Value) -> PathBuf {
    let pact = json!({
        "consumer": {"name": format!("XmlClient-{name}")},
        "provider": {"name": "XmlService"},
        "interactions": [{
            "description": "an order",
            "request": {"method": "GET", "path": "/order"},
            "response": {
                "status": 200,
                "headers": {"Content-Type": "application/xml"},
                "body": "<order><item sku=\"A-1\">apple</item></order>",
                "matchingRules": {"body": {"$.order.item": {"matchers": [rule]}}}
            }
        }],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    });
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&pact).unwrap()).unwrap();
    path
}

/// Both verifiers' verdicts on one pact against one provider body, checked equal.
async fn same_verdict(pact: &Path, body: &'static str) -> (bool, String, String) {
    let (official_passed, official_text) = official(pact, xml_provider(body).await).await;
    let (ours_passed, ours_text) = ours(pact, xml_provider(body).await).await;
    assert_eq!(
        official_passed,
        ours_passed,
        "{}: the verifiers disagree on {body}\nofficial:\n{official_text}\nours:\n{ours_text}",
        pact.display()
    );
    (ours_passed, official_text, ours_text)
}

/// pact-reference applies an XML `min`/`max` to each element's own child nodes, not to the
/// number of elements with that name: both verifiers reach the same verdict on each case, and our
/// DSL's repeated element (a plain `type` rule) passes a childless one in both.
#[tokio::test(flavor = "multi_thread")]
async fn xml_bounds_on_a_repeated_element_get_the_same_verdict_from_both_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    let childless = r#"<order><item sku="B-2"/><item sku="C-3"/></order>"#;
    let with_text = r#"<order><item sku="B-2">pear</item><item sku="C-3">fig</item></order>"#;
    // Text and a comment: 2 child nodes (a child element would be unexpected under the type rule).
    let two_children = r#"<order><item sku="B-2">pear<!--ripe--></item></order>"#;

    let min = xml_rule_pact(dir.path(), "min", json!({"match": "type", "min": 1}));
    let (passed, official_text, ours_text) = same_verdict(&min, childless).await;
    assert!(!passed);
    assert!(official_text.contains("Expected 'item' to have at least 1 children"), "{official_text}");
    assert!(
        ours_text
            .contains("$.body.order.item[0]: expected <item> to have at least 1 child node but it has 0"),
        "{ours_text}"
    );
    // The group's size is not what `min` bounds: 2 items pass a `min` of 2 when each has text,
    // and one item with 2 child nodes passes it too.
    let min_two = xml_rule_pact(dir.path(), "min-two", json!({"match": "type", "min": 2}));
    assert!(!same_verdict(&min_two, with_text).await.0);
    assert!(same_verdict(&min_two, two_children).await.0);
    let max = xml_rule_pact(dir.path(), "max", json!({"match": "type", "max": 1}));
    assert!(same_verdict(&max, with_text).await.0);
    assert!(same_verdict(&max, childless).await.0);
    assert!(!same_verdict(&max, two_children).await.0);
    // No item at all fails under a type rule, whatever its bounds.
    assert!(!same_verdict(&max, "<order/>").await.0);

    // Our DSL's `each_child_like` of a childless element: the pact passes in both.
    let mut pact = Contract::new_async("XmlClient-dsl", "XmlService")
        .await
        .with_output_dir(dir.path())
        .with_spec_version(SpecVersion::V3)
        .with_test_name("interop::xml_bounds");
    pact.upon_receiving("an order").get("/order").will_respond_with(200).xml_body(
        XmlElement::new("order").each_child_like(XmlElement::new("item").attr("sku", like!("A-1")), 1),
    );
    let answer = reqwest::get(pact.url("/order")).await.unwrap().text().await.unwrap();
    assert_eq!(answer, r#"<order><item sku="A-1"/></order>"#);
    let written = pact.finish().unwrap();
    assert!(same_verdict(&written, childless).await.0);
    assert!(!same_verdict(&written, "<order/>").await.0);
}

/// A provider that answers `GET /settings` with `answer` in `X-Settings`, if the request's
/// `X-Payload` is JSON (what the pact's example is); 400 otherwise.
async fn settings_provider(answer: &'static str) -> String {
    let app = axum::Router::new()
        .route(
            "/settings",
            axum::routing::get(move |headers: axum::http::HeaderMap| async move {
                let payload = header(&headers, "X-Payload");
                if serde_json::from_str::<Value>(&payload).is_err() {
                    return (StatusCode::BAD_REQUEST, payload).into_response();
                }
                ([("X-Settings", answer)], "").into_response()
            }),
        )
        .route("/_pact/state", axum::routing::post(|| async { axum::Json(json!({})) }));
    common::serve_port(app).await
}

/// The contract of `content_type_in_headers_is_honoured_by_the_mock_and_both_verifiers`.
async fn settings_contract(dir: &Path, version: SpecVersion) -> Contract {
    let mut pact = Contract::new_async(&format!("HeaderClient-{version:?}"), "HeaderService")
        .await
        .with_output_dir(dir)
        .with_spec_version(version)
        .with_test_name("interop::content_type_headers");
    pact.upon_receiving("settings")
        .get("/settings")
        .header("X-Payload", content_type!("application/json", "{\"page\":1}"))
        .will_respond_with(200)
        .header("X-Settings", content_type!("application/json", "{\"dark\":true}"));
    pact
}

/// `content_type!` in request and response headers: the mock accepts a request header whose
/// value looks like the type and refuses one that does not; the pact it writes is passed by both
/// verifiers against a provider whose header looks like the type, and failed by both, on that
/// header, against one whose header does not.
#[tokio::test(flavor = "multi_thread")]
async fn content_type_in_headers_is_honoured_by_the_mock_and_both_verifiers() {
    let dir = tempfile::tempdir().unwrap();
    for version in [SpecVersion::V3, SpecVersion::V4] {
        let pact = settings_contract(dir.path(), version).await;
        let client = reqwest::Client::new();
        let refused = client.get(pact.url("/settings")).header("X-Payload", "page one").send().await.unwrap();
        assert_eq!(refused.status(), 500, "{version:?}: a header that is no JSON is refused");
        let text = refused.text().await.unwrap();
        assert!(text.contains("$.headers.X-Payload"), "{text}");
        let answer = client.get(pact.url("/settings")).header("X-Payload", "[2]").send().await.unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(header(answer.headers(), "X-Settings"), "{\"dark\":true}");
        // The refused request fails the contract test; a second contract writes the pact.
        assert!(pact.finish().is_err());

        let pact = settings_contract(dir.path(), version).await;
        let answer = client.get(pact.url("/settings")).header("X-Payload", "[2]").send().await.unwrap();
        assert_eq!(answer.status(), 200);
        let path = pact.finish().unwrap();
        let written: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let interaction = &written["interactions"][0];
        for (part, name) in [("request", "X-Payload"), ("response", "X-Settings")] {
            let rules = &interaction[part]["matchingRules"]["header"][name]["matchers"][0];
            assert_eq!(rules, &json!({"match": "contentType", "value": "application/json"}), "{version:?}");
        }

        let good = "{\"dark\":false}";
        let (official_passed, official_text) = official(&path, settings_provider(good).await).await;
        assert!(official_passed, "official verifier, {version:?}:\n{official_text}");
        let (ours_passed, ours_text) = ours(&path, settings_provider(good).await).await;
        assert!(ours_passed, "our verifier, {version:?}:\n{ours_text}");
        let bad = "dark mode";
        let (official_passed, official_text) = official(&path, settings_provider(bad).await).await;
        assert!(!official_passed, "official verifier, {version:?}:\n{official_text}");
        assert!(official_text.contains("Mismatch with header 'X-Settings'"), "{official_text}");
        let (ours_passed, ours_text) = ours(&path, settings_provider(bad).await).await;
        assert!(!ours_passed, "our verifier, {version:?}:\n{ours_text}");
        assert!(ours_text.contains("$.headers.X-Settings"), "{ours_text}");
    }
}
