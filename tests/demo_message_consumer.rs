//! The demo's message contracts: the demo client's `UserCreated` handler against the event it
//! expects. Running them writes `pacts/UserEventsClient-UserService.json` (V3) and
//! `pacts/UserEventsClientAsync-UserService.json` (V4), which the main job publishes and verifies.

mod common;

use pact_core::message::MessageContractError;
use pact_core::prelude::*;

#[message_contract(consumer = "UserEventsClient", provider = "UserService")]
fn the_client_handles_user_created(pact: &mut MessagePact) {
    common::declare_user_created(pact);
    pact.handle(common::handle_user_created).unwrap();
}

#[message_contract(
    consumer = "UserEventsClientAsync",
    provider = "UserService",
    spec = "v4",
    given("a user exists", name = "UserC")
)]
#[tokio::test]
async fn the_client_handles_user_created_in_async_code(
    pact: &mut MessagePact,
) -> Result<(), MessageContractError> {
    common::declare_user_created(pact);
    pact.handle_async(|received| async move { common::handle_user_created(&received) }).await
}
