//! `pact broker describe-version` and `pact broker list-latest-pact-versions`.

use clap::Args;
use pact_core::broker::PactVersion;
use serde_json::Value;

use crate::broker_args::BrokerArgs;
use crate::can_i_deploy::table;
use crate::failure::Failure;

/// `pact broker describe-version --pacticipant NAME [--version V | --latest [TAG]]`
#[derive(Args, Debug, Clone)]
pub struct DescribeVersionArgs {
    /// The pacticipant.
    #[arg(short = 'a', long, value_name = "PACTICIPANT")]
    pub pacticipant: String,
    /// The version (the latest when absent).
    #[arg(short = 'e', long, value_name = "VERSION")]
    pub version: Option<String>,
    /// The latest version, or with a TAG the latest with that tag.
    #[arg(short = 'l', long, value_name = "TAG", num_args = 0..=1, default_missing_value = "")]
    pub latest: Option<String>,
    /// Output: table or json.
    #[arg(short = 'o', long, value_name = "FORMAT", default_value = "table", value_parser = ["table", "json"])]
    pub output: String,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// `pact broker list-latest-pact-versions`
#[derive(Args, Debug, Clone)]
pub struct ListLatestPactVersionsArgs {
    /// Output: table or json.
    #[arg(short = 'o', long, value_name = "FORMAT", default_value = "table", value_parser = ["table", "json"])]
    pub output: String,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Runs `describe-version`: exit 1 when the broker has no such version.
pub async fn describe_version(args: DescribeVersionArgs) -> Result<u8, Failure> {
    let client = args.broker.client()?;
    let tag = args.latest.as_deref().filter(|t| !t.is_empty());
    let Some(version) = client.describe_version(&args.pacticipant, args.version.as_deref(), tag).await?
    else {
        eprintln!("pact: the broker has no such version of {:?}", args.pacticipant);
        return Ok(1);
    };
    if args.output == "json" {
        println!("{}", serde_json::to_string_pretty(&version).unwrap_or_default());
        return Ok(0);
    }
    let names = |key: &str| -> String {
        version
            .pointer(&format!("/_embedded/{key}"))
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get("name").and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let number = version.get("number").and_then(Value::as_str).unwrap_or_default().to_string();
    let row = [number, names("branchVersions"), names("tags")];
    print!("{}", table(&["NUMBER", "BRANCHES", "TAGS"], &[row]));
    Ok(0)
}

/// Runs `list-latest-pact-versions`: `-o json` prints the broker's own answer, as
/// pact-broker-cli does.
pub async fn list_latest_pact_versions(args: ListLatestPactVersionsArgs) -> Result<u8, Failure> {
    let client = args.broker.client()?;
    let body = client.latest_pact_versions_resource().await?;
    if args.output == "json" {
        println!("{}", serde_json::to_string_pretty(&body).unwrap_or_default());
        return Ok(0);
    }
    let rows: Vec<[String; 4]> = PactVersion::list(&body)
        .into_iter()
        .map(|p| [p.consumer, p.consumer_version, p.provider, p.created_at])
        .collect();
    print!("{}", table(&["CONSUMER", "CONSUMER_VERSION", "PROVIDER", "CREATED_AT"], &rows));
    Ok(0)
}
