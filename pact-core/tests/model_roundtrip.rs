//! Reading, writing and re-reading pacts gives the same model, in every version, and the same
//! pact always gives the same bytes.

use std::path::{Path, PathBuf};

use pact_core::matching::match_response;
use pact_core::model::{parts, Body, Data, Interaction, MatchingRule, Pact, SpecVersion};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn roundtrip(pact: &Pact, version: SpecVersion) -> Pact {
    let text = pact.to_json_string(version).unwrap();
    assert_eq!(text, pact.to_json_string(version).unwrap(), "writing twice gives the same bytes");
    let again =
        Pact::from_json_str(&text).unwrap_or_else(|e| panic!("re-reading the {version} pact: {e}\n{text}"));
    assert_eq!(again.spec_version, version);
    again
}

#[test]
fn fixtures_roundtrip_in_their_own_version() {
    for (name, version) in [
        ("v1-ruby.json", SpecVersion::V1),
        ("v2-pact-python-ruby.json", SpecVersion::V2),
        ("v3-all-matchers.json", SpecVersion::V3),
        ("v3-messages.json", SpecVersion::V3),
        ("v4-mixed.json", SpecVersion::V4),
    ] {
        let pact = Pact::from_file(fixture(name)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pact.spec_version, version, "{name}");
        let write_version = version.max(SpecVersion::V2);
        let again = roundtrip(&pact, write_version);
        assert_eq!(again.interactions, pact.interactions, "{name}");
        assert_eq!(again.metadata, pact.metadata, "{name}");
        assert_eq!((again.consumer, again.provider), (pact.consumer.clone(), pact.provider.clone()));
    }
}

#[test]
fn upgrading_v2_to_v3_to_v4_keeps_the_meaning() {
    let v2 = Pact::from_file(fixture("v2-pact-python-ruby.json")).unwrap();
    let v3 = roundtrip(&v2, SpecVersion::V3);
    let v4 = roundtrip(&v3, SpecVersion::V4);
    assert_eq!(v3.interactions, v2.interactions);
    assert_eq!(v4.interactions, v2.interactions);

    // And the upgraded expectation still accepts and rejects the same responses.
    let Interaction::Http(original) = &v2.interactions[0] else { panic!("HTTP expected") };
    let Interaction::Http(upgraded) = &v4.interactions[0] else { panic!("HTTP expected") };
    let mut good = original.response.clone();
    good.body = Body::json(serde_json::json!({
        "name": "UserA", "id": "00000000-0000-0000-0000-000000000000",
        "created_on": "2020-01-01T00:00:00", "admin": true, "tags": ["x"]
    }));
    let mut bad = good.clone();
    bad.body = Body::json(
        serde_json::json!({"name": "UserA", "id": "nope", "created_on": "x", "admin": "no", "tags": []}),
    );
    assert!(match_response(&original.response, &good).is_empty());
    assert!(match_response(&upgraded.response, &good).is_empty());
    assert_eq!(match_response(&original.response, &bad).len(), 4);
    assert_eq!(match_response(&upgraded.response, &bad).len(), 4);
}

#[test]
fn v4_details_are_kept() {
    let pact = Pact::from_file(fixture("v4-mixed.json")).unwrap();
    let meta = pact.interactions[0].meta();
    assert!(meta.pending);
    assert_eq!(meta.key.as_deref(), Some("a1b2c3"));
    assert_eq!(meta.comments["testname"], "pictures::gets_one");
    assert_eq!(meta.extra["transport"], "http");
    let Interaction::Http(picture) = &pact.interactions[0] else { panic!() };
    assert!(matches!(&picture.response.body, Body::Present(c) if matches!(c.data, Data::Binary(_))));
    assert_eq!(picture.request.header("accept").unwrap(), ["image/png", "image/*"]);
    let Interaction::Http(plugin) = &pact.interactions[5] else { panic!() };
    let rule = &plugin.response.matching_rules.body.values().next().unwrap().rules[0];
    assert!(matches!(rule, MatchingRule::Unknown { name, .. } if name == "protobuf-field"));
    assert!(matches!(pact.interactions[3], Interaction::Message(_)));
    assert!(matches!(pact.interactions[4], Interaction::SyncMessage(_)));
    assert_eq!(pact.metadata["plugins"][0]["name"], "protobuf");
}

#[test]
fn versions_that_cannot_hold_the_interactions_are_refused() {
    let pact = Pact::from_file(fixture("v4-mixed.json")).unwrap();
    let err = pact.to_json(SpecVersion::V3).unwrap_err();
    assert!(err.to_string().contains("synchronous messages need V4"), "{err}");
    let messages = Pact::from_file(fixture("v3-messages.json")).unwrap();
    let err = messages.to_json(SpecVersion::V2).unwrap_err();
    assert!(err.to_string().contains("messages need V3"), "{err}");
}

#[test]
fn written_field_names_follow_the_specification() {
    let pact = Pact::from_file(fixture("v3-all-matchers.json")).unwrap();
    let v3: Value = serde_json::from_str(&pact.to_json_string(SpecVersion::V3).unwrap()).unwrap();
    let interaction = &v3["interactions"][0];
    assert_eq!(interaction["providerStates"][0]["params"]["customerId"], 42);
    assert_eq!(interaction["request"]["query"]["tag"], serde_json::json!(["a", "b"]));
    assert_eq!(interaction["request"]["matchingRules"]["path"]["matchers"][0]["match"], "regex");
    assert_eq!(
        interaction["response"]["matchingRules"]["body"]["$.createdAt"]["matchers"][0]["format"],
        "yyyy-MM-dd'T'HH:mm:ss.SSSX"
    );
    assert_eq!(interaction["request"]["generators"]["path"]["type"], "ProviderState");
    assert_eq!(v3["metadata"]["pactSpecification"]["version"], "3.0.0");
    assert_eq!(v3["metadata"]["custom"]["kept"], true);

    let v2: Value = serde_json::from_str(&pact.to_json_string(SpecVersion::V2).unwrap()).unwrap();
    let interaction = &v2["interactions"][0];
    assert_eq!(interaction["providerState"], "a customer exists");
    assert!(interaction["request"]["query"].as_str().unwrap().contains("tag=a&tag=b"));
    assert_eq!(interaction["request"]["matchingRules"]["$.body.items[*].sku"]["match"], "regex");
    assert_eq!(interaction["request"]["matchingRules"]["$.headers.X-Request-Id"]["match"], "regex");

    let v4: Value = serde_json::from_str(&pact.to_json_string(SpecVersion::V4).unwrap()).unwrap();
    let interaction = &v4["interactions"][0];
    assert_eq!(interaction["type"], "Synchronous/HTTP");
    assert_eq!(interaction["request"]["body"]["contentType"], "application/json");
    assert_eq!(interaction["request"]["headers"]["X-Request-Id"], serde_json::json!(["abc-123"]));
    assert_eq!(v4["metadata"]["pactSpecification"]["version"], "4.0");
}

/// Every expected and actual object in the specification's cases survives a round trip in its
/// own version.
#[test]
fn every_specification_case_roundtrips() {
    let root = std::env::var("PACT_SPEC_DIR").map(PathBuf::from).unwrap_or_else(|_| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|a| a.join("shared/pact-spec"))
            .find(|p| p.is_dir())
            .unwrap_or_else(|| PathBuf::from("/work/shared/pact-spec"))
    });
    let mut stack = vec![root.clone()];
    let mut count = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let rel = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
            let version = match rel.split('/').next().unwrap() {
                "v1" => SpecVersion::V1,
                "v1.1" => SpecVersion::V1_1,
                "v2" => SpecVersion::V2,
                "v3" => SpecVersion::V3,
                _ => SpecVersion::V4,
            };
            let bytes = std::fs::read(&path).unwrap();
            let case: Value =
                serde_json::from_slice(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).unwrap();
            for side in ["expected", "actual"] {
                let value = &case[side];
                if rel.contains("/request/") {
                    let first = parts::request_from_json(value, version).unwrap();
                    let again =
                        parts::request_from_json(&parts::request_to_json(&first, version), version).unwrap();
                    assert_eq!(first, again, "{rel} {side}");
                } else if rel.contains("/response/") {
                    let first = parts::response_from_json(value, version).unwrap();
                    let again = parts::response_from_json(&parts::response_to_json(&first, version), version)
                        .unwrap();
                    assert_eq!(first, again, "{rel} {side}");
                }
                count += 1;
            }
        }
    }
    assert!(count >= 1400, "only {count} objects were checked");
}

/// A V3 pact with the given response body and `Content-Type`.
fn v3_with_body(content_type: &str, body: &str) -> Pact {
    let text = serde_json::json!({
        "consumer": {"name": "C"},
        "provider": {"name": "P"},
        "interactions": [{
            "description": "a body",
            "request": {"method": "GET", "path": "/"},
            "response": {"status": 200, "headers": {"Content-Type": content_type}, "body": body}
        }],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    });
    Pact::from_json_str(&text.to_string()).unwrap()
}

fn response_body(pact: &Pact) -> &Body {
    let Interaction::Http(http) = &pact.interactions[0] else { panic!("HTTP expected") };
    &http.response.body
}

/// pact-reference (pact_models' `body_from_json`) reads a V3 string body as base64 when its
/// content type is not text and it decodes, and writes a body that is not UTF-8 as base64: a
/// binary body survives V3 both ways, and becomes `encoded: base64` in V4.
#[test]
fn binary_bodies_in_a_v3_pact_are_base64_as_pact_reference_reads_and_writes_them() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let encoded = "iVBORw0KGgoAAAANSUhEUg==";
    let pact = v3_with_body("image/png", encoded);
    assert!(matches!(response_body(&pact), Body::Present(c) if c.data == Data::Binary(png.to_vec())));
    assert_eq!(response_body(&pact).to_bytes(), png);
    let v3: Value = serde_json::from_str(&pact.to_json_string(SpecVersion::V3).unwrap()).unwrap();
    assert_eq!(v3["interactions"][0]["response"]["body"], encoded);
    let again = roundtrip(&pact, SpecVersion::V3);
    assert_eq!(response_body(&again).to_bytes(), png);
    let v4: Value = serde_json::from_str(&pact.to_json_string(SpecVersion::V4).unwrap()).unwrap();
    let body = &v4["interactions"][0]["response"]["body"];
    assert_eq!((body["encoded"].as_str(), body["content"].as_str()), (Some("base64"), Some(encoded)));
    assert_eq!(response_body(&roundtrip(&pact, SpecVersion::V4)).to_bytes(), png);

    // Text types are never decoded; other types only when the text is base64.
    for (content_type, text) in [
        ("text/plain", "dGVzdA=="),
        ("application/json", "\"dGVzdA==\""),
        ("application/xml", "dGVzdA=="),
        ("application/x-www-form-urlencoded", "dGVzdA=="),
        ("application/octet-stream", "not base64!"),
    ] {
        let pact = v3_with_body(content_type, text);
        assert_ne!(response_body(&pact).to_bytes(), b"test", "{content_type}");
    }
    assert_eq!(response_body(&v3_with_body("application/octet-stream", "dGVzdA==")).to_bytes(), b"test");
    assert_ne!(response_body(&v3_with_body("application/vnd.api+json", "e30=")).to_bytes(), b"{}");
}
