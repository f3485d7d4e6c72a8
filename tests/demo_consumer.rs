//! The demo's consumer contracts: the user service client against a mock `UserService`.
//! Running them writes `pacts/UserServiceClient-UserService.json`.

mod common;

use demo_client::UserClient;
use pact_core::prelude::*;

#[contract(
    consumer = "UserServiceClient",
    provider = "UserService",
    given = "UserA exists and is not an administrator"
)]
async fn gets_an_existing_user(pact: &mut Contract) {
    common::declare_existing_user(pact);

    let user = UserClient::new(pact.base_url()).get_user("UserA").await.unwrap().unwrap();
    assert_eq!(user.name, "UserA");
    assert_eq!(user.id, "fc763eba-0905-41c5-a27f-3934ab26786c");
    assert!(!user.admin);
}

#[contract(consumer = "UserServiceClient", provider = "UserService", given = "UserA does not exist")]
async fn gets_none_for_a_missing_user(pact: &mut Contract) {
    common::declare_missing_user(pact);

    let user = UserClient::new(pact.base_url()).get_user("UserA").await.unwrap();
    assert_eq!(user, None);
}

/// The same two contracts, written to a temporary directory, give exactly the checked-in pact
/// that the provider tests verify; so the provider side always verifies what the consumer side
/// writes.
#[tokio::test]
async fn the_checked_in_demo_pact_is_what_the_consumer_tests_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut existing = Contract::new_async("UserServiceClient", "UserService")
        .await
        .with_output_dir(dir.path())
        .given("UserA exists and is not an administrator");
    common::declare_existing_user(&mut existing);
    assert!(UserClient::new(existing.base_url()).get_user("UserA").await.unwrap().is_some());
    existing.finish().unwrap();

    let mut missing = Contract::new_async("UserServiceClient", "UserService")
        .await
        .with_output_dir(dir.path())
        .given("UserA does not exist");
    common::declare_missing_user(&mut missing);
    assert!(UserClient::new(missing.base_url()).get_user("UserA").await.unwrap().is_none());
    let written = missing.finish().unwrap();

    let written = std::fs::read_to_string(written).unwrap();
    let checked_in = std::fs::read_to_string(common::demo_pact()).unwrap();
    assert_eq!(
        written, checked_in,
        "tests/pacts/UserServiceClient-UserService.json is stale: copy the pact the consumer tests write"
    );

    let pact = pact_core::model::Pact::from_json_str(&written).unwrap();
    assert_eq!(pact.interactions.len(), 2);
}
