//! The demo: two consumer tests of one interaction each (row "consumer test of 2 interactions").

#[path = "../../../shared/user_client.rs"]
mod user_client;

use pact_core::prelude::*;
use user_client::UserClient;

#[contract(consumer = "UserServiceClient", provider = "UserService", given = "UserA exists and is not an administrator")]
async fn gets_an_existing_user(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA")
        .get("/users/UserA")
        .header("Accept", "application/json")
        .will_respond_with(200)
        .json_body(json_pattern!({
            "name": "UserA",
            "id": term!("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", "fc763eba-0905-41c5-a27f-3934ab26786c"),
            "created_on": term!(r"^\d+-\d+-\d+T\d+:\d+:\d+$", "2016-12-15T20:16:01"),
            "admin": like!(false),
        }));

    let user = UserClient::new(pact.base_url()).get_user("UserA").await.unwrap();
    assert_eq!(user.name, "UserA");
    assert!(!user.admin);
}

#[contract(consumer = "UserServiceClient", provider = "UserService", given = "UserA does not exist")]
async fn gets_none_for_a_missing_user(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA")
        .get("/users/UserA")
        .header("Accept", "application/json")
        .will_respond_with(404);

    assert!(UserClient::new(pact.base_url()).get_user("UserA").await.is_none());
}
