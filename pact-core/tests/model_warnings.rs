//! What the reader accepts but reports: an unknown specification version, duplicate keys, an
//! unknown generator, an unterminated `${` and `min > max`. Each is a warning with its JSON path
//! (pact-reference reads all of them too), and a clean pact has none.

use pact_core::model::{Pact, ReadOptions, ReadWarning, SpecVersion};
use serde_json::{json, Value};

fn warnings_of(text: &str) -> (Pact, Vec<ReadWarning>) {
    Pact::from_slice_checked(text.as_bytes(), ReadOptions::default()).unwrap()
}

fn one_interaction(interaction: Value) -> String {
    json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [interaction],
           "metadata": {"pactSpecification": {"version": "3.0.0"}}})
    .to_string()
}

#[test]
fn pacts_written_by_us_and_others_have_no_warnings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = vec![root.join("tests/pacts/UserServiceClient-UserService.json")];
    for dir in ["interop/pacts", "pact-core/tests/fixtures"] {
        files.extend(std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()));
    }
    assert!(files.len() >= 10, "{files:?}");
    for file in files {
        let (_, warnings) = Pact::from_file_checked(&file, ReadOptions::default()).unwrap();
        assert!(warnings.is_empty(), "{}: {warnings:?}", file.display());
    }
}

#[test]
fn an_unknown_specification_version_is_read_as_v3_with_a_warning() {
    for (version, expected) in [
        (json!("9.0.0"), "unknown specification version \"9.0.0\""),
        (json!("banana"), "unknown specification version \"banana\""),
        (json!(3), "should be a string"),
    ] {
        let text = json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [],
                          "metadata": {"pactSpecification": {"version": version}}})
        .to_string();
        let (pact, warnings) = warnings_of(&text);
        assert_eq!(pact.spec_version, SpecVersion::V3);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].path, "$.metadata.pactSpecification.version");
        assert!(warnings[0].message.contains(expected), "{}", warnings[0]);
        assert!(warnings[0].message.ends_with("read as V3, as pact-reference does"), "{}", warnings[0]);
    }
}

#[test]
fn duplicate_keys_keep_the_last_value_with_a_warning_naming_each() {
    let text = r#"{"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [
        {"description": "d", "request": {"path": "/safe", "path": "/other"},
         "response": {"status": 200, "status": 500}}]}"#;
    let (pact, warnings) = warnings_of(text);
    let http = pact.interactions[0].as_http().unwrap();
    assert_eq!((http.request.path.as_str(), http.response.status), ("/other", 500));
    let paths: Vec<&str> = warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, ["$.interactions[0].request.path", "$.interactions[0].response.status"]);
    assert!(warnings[0].message.contains("appears more than once"), "{}", warnings[0]);
}

#[test]
fn an_unknown_generator_is_a_warning_and_the_example_is_kept() {
    let text = one_interaction(json!({"description": "d",
        "request": {"path": "/x", "generators": {"body": {"$.id": {"type": "FancyPlugin"}}, "path": {"expression": "x"}}},
        "response": {"generators": {"header": {"X-Id": {"type": 7}}}}}));
    let (_, warnings) = warnings_of(&text);
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 3, "{shown:#?}");
    assert!(
        shown[0].starts_with(
            "$.interactions[0].request.generators.body['$.id']: unknown generator type \"FancyPlugin\""
        ),
        "{shown:#?}"
    );
    assert!(
        shown[1].starts_with("$.interactions[0].request.generators.path: a generator without a \"type\""),
        "{shown:#?}"
    );
    assert!(
        shown[2].starts_with(
            "$.interactions[0].response.generators.header.X-Id: a generator type should be a string"
        ),
        "{shown:#?}"
    );
}

#[test]
fn an_unterminated_expression_is_a_warning() {
    let text = one_interaction(json!({"description": "d",
        "request": {"path": "/users/UserA", "generators": {"path": {"type": "ProviderState", "expression": "/users/${name"}}},
        "response": {}}));
    let (_, warnings) = warnings_of(&text);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].path, "$.interactions[0].request.generators.path");
    assert!(warnings[0].message.contains("unterminated \"${\" at character 7"), "{}", warnings[0]);
}

#[test]
fn min_greater_than_max_is_a_warning_in_every_rule_form() {
    let text = one_interaction(json!({"description": "d", "request": {"path": "/"},
        "response": {"body": {"items": [1], "more": [2]},
            "matchingRules": {"body": {"$.items": {"matchers": [{"match": "type", "min": 3, "max": 1}]},
                                       "$.more": {"matchers": [{"match": "type", "min": 1, "max": 2}]}}},
            "generators": {"body": {"$.n": {"type": "RandomInt", "min": 10, "max": 1}}}}}));
    let (_, warnings) = warnings_of(&text);
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(shown, [
        "$.interactions[0].response.generators.body['$.n']: min 10 is greater than max 1; the generator always gives 10",
        "$.interactions[0].response.matchingRules.body['$.items'].matchers[0]: min 3 is greater than max 1: no array can satisfy this matcher",
    ]);
    // V2 flat rules too.
    let v2 = json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [{"description": "d",
        "request": {"path": "/"}, "response": {"body": {"items": [1]}, "matchingRules": {"$.body.items": {"min": 5, "max": "2"}}}}],
        "metadata": {"pactSpecification": {"version": "2.0.0"}}}).to_string();
    let (_, warnings) = warnings_of(&v2);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].path, "$.interactions[0].response.matchingRules['$.body.items']");
}
