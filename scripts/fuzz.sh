#!/usr/bin/env bash
# Runs each fuzz target (fuzz/, cargo-fuzz and libFuzzer) for SECONDS (default 60), one after the
# other. Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). libFuzzer needs a nightly
# compiler's flags; on a stable toolchain RUSTC_BOOTSTRAP=1 enables them.
#
#   bash scripts/fuzz.sh 600             # every target, 10 minutes each
#   bash scripts/fuzz.sh 60 regex        # one target
#   FUZZ_SANITIZER=address bash scripts/fuzz.sh 600
#
# Each target's corpus grows in fuzz/corpus/<target> (not checked in), seeded from
# fuzz/seeds/<target>. A crash stops the target and leaves its input in fuzz/artifacts/<target>;
# fix it, then keep the input as a regression in fuzz/regressions/<target>/, which
# `cargo test --test fuzz_regressions` runs in the normal suite.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(pact_reader matching_rules regex matching state_call)
fi
command -v cargo-fuzz >/dev/null 2>&1 || { echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2; exit 2; }
export RUSTC_BOOTSTRAP=1
sanitizer="${FUZZ_SANITIZER:-none}"
status=0
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  echo "== $target for ${seconds}s (sanitizer: $sanitizer)"
  started=$(date +%s)
  if nice cargo fuzz run --fuzz-dir fuzz --sanitizer "$sanitizer" "$target" \
      "fuzz/corpus/$target" "fuzz/seeds/$target" "fuzz/regressions/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1; then
    echo "== $target: no crash in $(( $(date +%s) - started ))s"
  else
    echo "== $target: CRASH after $(( $(date +%s) - started ))s; the input is in fuzz/artifacts/$target" >&2
    status=1
  fi
done
exit $status
