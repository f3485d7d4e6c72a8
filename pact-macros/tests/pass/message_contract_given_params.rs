use pact_core::prelude::*;

#[message_contract(provider = "UserService", given("a user exists", name = "UserC"), spec = "v4")]
fn handles_an_event(pact: &mut MessagePact) {
    pact.expects_to_receive("a UserCreated event").with_content(json_pattern!({"name": "UserC"}));
    pact.handle(|_| Ok::<(), String>(())).unwrap();
}

#[message_contract(provider = "UserService")]
async fn handles_an_event_async(pact: &mut MessagePact) -> Result<(), String> {
    pact.expects_to_receive("a UserDeleted event").with_metadata("topic", "user-events");
    pact.handle_async(|_| async { Ok::<(), String>(()) }).await.map_err(|e| e.to_string())
}

fn main() {}
