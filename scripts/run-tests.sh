#!/usr/bin/env bash
# Runs every test: unit and end-to-end through CTest (sanitizer build), the browser tests in
# Debian's Chromium, and each fuzz harness for a short while. Called by `make test`.
set -uo pipefail
BUILD=${1:-build/asan}
FUZZ=${2:-build/fuzz}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
status=0
passed=0
failed=0
tally() { if [ "$1" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi; }
# Leaks inside system libraries we cannot fix (fontconfig) are listed there.
export LSAN_OPTIONS="suppressions=$ROOT/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

echo "== unit and end-to-end tests (AddressSanitizer + UndefinedBehaviorSanitizer)"
ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)"
tally $?

echo "== browser tests (Playwright + Chromium)"
bash "$ROOT/tests/browser/run.sh" "$BUILD/src/cli/rempart"
tally $?

echo "== fuzzing, ${REMPART_FUZZ_SECONDS:-30} s per harness"
for harness in "$FUZZ"/fuzz/*_fuzz; do
  [ -x "$harness" ] || continue
  name=$(basename "$harness")
  corpus=$(mktemp -d)
  seeds="$ROOT/fuzz/corpus/${name%_fuzz}"
  if "$harness" -max_total_time="${REMPART_FUZZ_SECONDS:-30}" -print_final_stats=0 \
      "$corpus" $( [ -d "$seeds" ] && echo "$seeds") >"$corpus.log" 2>&1; then
    echo "ok - $name: $(grep -Eo '#[0-9]+' "$corpus.log" | tail -1 | tr -d '#') runs, no crash"
    tally 0
  else
    echo "not ok - $name crashed:"; tail -30 "$corpus.log"
    tally 1
  fi
  rm -rf "$corpus" "$corpus.log"
done
# One line a CI reader understands: the test suites (CTest, browser, each fuzzer) that passed.
echo "$passed passed, $failed failed"
exit $status
