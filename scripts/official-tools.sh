#!/usr/bin/env bash
# Installs the official Pact tools that the tests compare against, from wheels, in seconds:
# pact-foundation's consolidated CLI (`pact verifier` = pact_verifier_cli, `pact broker` =
# pact-broker-cli, `pact stub`, `pact mock`) from the `pact-python-cli` wheel, into a venv that
# these scripts own. It is also named `pact`, so it is never put on PATH: callers use the path
# this script prints on its last line (scripts/test.sh exports it as PACT_OFFICIAL_CLI).
#
# Guarded: a second run with the same pinned version does nothing.
set -euo pipefail
PACT_PYTHON_CLI='1!0.10.9'
dir="${PACT_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pact-rs-tools}"
want="pact-python-cli==$PACT_PYTHON_CLI"
export PACT_DO_NOT_TRACK=true PIP_DISABLE_PIP_VERSION_CHECK=1
if [[ "$(cat "$dir/venv/.installed" 2>/dev/null)" != "$want" || ! -x "$dir/venv/bin/pact" ]]; then
  echo "installing $want into $dir/venv" >&2
  rm -rf "$dir/venv"
  mkdir -p "$dir"
  python3 -m venv "$dir/venv"
  "$dir/venv/bin/pip" install --quiet "$want" >&2
  echo "$want" >"$dir/venv/.installed"
fi
"$dir/venv/bin/pact" verifier --version >/dev/null
echo "$dir/venv/bin/pact"
