#!/usr/bin/env bash
# Runs every test tier in order; the first failure stops the run with a
# non-zero exit. Called by `make test` (after setup) and by CI. Ends with one
# line that sums the tests of all tiers.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
log=$(mktemp)
fuzz_log=$(mktemp)
fuzz_pid=""
stop_fuzz() { [ -z "$fuzz_pid" ] || kill -- "-$fuzz_pid" 2>/dev/null || true; }
trap 'stop_fuzz; rm -f "$log" "$fuzz_log"' EXIT

tier() {
  local name=$1; shift
  printf '\n== %s ==\n' "$name"
  local start=$(date +%s)
  "$@" 2>&1 | tee -a "$log"
  printf '== %s: passed in %s s ==\n' "$name" "$(( $(date +%s) - start ))"
}

tier "native tests (session core, Cognito client, config)" make --no-print-directory test-native
tier "browser tests (wasm-bindgen-test in headless Chromium, cognito-local + moto)" make --no-print-directory test-browser
tier "release build (trunk + wasm-opt)" make --no-print-directory dist
# A few seconds of every fuzz target (`make fuzz-smoke`): one that stops
# building or crashes at once fails the run (`make fuzz` is the longer,
# bounded run). It builds while the end-to-end tests run, which mostly wait
# on real token lifetimes.
setsid scripts/fuzz.sh --smoke > "$fuzz_log" 2>&1 &
fuzz_pid=$!
tier "end-to-end tests (release build, cognito-local, notes API, headless Chromium)" \
  scripts/e2e.sh
printf '\n== %s ==\n' "fuzz smoke (every fuzz target for 2 s, libFuzzer; built during the end-to-end tests)"
fuzz_start=$(date +%s)
fuzz_status=0
wait "$fuzz_pid" || fuzz_status=$?
fuzz_pid=""
cat "$fuzz_log"
[ "$fuzz_status" = 0 ] || { echo "the fuzz smoke failed (exit $fuzz_status)" >&2; exit 1; }
printf '== fuzz smoke: passed, %s s after the end-to-end tests ==\n' "$(( $(date +%s) - fuzz_start ))"
scripts/size.sh dist
# Sum cargo's and wasm-bindgen-test's "test result:" lines over all tiers.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "\ntotal: %d passed, %d failed\n", p, f }' "$log"
