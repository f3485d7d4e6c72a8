use pact_core::prelude::*;

#[contract(provider = "UserService", given("state", key = 1, other = "x"), given = "plain state")]
fn gets_a_user(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA").get("/users/UserA").will_respond_with(200);
}

fn main() {}
