//! One test declaring `BENCH_INTERACTIONS` interactions (100 by default), each called once.

#[path = "../../../shared/user_client.rs"]
mod user_client;

use pact_core::prelude::*;
use user_client::UserClient;

#[contract(consumer = "BenchClient", provider = "UserService", given = "users exist")]
async fn one_test_many_interactions(pact: &mut Contract) {
    let n = user_client::interactions();
    for i in 0..n {
        pact.upon_receiving(format!("a request for User{i}"))
            .get(format!("/users/User{i}"))
            .header("Accept", "application/json")
            .will_respond_with(200)
            .json_body(json_pattern!({
                "name": format!("User{i}"),
                "id": term!("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", "fc763eba-0905-41c5-a27f-3934ab26786c"),
                "created_on": term!(r"^\d+-\d+-\d+T\d+:\d+:\d+$", "2016-12-15T20:16:01"),
                "admin": like!(false),
            }));
    }
    let client = UserClient::new(pact.base_url());
    for i in 0..n {
        assert_eq!(client.get_user(&format!("User{i}")).await.unwrap().name, format!("User{i}"));
    }
}
