use pact_core::prelude::*;

#[message_contract(provider("UserService"), provider("BillingService"))]
fn handles(pact: &mut MessagePact) {
    let _ = pact;
}

fn main() {}
