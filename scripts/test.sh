#!/usr/bin/env bash
# The tests, on a fresh machine. Beyond the Rust toolchain they need the official Pact CLI, which
# some tests run beside ours to compare verdicts; it installs from a wheel in seconds, into a venv
# of its own, and is passed to the tests by path (it is also named `pact`). The broker's tests also
# need PostgreSQL: a throwaway cluster is started here (scripts/postgres.sh) and stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true
PACT_OFFICIAL_CLI="$(bash scripts/official-tools.sh | tail -n 1)"
export PACT_OFFICIAL_CLI
pg_out="$(bash scripts/postgres.sh start)"
pg_dir="$(sed -n 's/^dir: //p' <<<"$pg_out")"
trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
PACT_BROKER_TEST_DATABASE_URL="$(tail -n 1 <<<"$pg_out")"
export PACT_BROKER_TEST_DATABASE_URL
cargo test --workspace
