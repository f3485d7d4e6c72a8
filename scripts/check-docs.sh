#!/usr/bin/env bash
# Runs the shell commands of the guide (docs/*.md), so that the guide cannot rot.
#
# Usage: bash scripts/check-docs.sh [docs/PAGE.md ...]   (default: every page, in reading order)
#
# In each page, every fenced block whose info string is
#   sh             is run, in page order, in one bash process per page (`set -euo pipefail`,
#                  so exports carry over and any failing command fails the page);
#   sh background  is started in the background (one command, a server that prints
#                  `listening on URL`), waited for, and stopped when the page ends;
#   sh not-run     is shown to readers but not run (the surrounding text says why);
# any other `sh ...` info string is an error, so that a typo cannot skip a block silently.
# Pages run from the workspace root with the built binaries (`pact`, `pact-broker`,
# `demo-user-service`) first on PATH. To run on a shared machine, blocks are rewritten before
# running: the ports 9292, 5001 and 5002 become free ephemeral ports, `/tmp/` becomes a fresh
# temporary directory, and `cargo run -p X --` becomes the built binary X. Relative links and
# images of every page must point at files that exist. The Rust blocks of the guide are
# compiled (and most run) as doc tests of the workspace's root package (`src/lib.rs`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true
# The pages set what they need; nothing from the caller's environment may help them pass.
unset $(env | sed -n 's/^\(PACT_BROKER_[A-Z_]*\)=.*/\1/p') PACT_OUTPUT_DIR PACT_FILE_WRITE_MODE PACT_RUN_ID 2>/dev/null || true

pages=("$@")
if [[ ${#pages[@]} -eq 0 ]]; then
  pages=(docs/consumer.md docs/provider.md docs/broker.md docs/messages.md docs/consumer-tools.md docs/migrating.md)
  # Every page of the guide is in that list.
  for page in docs/*.md; do
    [[ " ${pages[*]} " == *" $page "* ]] || { echo "check-docs.sh: $page is not in the list of pages to check" >&2; exit 1; }
  done
fi

target_dir="${CARGO_TARGET_DIR:-target}"
echo "== build pact, pact-broker and demo-user-service (as scripts/demo.sh does)"
cargo build --quiet -p pact-broker -p pact-cli -p demo-user-service
bin="$(cd "$target_dir/debug" && pwd)"

work="$(mktemp -d "${TMPDIR:-/tmp}/pact-docs.XXXXXX")"
trap 'rm -rf "$work"' EXIT

status=0
for page in "${pages[@]}"; do
  [[ -f "$page" ]] || { echo "check-docs.sh: no page $page" >&2; exit 2; }
  dir="$work/$(basename "$page" .md)"
  mkdir -p "$dir/tmp"
  # Extract the page's blocks into a bash script (and check its links).
  python3 - "$page" "$dir" >"$dir/page.sh" <<'PY'
import os, re, shlex, socket, sys

page, work = sys.argv[1], sys.argv[2]
text = open(page, encoding="utf-8").read()
errors = []

# Relative links and images must exist.
for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
    if re.match(r"[a-z]+:", target):
        continue
    if not os.path.exists(os.path.join(os.path.dirname(page), target)):
        errors.append(f"{page}: the link {target} points at nothing")

# An indented fence would not be found below: refuse it rather than skip its commands.
for n, line in enumerate(text.split("\n"), 1):
    if re.match(r"^\s+```sh", line):
        errors.append(f"{page}:{n}: an indented sh block (start fences at the line's beginning)")

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

ports = {p: str(free_port()) for p in ("9292", "5001", "5002")}
rewrites = [
    (re.compile(r"cargo run -p pact-cli --"), "pact"),
    (re.compile(r"cargo run -p (pact-broker|demo-user-service) --"), r"\1"),
    (re.compile(r"\b(9292|5001|5002)\b"), lambda m: ports[m.group(1)]),
    (re.compile(r"/tmp/"), work + "/tmp/"),
]

out = [
    "set -euo pipefail",
    "bg_pids=()",
    'stop_all() { for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }',
    "trap stop_all EXIT",
    "wait_listening() {",
    '  for _ in $(seq 1 300); do',
    '    grep -q "^listening on " "$1" 2>/dev/null && return 0',
    '    kill -0 "$2" 2>/dev/null || { cat "$1.err" >&2; echo "the background command of $3 exited" >&2; return 1; }',
    "    sleep 0.1",
    "  done",
    '  echo "the background command of $3 did not say \'listening on\' within 30 s" >&2; return 1',
    "}",
]
run = background = skipped = 0
lines = text.split("\n")
i = 0
while i < len(lines):
    m = re.match(r"^```(\S*)\s*(.*)$", lines[i])
    if not m:
        i += 1
        continue
    lang, extra = m.group(1), m.group(2).strip()
    start = i + 1
    j = start
    while j < len(lines) and lines[j] != "```":
        j += 1
    body = "\n".join(lines[start:j])
    i = j + 1
    if lang != "sh":
        continue
    where = f"{page}:{start}"
    if extra == "not-run":
        skipped += 1
        continue
    if extra not in ("", "background"):
        errors.append(f"{where}: unknown block kind 'sh {extra}' (sh, sh background or sh not-run)")
        continue
    for pattern, replacement in rewrites:
        body = pattern.sub(replacement, body)
    out.append(f"echo {shlex.quote('--- ' + where)}")
    if extra == "background":
        background += 1
        log = f"{work}/background-{background}.out"
        out.append(f"printf '%s\\n' {shlex.quote('$ ' + body + ' &')}")
        out.append(f"{body} >{shlex.quote(log)} 2>{shlex.quote(log + '.err')} &")
        out.append("bg_pids+=($!)")
        out.append(f"wait_listening {shlex.quote(log)} $! {shlex.quote(where)}")
    else:
        run += 1
        out.append(f"printf '%s\\n' {shlex.quote('$ ' + body)}")
        out.append(body)
out.append(f"echo {shlex.quote(f'{page}: {run} blocks run, {background} in the background, {skipped} not run')}")
if errors:
    for e in errors:
        print(e, file=sys.stderr)
    sys.exit(1)
print("\n".join(out))
PY
  echo
  echo "== $page"
  if ! PATH="$bin:$PATH" timeout 600 bash "$dir/page.sh"; then
    echo "check-docs.sh: $page failed (its script: the blocks above, in order)" >&2
    status=1
  fi
done
exit "$status"
