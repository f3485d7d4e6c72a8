//! `pact`: the command-line tool.
//!
//! ```text
//! pact verify --provider-base-url http://localhost:5001 \
//!             --pact-url pacts/UserServiceClient-UserService.json \
//!             --provider-states-setup-url http://localhost:5001/_pact/provider_states
//! ```
//!
//! Exit codes: 0 success, 1 when the answer is no (a verification failed, a version is not
//! deployable, the tests failed), 2 when the command could not run (usage, configuration, an
//! unreachable broker).
//!
//! One module per command family: `publish`, `can_i_deploy`, `environments`, `deployments`,
//! `versions`, `test_run`; shared broker flags in `broker_args`, exit codes in `failure`.

mod broker_args;
mod can_i_deploy;
mod deployments;
mod environments;
mod failure;
mod publish;
mod test_run;
mod versions;

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgAction, ArgMatches, Args, CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use pact_core::verify::{Filter, PactSource, Verifier};

use crate::failure::Failure;

#[derive(Parser)]
#[command(
    name = "pact",
    version,
    about = "Pact contract testing: verify pacts, publish them, ask a Pact Broker whether a version can be deployed"
)]
struct Cli {
    /// More output: -v info, -vv debug, -vvv trace (logs go to stderr).
    #[arg(short, long, action = ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replay pacts against a running provider and report every mismatch.
    Verify(VerifyArgs),
    /// Publish pact files to a Pact Broker.
    Publish(publish::PublishArgs),
    /// Ask a Pact Broker whether a version can be deployed (exit 0 yes, 1 no).
    CanIDeploy(can_i_deploy::CanIDeployArgs),
    /// Create an environment on a Pact Broker (or update the one with that name).
    CreateEnvironment(environments::CreateEnvironmentArgs),
    /// Record that a version was deployed to an environment.
    RecordDeployment(deployments::RecordDeploymentArgs),
    /// Record that a version was released to an environment.
    RecordRelease(deployments::RecordReleaseArgs),
    /// Run the contract tests and, when every test passed, publish the pacts the run wrote.
    Test(test_run::TestArgs),
    /// The official `pact broker` command lines (pact-broker-cli's flags).
    Broker {
        #[command(subcommand)]
        command: BrokerCommand,
    },
}

/// `pact broker ...`: the official consolidated CLI's broker commands, same flags.
#[derive(Subcommand)]
enum BrokerCommand {
    /// Publish pact files to a Pact Broker.
    Publish(publish::PublishArgs),
    /// Ask whether a version can be deployed (exit 0 yes, 1 no).
    CanIDeploy(can_i_deploy::CanIDeployArgs),
    /// Record that a version was deployed to an environment.
    RecordDeployment(deployments::RecordDeploymentArgs),
    /// Record that a version was released to an environment.
    RecordRelease(deployments::RecordReleaseArgs),
    /// Create an environment (or update the one with that name).
    CreateEnvironment(environments::CreateEnvironmentArgs),
    /// Describe a pacticipant version.
    DescribeVersion(versions::DescribeVersionArgs),
    /// List the latest pact of each integration.
    ListLatestPactVersions(versions::ListLatestPactVersionsArgs),
}

#[derive(Args)]
struct VerifyArgs {
    /// Base URL of the provider, such as http://localhost:5001.
    #[arg(long, value_name = "URL")]
    provider_base_url: String,
    /// A pact file, a directory of pact files, or a pact URL (repeatable).
    #[arg(long = "pact-url", visible_aliases = ["file", "url"], value_name = "PATH_OR_URL", required = true)]
    pact_urls: Vec<String>,
    /// The provider's state-change URL (POST), such as http://localhost:5001/_pact/provider_states.
    #[arg(long, visible_alias = "state-change-url", value_name = "URL")]
    provider_states_setup_url: Option<String>,
    /// Also call the state-change URL with "action": "teardown" after each interaction.
    #[arg(long)]
    state_change_teardown: bool,
    /// Only interactions whose description matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    filter_description: Option<String>,
    /// Only interactions with a provider state matching this regular expression.
    #[arg(long, value_name = "REGEX")]
    filter_state: Option<String>,
    /// Only interactions without a provider state.
    #[arg(long)]
    filter_no_state: bool,
    /// Only pacts of this consumer (repeatable).
    #[arg(long, short = 'c', value_name = "NAME")]
    filter_consumer: Vec<String>,
    /// Only pacts with this provider name.
    #[arg(long, value_name = "NAME")]
    provider_name: Option<String>,
    /// A header added to every request, as "Name: value" or NAME=VALUE (repeatable).
    #[arg(long, short = 'H', value_name = "HEADER")]
    header: Vec<String>,
    /// Timeout of each request and state-change call, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    request_timeout: u64,
    /// Also write the report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write the report as JUnit XML to this file.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// No colour, even on a terminal (also NO_COLOR).
    #[arg(long, visible_alias = "no-color")]
    no_colour: bool,
}

/// The matches of the can-i-deploy command, which know where each option stood.
fn can_i_deploy_matches(matches: &ArgMatches) -> Option<&ArgMatches> {
    matches
        .subcommand_matches("can-i-deploy")
        .or_else(|| matches.subcommand_matches("broker").and_then(|b| b.subcommand_matches("can-i-deploy")))
}

/// The log level a command's own flag asks for (`--log-level` of the broker commands).
fn log_level_flag(command: &Command) -> Option<String> {
    let broker = match command {
        Command::Publish(a) | Command::Broker { command: BrokerCommand::Publish(a) } => &a.broker,
        Command::CanIDeploy(a) | Command::Broker { command: BrokerCommand::CanIDeploy(a) } => &a.broker,
        Command::CreateEnvironment(a) | Command::Broker { command: BrokerCommand::CreateEnvironment(a) } => {
            &a.broker
        }
        Command::RecordDeployment(a) | Command::Broker { command: BrokerCommand::RecordDeployment(a) } => {
            &a.broker
        }
        Command::RecordRelease(a) | Command::Broker { command: BrokerCommand::RecordRelease(a) } => &a.broker,
        Command::Broker { command: BrokerCommand::DescribeVersion(a) } => &a.broker,
        Command::Broker { command: BrokerCommand::ListLatestPactVersions(a) } => &a.broker,
        Command::Test(a) => &a.broker,
        Command::Verify(_) => return None,
    };
    broker.log_level.clone().map(|l| if l == "none" { "off".to_string() } else { l })
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let level = match cli.verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let level =
        log_level_flag(&cli.command).filter(|_| cli.verbose == 0).unwrap_or_else(|| level.to_string());
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();

    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pact: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Verify(args) => verify(args).await,
            Command::Publish(args) | Command::Broker { command: BrokerCommand::Publish(args) } => {
                publish::run(args).await
            }
            Command::CanIDeploy(args) | Command::Broker { command: BrokerCommand::CanIDeploy(args) } => {
                can_i_deploy::run(args, can_i_deploy_matches(&matches)).await
            }
            Command::CreateEnvironment(args)
            | Command::Broker { command: BrokerCommand::CreateEnvironment(args) } => {
                environments::run(args).await
            }
            Command::RecordDeployment(args)
            | Command::Broker { command: BrokerCommand::RecordDeployment(args) } => {
                deployments::record_deployment(args).await
            }
            Command::RecordRelease(args)
            | Command::Broker { command: BrokerCommand::RecordRelease(args) } => {
                deployments::record_release(args).await
            }
            Command::Broker { command: BrokerCommand::DescribeVersion(args) } => {
                versions::describe_version(args).await
            }
            Command::Broker { command: BrokerCommand::ListLatestPactVersions(args) } => {
                versions::list_latest_pact_versions(args).await
            }
            Command::Test(args) => test_run::run(args).await,
        }
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            // The first line is the cause; with -v, the detail follows.
            let first = failure.message.lines().next().unwrap_or_default().to_string();
            eprintln!("pact: {first}");
            if cli.verbose > 0 {
                for line in failure.message.lines().skip(1) {
                    eprintln!("  {line}");
                }
                if let Some(detail) = failure.detail {
                    eprintln!("  detail: {detail}");
                }
            } else if failure.message.lines().count() > 1 {
                eprintln!("  (run with -v for the details)");
            }
            ExitCode::from(failure.code)
        }
    }
}

fn regex(flag: &str, pattern: &Option<String>) -> Result<Option<regex::Regex>, Failure> {
    pattern
        .as_deref()
        .map(|p| {
            regex::Regex::new(p)
                .map_err(|e| Failure::config(format!("{flag}: invalid regular expression {p:?}: {e}")))
        })
        .transpose()
}

pub(crate) fn parse_header(text: &str) -> Result<(String, String), Failure> {
    // The first separator splits: a name holds neither, a value may hold both.
    let (name, value) = text.find([':', '=']).map(|at| (&text[..at], &text[at + 1..])).ok_or_else(|| {
        Failure::config(format!("--header {text:?}: expected \"Name: value\" or NAME=VALUE"))
    })?;
    let name = name.trim();
    if name.is_empty() {
        return Err(Failure::config(format!("--header {text:?}: the header name is empty")));
    }
    // Checked here, or every request would fail to build with the same opaque error.
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if !name.chars().all(token) {
        return Err(Failure::config(format!(
            "--header {text:?}: {name:?} is not a valid header name (letters, digits and !#$%&'*+-.^_`|~)"
        )));
    }
    let value = value.trim();
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Failure::config(format!("--header {text:?}: the value holds a control character")));
    }
    Ok((name.to_string(), value.to_string()))
}

async fn verify(args: VerifyArgs) -> Result<u8, Failure> {
    let timeout = Duration::from_millis(args.request_timeout.max(1));
    let filter = Filter {
        description: regex("--filter-description", &args.filter_description)?,
        state: regex("--filter-state", &args.filter_state)?,
        no_state: args.filter_no_state,
        consumers: args.filter_consumer.clone(),
    };
    let mut verifier = Verifier::http(&args.provider_base_url)?.timeout(timeout).filter(filter);
    for source in &args.pact_urls {
        verifier = verifier.pact(PactSource::parse(source));
    }
    if let Some(url) = &args.provider_states_setup_url {
        verifier = verifier.state_url_with_teardown(url, args.state_change_teardown)?;
    }
    if let Some(name) = &args.provider_name {
        verifier = verifier.provider_name(name);
    }
    for header in &args.header {
        let (name, value) = parse_header(header)?;
        verifier = verifier.header(&name, &value);
    }
    let interactive = std::io::stderr().is_terminal();
    if interactive {
        verifier = verifier.on_progress(|done, total| {
            eprint!("\rverifying interaction {done}/{total}");
            if done == total {
                eprint!("\r\x1b[K");
            }
        });
    }
    let report = verifier.verify().await?;
    let colour = !args.no_colour && std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
    print!("{}", report.to_human(colour));
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
        std::fs::write(path, text + "\n")
            .map_err(|e| Failure::config(format!("--json {}: {e}", path.display())))?;
    }
    if let Some(path) = &args.junit {
        std::fs::write(path, report.to_junit())
            .map_err(|e| Failure::config(format!("--junit {}: {e}", path.display())))?;
    }
    Ok(if report.success() { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::parse_header;

    fn parsed(text: &str) -> (String, String) {
        parse_header(text).unwrap_or_else(|f| panic!("{text}: {}", f.message))
    }

    #[test]
    fn headers_split_at_the_first_separator() {
        assert_eq!(parsed("Authorization: Bearer a=b"), ("Authorization".into(), "Bearer a=b".into()));
        assert_eq!(parsed("Referer=http://example.com/x"), ("Referer".into(), "http://example.com/x".into()));
        assert_eq!(parsed("X-Empty:"), ("X-Empty".into(), String::new()));
    }

    #[test]
    fn a_header_name_that_is_not_a_token_is_a_usage_error() {
        for bad in ["Bad Name: v", "(x): y", ": v"] {
            let failure = parse_header(bad).err().unwrap_or_else(|| panic!("{bad} was accepted"));
            assert_eq!(failure.code, 2);
            assert!(failure.message.contains(bad), "{}", failure.message);
        }
    }
}
