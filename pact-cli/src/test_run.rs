//! `pact test --publish VERSION [-- CARGO_TEST_ARGS]`: run the contract tests, and only when
//! every test passed, publish the pacts that run wrote, each once.
//!
//! How it knows which pacts the run wrote: the tests run with `PACT_OUTPUT_DIR` set to a fresh,
//! empty directory (`target/pact-test/pacts`, emptied first), so every pact file in it after
//! the run was written by this run, and only those are published. Every test process inherits
//! the variable, so it works the same under `cargo test` and under cargo-nextest's one process
//! per test (the pact files are merged under a file lock by the consumer side); nothing depends
//! on the consumer side's ledger or on file times. The project's own `pacts/` directory is left
//! alone.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Args;
use pact_core::broker::{load_contracts, PublishOptions};

use crate::broker_args::{single_line, BrokerArgs};
use crate::failure::Failure;

/// `pact test [--publish VERSION] [--nextest] [-- CARGO_TEST_ARGS...]`
#[derive(Args, Debug, Clone)]
pub struct TestArgs {
    /// Publish the pacts of the run as this consumer version, when every test passed.
    #[arg(long, visible_alias = "publish-pact", value_name = "VERSION")]
    pub publish: Option<String>,
    /// The branch of the consumer version.
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
    /// A tag for the consumer version (repeatable, or comma-separated).
    #[arg(short = 't', long = "tag", value_name = "TAG", value_delimiter = ',')]
    pub tags: Vec<String>,
    /// The URL of the build.
    #[arg(long, value_name = "URL")]
    pub build_url: Option<String>,
    /// Run the tests with `cargo nextest run` instead of `cargo test`.
    #[arg(long)]
    pub nextest: bool,
    /// Where the run writes its pacts (emptied first).
    #[arg(long, value_name = "DIR")]
    pub pact_dir: Option<PathBuf>,
    #[command(flatten)]
    pub broker: BrokerArgs,
    /// Arguments for `cargo test` (after `--`), such as `-p my-crate --test contracts`.
    #[arg(last = true, value_name = "CARGO_TEST_ARGS")]
    pub cargo_args: Vec<String>,
}

fn default_pact_dir() -> PathBuf {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("target"));
    target.join("pact-test").join("pacts")
}

fn fresh_dir(dir: &Path) -> Result<PathBuf, Failure> {
    let fail = |e: std::io::Error| {
        Failure::config(format!("{}: cannot prepare the pact directory: {e}", dir.display()))
    };
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(fail)?;
    }
    std::fs::create_dir_all(dir).map_err(fail)?;
    std::path::absolute(dir).map_err(fail)
}

/// Runs `pact test`.
pub async fn run(args: TestArgs) -> Result<u8, Failure> {
    if let Some(version) = &args.publish {
        single_line("--publish", version)?;
        // Checked before the tests run, so that a missing broker URL does not cost a test run.
        args.broker.client()?;
    }
    let dir = fresh_dir(&args.pact_dir.clone().unwrap_or_else(default_pact_dir))?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(&cargo);
    if args.nextest {
        command.args(["nextest", "run"]);
    } else {
        command.arg("test");
    }
    command.args(&args.cargo_args).env("PACT_OUTPUT_DIR", &dir);
    eprintln!("pact: running {} with PACT_OUTPUT_DIR={}", describe(&command), dir.display());
    let status = tokio::task::spawn_blocking(move || command.status())
        .await
        .map_err(|e| Failure::config(e.to_string()))?
        .map_err(|e| Failure::config(format!("cannot run {}: {e}", cargo.to_string_lossy())))?;
    if !status.success() {
        let published = if args.publish.is_some() { "; nothing was published" } else { "" };
        return Err(Failure {
            code: 1,
            message: format!("the tests failed ({status}){published}"),
            detail: None,
        });
    }
    let mut written: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| Failure::config(format!("{}: {e}", dir.display())))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    written.sort();
    if written.is_empty() {
        let message = format!(
            "the tests passed but wrote no pact into {} (are the contract tests in the selected packages and tests?)",
            dir.display()
        );
        return if args.publish.is_some() {
            Err(Failure { code: 1, message, detail: None })
        } else {
            eprintln!("pact: {message}");
            Ok(0)
        };
    }
    eprintln!("pact: the tests passed and wrote {} pact file(s) in {}:", written.len(), dir.display());
    for file in &written {
        eprintln!("  {}", file.display());
    }
    let Some(version) = args.publish else { return Ok(0) };
    let contracts =
        load_contracts(&[dir.display().to_string()]).map_err(|e| Failure::config(e.to_string()))?;
    let options = PublishOptions {
        version,
        branch: args.branch.clone(),
        tags: args.tags.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
        build_url: args.build_url.clone(),
        merge: false,
    };
    let client = args.broker.client()?;
    let published = client.publish(&contracts, &options).await?;
    crate::publish::print("text", &published);
    Ok(0)
}

fn describe(command: &Command) -> String {
    let mut parts = vec![command.get_program().to_string_lossy().into_owned()];
    parts.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}
