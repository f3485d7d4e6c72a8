//! `pact`: the command-line tool.
//!
//! ```text
//! pact verify --provider-base-url http://localhost:5001 \
//!             --pact-url pacts/UserServiceClient-UserService.json \
//!             --provider-states-setup-url http://localhost:5001/_pact/provider_states
//! ```
//!
//! Exit codes: 0 success, 1 verification failure, 2 usage or configuration error.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand};
use pact_core::verify::{Filter, PactSource, Verifier, VerifyError};

#[derive(Parser)]
#[command(name = "pact", version, about = "Pact contract testing: verify pacts against a provider")]
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
    /// Timeout of each request and state-change call, in milliseconds (1 to 600000).
    #[arg(long, value_name = "MS", default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=600_000))]
    request_timeout: u64,
    /// Follow the provider's redirects (only within its scheme, host and port). Off by default:
    /// a provider answering 302 does not pass a pact that expects 200.
    #[arg(long)]
    follow_redirects: bool,
    /// The largest response body read from the provider: bytes, or with a unit (KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    max_response_size: u64,
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

/// A failure to run, with the exit code it maps to.
struct Failure {
    code: u8,
    message: String,
    detail: Option<String>,
}

impl Failure {
    fn config(message: impl Into<String>) -> Self {
        Failure { code: 2, message: message.into(), detail: None }
    }
}

impl From<VerifyError> for Failure {
    fn from(e: VerifyError) -> Self {
        let detail = format!("{e:?}");
        let message = e.to_string();
        Failure { code: 2, message, detail: Some(detail) }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
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

/// `1048576`, `512KiB`, `64MiB`, `1GiB` (also `K`, `M`, `G`, `KB`, `MB`, `GB`, all powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| format!("{text:?} is not a size such as 64MiB"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        other => return Err(format!("unknown unit {other:?} (use KiB, MiB or GiB)")),
    };
    let bytes = number.checked_mul(1 << shift).ok_or_else(|| format!("{text:?} is too large"))?;
    if bytes == 0 {
        return Err("the size must be at least 1 byte".into());
    }
    Ok(bytes)
}

/// A report file must be writable before the run starts, not found unwritable after it. The
/// file is not changed: when it does not exist yet, it is created and removed again.
fn check_report_path(flag: &str, path: &std::path::Path) -> Result<(), Failure> {
    let fail = |why: String| Failure::config(format!("{flag} {}: {why}", path.display()));
    if path.is_dir() {
        return Err(fail("is a directory".into()));
    }
    let existed = path.exists();
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| fail(format!("cannot be written ({e})")))?;
    if !existed {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

fn parse_header(text: &str) -> Result<(String, String), Failure> {
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
    if let Some(path) = &args.json {
        check_report_path("--json", path)?;
    }
    if let Some(path) = &args.junit {
        check_report_path("--junit", path)?;
    }
    let timeout = Duration::from_millis(args.request_timeout);
    let filter = Filter {
        description: regex("--filter-description", &args.filter_description)?,
        state: regex("--filter-state", &args.filter_state)?,
        no_state: args.filter_no_state,
        consumers: args.filter_consumer.clone(),
    };
    let mut verifier = Verifier::http(&args.provider_base_url)?
        .timeout(timeout)
        .filter(filter)
        .follow_redirects(args.follow_redirects)
        .max_response_bytes(args.max_response_size);
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
    use super::{parse_header, parse_size};

    #[test]
    fn sizes_take_binary_units() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("512 KiB"), Ok(512 << 10));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12 parsecs").unwrap_err().contains("unknown unit"));
        assert!(parse_size("99999999999999GiB").unwrap_err().contains("too large"));
        assert!(parse_size("MiB").is_err());
    }

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
