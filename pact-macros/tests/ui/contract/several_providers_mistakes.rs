use pact_core::prelude::*;

// Every mistake of a test with several providers, reported in one build.
#[contract(
    provider("UserService", given = "UserA exists"),
    provider("BillingService", spec = "v4"),
    provider("UserService"),
    given = "a state for whom?",
)]
fn checkout(users: &mut Contract, billing: Contract, extra: &mut Contract) {
    let _ = (users, billing, extra);
}

fn main() {}
