//! `pact record-deployment` and `pact record-release` (and their `pact broker` forms).

use clap::Args;

use crate::broker_args::{single_line, BrokerArgs};
use crate::failure::Failure;

/// `pact record-deployment --pacticipant NAME --version V --environment ENV`
#[derive(Args, Debug, Clone)]
pub struct RecordDeploymentArgs {
    /// The pacticipant that was deployed.
    #[arg(short = 'a', long, value_name = "PACTICIPANT")]
    pub pacticipant: String,
    /// The version that was deployed.
    #[arg(short = 'e', long, value_name = "VERSION")]
    pub version: String,
    /// The environment it was deployed to.
    #[arg(long, value_name = "ENVIRONMENT")]
    pub environment: String,
    /// The application instance, when several instances of it run in the environment.
    #[arg(long, visible_alias = "target", value_name = "APPLICATION_INSTANCE")]
    pub application_instance: Option<String>,
    /// Output: text or json.
    #[arg(short = 'o', long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json", "pretty"])]
    pub output: String,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// `pact record-release --pacticipant NAME --version V --environment ENV`
#[derive(Args, Debug, Clone)]
pub struct RecordReleaseArgs {
    /// The pacticipant that was released.
    #[arg(short = 'a', long, value_name = "PACTICIPANT")]
    pub pacticipant: String,
    /// The version that was released.
    #[arg(short = 'e', long, value_name = "VERSION")]
    pub version: String,
    /// The environment it was released to.
    #[arg(long, value_name = "ENVIRONMENT")]
    pub environment: String,
    /// Output: text or json.
    #[arg(short = 'o', long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json", "pretty"])]
    pub output: String,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Runs `pact record-deployment`.
pub async fn record_deployment(args: RecordDeploymentArgs) -> Result<u8, Failure> {
    single_line("--pacticipant", &args.pacticipant)?;
    single_line("--version", &args.version)?;
    let client = args.broker.client()?;
    let recorded = client
        .record_deployment(
            &args.pacticipant,
            &args.version,
            &args.environment,
            args.application_instance.as_deref(),
        )
        .await?;
    if args.output == "text" {
        let instance = args
            .application_instance
            .as_deref()
            .map(|i| format!(" (application instance {i})"))
            .unwrap_or_default();
        println!(
            "Recorded deployment of {} version {} to {} environment{instance} in the Pact Broker.",
            args.pacticipant, args.version, args.environment
        );
    } else {
        println!("{}", serde_json::to_string_pretty(&recorded.body).unwrap_or_default());
    }
    Ok(0)
}

/// Runs `pact record-release`.
pub async fn record_release(args: RecordReleaseArgs) -> Result<u8, Failure> {
    single_line("--pacticipant", &args.pacticipant)?;
    single_line("--version", &args.version)?;
    let client = args.broker.client()?;
    let recorded = client.record_release(&args.pacticipant, &args.version, &args.environment).await?;
    if args.output == "text" {
        println!(
            "Recorded release of {} version {} to {} environment in the Pact Broker.",
            args.pacticipant, args.version, args.environment
        );
    } else {
        println!("{}", serde_json::to_string_pretty(&recorded.body).unwrap_or_default());
    }
    Ok(0)
}
