//! Bad input gives an error naming the file, the JSON path inside it, what was expected and
//! what was found; never a panic.

use std::path::PathBuf;

use pact_core::matching::match_response;
use pact_core::model::{Body, Error, Interaction, Pact, ReadOptions, Response};
use serde_json::{json, Value};

fn write_pact(dir: &tempfile::TempDir, name: &str, contents: &[u8]) -> PathBuf {
    let pacts = dir.path().join("pacts");
    std::fs::create_dir_all(&pacts).unwrap();
    let path = pacts.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn pact_with(interactions: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "consumer": {"name": "a"},
        "provider": {"name": "b"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    }))
    .unwrap()
}

fn ok_interaction() -> Value {
    json!({"description": "ok", "request": {"method": "GET", "path": "/"}, "response": {"status": 200}})
}

#[test]
fn wrong_type_names_file_path_expected_and_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut interactions = vec![ok_interaction(), ok_interaction(), ok_interaction()];
    interactions.push(json!({"description": "bad", "request": {"path": "/"}, "response": {"status": "200"}}));
    let path = write_pact(&dir, "a-b.json", &pact_with(Value::Array(interactions)));
    let err = Pact::from_file(&path).unwrap_err();
    let text = err.to_string();
    assert!(
        text.ends_with(
            r#"pacts/a-b.json: $.interactions[3].response.status: expected an integer, found "200""#
        ),
        "{text}"
    );
    assert!(text.starts_with(&dir.path().display().to_string()), "{text}");
    assert_eq!(err.json_path(), Some("$.interactions[3].response.status"));
}

#[test]
fn malformed_json_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_pact(&dir, "broken.json", b"{\n  \"consumer\": {\"name\": \"a\"},\n  \"provider\": \n");
    let err = Pact::from_file(&path).unwrap_err();
    assert!(matches!(err, Error::Syntax { line: 4, .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("broken.json: not valid JSON: EOF while parsing"), "{text}");
    assert!(text.contains("line 4"), "{text}");
}

#[test]
fn missing_and_mistyped_fields() {
    let cases: Vec<(Value, &str)> = vec![
        (json!({"provider": {"name": "b"}}), r#"$.consumer: expected an object with a "name", found nothing"#),
        (json!({"consumer": {"name": 1}, "provider": {"name": "b"}}), "$.consumer.name: expected a string, found 1"),
        (
            json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": {}}),
            "$.interactions: expected an array, found an object",
        ),
        (
            json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [{"request": {}, "response": {}}]}),
            "$.interactions[0].description: expected a string, found nothing",
        ),
        (
            json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [
                {"description": "d", "request": {"headers": {"X": {"a": 1}}}, "response": {}}
            ]}),
            "$.interactions[0].request.headers.X: expected a header value (a string or an array of strings), found an object",
        ),
        (
            json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [
                {"description": "d", "request": {}, "response": {"matchingRules": {"body": {"$.a": {"matchers": [{"match": "type", "min": -1}]}}}}}
            ]}),
            "$.interactions[0].response.matchingRules.body['$.a'].matchers[0].min: expected a non-negative integer, found -1",
        ),
        (
            json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [
                {"description": "d", "request": {}, "response": {"matchingRules": {"body": {"a[": {"matchers": [{"match": "type"}]}}}}}
            ]}),
            "$.interactions[0].response.matchingRules.body['a[']: expected rules under a valid path expression",
        ),
    ];
    for (value, expected) in cases {
        let err = Pact::from_value(&value).unwrap_err();
        assert!(err.to_string().starts_with(expected), "got:  {err}\nwant: {expected}");
    }
}

#[test]
fn invalid_regexes_are_errors_with_the_pattern_and_path() {
    for (pattern, reason) in
        [("(unclosed", "does not compile"), ("^(?=a)a$", "look-around"), ("(a)\\1", "back-reference")]
    {
        let value = json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [
            {"description": "d", "request": {}, "response": {"matchingRules": {"body": {"$.id": {"matchers": [{"match": "regex", "regex": pattern}]}}}}}
        ]});
        let err = Pact::from_value(&value).unwrap_err().to_string();
        assert!(
            err.starts_with("$.interactions[0].response.matchingRules.body['$.id'].matchers[0].regex: expected a regular expression the engine can run"),
            "{err}"
        );
        assert!(err.contains(reason), "{err}");
        assert!(err.ends_with(&format!("found {}", Value::String(pattern.into()))), "{err}");
    }
}

#[test]
fn a_50_mb_body_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(50 * 1024 * 1024);
    let contents = pact_with(json!([
        ok_interaction(),
        {"description": "big", "request": {"path": "/"}, "response": {"status": 200, "body": {"data": big}}}
    ]));
    drop(big);
    let path = write_pact(&dir, "big.json", &contents);
    let err = Pact::from_file(&path).unwrap_err().to_string();
    assert!(
        err.ends_with(
            "big.json: $.interactions[1].response.body: expected a body of at most 16.0 MiB, \
             found more than 16.0 MiB (the rest was not read)"
        ),
        "{err}"
    );
    // The limit is the caller's to raise.
    let options = ReadOptions { max_body_bytes: 64 << 20, ..ReadOptions::default() };
    let pact = Pact::from_file_with(&path, options).unwrap();
    let Interaction::Http(big) = &pact.interactions[1] else { panic!("HTTP expected") };
    assert!(big.response.body.size() > 50 * 1024 * 1024);
    // And a file over the file limit is refused before it is read.
    let tiny = ReadOptions { max_file_bytes: 1024, ..ReadOptions::default() };
    let err = Pact::from_file_with(&path, tiny).unwrap_err().to_string();
    assert!(err.contains("big.json: $: expected a pact file of at most 1.0 KiB, found 50.0 MiB"), "{err}");
}

#[test]
fn a_missing_file_names_the_file() {
    let err = Pact::from_file("/nonexistent/pacts/x-y.json").unwrap_err().to_string();
    assert!(err.starts_with("/nonexistent/pacts/x-y.json: "), "{err}");
}

#[test]
fn unknown_matchers_never_pass_silently() {
    let value = json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [
        {"description": "d", "request": {}, "response": {"body": {"x": 1},
            "matchingRules": {"body": {"$.x": {"matchers": [{"match": "fancyPlugin"}]}}}}}
    ]});
    let pact = Pact::from_value(&value).unwrap();
    let Interaction::Http(http) = &pact.interactions[0] else { panic!() };
    let mut actual = Response::status(200);
    actual.body = Body::json(json!({"x": 1}));
    let mismatches = match_response(&http.response, &actual);
    assert_eq!(mismatches.len(), 1);
    assert!(mismatches[0].to_string().contains(r#""fancyPlugin" is not supported"#), "{}", mismatches[0]);
}

#[test]
fn a_bad_date_format_is_a_mismatch_not_a_pass() {
    let value = json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [
        {"description": "d", "request": {}, "response": {"body": {"d": "2020-01-01"},
            "matchingRules": {"body": {"$.d": {"matchers": [{"match": "date", "format": "yyyy-bb"}]}}}}}
    ]});
    let pact = Pact::from_value(&value).unwrap();
    let Interaction::Http(http) = &pact.interactions[0] else { panic!() };
    let mut actual = Response::status(200);
    actual.body = Body::json(json!({"d": "2020-01-01"}));
    let mismatches = match_response(&http.response, &actual);
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert!(mismatches[0].message.contains("unknown pattern letter 'b'"), "{}", mismatches[0]);
}

/// Reads one interaction and returns the error text.
fn error_of(interaction: Value) -> String {
    let value = json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [interaction]});
    let bytes = serde_json::to_vec(&value).unwrap();
    match Pact::from_slice_with(&bytes, ReadOptions::default()) {
        Ok(_) => panic!("{value} was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_path_must_start_with_a_slash() {
    for path in ["@127.0.0.1:5002/users/UserA", "users/UserA", "http://other/x", " /x"] {
        let err = error_of(json!({"description": "d", "request": {"path": path}, "response": {}}));
        assert_eq!(
            err,
            format!(
                "$.interactions[0].request.path: expected a path starting with \"/\", found {}",
                Value::String(path.into())
            )
        );
    }
    // Empty means the base URL itself (the specification's own cases use it).
    let value = json!({"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [
        {"description": "d", "request": {"path": ""}, "response": {}}]});
    assert!(Pact::from_value(&value).is_ok());
}

#[test]
fn methods_headers_and_statuses_http_cannot_carry_are_read_errors() {
    for method in ["", "GE T", "GET\r\nX-Injected: 1", "GET/"] {
        let err = error_of(json!({"description": "d", "request": {"method": method}, "response": {}}));
        assert!(
            err.starts_with("$.interactions[0].request.method: expected an HTTP method (a token such as GET or POST), found "),
            "{err}"
        );
    }
    let err =
        error_of(json!({"description": "d", "request": {"headers": {"Bad Name": "x"}}, "response": {}}));
    assert_eq!(
        err,
        "$.interactions[0].request.headers['Bad Name']: expected a header name HTTP can carry \
         (letters, digits and !#$%&'*+-.^_`|~), found \"Bad Name\""
    );
    let err = error_of(
        json!({"description": "d", "request": {"headers": {"X-A": "a\r\nX-Injected: 1"}}, "response": {}}),
    );
    assert!(
        err.starts_with("$.interactions[0].request.headers.X-A: expected a header value HTTP can carry"),
        "{err}"
    );
    let err = error_of(
        json!({"description": "d", "request": {}, "response": {"headers": {"X-B": ["ok", "a\u{0}b"]}}}),
    );
    assert!(err.starts_with("$.interactions[0].response.headers.X-B[1]: expected a header value"), "{err}");
    for status in [0, 99, 600, 999, 70000] {
        let err = error_of(json!({"description": "d", "request": {}, "response": {"status": status}}));
        assert_eq!(
            err,
            format!("$.interactions[0].response.status: expected an HTTP status code from 100 to 599, found {status}")
        );
    }
}
