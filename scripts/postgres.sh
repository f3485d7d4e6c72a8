#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: on 127.0.0.1, on a free port, in a temporary
# data directory, run as a non-root user (initdb refuses root: as root it uses the `postgres`
# system user, created if missing). Tuned for tests (fsync off; PACT_PG_DURABLE=1 keeps
# PostgreSQL's durable defaults, for benchmarks): never use it for real data.
#
#   bash scripts/postgres.sh install      installs Debian's postgresql unless an initdb exists
#   bash scripts/postgres.sh start        starts a cluster; prints "dir: DIR", then the
#                                         database URL on its last line
#   bash scripts/postgres.sh stop DIR     stops that cluster and deletes DIR
#   bash scripts/postgres.sh run CMD...   start, export PACT_BROKER_TEST_DATABASE_URL, run CMD,
#                                         stop (also when CMD fails); exits with CMD's status
set -euo pipefail

install() {
  if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    return
  fi
  if [[ "$(id -u)" != 0 ]]; then
    echo "postgres.sh: PostgreSQL is not installed; run as root, or: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "postgres.sh: installing postgresql" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

bindir() {
  local dirs
  dirs="$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V)"
  tail -n 1 <<<"$dirs"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  install
  local bin dir port
  bin="$(bindir)"
  if [[ "$(id -u)" == 0 ]] && ! id -u postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  dir="$(mktemp -d "${TMPDIR:-/tmp}/pact-broker-pg.XXXXXX")"
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres "$dir"
  fi
  local tuning="-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
  if [[ "${PACT_PG_DURABLE:-}" == 1 ]]; then
    tuning=""
  fi
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    exit 1
  fi
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir $tuning -c max_connections=300" \
      start >/dev/null; then
    cat "$dir/server.log" >&2
    exit 1
  fi
  echo "dir: $dir"
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local dir="${1:?usage: postgres.sh stop DIR}"
  if [[ -d "$dir/data" ]]; then
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

run() {
  local out dir status
  out="$(start)"
  dir="$(sed -n 's/^dir: //p' <<<"$out")"
  PACT_BROKER_TEST_DATABASE_URL="$(tail -n 1 <<<"$out")"
  export PACT_BROKER_TEST_DATABASE_URL
  echo "postgres.sh: PostgreSQL for the tests at $PACT_BROKER_TEST_DATABASE_URL" >&2
  set +e
  "$@"
  status=$?
  set -e
  stop "$dir"
  return "$status"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) shift; stop "$@" ;;
  run) shift; [[ "${1:-}" == "--" ]] && shift; run "$@" ;;
  *) echo "usage: postgres.sh install | start | stop DIR | run CMD..." >&2; exit 2 ;;
esac
