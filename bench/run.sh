#!/usr/bin/env bash
# The benchmark suite: builds ours and the peers, runs every row of BENCHMARKS.md (ours and the
# peer's alternately, several times each, medians and ratios) and writes BENCHMARKS.md.
#
#   bench/run.sh            # the full run (sizes 10..10,000, 5 repetitions, fewer at the large sizes; about 30 minutes on 2 cores)
#   bench/run.sh --quick    # small sizes, one repetition, no clean-build row: a few minutes once built
#   bench/run.sh --rows consumer,verify   # some rows only (consumer,build,verify,matching,broker,client)
#
# The peers are built outside the project's workspace, so they never slow its build:
#   bench/peers/consumer   pact_consumer 1.4 (crates.io), target dir bench/peers/target
#   bench/peers/tools      pact_verifier_cli 1.4 (crates.io, cargo install), built in bench/peers/target-tools
#   the official CLI's `pact broker` (scripts/official-tools.sh) for the broker client row.
# Manual only: not part of .ci/run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PACT_DO_NOT_TRACK=true

if [[ ! -x /usr/bin/time ]]; then
  echo "installing GNU time (peak RSS)" >&2
  apt-get update -qq && apt-get install -y -qq time >&2
fi

official="$(bash scripts/official-tools.sh | tail -n 1)"

# BENCH_PEER_VERIFIER overrides the peer verifier's command, e.g. "$official verifier" (the
# official CLI's pact_verifier_cli, an older 1.3) while the 1.4 build is not done.
peer_verifier="${BENCH_PEER_VERIFIER:-$root/bench/peers/tools/bin/pact-verifier}"
if [[ -z "${BENCH_PEER_VERIFIER:-}" && ! -x "$peer_verifier" ]]; then
  echo "building pact_verifier_cli 1.4 from crates.io (once; 10-30 minutes on 2 cores)" >&2
  CARGO_TARGET_DIR="$root/bench/peers/target-tools" \
    cargo install --locked pact_verifier_cli --version '^1.4' --root "$root/bench/peers/tools" >&2
fi

echo "building ours (release): pact, demo-user-service, pact-broker, the load and matching benches" >&2
cargo build --release -p pact-cli -p demo-user-service -p pact-broker >&2
cargo bench --no-run -p pact-broker --bench load >&2
cargo bench --no-run -p pact-core --bench matching >&2

echo "building the bare reqwest loop (release)" >&2
cargo build --release --manifest-path bench/bare-loop/Cargo.toml >&2

exec python3 bench/run.py --peer-verifier "$peer_verifier" --official-cli "$official" \
  --bare-loop "$root/bench/bare-loop/target/release/bare-loop" "$@"
