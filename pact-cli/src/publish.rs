//! `pact publish` (and `pact broker publish`): publish pact files to a broker, with
//! `--check-breaking` only when no pact holds a breaking change for its provider.

use clap::Args;
use pact_core::broker::{load_contracts, PublishOptions, Published};
use serde_json::json;

use crate::broker_args::{single_line, BrokerArgs};
use crate::failure::Failure;

/// `pact publish PACT_DIRS_OR_FILES... --consumer-app-version V --broker-base-url URL`
#[derive(Args, Debug, Clone)]
pub struct PublishArgs {
    /// Pact files, directories of pact files, or patterns such as pacts/*.json.
    #[arg(value_name = "PACT_FILES_DIRS_OR_GLOBS", required = true)]
    pub files: Vec<String>,
    /// The consumer application version.
    #[arg(short = 'a', long = "consumer-app-version", value_name = "VERSION", required = true)]
    pub version: String,
    /// The repository branch of the consumer version.
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
    /// Tags for the consumer version: repeatable, comma-separated, or several after one
    /// `--tag` (as pact-broker-cli takes them: `-t t1 t2`).
    #[arg(short = 't', long = "tag", value_name = "TAG", value_delimiter = ',', num_args = 1..)]
    pub tags: Vec<String>,
    /// The URL of the build that made the pacts.
    #[arg(long, value_name = "URL")]
    pub build_url: Option<String>,
    /// Merge into a pact already published for this version instead of replacing it.
    #[arg(long)]
    pub merge: bool,
    /// Before publishing, compare each pact with the one its provider last verified on its main
    /// branch (as `pact diff` does) and refuse to publish a breaking change.
    #[arg(long)]
    pub check_breaking: bool,
    /// With --check-breaking: publish even a breaking change (the report is still printed).
    #[arg(long, requires = "check_breaking")]
    pub allow_breaking: bool,
    /// Output: text (the broker's notices) or json.
    #[arg(short = 'o', long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json", "pretty"])]
    pub output: String,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

impl PublishArgs {
    fn options(&self) -> Result<PublishOptions, Failure> {
        single_line("--consumer-app-version", &self.version)?;
        Ok(PublishOptions {
            version: self.version.clone(),
            branch: self.branch.clone(),
            tags: self.tags.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
            build_url: self.build_url.clone(),
            merge: self.merge,
        })
    }
}

/// Runs `pact publish`.
pub async fn run(args: PublishArgs) -> Result<u8, Failure> {
    let options = args.options()?;
    let contracts = load_contracts(&args.files).map_err(|e| Failure::config(e.to_string()))?;
    let client = args.broker.client()?;
    if args.check_breaking {
        crate::diff::check_before_publish(&client, &contracts, args.allow_breaking).await?;
    }
    let published = client.publish(&contracts, &options).await?;
    print(&args.output, &published);
    Ok(0)
}

/// Prints what was published: the broker's notices, or JSON.
pub fn print(output: &str, published: &[Published]) {
    if output == "json" || output == "pretty" {
        let value = json!(published
            .iter()
            .map(|p| json!({
                "consumer": p.consumer,
                "provider": p.provider,
                "pacts": p.pact_urls,
                "notices": p.notices.iter().map(|n| json!({"type": n.kind, "text": n.text})).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>());
        println!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
        return;
    }
    for p in published {
        if p.notices.is_empty() {
            println!("Published the pact between {} and {}.", p.consumer, p.provider);
        }
        for notice in &p.notices {
            println!("{}", notice.text);
        }
    }
}
