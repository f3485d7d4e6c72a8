//! `pact create-environment` (and `pact broker create-environment`).

use clap::Args;
use pact_core::broker::Environment;
use serde_json::json;

use crate::broker_args::BrokerArgs;
use crate::failure::Failure;

/// `pact create-environment --name NAME [--display-name N] [--production]`
///
/// Creates the environment, or updates the one of that name, so that a deployment script can
/// run it every time.
#[derive(Args, Debug, Clone)]
pub struct CreateEnvironmentArgs {
    /// The name used in deployment code (one word, such as production).
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// The name people read.
    #[arg(long, value_name = "DISPLAY_NAME")]
    pub display_name: Option<String>,
    /// Whether it is a production environment.
    #[arg(long)]
    pub production: bool,
    /// The team or person responsible for it.
    #[arg(long, value_name = "CONTACT_NAME")]
    pub contact_name: Option<String>,
    /// Their email address.
    #[arg(long = "contact-email-address", value_name = "EMAIL")]
    pub contact_email: Option<String>,
    /// Output: text, json, or id (the environment's UUID alone).
    #[arg(short = 'o', long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json", "id"])]
    pub output: String,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Runs `pact create-environment`.
pub async fn run(args: CreateEnvironmentArgs) -> Result<u8, Failure> {
    let environment = Environment {
        name: args.name.clone(),
        display_name: args.display_name.clone(),
        production: args.production,
        contact_name: args.contact_name.clone(),
        contact_email: args.contact_email.clone(),
    };
    let client = args.broker.client()?;
    let stored = client.create_or_update_environment(&environment).await?;
    match args.output.as_str() {
        "id" => println!("{}", stored.uuid),
        "json" => println!(
            "{}",
            json!({"uuid": stored.uuid, "name": stored.name, "displayName": stored.display_name,
                   "production": stored.production, "created": stored.created})
        ),
        _ => println!(
            "{} environment {} with UUID {}",
            if stored.created { "Created" } else { "Updated" },
            stored.name,
            stored.uuid
        ),
    }
    Ok(0)
}
