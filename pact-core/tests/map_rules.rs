//! `eachKey`, `eachValue` and `values` on JSON maps, as pact-reference's matcher applies them
//! (`compare_maps_with_matchingrule` and `match_keys` in pact_matching): the official verifier's
//! verdict on these is the reference.

use pact_core::matching::match_response;
use pact_core::model::{Body, HttpInteraction, Interaction, Pact, Response};
use serde_json::{json, Value};

/// The V4 pact pact-python 4.2 wrote: `eachKey` with a key regex on the `permissions` map.
fn each_key_pact() -> HttpInteraction {
    let text = json!({
        "consumer": {"name": "PermissionsClient"},
        "provider": {"name": "PermissionsService"},
        "interactions": [{
            "type": "Synchronous/HTTP",
            "description": "a request for the permissions",
            "request": {"method": "GET", "path": "/permissions"},
            "response": {
                "status": 200,
                "headers": {"Content-Type": ["application/json"]},
                "body": {
                    "content": {"permissions": {"users:read": true, "users:write": false}},
                    "contentType": "application/json",
                    "encoded": false
                },
                "matchingRules": {"body": {"$.permissions": {"combine": "AND", "matchers": [{
                    "match": "eachKey",
                    "rules": [{"match": "regex", "regex": "^[a-z]+:(read|write)$"}],
                    "value": {"users:read": true, "users:write": false}
                }]}}}
            }
        }],
        "metadata": {"pactSpecification": {"version": "4.0"}}
    })
    .to_string();
    let pact = Pact::from_json_str(&text).unwrap();
    match pact.interactions.into_iter().next() {
        Some(Interaction::Http(http)) => http,
        other => panic!("expected an HTTP interaction, got {other:?}"),
    }
}

fn answer(body: Value) -> Response {
    let mut response = Response::status(200);
    response.body = Body::json(body);
    response.headers.get_or_insert_with(Default::default).append("Content-Type", "application/json");
    response
}

/// The known disagreement of issue 11: the official `pact-verifier` passes this answer (keys are
/// free under `eachKey`, and the values under it are accepted); ours used to fail it with
/// `$.body.permissions['users:write']: expected false but found true`.
#[test]
fn each_key_leaves_the_values_free_and_allows_other_keys() {
    let expected = each_key_pact().response;
    let actual =
        answer(json!({"permissions": {"users:read": true, "users:write": true, "stats:read": false}}));
    assert_eq!(match_response(&expected, &actual), vec![]);
    // Missing keys are no mismatch under `eachKey` either.
    let actual = answer(json!({"permissions": {"stats:read": false}}));
    assert_eq!(match_response(&expected, &actual), vec![]);
}

#[test]
fn each_key_still_checks_every_key() {
    let expected = each_key_pact().response;
    let actual = answer(json!({"permissions": {"users:read": true, "Users-Admin": true}}));
    let mismatches = match_response(&expected, &actual);
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert!(mismatches[0].to_string().contains("Users-Admin"), "{}", mismatches[0]);
}

/// `eachValue` compares every actual value with its own rules only, and `values` compares every
/// actual value with the example at its key or the first example, by the rules below.
#[test]
fn each_value_and_values_compare_every_member() {
    let each_value = json!({"$.scores": {"combine": "AND", "matchers": [{
        "match": "eachValue", "rules": [{"match": "integer"}], "value": {"a": 1}
    }]}});
    let values = json!({"$.scores": {"combine": "AND", "matchers": [{"match": "values"}]}});
    for (rules, good, bad) in [
        (each_value, json!({"scores": {"x": 7, "y": 9}}), json!({"scores": {"x": 7, "y": "nine"}})),
        (values, json!({"scores": {"x": 1, "y": 1}}), json!({"scores": {"x": 1, "y": 2}})),
    ] {
        let text = json!({
            "consumer": {"name": "C"}, "provider": {"name": "P"},
            "interactions": [{"type": "Synchronous/HTTP", "description": "d",
                "request": {"method": "GET", "path": "/"},
                "response": {"status": 200, "body": {"content": {"scores": {"a": 1}}, "contentType": "application/json"},
                    "matchingRules": {"body": rules}}}],
            "metadata": {"pactSpecification": {"version": "4.0"}}
        });
        let pact = Pact::from_json_str(&text.to_string()).unwrap();
        let Some(Interaction::Http(http)) = pact.interactions.into_iter().next() else {
            panic!("no interaction")
        };
        assert_eq!(match_response(&http.response, &answer(good.clone())), vec![], "{good}");
        assert_eq!(match_response(&http.response, &answer(bad.clone())).len(), 1, "{bad}");
    }
}
