use pact_core::prelude::*;

// A bare `provider = "..."` beside `provider(...)`, and `provider = ...` twice.
#[contract(provider = "UserService", provider("BillingService"))]
fn checkout(users: &mut Contract, billing: &mut Contract) {
    let _ = (users, billing);
}

#[contract(provider = "UserService", provider = "BillingService")]
fn twice(users: &mut Contract) {
    let _ = users;
}

fn main() {}
