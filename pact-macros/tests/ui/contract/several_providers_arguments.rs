use pact_core::prelude::*;

// Two providers, one argument.
#[contract(provider("UserService"), provider("BillingService"))]
fn checkout(pact: &mut Contract) {
    let _ = pact;
}

fn main() {}
