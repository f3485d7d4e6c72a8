#!/usr/bin/env bash
# The demo flow, end to end, on a fresh machine:
#   1. the consumer contract tests of the demo client write pacts/UserServiceClient-UserService.json;
#   2. the demo user service starts for contract tests (provider states on) on a free port;
#   3. `pact verify` replays the pact against it, with provider states, and prints the report;
#   4. the service stops.
set -euo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true
target_dir="${CARGO_TARGET_DIR:-target}"

echo "== 1/3 consumer: the demo client's contract tests write the pact"
cargo test --quiet --test demo_consumer
echo "pact written: pacts/UserServiceClient-UserService.json"

echo "== 2/3 provider: start the demo user service for contract tests"
cargo build --quiet -p demo-user-service -p pact-cli
work="$(mktemp -d)"
"$target_dir/debug/demo-user-service" --port 0 --enable-provider-states >"$work/service.out" 2>"$work/service.err" &
service_pid=$!
trap 'kill "$service_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/service.out" 2>/dev/null && break
  kill -0 "$service_pid" 2>/dev/null || { cat "$work/service.err"; echo "the demo service did not start" >&2; exit 1; }
  sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$work/service.out" | head -n 1)"
[ -n "$url" ] || { echo "the demo service did not say where it listens" >&2; exit 1; }
echo "demo user service at $url"

echo "== 3/3 verify the pact against the running service"
"$target_dir/debug/pact" verify \
  --provider-base-url="$url" \
  --pact-url=pacts/UserServiceClient-UserService.json \
  --provider-states-setup-url="$url/_pact/provider_states"
echo "demo: the pact verified"
