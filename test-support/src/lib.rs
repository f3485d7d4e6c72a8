//! Shared by the tests and benchmarks of the workspace: where the official Pact tools are, an
//! HTTPS server ([`tls`]) and a `pact-broker` process.
//!
//! Nothing here skips a test: a missing tool is a panic that names the command which installs it.

pub mod broker;
pub mod tls;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The official consolidated `pact` binary (pact-foundation's, from the `pact-python-cli`
/// wheel): `PACT_OFFICIAL_CLI`, or where `scripts/official-tools.sh` installs it by default.
///
/// It is also named `pact`, so it is always called by this path and never through PATH.
///
/// # Panics
///
/// When the binary is not there, with the command that installs it.
pub fn official_cli() -> PathBuf {
    let path = std::env::var_os("PACT_OFFICIAL_CLI").map(PathBuf::from).unwrap_or_else(|| {
        let cache = std::env::var_os("PACT_TOOLS_DIR").map(PathBuf::from).unwrap_or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .unwrap_or_default()
                .join("pact-rs-tools")
        });
        cache.join("venv/bin/pact")
    });
    assert!(
        path.is_file(),
        "the official Pact CLI is not at {}; install it with `bash scripts/official-tools.sh` \
         (scripts/test.sh and .ci/run do)",
        path.display()
    );
    path
}

/// A command running the official CLI, with usage statistics off (there is no network).
pub fn official_command() -> Command {
    let mut command = Command::new(official_cli());
    command.env("PACT_DO_NOT_TRACK", "true");
    command
}

/// The official verifier's verdict on the pact file `pact` against the provider on
/// `127.0.0.1:port`: whether it passed, and its whole output (stdout, then stderr).
///
/// `extra` is appended to the command line, for example
/// `["--state-change-url", url.as_str()]`. The verifier runs on a blocking thread, so a test's
/// own provider keeps serving on the runtime meanwhile.
///
/// # Panics
///
/// When the official CLI is missing (see [`official_cli`]) or cannot be started.
pub async fn official_verify(pact: &Path, port: impl std::fmt::Display, extra: &[&str]) -> (bool, String) {
    let mut command = official_command();
    command
        .args(["verifier", "--hostname", "127.0.0.1", "--port", &port.to_string(), "--no-colour", "--file"])
        .arg(pact)
        .args(extra);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the official verifier's thread")
        .expect("the official verifier starts");
    let text =
        format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}
