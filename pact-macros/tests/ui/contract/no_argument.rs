use pact_core::prelude::*;

#[contract(provider = "UserService")]
fn gets_a_user() {}

fn main() {}
