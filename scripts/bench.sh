#!/usr/bin/env bash
# `make bench`: builds the release app and a Leptos hello-world baseline with
# the same profile, runs the in-browser benchmarks (tests/bench.rs, release
# profile, against cognito-local) and the end-to-end ones (e2e/src/bin/bench.rs),
# and writes bench/report.json and bench/report.md. Takes about 10 minutes.
# Extra arguments go to the end-to-end part, e.g. `--only startup` or
# `--out /tmp/report` (then the committed report is left alone). With
# SG_BENCH_PROFILE_FRAMES=1 the start-up section also prints the heaviest
# functions of one profiled load (names need a build with `data-keep-debug`
# and `data-wasm-opt="0"` on the rust link, copied over dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"
mkdir -p target/bench

echo "bench: building the app (dist/) and the baseline (target/bench/hello-dist/)"
trunk build --release --offline
trunk build --release --offline --config Trunk.toml --dist target/bench/hello-dist bench/hello/index.html

echo "bench: in-browser figures (activity cost, token verification, SRP)"
scripts/with-emulators.sh cargo test --release -p session-guard --target wasm32-unknown-unknown \
  --test bench -- --include-ignored --nocapture 2>&1 | tee target/bench/in-browser.log
grep -q '^BENCH ' target/bench/in-browser.log || { echo "bench: the in-browser part printed no results" >&2; exit 1; }

echo "bench: end-to-end figures"
cargo build -p session-guard-notes-api
cargo run -p session-guard-e2e --bin bench -- --wasm-results target/bench/in-browser.log "$@"
