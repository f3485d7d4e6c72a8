use pact_core::prelude::*;

#[contract(provider = "UserService")]
fn gets_a_user<C: Default>(pact: &mut Contract) {
    let _ = (pact.base_url(), C::default());
}

fn main() {}
