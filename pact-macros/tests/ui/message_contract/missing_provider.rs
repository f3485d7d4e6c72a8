use pact_core::prelude::*;

#[message_contract(consumer = "UserEventsClient", given = "UserC exists")]
fn handles_an_event(pact: &mut MessagePact) {
    let _ = pact.received();
}

fn main() {}
