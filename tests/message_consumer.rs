//! The consumer side of message pacts: the demo client's `UserCreated` handler against the
//! event it expects, written as V3 `messages` (the checked-in pact the provider tests verify) and
//! as V4 beside HTTP interactions; a failing or panicking handler writes nothing; a synchronous
//! message hands the response examples to the test.

mod common;

use std::path::{Path, PathBuf};

use pact_core::message::{MessageContractError, MessagePact};
use pact_core::model::{Interaction, Pact, SpecVersion};
use pact_core::prelude::*;

fn checked_in(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/pacts").join(name)
}

#[test]
fn the_user_created_handler_writes_the_checked_in_v3_pact() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = MessagePact::new("UserEventsClient", "UserService").with_output_dir(dir.path());
    common::declare_user_created(&mut pact);
    let path = pact.verify(common::handle_user_created).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    let expected = std::fs::read_to_string(checked_in("UserEventsClient-UserService-v3.json")).unwrap();
    assert_eq!(
        written,
        expected,
        "regenerate tests/pacts/UserEventsClient-UserService-v3.json from {}",
        path.display()
    );
    // Byte-stable: the same declaration again leaves the file as it was.
    let mut again = MessagePact::new("UserEventsClient", "UserService").with_output_dir(dir.path());
    common::declare_user_created(&mut again);
    again.verify(common::handle_user_created).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
}

fn nothing_written(dir: &Path) -> bool {
    !dir.join("UserEventsClient-UserService.json").exists()
}

#[test]
fn a_failing_or_panicking_handler_fails_the_test_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = MessagePact::new("UserEventsClient", "UserService").with_output_dir(dir.path());
    pact.expects_to_receive("a UserCreated event")
        .with_content(json_pattern!({"type": "UserDeleted", "name": "UserC"}))
        .with_metadata("topic", "user-events");
    let error = pact.verify(common::handle_user_created).unwrap_err();
    assert!(matches!(error, MessageContractError::Handler { .. }), "{error}");
    assert!(error.to_string().contains("not a UserCreated event"), "{error}");
    assert!(nothing_written(dir.path()));

    let mut pact = MessagePact::new("UserEventsClient", "UserService").with_output_dir(dir.path());
    common::declare_user_created(&mut pact);
    let error = pact.verify(|_| -> Result<(), String> { panic!("the handler blew up") }).unwrap_err();
    assert!(error.to_string().contains("it panicked: the handler blew up"), "{error}");
    assert!(nothing_written(dir.path()));
}

#[test]
fn examples_that_break_their_own_rules_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = MessagePact::new("C", "P").with_output_dir(dir.path());
    pact.expects_to_receive("an event").with_content(pact_core::dsl::Pattern::object(vec![(
        "id".into(),
        pact_core::dsl::Pattern::term("^[0-9]+$", "abc"),
    )]));
    let error = pact.verify(|_| Ok::<(), String>(())).unwrap_err();
    assert!(matches!(error, MessageContractError::Declaration { .. }), "{error}");
    assert!(!dir.path().join("C-P.json").exists());
}

#[tokio::test]
async fn v4_mixes_http_and_messages_in_one_file_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut http = Contract::new_async("UserEventsClient", "UserService")
        .await
        .with_output_dir(dir.path())
        .with_spec_version(SpecVersion::V4)
        .with_test_name("message_consumer::http_part")
        .given("UserA does not exist");
    common::declare_missing_user(&mut http);
    demo_client::UserClient::new(http.base_url()).get_user("UserA").await.unwrap();
    http.finish().unwrap();

    let mut pact = MessagePact::new("UserEventsClient", "UserService")
        .with_output_dir(dir.path())
        .with_spec_version(SpecVersion::V4)
        .with_test_name("message_consumer::message_part");
    common::declare_user_created(&mut pact);
    pact.synchronous_message("a user lookup")
        .given_with("a user exists", json!({"name": "UserA"}))
        .with_content(json_pattern!({"name": "UserA"}))
        .will_respond_with()
        .with_content(json_pattern!({"name": "UserA", "admin": like!(false)}))
        .with_metadata("topic", "user-replies");
    let path = pact
        .verify(|received| match received.description.as_str() {
            "a user lookup" => {
                assert_eq!(received.responses.len(), 1);
                let reply = received.responses[0].contents.as_json().unwrap();
                assert_eq!(reply["admin"], false);
                Ok(())
            }
            _ => common::handle_user_created(received),
        })
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let read = Pact::from_file(&path).unwrap();
    let kinds: Vec<&str> = read.interactions.iter().map(|i| i.type_name()).collect();
    assert_eq!(kinds.len(), 3, "{text}");
    for kind in ["Synchronous/HTTP", "Asynchronous/Messages", "Synchronous/Messages"] {
        assert!(text.contains(&format!("\"type\": \"{kind}\"")), "{kind} missing in {text}");
    }
    assert_eq!(read.to_json_string(SpecVersion::V4).unwrap(), text, "V4 round-trips byte for byte");
    // Each interaction names the test that declared it (V4 `comments.testname`).
    for interaction in &read.interactions {
        let expected = match interaction {
            Interaction::Http(_) => "message_consumer::http_part",
            _ => "message_consumer::message_part",
        };
        assert_eq!(interaction.meta().test_name(), Some(expected), "{text}");
    }
}

#[test]
fn a_synchronous_message_needs_v4() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = MessagePact::new("C", "P").with_output_dir(dir.path());
    pact.synchronous_message("a lookup")
        .with_content(json_pattern!({"q": 1}))
        .will_respond_with()
        .with_content(json_pattern!({"a": 1}));
    let error = pact.verify(|_| Ok::<(), String>(())).unwrap_err();
    assert!(error.to_string().contains("only a V4 pact holds"), "{error}");
}

/// The official verifier accepts a pact we write, verifying it against the demo producer.
#[tokio::test(flavor = "multi_thread")]
async fn the_official_verifier_accepts_the_written_pact() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = MessagePact::new("UserEventsClient", "UserService")
        .with_output_dir(dir.path())
        .with_spec_version(SpecVersion::V4);
    common::declare_user_created(&mut pact);
    let path = pact.verify(common::handle_user_created).unwrap();
    let url = common::serve(demo_user_service::app(demo_user_service::AppState::default(), true)).await;
    let port = url.rsplit(':').next().unwrap().to_string();
    let args: Vec<String> = vec![
        "verifier".into(),
        "--hostname".into(),
        "127.0.0.1".into(),
        "--port".into(),
        port.clone(),
        "--transports".into(),
        format!("message:{port}/_pact/messages"),
        "--state-change-url".into(),
        format!("{url}/_pact/provider_states"),
        "--no-colour".into(),
        "-f".into(),
        path.display().to_string(),
    ];
    let output =
        tokio::task::spawn_blocking(move || test_support::official_command().args(&args).output().unwrap())
            .await
            .unwrap();
    let text =
        format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("a UserCreated event"), "{text}");
}

#[test]
fn a_declared_message_no_handler_saw_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut pact = MessagePact::new("C", "P").with_output_dir(dir.path());
    pact.expects_to_receive("an event").with_content(json_pattern!({"id": 1}));
    let error = pact.finish().unwrap_err();
    assert!(error.to_string().contains("\"an event\" declared but never passed to a handler"), "{error}");
    assert!(!dir.path().join("C-P.json").exists());
}
