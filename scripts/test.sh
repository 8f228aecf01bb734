#!/usr/bin/env bash
# Runs every test tier in order; the first failure stops the run with a
# non-zero exit. Called by `make test` (after setup) and by CI. Ends with one
# line that sums the tests of all tiers.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

tier() {
  local name=$1; shift
  printf '\n== %s ==\n' "$name"
  local start=$(date +%s)
  "$@" 2>&1 | tee -a "$log"
  printf '== %s: passed in %s s ==\n' "$name" "$(( $(date +%s) - start ))"
}

tier "native tests (session core, Cognito client, config)" make --no-print-directory test-native
# A few seconds of every fuzz target: one that stops building or crashes at
# once fails the run (`make fuzz` is the longer, bounded run).
tier "fuzz smoke (every fuzz target for 2 s, libFuzzer)" scripts/fuzz.sh --smoke
tier "browser tests (wasm-bindgen-test in headless Chromium, cognito-local + moto)" make --no-print-directory test-browser
tier "release build (trunk + wasm-opt)" make --no-print-directory dist
tier "end-to-end tests (release build, cognito-local, notes API, headless Chromium)" \
  bash -c 'cargo build --quiet -p session-guard-notes-api && cargo test -p session-guard-e2e' 
scripts/size.sh dist
# Sum cargo's and wasm-bindgen-test's "test result:" lines over all tiers.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "\ntotal: %d passed, %d failed\n", p, f }' "$log"
