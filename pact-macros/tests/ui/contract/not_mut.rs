use pact_core::prelude::*;

#[contract(provider = "UserService")]
fn gets_a_user(pact: &Contract) {
    let _ = pact.base_url();
}

fn main() {}
