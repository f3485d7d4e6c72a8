#!/usr/bin/env bash
# Benchmark 3 of the consumer side: a clean `cargo test --no-run` of a crate that only writes
# consumer tests (pact-core with its default, consumer-only features), and how many crates it
# compiles. Prints the wall time and the crate count.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/tests"
cat >"$work/Cargo.toml" <<TOML
[package]
name = "consumer-only"
version = "0.1.0"
edition = "2021"

[dev-dependencies]
pact-core = { path = "$root/pact-core" }

[workspace]
TOML
: >"$work/src/lib.rs"
cat >"$work/tests/contract.rs" <<'RS'
use pact_core::prelude::*;

#[contract(consumer = "C", provider = "P", given = "UserA exists")]
fn gets_user(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA")
        .get("/users/UserA")
        .will_respond_with(200)
        .json_body(json_pattern!({"name": "UserA", "admin": like!(false)}));
    let _ = pact.base_url();
}
RS
cp "$root/Cargo.lock" "$work/Cargo.lock"
cd "$work"
cargo fetch --quiet
start=$(date +%s.%N)
cargo test --no-run 2>"$work/build.log"
end=$(date +%s.%N)
crates=$(grep -c '^ *Compiling' "$work/build.log")
printf 'consumer-only cargo test --no-run: %.1f s, %d crates compiled\n' "$(echo "$end - $start" | bc)" "$crates"
