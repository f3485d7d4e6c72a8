//! `#[derive(PactExample)]` and `like_type!`: the exact rules and example a derived type writes,
//! for every kind of field, serde's names, nesting, options, lists, maps and unit enums; and the
//! errors, naming the field, when an example cannot describe its type.

use std::collections::BTreeMap;

use pact_core::prelude::*;
use serde_json::{json, Value};

// `cached` and `secret` are skipped, so never read.
#[allow(dead_code)]
#[derive(PactExample)]
#[serde(rename_all = "camelCase")]
struct Account {
    account_name: String,
    #[serde(rename = "ID")]
    #[pact(term = "^[0-9]+$")]
    id: String,
    #[pact(datetime = "yyyy-MM-dd'T'HH:mm:ss")]
    created_on: String,
    #[pact(date = "yyyy-MM-dd")]
    birthday: Option<String>,
    #[pact(time = "HH:mm")]
    alarms: Vec<String>,
    visits: u32,
    balance: f64,
    admin: bool,
    nickname: Option<String>,
    tags: Vec<String>,
    owner: Owner,
    members: Vec<Owner>,
    limits: BTreeMap<String, i64>,
    role: Role,
    #[serde(skip)]
    cached: bool,
    #[serde(skip_serializing)]
    secret: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, alias = "r#ref")]
    r#ref: i8,
}

#[derive(PactExample)]
struct Owner {
    #[serde(rename = "fullName")]
    name: String,
}

#[allow(dead_code)]
#[derive(PactExample)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Role {
    Admin,
    #[serde(alias = "reader")]
    ReadOnly,
    #[serde(rename = "guest-user")]
    Guest,
}

fn account() -> Account {
    Account {
        account_name: "UserA".into(),
        id: "42".into(),
        created_on: "2016-12-15T20:16:01".into(),
        birthday: Some("1990-01-31".into()),
        alarms: vec!["07:30".into(), "not a time, and not looked at".into()],
        visits: 3,
        balance: 12.5,
        admin: false,
        nickname: Some("Al".into()),
        tags: vec!["a".into(), "b".into()],
        owner: Owner { name: "Owner A".into() },
        members: vec![Owner { name: "Member A".into() }],
        limits: [("daily".to_string(), 10)].into_iter().collect(),
        role: Role::ReadOnly,
        cached: true,
        secret: "s3cret".into(),
        note: None,
        r#ref: 1,
    }
}

fn rules(pattern: &Pattern) -> Value {
    let rules = pattern.body_rules().unwrap();
    Value::Object(rules.into_iter().map(|(path, list)| (path.as_str().to_string(), list.to_json())).collect())
}

fn and(matchers: Value) -> Value {
    json!({"combine": "AND", "matchers": matchers})
}

#[test]
fn every_kind_of_field_writes_its_rule_under_its_serde_name() {
    let pattern = like_type!(account());
    assert_eq!(
        pattern.example(),
        json!({
            "accountName": "UserA",
            "ID": "42",
            "createdOn": "2016-12-15T20:16:01",
            "birthday": "1990-01-31",
            "alarms": ["07:30"],
            "visits": 3,
            "balance": 12.5,
            "admin": false,
            "nickname": "Al",
            "tags": ["a"],
            "owner": {"fullName": "Owner A"},
            "members": [{"fullName": "Member A"}],
            "limits": {"daily": 10},
            "role": "READ_ONLY",
            "ref": 1,
        })
    );
    assert_eq!(
        rules(&pattern),
        json!({
            "$.ID": and(json!([{"match": "regex", "regex": "^[0-9]+$"}])),
            "$.accountName": and(json!([{"match": "type"}])),
            "$.admin": and(json!([{"match": "type"}])),
            "$.alarms": and(json!([{"match": "type", "min": 1}])),
            "$.alarms[*]": and(json!([{"match": "time", "format": "HH:mm"}])),
            "$.balance": and(json!([{"match": "decimal"}])),
            "$.birthday": {"combine": "OR", "matchers": [{"match": "date", "format": "yyyy-MM-dd"}, {"match": "null"}]},
            "$.createdOn": and(json!([{"match": "datetime", "format": "yyyy-MM-dd'T'HH:mm:ss"}])),
            "$.limits": and(json!([{"match": "values"}])),
            "$.limits.*": and(json!([{"match": "integer"}])),
            "$.members": and(json!([{"match": "type", "min": 1}])),
            "$.members[*].fullName": and(json!([{"match": "type"}])),
            "$.nickname": {"combine": "OR", "matchers": [{"match": "type"}, {"match": "null"}]},
            "$.owner.fullName": and(json!([{"match": "type"}])),
            "$.ref": and(json!([{"match": "integer"}])),
            "$.role": and(json!([{"match": "regex", "regex": "^(ADMIN|READ_ONLY|reader|guest\\-user)$"}])),
            "$.tags": and(json!([{"match": "type", "min": 1}])),
            "$.tags[*]": and(json!([{"match": "type"}])),
            "$.visits": and(json!([{"match": "integer"}])),
        })
    );
}

#[test]
fn skip_serializing_if_follows_the_example() {
    let with_note = Account { note: Some("hi".into()), ..account() };
    assert_eq!(like_type!(with_note).example()["note"], "hi");
    assert!(like_type!(account()).example().get("note").is_none());
}

#[test]
fn a_derived_type_goes_inside_json_pattern() {
    let page = json_pattern!({"total": integer!(1), "owner": like_type!(Owner { name: "O".into() })});
    assert_eq!(page.example(), json!({"total": 1, "owner": {"fullName": "O"}}));
    assert_eq!(
        rules(&page),
        json!({"$.owner.fullName": and(json!([{"match": "type"}])), "$.total": and(json!([{"match": "integer"}]))})
    );
}

#[test]
fn an_example_that_cannot_describe_its_type_names_the_field() {
    let empty = Account { tags: Vec::new(), members: Vec::new(), nickname: None, ..account() };
    let error = like_type!(empty).compile().unwrap_err();
    assert_eq!(
        error.problems,
        [
            "$.nickname: Account.nickname: the example is None: give Some(value), so the contract says what a \
             value looks like (it accepts null as well)",
            "$.tags: Account.tags: the example is an empty list: give it one item, which describes every item \
             (each_like with min 1)",
            "$.members: Account.members: the example is an empty list: give it one item, which describes every \
             item (each_like with min 1)",
        ]
    );

    let wrong = Account { id: "4x2".into(), created_on: "15/12/2016".into(), ..account() };
    let error = like_type!(wrong).compile().unwrap_err();
    assert_eq!(error.problems.len(), 2, "{error}");
    assert_eq!(
        error.problems[0],
        "$.ID: Account.id: the example \"4x2\" does not match #[pact(term = \"^[0-9]+$\")]"
    );
    assert!(
        error.problems[1].starts_with(
            "$.createdOn: Account.created_on: the example \"15/12/2016\" breaks #[pact(datetime = \"yyyy-MM-dd'T'HH:mm:ss\")]"
        ),
        "{error}"
    );
}

/// A generic type: its fields' bounds are the derive's where clause.
#[derive(PactExample)]
struct Page<T> {
    items: Vec<T>,
    #[pact(term = "^[a-z]+$")]
    cursor: Option<String>,
}

#[test]
fn generic_types_derive_with_their_fields_bounds() {
    let page = like_type!(Page { items: vec![Owner { name: "A".into() }], cursor: Some("abc".into()) });
    assert_eq!(page.example(), json!({"items": [{"fullName": "A"}], "cursor": "abc"}));
    assert_eq!(rules(&page)["$.items[*].fullName"], and(json!([{"match": "type"}])));
}

#[derive(PactExample)]
#[allow(dead_code)]
enum Status {
    Active,
    #[serde(other)]
    Unknown,
}

#[test]
fn an_enum_with_an_other_variant_matches_any_string() {
    assert_eq!(rules(&like_type!(Status::Active)), json!({"$": and(json!([{"match": "type"}]))}));
    assert_eq!(like_type!(Status::Active).example(), json!("Active"));
}
