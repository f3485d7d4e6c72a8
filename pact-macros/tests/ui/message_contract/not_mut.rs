use pact_core::prelude::*;

#[message_contract(provider = "UserService")]
fn handles_an_event(pact: &MessagePact) {
    let _ = pact.received();
}

fn main() {}
