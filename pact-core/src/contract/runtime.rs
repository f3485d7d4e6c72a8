//! What the code that `#[contract]` generates calls: start the contract, run the body, then
//! settle. The generated test ends with [`conclude`], called at the test's own name, so that a
//! failed verification panics *at the test* (its file, line and column), not inside this crate.
//!
//! When the body fails, nothing is written and the mock provider's report is printed (to the
//! test's captured output, which the test harness shows for a failed test): after the body
//! returned an `Err`, by [`run_sync`] and friends; when it panicked, by the contract's `Drop`
//! while the panic unwinds. Most real failures are of that shape (a client that `unwrap`s the
//! mock's `500`), and the report says why the `500` came.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;

use super::{Contract, ContractError};
use crate::mock::MockProvider;
use crate::model::{ProviderState, SpecVersion};
use crate::pactfile;

/// What `#[contract]` passes to the runtime.
#[doc(hidden)]
pub struct ContractSpec {
    pub consumer: &'static str,
    pub provider: &'static str,
    pub given: Vec<ProviderState>,
    pub test: &'static str,
    pub manifest_dir: &'static str,
    pub spec: Option<&'static str>,
}

impl Contract {
    fn from_spec(spec: ContractSpec, mock: MockProvider) -> Self {
        let version = spec.spec.and_then(SpecVersion::parse).unwrap_or(SpecVersion::V3);
        let mut contract = Contract::with_mock(spec.consumer.to_string(), spec.provider.to_string(), mock);
        contract.test = spec.test.to_string();
        contract.given = spec.given;
        contract.version = version;
        contract.output_dir = pactfile::output_dir(Path::new(spec.manifest_dir));
        contract
    }

    #[doc(hidden)]
    #[track_caller]
    pub fn start(spec: ContractSpec) -> Self {
        Self::from_spec(spec, super::start_mock())
    }

    #[doc(hidden)]
    #[track_caller]
    pub fn start_async(spec: ContractSpec) -> impl Future<Output = Self> {
        let mock = super::start_mock();
        async move { Self::from_spec(spec, mock) }
    }
}

/// Whether a test body succeeded, so that its pact may be written.
#[doc(hidden)]
pub trait Outcome {
    fn succeeded(&self) -> bool;
}

impl Outcome for () {
    fn succeeded(&self) -> bool {
        true
    }
}

impl<T, E> Outcome for Result<T, E> {
    fn succeeded(&self) -> bool {
        self.is_ok()
    }
}

/// When the body succeeded: verify and write. When it returned an error: print the mock
/// provider's report, write nothing, and hand the error back to the test.
fn settle<R: Outcome>(contract: Contract, outcome: R) -> Result<R, ContractError> {
    if outcome.succeeded() {
        contract.finish()?;
    } else {
        contract.abandon("the test returned an error");
    }
    Ok(outcome)
}

/// The end of every generated test: the body's outcome, or a panic with the report, located at
/// the test.
#[doc(hidden)]
#[track_caller]
#[allow(clippy::panic)]
pub fn conclude<R>(verdict: Result<R, ContractError>) -> R {
    match verdict {
        Ok(outcome) => outcome,
        // The deliberate failure of a contract test: the report is the panic message.
        Err(e) => panic!("{}", super::with_causes(&e)),
    }
}

#[doc(hidden)]
#[track_caller]
pub fn run_sync<R: Outcome>(
    spec: ContractSpec,
    body: impl FnOnce(&mut Contract) -> R,
) -> Result<R, ContractError> {
    let mut contract = Contract::start(spec);
    let outcome = body(&mut contract);
    settle(contract, outcome)
}

/// The body of an `async fn` test, boxed so that every test shares one copy of the runtime code.
#[doc(hidden)]
pub type Body<'c, R> = Pin<Box<dyn Future<Output = R> + 'c>>;

#[doc(hidden)]
#[track_caller]
#[allow(clippy::panic)]
pub fn run_async<R: Outcome>(
    spec: ContractSpec,
    body: impl for<'c> FnOnce(&'c mut Contract) -> Body<'c, R>,
) -> Result<R, ContractError> {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => panic!("cannot start a Tokio runtime for the contract test: {e}"),
    };
    let mut contract = Contract::start(spec);
    let outcome = runtime.block_on(body(&mut contract));
    settle(contract, outcome)
}

/// For an `async fn` test that a test attribute of the user's (`#[tokio::test]`) drives.
#[doc(hidden)]
#[track_caller]
pub fn run_attached<R: Outcome>(
    spec: ContractSpec,
    body: impl for<'c> FnOnce(&'c mut Contract) -> Body<'c, R>,
) -> impl Future<Output = Result<R, ContractError>> {
    let mut contract = Contract::start(spec);
    async move {
        let outcome = body(&mut contract).await;
        settle(contract, outcome)
    }
}

/// Why a test with several providers failed: each failing contract's error, and the providers
/// whose pacts were left unwritten because of them.
#[doc(hidden)]
#[derive(Debug)]
pub struct Failures {
    errors: Vec<ContractError>,
    unwritten: Vec<String>,
}

impl std::fmt::Display for Failures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let texts: Vec<String> = self.errors.iter().map(|e| super::with_causes(e)).collect();
        f.write_str(&texts.join("\n"))?;
        if !self.unwritten.is_empty() {
            write!(
                f,
                "\nThe pacts of {} were not written either: a test writes all of its pacts or none.",
                self.unwritten.join(", ")
            )?;
        }
        Ok(())
    }
}

/// [`settle`] for a test with several providers: when the body succeeded, every contract is
/// verified first, and the pacts are written only when all pass; a failure names its provider.
fn settle_all<R: Outcome, const N: usize>(contracts: [Contract; N], outcome: R) -> Result<R, Failures> {
    if !outcome.succeeded() {
        for contract in contracts {
            contract.abandon("the test returned an error");
        }
        return Ok(outcome);
    }
    let verdicts: Vec<Result<(), ContractError>> = contracts.iter().map(Contract::verify).collect();
    if verdicts.iter().any(Result::is_err) {
        let mut failures = Failures { errors: Vec::new(), unwritten: Vec::new() };
        for (mut contract, verdict) in contracts.into_iter().zip(verdicts) {
            contract.settled = true;
            match verdict {
                Err(e) => failures.errors.push(e),
                Ok(()) => failures.unwritten.push(contract.pair()),
            }
        }
        return Err(failures);
    }
    let errors: Vec<ContractError> = contracts.into_iter().filter_map(|c| c.finish().err()).collect();
    if errors.is_empty() {
        Ok(outcome)
    } else {
        Err(Failures { errors, unwritten: Vec::new() })
    }
}

/// The end of a generated test with several providers.
#[doc(hidden)]
#[track_caller]
#[allow(clippy::panic)]
pub fn conclude_all<R>(verdict: Result<R, Failures>) -> R {
    match verdict {
        Ok(outcome) => outcome,
        // The deliberate failure of a contract test: the report is the panic message.
        Err(e) => panic!("{e}"),
    }
}

#[doc(hidden)]
#[track_caller]
pub fn run_sync_all<R: Outcome, const N: usize>(
    specs: [ContractSpec; N],
    body: impl FnOnce(&mut [Contract; N]) -> R,
) -> Result<R, Failures> {
    let mut contracts = specs.map(Contract::start);
    let outcome = body(&mut contracts);
    settle_all(contracts, outcome)
}

#[doc(hidden)]
#[track_caller]
#[allow(clippy::panic)]
pub fn run_async_all<R: Outcome, const N: usize>(
    specs: [ContractSpec; N],
    body: impl for<'c> FnOnce(&'c mut [Contract; N]) -> Body<'c, R>,
) -> Result<R, Failures> {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => panic!("cannot start a Tokio runtime for the contract test: {e}"),
    };
    let mut contracts = specs.map(Contract::start);
    let outcome = runtime.block_on(body(&mut contracts));
    settle_all(contracts, outcome)
}

/// For an `async fn` test with several providers that a test attribute of the user's drives.
#[doc(hidden)]
#[track_caller]
pub fn run_attached_all<R: Outcome, const N: usize>(
    specs: [ContractSpec; N],
    body: impl for<'c> FnOnce(&'c mut [Contract; N]) -> Body<'c, R>,
) -> impl Future<Output = Result<R, Failures>> {
    let mut contracts = specs.map(Contract::start);
    async move {
        let outcome = body(&mut contracts).await;
        settle_all(contracts, outcome)
    }
}
