//! What the code that `#[message_contract]` generates calls: build the message pact from the
//! attribute, run the test body, then write the pact if the body succeeded. A body that panics
//! or returns an `Err` writes nothing.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;

use super::consumer::{MessageContractError, MessagePact};
use crate::contract::Outcome;
use crate::model::{ProviderState, SpecVersion};
use crate::pactfile;

/// What `#[message_contract]` passes to the runtime.
#[doc(hidden)]
pub struct MessageContractSpec {
    pub consumer: &'static str,
    pub provider: &'static str,
    pub given: Vec<ProviderState>,
    pub test: &'static str,
    pub manifest_dir: &'static str,
    pub spec: Option<&'static str>,
}

fn start(spec: MessageContractSpec) -> MessagePact {
    let version = spec.spec.and_then(SpecVersion::parse).unwrap_or(SpecVersion::V3);
    let mut pact = MessagePact::new(spec.consumer, spec.provider)
        .with_output_dir(pactfile::output_dir(Path::new(spec.manifest_dir)))
        .with_spec_version(version)
        .with_test_name(spec.test);
    for state in spec.given {
        pact.given_with(state.name, serde_json::Value::Object(state.params));
    }
    pact
}

fn settle<R: Outcome>(pact: MessagePact, outcome: R) -> Result<R, MessageContractError> {
    if outcome.succeeded() {
        pact.finish()?;
    }
    Ok(outcome)
}

/// The end of every generated test: the body's outcome, or a panic with the reason.
#[doc(hidden)]
#[track_caller]
#[allow(clippy::panic)]
pub fn conclude_messages<R>(verdict: Result<R, MessageContractError>) -> R {
    match verdict {
        Ok(outcome) => outcome,
        // The deliberate failure of a contract test: the reason is the panic message.
        Err(e) => panic!("{e}"),
    }
}

#[doc(hidden)]
pub fn run_messages_sync<R: Outcome>(
    spec: MessageContractSpec,
    body: impl FnOnce(&mut MessagePact) -> R,
) -> Result<R, MessageContractError> {
    let mut pact = start(spec);
    let outcome = body(&mut pact);
    settle(pact, outcome)
}

/// The body of an `async fn` test.
#[doc(hidden)]
pub type MessageBody<'c, R> = Pin<Box<dyn Future<Output = R> + 'c>>;

#[doc(hidden)]
#[allow(clippy::panic)]
pub fn run_messages_async<R: Outcome>(
    spec: MessageContractSpec,
    body: impl for<'c> FnOnce(&'c mut MessagePact) -> MessageBody<'c, R>,
) -> Result<R, MessageContractError> {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => panic!("cannot start a Tokio runtime for the message contract test: {e}"),
    };
    let mut pact = start(spec);
    let outcome = runtime.block_on(body(&mut pact));
    settle(pact, outcome)
}

/// For an `async fn` test that a test attribute of the user's (`#[tokio::test]`) drives.
#[doc(hidden)]
pub async fn run_messages_attached<R: Outcome>(
    spec: MessageContractSpec,
    body: impl for<'c> FnOnce(&'c mut MessagePact) -> MessageBody<'c, R>,
) -> Result<R, MessageContractError> {
    let mut pact = start(spec);
    let outcome = body(&mut pact).await;
    settle(pact, outcome)
}
