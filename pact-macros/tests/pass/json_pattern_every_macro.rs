use pact_core::prelude::*;
use serde_json::json;

fn main() {
    let name = "UserA";
    let pattern = json_pattern!({
        "name": name,
        "admin": like!(false),
        "orders": each_like!({"id": integer!(7)}, min = 2, max = 10),
        "id": term!("^[0-9a-f]{8}$", "fc763eba"),
        "count": integer!(3),
        "price": decimal!(12.5),
        "score": number!(4),
        "active": boolean!(true),
        "deleted": null!(),
        "nothing": null,
        "created_on": datetime!("yyyy-MM-dd'T'HH:mm:ss", "2016-12-15T20:16:01"),
        "birthday": date!("yyyy-MM-dd", "2016-12-15"),
        "opens": time!("HH:mm", "09:30"),
        "note": includes!("door", "leave at the door"),
        "greetings": each_key!({"en": "Hello"}, "^[a-z]{2}$"),
        "limits": each_value!({"a": 1, "b": 2}, integer!(1)),
        "events": array_contains!([{"type": "created"}, {"type": equality!("deleted")}]),
        "tags": ["a", like!("b")],
    });

    assert_eq!(
        pattern.example(),
        json!({
            "name": "UserA",
            "admin": false,
            "orders": [{"id": 7}, {"id": 7}],
            "id": "fc763eba",
            "count": 3,
            "price": 12.5,
            "score": 4,
            "active": true,
            "deleted": null,
            "nothing": null,
            "created_on": "2016-12-15T20:16:01",
            "birthday": "2016-12-15",
            "opens": "09:30",
            "note": "leave at the door",
            "greetings": {"en": "Hello"},
            "limits": {"a": 1, "b": 2},
            "events": [{"type": "created"}, {"type": "deleted"}],
            "tags": ["a", "b"],
        })
    );

    let rules: Vec<(String, Vec<String>)> = pattern
        .body_rules()
        .unwrap()
        .into_iter()
        .map(|(path, list)| {
            (path.as_str().to_string(), list.rules.iter().map(|r| r.name().to_string()).collect())
        })
        .collect();
    let expected = [
        ("$.active", "boolean"),
        ("$.admin", "type"),
        ("$.birthday", "date"),
        ("$.count", "integer"),
        ("$.created_on", "datetime"),
        ("$.deleted", "null"),
        ("$.events", "arrayContains"),
        ("$.greetings", "eachKey"),
        ("$.id", "regex"),
        ("$.limits", "eachValue"),
        ("$.note", "include"),
        ("$.opens", "time"),
        ("$.orders", "type"),
        ("$.orders[*].id", "integer"),
        ("$.price", "decimal"),
        ("$.score", "number"),
        ("$.tags[1]", "type"),
    ];
    let expected: Vec<(String, Vec<String>)> =
        expected.iter().map(|(p, r)| (p.to_string(), vec![r.to_string()])).collect();
    assert_eq!(rules, expected);
}
