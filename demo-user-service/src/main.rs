//! `demo-user-service`: serves the demo user service.
//!
//! ```text
//! demo-user-service [--host 127.0.0.1] [--port 5001] [--enable-provider-states] [--broken admin-as-string|bad-id]
//! ```
//!
//! The provider-state route is mounted only with `--enable-provider-states` or
//! `PACT_PROVIDER_STATES=1`. With `--port 0` the system picks a free port; the first line on
//! stdout always says where the service listens: `listening on http://127.0.0.1:PORT`.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use demo_user_service::{app, AppState, Broken};

#[derive(Parser)]
#[command(version, about = "The demo user service")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 5001)]
    port: u16,
    /// Mount POST /_pact/provider_states, for contract tests only (also PACT_PROVIDER_STATES=1).
    #[arg(long)]
    enable_provider_states: bool,
    /// Answer wrongly on purpose, to show the verifier catching it.
    #[arg(long, value_enum)]
    broken: Option<Broken>,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let states = args.enable_provider_states
        || std::env::var("PACT_PROVIDER_STATES").is_ok_and(|v| matches!(v.as_str(), "1" | "true" | "yes"));
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("demo-user-service: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let address = format!("{}:{}", args.host, args.port);
        let listener = match tokio::net::TcpListener::bind(&address).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("demo-user-service: cannot listen on {address}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let local = listener.local_addr().map(|a| a.to_string()).unwrap_or(address);
        println!("listening on http://{local}");
        let _ = std::io::stdout().flush();
        if states {
            eprintln!("demo-user-service: provider states are enabled at POST /_pact/provider_states (contract tests only)");
        }
        let service = app(AppState::broken(args.broken), states);
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match axum::serve(listener, service).with_graceful_shutdown(shutdown).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("demo-user-service: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
