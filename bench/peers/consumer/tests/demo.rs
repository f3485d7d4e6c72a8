//! The demo with pact_consumer 1.4: two consumer tests of one interaction each.

#[path = "../../../shared/user_client.rs"]
mod user_client;

use pact_consumer::prelude::*;
use user_client::UserClient;

#[tokio::test]
async fn gets_an_existing_user() {
    let service = PactBuilder::new("UserServiceClient", "UserService")
        .interaction("a request for UserA", "", |mut i| {
            i.given("UserA exists and is not an administrator");
            i.request.get().path("/users/UserA").header("Accept", "application/json");
            i.response.ok().json_body(json_pattern!({
                "name": "UserA",
                "id": term!("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", "fc763eba-0905-41c5-a27f-3934ab26786c"),
                "created_on": term!(r"^\d+-\d+-\d+T\d+:\d+:\d+$", "2016-12-15T20:16:01"),
                "admin": like!(false),
            }));
            i
        })
        .start_mock_server(None, None);

    let user = UserClient::new(service.url().as_str()).get_user("UserA").await.unwrap();
    assert_eq!(user.name, "UserA");
    assert!(!user.admin);
}

#[tokio::test]
async fn gets_none_for_a_missing_user() {
    let service = PactBuilder::new("UserServiceClient", "UserService")
        .interaction("a request for UserA", "", |mut i| {
            i.given("UserA does not exist");
            i.request.get().path("/users/UserA").header("Accept", "application/json");
            i.response.status(404);
            i
        })
        .start_mock_server(None, None);

    assert!(UserClient::new(service.url().as_str()).get_user("UserA").await.is_none());
}
