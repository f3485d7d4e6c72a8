#!/usr/bin/env bash
# Regenerates interop/pacts/*.json: pact files written by the official Pact
# implementations of other languages, for the Rust verifier to be tested against.
#
# Installs the tools into a cache outside the repository (a venv per
# pact-python version, a node_modules dir for pact-js; reused when the pinned
# version is already there), runs each consumer test, and copies the pacts
# into interop/pacts/. Touches nothing but interop/pacts/ and the cache.
set -euo pipefail

PACT_PYTHON_2=2.3.3   # Ruby mock service bundled in the wheel, writes V2 pacts
PACT_PYTHON_4=4.2.0   # Rust core (pact_ffi), writes V3/V4 pacts
PACT_JS=17.1.4        # @pact-foundation/pact, Rust core (pact_ffi), V3/V4 pacts

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${PACT_INTEROP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pact-rs-interop}"
OUT="$CACHE/out"

# The tools send telemetry unless told not to; keep pip/npm caches in CACHE.
export PACT_DO_NOT_TRACK=true SCARF_ANALYTICS=false PYTHONDONTWRITEBYTECODE=1
export PIP_CACHE_DIR="$CACHE/pip-cache" PIP_DISABLE_PIP_VERSION_CHECK=1
export npm_config_cache="$CACHE/npm-cache" npm_config_update_notifier=false

# venv DIR REQUIREMENT... : (re)create DIR unless it holds exactly these requirements.
venv() {
  local dir="$1"; shift
  if [[ "$(cat "$dir/.installed" 2>/dev/null)" != "$*" ]]; then
    echo "== installing $* into $dir"
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet "$@"
    echo "$*" > "$dir/.installed"
  fi
}

mkdir -p "$CACHE"
venv "$CACHE/py2" "pact-python==$PACT_PYTHON_2" requests
venv "$CACHE/py4" "pact-python==$PACT_PYTHON_4" requests
if [[ "$(cat "$CACHE/js/.installed" 2>/dev/null)" != "$PACT_JS" ]]; then
  echo "== installing @pact-foundation/pact@$PACT_JS into $CACHE/js"
  rm -rf "$CACHE/js" && mkdir -p "$CACHE/js"
  echo '{"private": true}' > "$CACHE/js/package.json"
  # pact-js 17 declares node >= 22 but works on node 20: engine warnings only.
  (cd "$CACHE/js" && npm install --no-audit --no-fund --loglevel=error "@pact-foundation/pact@$PACT_JS")
  echo "$PACT_JS" > "$CACHE/js/.installed"
fi

rm -rf "$OUT" && mkdir -p "$OUT"
cd "$OUT"   # any stray log a tool writes lands in the cache
echo "== pact-python $PACT_PYTHON_2"
"$CACHE/py2/bin/python" "$HERE/python2/consumer_test.py" "$OUT/py2"
echo "== pact-python $PACT_PYTHON_4"
"$CACHE/py4/bin/python" "$HERE/python4/consumer_test.py" "$OUT/py4"
"$CACHE/py4/bin/python" "$HERE/python4/message_test.py" "$OUT/py4-messages"
echo "== pact-js $PACT_JS"
NODE_PATH="$CACHE/js/node_modules" node "$HERE/js/consumer.test.cjs" "$OUT/js"

mkdir -p "$HERE/pacts"
cp "$OUT/py2/pythonv2client-userservice.json"      "$HERE/pacts/pact-python-2-UserService.json"
cp "$OUT/py4/v4/PythonV4Client-UserService.json"   "$HERE/pacts/pact-python-4-v4-UserService.json"
cp "$OUT/py4/v3/PythonV4Client-UserService.json"   "$HERE/pacts/pact-python-4-v3-UserService.json"
cp "$OUT/py4-messages/v4/PythonV4EventsClient-UserService.json" "$HERE/pacts/pact-python-4-v4-messages-UserService.json"
cp "$OUT/py4-messages/v3/PythonV4EventsClient-UserService.json" "$HERE/pacts/pact-python-4-v3-messages-UserService.json"
cp "$OUT/js/v4/PactJsClient-UserService.json"      "$HERE/pacts/pact-js-v4-UserService.json"
cp "$OUT/js/v3/PactJsClient-UserService.json"      "$HERE/pacts/pact-js-v3-UserService.json"
echo "== wrote:" && ls -1 "$HERE/pacts"
