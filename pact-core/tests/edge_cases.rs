//! Edge cases of reading, matching and writing pacts: deep rules, odd keys, empty rule lists,
//! malformed bodies, V2 limits and pact-file merges of interactions that share a key.

use pact_core::matching::match_response;
use pact_core::model::{Body, MatchingRule, Response};
use serde_json::{json, Value};

fn nested(depth: usize, leaf: Value) -> Value {
    (0..depth).fold(leaf, |inner, _| json!({ "a": inner }))
}

/// A rule deep inside a body (path weights are products of per-segment weights) neither
/// panics nor is silently ignored.
#[test]
fn rules_deep_in_a_body_still_apply() {
    let depth = 70;
    let path = format!("${}", ".a".repeat(depth));
    let mut expected = Response::status(200);
    expected.body = Body::json(nested(depth, json!("x")));
    expected.matching_rules.add_body(&path, MatchingRule::Type).unwrap();
    let mut actual = Response::status(200);
    actual.body = Body::json(nested(depth, json!("y")));
    assert_eq!(match_response(&expected, &actual), vec![]);
    actual.body = Body::json(nested(depth, json!(1)));
    assert_eq!(match_response(&expected, &actual).len(), 1);
}

/// A body key holding a backslash gets a rule path that names that key, so the rule applies.
#[test]
fn rules_on_keys_with_backslashes_apply() {
    use pact_core::dsl::Pattern;
    for key in [r"C:\dir", r"ends\", r"it's\'"] {
        let pattern = Pattern::object(vec![(key.to_string(), Pattern::like(Pattern::from("x")))]);
        let rules = pattern.body_rules().unwrap_or_else(|e| panic!("{key}: {e}"));
        let mut expected = Response::status(200);
        expected.body = Body::json(pattern.example());
        expected.matching_rules.body = rules;
        let mut actual = Response::status(200);
        actual.body = Body::json(json!({ key: "y" }));
        assert_eq!(match_response(&expected, &actual), vec![], "{key}");
    }
    // A pact from another implementation may write a backslash unescaped.
    let path = pact_core::model::PathExpr::parse(r"$['C:\dir']").unwrap();
    assert_eq!(path.tokens()[1], pact_core::model::PathToken::Field(r"C:\dir".into()));
}

/// Setting `Content-Type` after a JSON body replaces the default `application/json` rather than
/// adding a second value ("application/json, application/hal+json" matches no real request).
#[test]
fn content_type_after_a_json_body_replaces_the_default() {
    use pact_core::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let mut pact = Contract::new("C", "P").with_output_dir(dir.path());
    pact.upon_receiving("a create")
        .post("/things")
        .json_body(json_pattern!({"a": 1}))
        .header("Content-Type", "application/vnd.api+json")
        .will_respond_with(201)
        .json_body(json_pattern!({"id": 1}))
        .header("content-type", "application/hal+json");
    let interaction = &pact.mock().interactions()[0];
    assert_eq!(interaction.request.header("content-type").unwrap(), ["application/vnd.api+json"]);
    assert_eq!(interaction.response.header("content-type").unwrap(), ["application/hal+json"]);
    // Nothing called the mock, so the contract fails and writes nothing.
    assert!(pact.finish().is_err());
}

/// A V2 pact file holds one provider state without params. Writing an interaction it cannot
/// hold is refused: written anyway, it lost the params (or the other states), and on the next
/// run it no longer matched its own key, so the file gained a duplicate of it.
#[test]
fn v2_pact_files_refuse_states_they_cannot_hold() {
    use pact_core::model::{HttpInteraction, Interaction, Pact, ProviderState, Request, SpecVersion};
    use pact_core::pactfile::{self, WriteMode, WriteRequest};
    let dir = tempfile::tempdir().unwrap();
    let write = |states: Vec<ProviderState>| {
        let mut i = HttpInteraction::default();
        i.meta.description = "a request".into();
        i.meta.provider_states = states;
        i.request = Request::get("/");
        pactfile::merge(WriteRequest {
            dir: dir.path(),
            consumer: "C",
            provider: "P",
            interactions: vec![Interaction::Http(i)],
            test: "t::a",
            version: SpecVersion::V2,
            mode: WriteMode::Merge,
            run: None,
        })
    };
    let with_params = vec![ProviderState::new("a user exists").with_param("name", json!("UserB"))];
    let err = write(with_params.clone()).unwrap_err().to_string();
    assert!(err.contains("V2") && err.contains("params") && err.contains("a request"), "{err}");
    let two = vec![ProviderState::new("a"), ProviderState::new("b")];
    let err = write(two).unwrap_err().to_string();
    assert!(err.contains("V2") && err.contains("one provider state"), "{err}");
    assert!(!pactfile::pact_path(dir.path(), "C", "P").exists());

    // One plain state is fine, and writing it again keeps one interaction.
    write(vec![ProviderState::new("a user exists")]).unwrap();
    let path = write(vec![ProviderState::new("a user exists")]).unwrap();
    assert_eq!(Pact::from_file(path).unwrap().interactions.len(), 1);
}

/// `%` must be followed by two hex digits to be an escape; `%+1` is text, not byte 0x01.
#[test]
fn query_decoding_takes_only_hex_escapes() {
    let query = pact_core::model::parse_query_string("a=%+1&b=%-f&c=%41%4a&d=100%");
    assert_eq!(query["a"], ["% 1"]);
    assert_eq!(query["b"], ["%-f"]);
    assert_eq!(query["c"], ["AJ"]);
    assert_eq!(query["d"], ["100%"]);
}

/// A body over the size limit is named by its real path, in `messages` as in `interactions`.
#[test]
fn oversized_message_contents_name_the_messages_array() {
    use pact_core::model::{Pact, ReadOptions};
    let big = "x".repeat(200);
    let pact = json!({
        "consumer": {"name": "a"}, "provider": {"name": "b"},
        "messages": [
            {"description": "small", "contents": "ok"},
            {"description": "big", "contents": big},
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    });
    let options = ReadOptions { max_body_bytes: 100, ..ReadOptions::default() };
    let err = Pact::from_slice_with(&serde_json::to_vec(&pact).unwrap(), options).unwrap_err();
    assert_eq!(err.json_path(), Some("$.messages[1].contents"), "{err}");
}

/// An empty `matchers` list states no rule: the value is compared by equality, rather than
/// every value passing.
#[test]
fn an_empty_matcher_list_means_equality_not_anything() {
    let response = json!({
        "status": 200,
        "headers": {"X-Version": "1"},
        "body": {"id": 1},
        "matchingRules": {
            "body": {"$.id": {"combine": "AND", "matchers": []}},
            "header": {"X-Version": {"matchers": []}}
        }
    });
    let expected =
        pact_core::model::parts::response_from_json(&response, pact_core::model::SpecVersion::V3).unwrap();
    let mut actual = Response::status(200);
    actual.headers = Some([("X-Version".to_string(), vec!["2".to_string()])].into_iter().collect());
    actual.body = Body::json(json!({"id": "something else"}));
    let paths: Vec<String> = match_response(&expected, &actual).into_iter().map(|m| m.path).collect();
    assert_eq!(paths, ["$.headers.X-Version", "$.body.id"]);
}

/// A JSON response whose body does not parse says so, instead of "expected a body of type
/// application/json but found application/json".
#[test]
fn malformed_json_is_reported_as_malformed() {
    let mut expected = Response::status(200);
    expected.body = Body::json(json!({"name": "UserA"}));
    let actual = Response {
        headers: Some(
            [("Content-Type".to_string(), vec!["application/json".to_string()])].into_iter().collect(),
        ),
        body: Body::from_bytes(br#"{"name": "UserA""#, Some("application/json")),
        ..Response::status(200)
    };
    let mismatches = match_response(&expected, &actual);
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    let message = &mismatches[0].message;
    assert!(message.contains("not valid JSON") && message.contains("EOF while parsing"), "{message}");
    assert_eq!(mismatches[0].path, "$.body");
}

/// A V4 pact file may hold an HTTP interaction and a message with the same description and
/// states; merging into it keeps both (they shared a key, and one was dropped).
#[test]
fn merging_keeps_a_message_that_shares_a_description_with_an_http_interaction() {
    use pact_core::model::{HttpInteraction, Interaction, MessageInteraction, Pact, SpecVersion};
    use pact_core::pactfile::{self, WriteMode, WriteRequest};
    let dir = tempfile::tempdir().unwrap();
    let http = |description: &str| {
        let mut i = HttpInteraction::default();
        i.meta.description = description.into();
        Interaction::Http(i)
    };
    let mut message = MessageInteraction::default();
    message.meta.description = "a user is created".into();
    let mut existing = Pact::new("C", "P");
    existing.interactions = vec![http("a user is created"), Interaction::Message(message)];
    let path = pactfile::pact_path(dir.path(), "C", "P");
    std::fs::write(&path, existing.to_json_string(SpecVersion::V4).unwrap()).unwrap();

    pactfile::merge(WriteRequest {
        dir: dir.path(),
        consumer: "C",
        provider: "P",
        interactions: vec![http("another request")],
        test: "t::a",
        version: SpecVersion::V4,
        mode: WriteMode::Merge,
        run: None,
    })
    .unwrap();
    let pact = Pact::from_file(&path).unwrap();
    let kinds: Vec<(&str, &str)> =
        pact.interactions.iter().map(|i| (i.description(), i.type_name())).collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
}

/// An existing pact file holding two different interactions under one description and states
/// (written by another tool) is not silently cut down to one of them.
#[test]
fn merging_refuses_a_file_with_two_versions_of_one_interaction() {
    use pact_core::model::{HttpInteraction, Interaction, Pact, Request, SpecVersion};
    use pact_core::pactfile::{self, Error, WriteMode, WriteRequest};
    let dir = tempfile::tempdir().unwrap();
    let http = |description: &str, path: &str| {
        let mut i = HttpInteraction::default();
        i.meta.description = description.into();
        i.request = Request::get(path);
        Interaction::Http(i)
    };
    let mut existing = Pact::new("C", "P");
    existing.interactions =
        vec![http("a request", "/a"), http("a request", "/b"), http("same", "/s"), http("same", "/s")];
    let path = pactfile::pact_path(dir.path(), "C", "P");
    let text = existing.to_json_string(SpecVersion::V3).unwrap();
    std::fs::write(&path, &text).unwrap();
    let write = || {
        pactfile::merge(WriteRequest {
            dir: dir.path(),
            consumer: "C",
            provider: "P",
            interactions: vec![http("another request", "/c")],
            test: "t::a",
            version: SpecVersion::V3,
            mode: WriteMode::Merge,
            run: None,
        })
    };
    let err = write().unwrap_err();
    assert!(matches!(err, Error::Duplicate { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("\"a request\"") && message.contains("/a") && message.contains("/b"),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "the file is left untouched");

    // Identical copies are one interaction.
    existing.interactions.remove(1);
    std::fs::write(&path, existing.to_json_string(SpecVersion::V3).unwrap()).unwrap();
    let pact = Pact::from_file(write().unwrap()).unwrap();
    let descriptions: Vec<&str> = pact.interactions.iter().map(|i| i.description()).collect();
    assert_eq!(descriptions, ["a request", "another request", "same"]);
}
