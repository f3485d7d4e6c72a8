//! `pact-broker`: a Pact Broker server.
//!
//! ```text
//! pact-broker [--host 127.0.0.1] [--port 9292] [--database-url URL]
//!             [--basic-auth-username U --basic-auth-password P]
//!             [--read-only-username U --read-only-password P] [--public-url URL]
//! ```
//!
//! Every flag has a `PACT_BROKER_*` environment variable (see `--help`). With no database URL,
//! data lives in `./pact_broker.sqlite`. The first line on stdout is
//! `listening on http://HOST:PORT`; logs go to stderr (`RUST_LOG` or `PACT_BROKER_LOG_LEVEL`).
//! Exit codes: 0 after a clean shutdown (SIGTERM, Ctrl-C), 1 when it cannot run, 2 on a usage error.

use std::process::ExitCode;

use clap::Parser;
use pact_broker::config::Args;

fn main() -> ExitCode {
    let args = Args::parse();
    let filter = std::env::var("RUST_LOG")
        .or_else(|_| std::env::var("PACT_BROKER_LOG_LEVEL"))
        .unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let config = match args.config() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("pact-broker: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("pact-broker: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(pact_broker::server::run(config, &args.host, args.port)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pact-broker: {e}");
            ExitCode::FAILURE
        }
    }
}

/// jemalloc instead of the system allocator: a request allocates and frees thousands of small
/// blocks (JSON trees, the pact model, the response), and glibc's malloc and free were a
/// quarter of the HTTP workers' CPU. With jemalloc a publish costs the broker about 12% less
/// CPU; the price is a higher peak RSS under many concurrent large answers (87 MB against
/// 58 MB with 50 clients asking for never-cached pacts for verification). BENCHMARKS.md has
/// the runs.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
