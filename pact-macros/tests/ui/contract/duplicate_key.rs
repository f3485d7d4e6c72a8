use pact_core::prelude::*;

#[contract(provider = "UserService", consumer = "A", provider = "OrderService")]
fn gets_a_user(pact: &mut Contract) {
    let _ = pact.base_url();
}

fn main() {}
