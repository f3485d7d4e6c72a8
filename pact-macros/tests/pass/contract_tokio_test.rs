use pact_core::prelude::*;

#[contract(consumer = "UserServiceClient", provider = "UserService")]
#[tokio::test]
async fn gets_a_user_on_tokio(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA").get("/users/UserA").will_respond_with(404);
    tokio::task::yield_now().await;
}

fn main() {}
