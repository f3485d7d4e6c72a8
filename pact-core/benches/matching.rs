//! Matching throughput: a 1 MB JSON response body checked against 200 matching rules.
//!
//! Run with `cargo bench -p pact-core --bench matching`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pact_core::matching::match_response;
use pact_core::model::{Body, MatchingRule, PactRegex, Response};
use serde_json::{json, Value};

/// An array of users, about 1 MB of JSON.
fn body(users: usize) -> Value {
    let items: Vec<Value> = (0..users)
        .map(|i| {
            json!({
                "id": format!("{:08x}-0905-41c5-a27f-3934ab26786c", i),
                "name": format!("user-{i}"),
                "created_on": "2016-12-15T20:16:01",
                "admin": i % 7 == 0,
                "score": i as f64 * 1.5,
                "visits": i,
                "tags": ["a", "b", "c"],
                "address": {"street": "1 Main St", "city": "Springfield", "zip": format!("{:05}", i % 99999)}
            })
        })
        .collect();
    json!({"users": items, "total": users})
}

fn expected(users: usize) -> Response {
    let mut response = Response::status(200);
    response.body = Body::json(body(users));
    let rules = &mut response.matching_rules;
    let uuid = PactRegex::new("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$").unwrap();
    let add = |rules: &mut pact_core::model::MatchingRules, path: &str, rule: MatchingRule| {
        rules.add_body(path, rule).unwrap();
    };
    add(rules, "$.users", MatchingRule::MinType(1));
    add(rules, "$.users[*].id", MatchingRule::Regex(uuid.clone()));
    add(rules, "$.users[*].created_on", MatchingRule::DateTime(Some("yyyy-MM-dd'T'HH:mm:ss".into())));
    add(rules, "$.users[*].admin", MatchingRule::Boolean);
    add(rules, "$.users[*].score", MatchingRule::Number);
    add(rules, "$.users[*].visits", MatchingRule::Integer);
    add(rules, "$.users[*].tags", MatchingRule::MinType(1));
    add(rules, "$.users[*].address.zip", MatchingRule::Regex(PactRegex::new(r"^\d{5}$").unwrap()));
    add(rules, "$.total", MatchingRule::Integer);
    // Rules on individual items make up the rest of the 200.
    for i in 0..191 {
        add(
            rules,
            &format!("$.users[{i}].name"),
            MatchingRule::Regex(PactRegex::new(r"^user-\d+$").unwrap()),
        );
    }
    assert_eq!(response.matching_rules.body.len(), 200);
    response
}

fn bench(c: &mut Criterion) {
    let users = 4000;
    let expected = expected(users);
    let mut actual = Response::status(200);
    actual.body = Body::json(body(users));
    let size = actual.body.size();
    assert!((900_000..1_300_000).contains(&size), "body is {size} bytes");
    assert!(match_response(&expected, &actual).is_empty());

    let mut group = c.benchmark_group("match_response");
    group.throughput(Throughput::Bytes(size as u64));
    group.sample_size(20);
    group.bench_function("1MB JSON body, 200 rules", |b| b.iter(|| match_response(&expected, &actual)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
