#!/usr/bin/env bash
# The tests, on a fresh machine. Beyond the Rust toolchain they need the official Pact CLI, which
# some tests run beside ours to compare verdicts; it installs from a wheel in seconds, into a venv
# of its own, and is passed to the tests by path (it is also named `pact`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true
PACT_OFFICIAL_CLI="$(bash scripts/official-tools.sh | tail -n 1)"
export PACT_OFFICIAL_CLI
cargo test --workspace
