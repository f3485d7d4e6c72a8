use pact_core::message::Message;
use pact_core::message_provider;

#[message_provider("  ")]
fn an_event() -> Message {
    Message::text("hello", "text/plain")
}

fn main() {}
