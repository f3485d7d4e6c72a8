use pact_core::prelude::*;

#[contract(provider = "UserService")]
fn gets_a_user(pact: &mut Contract, name: &str) {
    let _ = (pact.base_url(), name);
}

fn main() {}
