//! One test declaring `BENCH_INTERACTIONS` interactions (100 by default), each called once,
//! with pact_consumer 1.4.

#[path = "../../../shared/user_client.rs"]
mod user_client;

use pact_consumer::prelude::*;
use user_client::UserClient;

#[tokio::test]
async fn one_test_many_interactions() {
    let n = user_client::interactions();
    let mut builder = PactBuilder::new("BenchClient", "UserService");
    for i in 0..n {
        builder.interaction(format!("a request for User{i}"), String::new(), |mut b| {
            b.given("users exist");
            b.request.get().path(format!("/users/User{i}")).header("Accept", "application/json");
            b.response.ok().json_body(json_pattern!({
                "name": format!("User{i}"),
                "id": term!("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", "fc763eba-0905-41c5-a27f-3934ab26786c"),
                "created_on": term!(r"^\d+-\d+-\d+T\d+:\d+:\d+$", "2016-12-15T20:16:01"),
                "admin": like!(false),
            }));
            b
        });
    }
    let service = builder.start_mock_server(None, None);
    let client = UserClient::new(service.url().as_str());
    for i in 0..n {
        assert_eq!(client.get_user(&format!("User{i}")).await.unwrap().name, format!("User{i}"));
    }
}
