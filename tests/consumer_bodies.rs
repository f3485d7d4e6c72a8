//! Every body kind the DSL writes, with its matchers, end to end: a real client against the mock
//! (a matching request passes; a wrong one is refused with the mismatch on the right path), then
//! the written pact verified by our verifier and by the official `pact verifier`, passing against
//! a correct provider and failing against a broken one.

mod common;

use std::path::{Path, PathBuf};

use axum::http::header::CONTENT_TYPE;
use pact_core::dsl::{MultipartForm, XmlElement};
use pact_core::model::SpecVersion;
use pact_core::prelude::*;
use serde_json::Value;

/// The start of a PNG file: enough for its magic bytes.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01";
/// The start of a JPEG file.
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0";

fn order_xml() -> XmlElement {
    XmlElement::new("order")
        .attr("id", integer!(7))
        .child(XmlElement::new("note").text(term!("^[a-z ]+$", "leave at door")))
        .each_child_like(
            XmlElement::new("item").attr("sku", term!("^[A-Z]-\\d+$", "A-1")).text(like!("apple")),
            1,
        )
}

/// Declares one interaction of each body kind, on both sides where it makes sense. A binary
/// body (and a multipart body holding a file) goes to a V3 pact as a base64 string, which
/// pact-reference reads back as bytes because its content type is not text; V4 says `encoded`.
fn declare(pact: &mut Contract, multipart: bool) {
    if multipart {
        pact.upon_receiving("a photo upload")
            .post("/photos")
            .multipart_body(MultipartForm::new().field("title", term!("^[A-Z][a-z]+$", "Holiday")).file(
                "photo",
                "cat.png",
                "image/png",
                PNG,
            ))
            .will_respond_with(201)
            .json_body(json_pattern!({"id": integer!(1)}));
        pact.upon_receiving("a photo").get("/photos/5").will_respond_with(200).multipart_body(
            MultipartForm::new().field("title", term!("^[A-Z][a-z]+$", "Holiday")).file(
                "photo",
                "cat.png",
                "image/png",
                PNG,
            ),
        );
    }
    pact.upon_receiving("a search")
        .get("/search")
        .query("q", like!("shoes"))
        .query("limit", integer!(10))
        .will_respond_with(200)
        .text_body(term!("^\\d+ results$", "3 results"));
    pact.upon_receiving("a greeting")
        .post("/greetings")
        .text_body(term!("^Hello, \\w+$", "Hello, Bob"))
        .will_respond_with(200)
        .text_body(term!("^Hi, \\w+!$", "Hi, Bob!"));
    pact.upon_receiving("a sign-up")
        .post("/accounts")
        .form_field("name", like!("Alice Smith"))
        .form_field("age", integer!(30))
        .form_field("plan", "basic")
        .will_respond_with(201)
        .json_body(json_pattern!({"id": integer!(1), "settings": content_type!("application/json", "{\"dark\":true}")}));
    pact.upon_receiving("an avatar upload")
        .put("/avatars/1")
        .binary_body("image/png", PNG)
        .will_respond_with(204);
    pact.upon_receiving("an avatar").get("/avatars/1").will_respond_with(200).binary_body("image/png", PNG);
    pact.upon_receiving("an XML order placed")
        .post("/orders")
        .xml_body(order_xml())
        .will_respond_with(201)
        .xml_body(XmlElement::new("created").attr("id", integer!(7)));
    pact.upon_receiving("an XML order").get("/orders/7").will_respond_with(200).xml_body(order_xml());
    declare_token(pact);
}

/// A form-urlencoded request answered by a form-urlencoded response, each with matchers.
fn declare_token(pact: &mut Contract) {
    pact.upon_receiving("a token")
        .post("/oauth/token")
        .form_field("grant_type", "client_credentials")
        .will_respond_with(200)
        .form_field("access_token", term!("^[a-f0-9]{8}$", "0a1b2c3d"))
        .form_field("expires_in", integer!(3600));
}

/// The form a correct client posts for a token, and what it reads back from the mock.
async fn get_token(client: &reqwest::Client, pact: &Contract) {
    let form = b"grant_type=client_credentials".to_vec();
    let token = send(
        client,
        reqwest::Method::POST,
        pact.url("/oauth/token"),
        "application/x-www-form-urlencoded",
        form,
    )
    .await;
    assert_eq!(token.status(), 200);
    assert_eq!(token.headers()[CONTENT_TYPE].to_str().unwrap(), "application/x-www-form-urlencoded");
    assert_eq!(token.text().await.unwrap(), "access_token=0a1b2c3d&expires_in=3600");
}

async fn send(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    let mut request = client.request(method, url);
    if !content_type.is_empty() {
        request = request.header(CONTENT_TYPE.as_str(), content_type);
    }
    request.body(body).send().await.unwrap()
}

fn photo_form(title: &str, photo: &[u8]) -> reqwest::multipart::Form {
    let photo =
        reqwest::multipart::Part::bytes(photo.to_vec()).file_name("dog.png").mime_str("image/png").unwrap();
    reqwest::multipart::Form::new().text("title", title.to_string()).part("photo", photo)
}

/// The requests a correct client sends (different values, same shapes), with what it expects back.
async fn good_client(pact: &Contract, multipart: bool) {
    use reqwest::Method;
    let client = reqwest::Client::new();
    if multipart {
        let mut other_png = PNG.to_vec();
        other_png.extend_from_slice(b"a dog");
        let upload =
            client.post(pact.url("/photos")).multipart(photo_form("Beach", &other_png)).send().await.unwrap();
        assert_eq!(upload.status(), 201);
        let photo = client.get(pact.url("/photos/5")).send().await.unwrap();
        assert_eq!(photo.status(), 200);
        let content_type = photo.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
        assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
        let bytes = photo.bytes().await.unwrap();
        assert!(bytes.windows(PNG.len()).any(|w| w == PNG) && bytes.windows(7).any(|w| w == b"Holiday"));
    }
    let search = client.get(pact.url("/search?q=boots&limit=25")).send().await.unwrap();
    assert_eq!(search.status(), 200);
    assert_eq!(search.text().await.unwrap(), "3 results");

    let greeting =
        send(&client, Method::POST, pact.url("/greetings"), "text/plain", b"Hello, Carol".to_vec()).await;
    assert_eq!(greeting.status(), 200);
    assert_eq!(greeting.headers()[CONTENT_TYPE].to_str().unwrap(), "text/plain");
    assert_eq!(greeting.text().await.unwrap(), "Hi, Bob!");

    let form = b"plan=basic&age=41&name=Carol%20Jones".to_vec();
    let signup =
        send(&client, Method::POST, pact.url("/accounts"), "application/x-www-form-urlencoded", form).await;
    assert_eq!(signup.status(), 201);
    let created: Value = signup.json().await.unwrap();
    assert_eq!(created["settings"], "{\"dark\":true}");

    let mut other_png = PNG.to_vec();
    other_png.extend_from_slice(b"different pixels");
    let upload = send(&client, Method::PUT, pact.url("/avatars/1"), "image/png", other_png).await;
    assert_eq!(upload.status(), 204);
    let avatar = client.get(pact.url("/avatars/1")).send().await.unwrap();
    assert_eq!(avatar.headers()[CONTENT_TYPE].to_str().unwrap(), "image/png");
    assert_eq!(avatar.bytes().await.unwrap().as_ref(), PNG);

    let xml = r#"<?xml version="1.0"?><order id="12"><note>ring twice</note><item sku="B-2">pear</item><item sku="C-3">fig</item></order>"#;
    let placed = send(&client, Method::POST, pact.url("/orders"), "application/xml", xml.into()).await;
    assert_eq!(placed.status(), 201);
    assert_eq!(placed.text().await.unwrap(), r#"<created id="7"/>"#);
    let order = client.get(pact.url("/orders/7")).send().await.unwrap();
    assert_eq!(order.headers()[CONTENT_TYPE].to_str().unwrap(), "application/xml");
    assert!(order.text().await.unwrap().starts_with(r#"<order id="7"><note>leave at door</note>"#));
    get_token(&client, pact).await;
}

/// What the mock says about a request no interaction accepts: its mismatches.
async fn refused(response: reqwest::Response) -> Vec<String> {
    assert_eq!(response.status(), 500);
    let body: Value = response.json().await.unwrap();
    body["mismatches"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect()
}

fn assert_mismatch(mismatches: &[String], path: &str) {
    assert!(
        mismatches.iter().any(|m| m.starts_with(&format!("{path}: "))),
        "expected a mismatch at {path}, got {mismatches:?}"
    );
}

async fn write_pact(dir: &Path, version: SpecVersion) -> PathBuf {
    let mut pact = Contract::new_async("ShopClient", "ShopService")
        .await
        .with_output_dir(dir)
        .with_spec_version(version);
    let multipart = true;
    declare(&mut pact, multipart);
    good_client(&pact, multipart).await;
    let path = pact.finish().unwrap();
    assert_rule_shapes(&path, version);
    path
}

/// The rules sit where pact-reference reads them.
fn assert_rule_shapes(path: &Path, version: SpecVersion) {
    let pact: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let interaction = |description: &str| {
        pact["interactions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["description"] == description)
            .unwrap()
            .clone()
    };
    let first_rule = |rules: &Value, category: &str, path: &str| rules[category][path]["matchers"][0].clone();
    let greeting = interaction("a greeting");
    assert_eq!(first_rule(&greeting["request"]["matchingRules"], "body", "$")["match"], "regex");
    let signup = &interaction("a sign-up")["request"];
    assert_eq!(first_rule(&signup["matchingRules"], "body", "$.age")["match"], "integer");
    assert_eq!(first_rule(&signup["matchingRules"], "body", "$.name")["match"], "type");
    let avatar = &interaction("an avatar")["response"];
    assert_eq!(
        first_rule(&avatar["matchingRules"], "body", "$"),
        serde_json::json!({"match": "contentType", "value": "image/png"})
    );
    let order = &interaction("an XML order")["response"]["matchingRules"];
    assert_eq!(first_rule(order, "body", "$.order['@id']")["match"], "integer");
    assert_eq!(first_rule(order, "body", "$.order.note['#text']")["match"], "regex");
    // A plain `type` rule: for XML, pact-reference reads `min` as a bound on each item's child nodes.
    assert_eq!(first_rule(order, "body", "$.order.item"), serde_json::json!({"match": "type"}));
    let token = &interaction("a token")["response"];
    assert!(
        token["headers"]["Content-Type"].to_string().contains("application/x-www-form-urlencoded"),
        "{token}"
    );
    assert_eq!(first_rule(&token["matchingRules"], "body", "$.access_token")["match"], "regex");
    assert_eq!(first_rule(&token["matchingRules"], "body", "$.expires_in")["match"], "integer");
    if version == SpecVersion::V3 {
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(PNG);
        assert_eq!(avatar["body"], encoded.as_str(), "{avatar}");
    } else {
        assert_eq!(avatar["body"]["encoded"], "base64", "{avatar}");
    }
    let upload = &interaction("a photo upload")["request"];
    assert_eq!(first_rule(&upload["matchingRules"], "body", "$.photo")["match"], "contentType");
    assert_eq!(first_rule(&upload["matchingRules"], "body", "$.title")["match"], "regex");
    assert_eq!(first_rule(&upload["matchingRules"], "header", "Content-Type")["match"], "regex");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mock_refuses_wrong_bodies_with_the_mismatch_on_the_right_path() {
    use reqwest::Method;
    let dir = tempfile::tempdir().unwrap();
    let mut pact = Contract::new_async("ShopClient", "ShopService").await.with_output_dir(dir.path());
    declare(&mut pact, true);
    let client = reqwest::Client::new();

    let upload = client.post(pact.url("/photos")).multipart(photo_form("beach", PNG)).send().await.unwrap();
    assert_mismatch(&refused(upload).await, "$.body.title");
    let upload = client.post(pact.url("/photos")).multipart(photo_form("Beach", JPEG)).send().await.unwrap();
    assert_mismatch(&refused(upload).await, "$.body.photo");
    let title_only = reqwest::multipart::Form::new().text("title", "Beach");
    let upload = client.post(pact.url("/photos")).multipart(title_only).send().await.unwrap();
    let mismatches = refused(upload).await;
    assert!(
        mismatches.iter().any(|m| m.contains("multipart part \"photo\" but it was missing")),
        "{mismatches:?}"
    );

    let search = client.get(pact.url("/search?q=boots&limit=many")).send().await.unwrap();
    assert_mismatch(&refused(search).await, "$.query.limit");

    let greeting =
        send(&client, Method::POST, pact.url("/greetings"), "text/plain", b"Goodbye".to_vec()).await;
    assert_mismatch(&refused(greeting).await, "$.body");

    let form = b"name=Carol&age=forty&plan=basic".to_vec();
    let signup =
        send(&client, Method::POST, pact.url("/accounts"), "application/x-www-form-urlencoded", form).await;
    assert_mismatch(&refused(signup).await, "$.body.age");
    let form = b"name=Carol&age=41&plan=gold".to_vec();
    let signup =
        send(&client, Method::POST, pact.url("/accounts"), "application/x-www-form-urlencoded", form).await;
    assert_mismatch(&refused(signup).await, "$.body.plan");

    let upload = send(&client, Method::PUT, pact.url("/avatars/1"), "image/png", JPEG.to_vec()).await;
    assert_mismatch(&refused(upload).await, "$.body");

    let xml = r#"<order id="twelve"><note>Ring Twice</note><item sku="b2">pear</item></order>"#;
    let placed = send(&client, Method::POST, pact.url("/orders"), "application/xml", xml.into()).await;
    let mismatches = refused(placed).await;
    assert_mismatch(&mismatches, "$.body.order['@id']");
    assert_mismatch(&mismatches, "$.body.order.note['#text']");
    assert_mismatch(&mismatches, "$.body.order.item['@sku']");

    let verdict = pact.finish();
    assert!(verdict.is_err(), "a contract whose client sent wrong bodies must fail");
}

/// The provider: `broken` answers every body with the wrong content, in the right shape.
async fn provider(broken: bool) -> String {
    use axum::response::IntoResponse;
    use axum::routing::{get, post, put};
    let text = |body: &'static str| ([(CONTENT_TYPE, "text/plain")], body).into_response();
    let xml = |body: &'static str| ([(CONTENT_TYPE, "application/xml")], body).into_response();
    let app = axum::Router::new()
        .route("/search", get(move || async move { text(if broken { "three results" } else { "41 results" }) }))
        .route("/greetings", post(move || async move { text(if broken { "Hi Bob" } else { "Hi, Dora!" }) }))
        .route(
            "/accounts",
            post(move || async move {
                let settings = if broken { "dark" } else { "{\"dark\":false}" };
                (axum::http::StatusCode::CREATED, axum::Json(serde_json::json!({"id": 99, "settings": settings})))
            }),
        )
        .route(
            "/avatars/1",
            // The verifier must send the pact's example as bytes (V3: decoded from base64).
            put(|body: axum::body::Bytes| async move {
                if body.starts_with(&PNG[..8]) {
                    axum::http::StatusCode::NO_CONTENT
                } else {
                    axum::http::StatusCode::BAD_REQUEST
                }
            })
            .get(move || async move {
                let bytes = if broken { JPEG } else { b"\x89PNG\r\n\x1a\nother image".as_slice() };
                ([(CONTENT_TYPE, "image/png")], bytes).into_response()
            }),
        )
        .route(
            "/orders",
            post(move || async move {
                let body = if broken { r#"<created id="seven"/>"# } else { r#"<created id="8"/>"# };
                (axum::http::StatusCode::CREATED, xml(body))
            }),
        )
        .route(
            "/photos",
            post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| async move {
                // The verifier sends the pact's example: the raw form, with its boundary.
                let content_type = headers[CONTENT_TYPE].to_str().unwrap_or("").to_string();
                let well_formed = content_type.starts_with("multipart/form-data; boundary=")
                    && body.windows(PNG.len()).any(|w| w == PNG)
                    && body.windows(14).any(|w| w == b"name=\"title\"\r\n");
                if !well_formed {
                    return (axum::http::StatusCode::BAD_REQUEST, axum::Json(serde_json::json!({}))).into_response();
                }
                let id = if broken { serde_json::json!("one") } else { serde_json::json!(5) };
                (axum::http::StatusCode::CREATED, axum::Json(serde_json::json!({"id": id}))).into_response()
            }),
        )
        .route(
            "/photos/5",
            get(move || async move {
                // Another boundary, another title and image of the same shapes; broken: neither.
                let (title, image) =
                    if broken { ("beach", JPEG) } else { ("Beach", b"\x89PNG\r\n\x1a\nother image".as_slice()) };
                let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n".to_vec();
                body.extend_from_slice(title.as_bytes());
                body.extend_from_slice(b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"dog.png\"\r\nContent-Type: image/png\r\n\r\n");
                body.extend_from_slice(image);
                body.extend_from_slice(b"\r\n--XyZ--\r\n");
                ([(CONTENT_TYPE, "multipart/form-data; boundary=XyZ")], body).into_response()
            }),
        )
        .route(
            "/oauth/token",
            post(move || async move {
                let body = if broken { "access_token=XYZ&expires_in=soon" } else { "access_token=deadbeef&expires_in=60" };
                ([(CONTENT_TYPE, "application/x-www-form-urlencoded")], body).into_response()
            }),
        )
        .route(
            "/orders/7",
            get(move || async move {
                xml(if broken {
                    r#"<order id="7"><note>Leave at door</note><item sku="A-1">apple</item></order>"#
                } else {
                    r#"<order id="8"><note>ring twice</note><item sku="B-2">pear</item><item sku="C-3">fig</item></order>"#
                })
            }),
        );
    common::serve_port(app).await
}

async fn ours(pact: &Path, port: String) -> (bool, String) {
    let report = common::verify_file(pact, port, None).await;
    (report.success(), format!("{report:?}"))
}

async fn both_verifiers_agree(version: SpecVersion) {
    let dir = tempfile::tempdir().unwrap();
    let path = write_pact(dir.path(), version).await;

    let (passed, text) = test_support::official_verify(&path, provider(false).await, &[]).await;
    assert!(passed, "official verifier, correct provider, {version:?}:\n{text}");
    let (passed, text) = ours(&path, provider(false).await).await;
    assert!(passed, "our verifier, correct provider, {version:?}:\n{text}");

    let (passed, text) = test_support::official_verify(&path, provider(true).await, &[]).await;
    assert!(!passed, "official verifier, broken provider, {version:?}:\n{text}");
    assert!(
        text.contains("$.id -> Expected 'one' (String) to be an integer"),
        "official verifier, multipart, {version:?}:\n{text}"
    );
    assert!(text.contains("There were 9 pact failures"), "{version:?}: {text}");
    let (passed, ours_text) = ours(&path, provider(true).await).await;
    assert!(!passed, "our verifier, broken provider, {version:?}");
    for needle in [
        "$.body.created['@id']",
        "$.body.order.note['#text']",
        "$.body.settings",
        "$.body.access_token",
        "$.body.expires_in",
        "$.body.title",
        "$.body.photo",
    ] {
        assert!(ours_text.contains(needle), "our verifier should name {needle}:\n{ours_text}");
    }
    // Every interaction but the upload (no response body) fails, on its own path.
    for needle in [
        "$ -> Expected 'three results' to match '^\\d+ results$'",
        "$ -> Expected 'Hi Bob' to match '^Hi, \\w+!$'",
        "$.settings -> Failed to match data to have a content type of 'application/json'",
        "$ -> Expected binary contents to have content type 'image/png' but detected contents was 'image/jpeg'",
        "$.created['@id'] -> Expected 'seven' to match an integer number",
        "$.order.note['#text'] -> Expected 'Leave at door' to match '^[a-z ]+$'",
        "$.access_token -> Expected 'XYZ' to match '^[a-f0-9]{8}$'",
    ] {
        assert!(text.contains(needle), "official verifier, broken provider, {version:?}: expected {needle:?} in:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_v4_pact_of_every_body_kind_is_verified_the_same_by_both_verifiers() {
    both_verifiers_agree(SpecVersion::V4).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_v3_pact_of_every_body_kind_is_verified_the_same_by_both_verifiers() {
    both_verifiers_agree(SpecVersion::V3).await;
}

/// A provider answering `POST /oauth/token` with `body` as a form.
async fn token_provider(body: &'static str) -> String {
    let app = axum::Router::new().route(
        "/oauth/token",
        axum::routing::post(
            move || async move { ([(CONTENT_TYPE, "application/x-www-form-urlencoded")], body) },
        ),
    );
    common::serve_port(app).await
}

/// A form response is matched as pact-reference matches one, as a query string: a field the
/// pact does not name fails it in both verifiers (unlike an unexpected JSON key), and so does a
/// missing one; other values of the right shapes pass in both.
#[tokio::test(flavor = "multi_thread")]
async fn both_verifiers_reach_the_same_verdict_on_form_responses() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = Contract::new_async("TokenClient", "TokenService")
        .await
        .with_output_dir(dir.path())
        .with_spec_version(SpecVersion::V3);
    declare_token(&mut pact);
    get_token(&reqwest::Client::new(), &pact).await;
    let path = pact.finish().unwrap();
    for (body, passes) in [
        ("expires_in=1&access_token=ffffffff", true),
        ("access_token=ffffffff&expires_in=1&scope=admin", false),
        ("access_token=ffffffff", false),
        ("access_token=ffffffff&expires_in=1&expires_in=2", true),
    ] {
        let (official_passed, official_text) =
            test_support::official_verify(&path, token_provider(body).await, &[]).await;
        let (ours_passed, ours_text) = ours(&path, token_provider(body).await).await;
        assert_eq!(official_passed, passes, "official verifier on {body}:\n{official_text}");
        assert_eq!(ours_passed, passes, "our verifier on {body}:\n{ours_text}");
    }
}

/// A body that cannot be what it says is a declaration error naming the part, and no pact is
/// written.
#[tokio::test]
async fn bodies_that_contradict_their_own_matchers_are_declaration_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = Contract::new_async("ShopClient", "ShopService").await.with_output_dir(dir.path());
    pact.upon_receiving("a JPEG called a PNG")
        .put("/a")
        .binary_body("image/png", JPEG)
        .will_respond_with(204);
    pact.upon_receiving("no media type").get("/b").will_respond_with(200).binary_body("png", PNG);
    pact.upon_receiving("text that is not JSON")
        .get("/c")
        .will_respond_with(200)
        .json_body(json_pattern!({"settings": content_type!("application/json", "not json")}));
    pact.upon_receiving("a bad text matcher")
        .post("/d")
        .text_body(Scalar::term("(", "x"))
        .will_respond_with(200);
    pact.upon_receiving("a bad form field")
        .post("/e")
        .form_field("age", Scalar::term("(", "x"))
        .will_respond_with(200);
    pact.upon_receiving("a bad XML name")
        .get("/f")
        .will_respond_with(200)
        .xml_body(XmlElement::new("1order"));
    pact.upon_receiving("a bad request XML")
        .post("/f")
        .xml_body(XmlElement::new("a b"))
        .will_respond_with(200);
    pact.upon_receiving("an empty form")
        .post("/g")
        .multipart_body(MultipartForm::new())
        .will_respond_with(200);
    pact.upon_receiving("a JPEG file called a PNG")
        .post("/h")
        .multipart_body(MultipartForm::new().file("photo", "a.png", "image/png", JPEG))
        .will_respond_with(200);
    let text = pact.finish().unwrap_err().to_string();
    for needle in [
        "request body: the example bytes do not match their own contentType rule: expected content of type image/png but the content looks like image/jpeg",
        "response body: \"png\" is not a media type such as image/png",
        "response body: $.settings: content_type!: the example does not match its own matcher",
        "request body: $: regular expression \"(\"",
        "request form field age: $: regular expression \"(\"",
        "response body: $['1order']: \"1order\" is not an XML element name",
        "request body: $['a b']: \"a b\" is not an XML element name",
        "request body: a multipart body needs at least one part",
        "request body: $.photo: the example file does not match its own contentType rule",
    ] {
        assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no pact is written");
}
