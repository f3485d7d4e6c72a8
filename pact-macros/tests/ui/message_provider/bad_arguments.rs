use pact_core::message::{Message, MessageRequest};
use pact_core::message_provider;

struct AppState;

#[message_provider("an event")]
fn an_event(app: &AppState, request: &MessageRequest, extra: &str) -> Message {
    let _ = (app, request, extra);
    Message::text("hello", "text/plain")
}

#[message_provider("another event")]
fn another_event(app: &mut AppState) -> Message {
    let _ = app;
    Message::text("hello", "text/plain")
}

fn main() {}
