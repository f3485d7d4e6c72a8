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
