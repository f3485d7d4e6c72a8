#!/usr/bin/env bash
# The seed's whole flow, end to end, on the embedded defaults and with no docker:
#   1. pact-broker starts on SQLite in a temporary directory, with basic auth pactbroker/pactbroker;
#   2. the demo client's contract tests run and, when they all pass, their pacts are published as
#      version 0.1 (`pact test --publish 0.1`): UserServiceClient's HTTP pact and the message
#      pacts of the UserCreated event handler;
#   3. the demo user service starts for contract tests (provider states on);
#   4. `pact verify` fetches the pacts from the broker (messages from the service's message
#      endpoint), verifies them as UserService 0.2 and
#      publishes the results;
#   5. the matrix of UserServiceClient 0.1, and can-i-deploy for it (it must say yes);
#   6. the URL of the matrix page (HTML); with --keep (or PACT_DEMO_KEEP=1) the broker keeps running;
#   7. everything it started stops on exit, on failure and on Ctrl-C.
#
# Usage: bash scripts/demo.sh [--keep] [--nextest]   (--nextest: the consumer tests run under
# cargo-nextest, one process per test)
set -euo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true

keep=false
runner=()
for arg in "$@"; do
  case "$arg" in
    --keep) keep=true ;;
    --nextest) runner=(--nextest) ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown argument $arg (usage: bash scripts/demo.sh [--keep] [--nextest])" >&2; exit 2 ;;
  esac
done
case "${PACT_DEMO_KEEP:-}" in 1 | true | yes) keep=true ;; esac
target_dir="${CARGO_TARGET_DIR:-target}"
user=pactbroker
password=pactbroker

echo "== 0/6 build the broker, the pact command and the demo service"
cargo build --quiet -p pact-broker -p pact-cli -p demo-user-service
pact="$target_dir/debug/pact"

work="$(mktemp -d "${TMPDIR:-/tmp}/pact-demo.XXXXXX")"
broker_pid=""
service_pid=""
cleanup() {
  local status=$?
  if [[ -n "$service_pid" ]]; then kill "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
  if [[ "$keep" == true && $status -eq 0 && -n "$broker_pid" ]]; then
    echo "the broker keeps running at $broker_url (pid $broker_pid, data in $work); stop it with: kill $broker_pid"
  else
    if [[ -n "$broker_pid" ]]; then kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; fi
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits for "listening on URL" on a process's stdout; prints the URL.
listening() {
  local out="$1" pid="$2" name="$3" url
  for _ in $(seq 1 600); do
    url="$(sed -n 's/^listening on //p' "$out" 2>/dev/null | head -n 1)"
    if [[ -n "$url" ]]; then echo "$url"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$out.err" >&2; echo "demo.sh: $name did not start" >&2; return 1; fi
    sleep 0.1
  done
  echo "demo.sh: $name did not start within 60 s" >&2
  return 1
}

echo "== 1/6 start pact-broker on SQLite in $work, basic auth $user/$password"
# The broker reads PACT_BROKER_* settings; start it with only the ones this demo means.
# With --keep it runs in a session of its own, so that it outlives this script.
detach=()
if [[ "$keep" == true ]] && command -v setsid >/dev/null; then detach=(setsid); fi
env $(env | sed -n 's/^\(PACT_BROKER_[A-Z_]*\)=.*/-u \1/p') "${detach[@]}" \
  "$target_dir/debug/pact-broker" --port "${PACT_DEMO_BROKER_PORT:-0}" --database-url "$work/broker.sqlite" \
  --basic-auth-username "$user" --basic-auth-password "$password" \
  >"$work/broker.out" 2>"$work/broker.out.err" &
broker_pid=$!
broker_url="$(listening "$work/broker.out" "$broker_pid" pact-broker)"
echo "pact-broker at $broker_url"
# Every `pact` command below finds the broker and its credentials here, as the official tools do.
export PACT_BROKER_BASE_URL="$broker_url" PACT_BROKER_USERNAME="$user" PACT_BROKER_PASSWORD="$password"

echo "== 2/6 consumer: run the contract tests, publish their pact as UserServiceClient 0.1"
"$pact" test "${runner[@]}" --publish 0.1 --branch main -- --test demo_consumer --test demo_message_consumer

echo "== 3/6 provider: start the demo user service for contract tests"
"$target_dir/debug/demo-user-service" --port 0 --enable-provider-states >"$work/service.out" 2>"$work/service.out.err" &
service_pid=$!
service_url="$(listening "$work/service.out" "$service_pid" demo-user-service)"
echo "demo user service at $service_url"

echo "== 4/6 verify the pact from the broker as UserService 0.2, publishing the results"
"$pact" verify --provider-base-url="$service_url" \
  --provider-states-setup-url="$service_url/_pact/provider_states" \
  --message-url="$service_url/_pact/messages" \
  --provider-name UserService \
  --publish-verification-results --provider-app-version 0.2

echo "== 5/6 the matrix of UserServiceClient 0.1, and can-i-deploy"
matrix="$("$pact" matrix --pacticipant UserServiceClient --version 0.1)"
echo "$matrix"
"$pact" can-i-deploy --pacticipant UserServiceClient --version 0.1

echo "== 6/6 done: UserServiceClient 0.1 can be deployed with UserService 0.2"
echo "matrix page: $broker_url/ui/matrix?consumer=UserServiceClient&provider=UserService (user $user, password $password)"
if [[ "$keep" == false ]]; then
  echo "(run with --keep, or PACT_DEMO_KEEP=1, to leave the broker running)"
fi
