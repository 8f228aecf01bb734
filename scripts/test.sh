#!/usr/bin/env bash
# Runs every test tier in order; the first failure stops the run with a
# non-zero exit. Called by `make test` (after setup) and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

tier() {
  local name=$1; shift
  printf '\n\033[1m== %s ==\033[0m\n' "$name"
  local start=$(date +%s)
  "$@"
  printf '\033[1m== %s passed in %s s ==\033[0m\n' "$name" "$(( $(date +%s) - start ))"
}

tier "native tests (pure core, config, notes API)" make --no-print-directory test-native
tier "browser tests (wasm-bindgen-test, headless Chromium)" make --no-print-directory test-browser
tier "release build (trunk + wasm-opt)" make --no-print-directory dist
tier "end-to-end tests (release build, cognito-local, headless Chromium)" cargo test -p session-guard-e2e
scripts/size.sh dist
