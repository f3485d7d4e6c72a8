//! `pact diff OLD NEW`: what changed between two pacts, and whether a provider that satisfied
//! OLD may fail NEW. With `--broker-base-url`, NEW is a file and OLD comes from the broker.
//!
//! Exit codes: 0 when nothing is breaking, 1 when something is (undecided counts as
//! breaking), 2 when the diff could not run.
//!
//! The job is split: [`pair`] pairs interactions, [`classify`] lists the changes and applies
//! the rules, [`constraint`] compares matchers, [`report`] renders, [`broker`] finds OLD on a
//! broker; [`change`] holds what they exchange. `pact publish --check-breaking` uses
//! [`check_before_publish`].

mod broker;
mod change;
mod classify;
mod constraint;
mod pair;
mod report;

use std::io::IsTerminal as _;
use std::path::Path;

use clap::Args;
use pact_core::broker::{BrokerClient, Contract};
use pact_core::model::Pact;

use crate::broker_args::BrokerArgs;
use crate::failure::Failure;
use broker::OldSelector;
use change::PactDiff;

/// `pact diff OLD NEW`, or `pact diff NEW --broker-base-url URL [--branch B | --environment E]`
#[derive(Args, Debug, Clone)]
pub struct DiffArgs {
    /// OLD and NEW pact files; with --broker-base-url, only NEW.
    #[arg(value_name = "PACTS", required = true, num_args = 1..=2)]
    pub pacts: Vec<String>,
    /// With a broker: OLD is the latest pact of this consumer branch.
    #[arg(long, value_name = "BRANCH", conflicts_with = "environment")]
    pub branch: Option<String>,
    /// With a broker: OLD is the pact of the consumer version deployed or released to this
    /// environment.
    #[arg(long, value_name = "ENVIRONMENT")]
    pub environment: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

fn read(path: &str) -> Result<Pact, Failure> {
    if !Path::new(path).is_file() {
        return Err(Failure::config(format!("{path}: no such pact file")));
    }
    Pact::from_file(path).map_err(|e| Failure::config(e.to_string()))
}

/// Compares two pacts.
pub fn diff(old: &Pact, new: &Pact, old_origin: &str, new_origin: &str) -> PactDiff {
    classify::diff_pacts(old, new, old_origin, new_origin)
}

/// Runs `pact diff`.
pub async fn run(args: DiffArgs) -> Result<u8, Failure> {
    let broker_url = args.broker.url.as_deref().filter(|u| !u.trim().is_empty());
    let diff = match (args.pacts.as_slice(), broker_url) {
        // Two files are compared as they are, whatever PACT_BROKER_BASE_URL says.
        ([old, new], _) => diff(&read(old)?, &read(new)?, old, new),
        ([new], Some(_)) => {
            let new_pact = read(new)?;
            let client = args.broker.client()?;
            let selector = OldSelector { branch: args.branch.clone(), environment: args.environment.clone() };
            let Some((origin, old)) =
                broker::fetch_old(&client, &new_pact.consumer, &new_pact.provider, &selector).await?
            else {
                return Err(Failure::config(format!(
                    "the broker has no pact between {} and {} {} to compare with",
                    new_pact.consumer,
                    new_pact.provider,
                    describe(&selector)
                )));
            };
            diff(&old, &new_pact, &origin, new)
        }
        _ => return Err(Failure::config("give OLD and NEW pact files, or NEW and --broker-base-url")),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report::to_json(&diff)).unwrap_or_default());
    } else {
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        print!("{}", report::human(&diff, colour));
    }
    Ok(u8::from(diff.is_breaking()))
}

fn describe(selector: &OldSelector) -> String {
    match (&selector.branch, &selector.environment) {
        (Some(branch), _) => format!("on the consumer branch {branch:?}"),
        (None, Some(environment)) => format!("deployed or released to {environment:?}"),
        (None, None) => "verified by the provider's main branch".to_string(),
    }
}

/// `pact publish --check-breaking`: compares each contract with the pact its provider last
/// verified on its main branch, prints the report of each that changed, and refuses (exit 1)
/// when one is breaking, unless `allow_breaking`.
pub async fn check_before_publish(
    client: &BrokerClient,
    contracts: &[Contract],
    allow_breaking: bool,
) -> Result<(), Failure> {
    let mut breaking = Vec::new();
    for contract in contracts {
        let origin =
            contract.sources.first().map(|p| p.display().to_string()).unwrap_or_else(|| "(merged)".into());
        let new = Pact::from_slice_with(&contract.content, Default::default())
            .map_err(|e| Failure::config(e.in_file(&origin).to_string()))?;
        let found =
            broker::fetch_old(client, &contract.consumer, &contract.provider, &OldSelector::default())
                .await?;
        let Some((old_origin, old)) = found else {
            eprintln!(
                "pact: --check-breaking: {} has never verified a pact of {} on its main branch; nothing to compare with",
                contract.provider, contract.consumer
            );
            continue;
        };
        let result = diff(&old, &new, &old_origin, &origin);
        if result.interactions.is_empty() {
            continue;
        }
        let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!("{}", report::human(&result, colour));
        if result.is_breaking() {
            breaking.push(format!("{} -> {}", contract.consumer, contract.provider));
        }
    }
    if breaking.is_empty() || allow_breaking {
        if !breaking.is_empty() {
            eprintln!(
                "pact: publishing breaking changes ({}) because of --allow-breaking",
                breaking.join(", ")
            );
        }
        return Ok(());
    }
    Err(Failure {
        code: 1,
        message: format!(
            "not published: breaking changes for the provider ({}); give --allow-breaking to publish anyway",
            breaking.join(", ")
        ),
        detail: None,
    })
}
