use pact_core::prelude::*;

#[derive(Debug, PactExample)]
#[serde(rename_all = "kebab-case")]
struct User {
    user_name: String,
    #[pact(term = "^[0-9a-f-]{36}$")]
    id: String,
    #[pact(datetime = "yyyy-MM-dd'T'HH:mm:ss")]
    created_on: String,
    admin: bool,
    friends: Vec<Friend>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nickname: Option<String>,
}

#[derive(Debug, PactExample)]
struct Friend {
    name: String,
    since: u16,
}

fn example() -> User {
    User {
        user_name: "UserA".into(),
        id: "fc763eba-0905-41c5-a27f-3934ab26786c".into(),
        created_on: "2016-12-15T20:16:01".into(),
        admin: false,
        friends: vec![Friend { name: "UserB".into(), since: 2016 }],
        nickname: None,
    }
}

// The expansion of a test body that uses it, as a plain function: trybuild's non-test build
// drops a #[contract] test, so this checks the body type-checks.
fn declare(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA").get("/users/UserA").responds(200, like_type!(example()));
    pact.upon_receiving("a request for UserA's friends")
        .get("/users/UserA/friends")
        .will_respond_with(200)
        .json_body(json_pattern!({"friends": like_type!(vec![Friend { name: "UserB".into(), since: 2016 }])}));
}

#[contract(provider = "UserService")]
fn gets_user_a(pact: &mut Contract) {
    declare(pact);
}

fn main() {
    let _ = declare;
    assert_eq!(like_type!(example()).example()["user-name"], "UserA");
}
