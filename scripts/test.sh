#!/usr/bin/env bash
# The tests, on a fresh machine. Beyond the Rust toolchain they need one tool: the official
# pact_verifier_cli (one test proves it verifies our demo service). It is installed once.
set -euo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true
if ! command -v pact-verifier >/dev/null 2>&1; then
  echo "installing pact_verifier_cli (once; --locked, as newer dependencies break 1.4.0)"
  cargo install --locked pact_verifier_cli
fi
cargo test --workspace
