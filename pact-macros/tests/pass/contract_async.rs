use pact_core::prelude::*;

async fn call(url: String) -> usize {
    url.len()
}

#[contract(provider = "UserService", given = "UserA exists", given = "UserB exists", spec = "v2")]
async fn gets_two_users(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA").get("/users/UserA").will_respond_with(200);
    assert!(call(pact.base_url()).await > 0);
}

fn main() {}
