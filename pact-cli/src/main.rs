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
//! One module per command family: `verify` (with `report_html`), `publish`, `can_i_deploy`,
//! `environments`, `deployments`, `versions`, `test_run`, `diff`, `stub`; shared broker flags in
//! `broker_args`, exit codes in `failure`.

mod broker_args;
mod can_i_deploy;
mod deployments;
mod diff;
mod environments;
mod failure;
mod publish;
mod report_html;
mod stub;
mod test_run;
mod verify;
mod versions;

use std::process::ExitCode;

use clap::{ArgAction, ArgMatches, CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

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
    /// Replay pacts against a running provider and report every mismatch (`pact verifier`:
    /// the same, with pact_verifier_cli's flags).
    #[command(visible_alias = "verifier")]
    Verify(Box<verify::VerifyArgs>),
    /// Publish pact files to a Pact Broker.
    Publish(publish::PublishArgs),
    /// Ask a Pact Broker whether a version can be deployed (exit 0 yes, 1 no).
    CanIDeploy(can_i_deploy::CanIDeployArgs),
    /// Show every verification of one version (the broker's matrix) and its URL.
    Matrix(can_i_deploy::MatrixArgs),
    /// Create an environment on a Pact Broker (or update the one with that name).
    CreateEnvironment(environments::CreateEnvironmentArgs),
    /// Record that a version was deployed to an environment.
    RecordDeployment(deployments::RecordDeploymentArgs),
    /// Record that a version was released to an environment.
    RecordRelease(deployments::RecordReleaseArgs),
    /// Run the contract tests and, when every test passed, publish the pacts the run wrote.
    Test(test_run::TestArgs),
    /// Compare two pacts and say whether a provider that satisfied OLD may fail NEW (exit 0
    /// nothing breaking, 1 breaking); with --broker-base-url, OLD comes from the broker.
    Diff(Box<diff::DiffArgs>),
    /// Serve pacts as a stub server (pact_stub_server's flags): each request is answered by
    /// the interaction that matches it.
    Stub(Box<stub::StubArgs>),
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
        Command::Matrix(a) => &a.broker,
        Command::Diff(a) => &a.broker,
        Command::Verify(a) => {
            return a.loglevel.clone().map(|l| if l == "none" { "off".to_string() } else { l })
        }
        Command::Stub(a) => {
            return Some(if a.loglevel == "none" { "off".to_string() } else { a.loglevel.clone() })
        }
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
            Command::Verify(args) => verify::run(*args).await,
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
            Command::Matrix(args) => can_i_deploy::matrix(args).await,
            Command::Stub(args) => stub::run(*args).await,
            Command::Diff(args) => diff::run(*args).await,
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

pub(crate) fn regex(flag: &str, pattern: &Option<String>) -> Result<Option<regex::Regex>, Failure> {
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
