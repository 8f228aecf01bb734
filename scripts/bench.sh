#!/usr/bin/env bash
# `make bench`: builds the release app and two baselines, a Leptos hello
# world with the same profile and the React + Amplify sign-in a team would
# otherwise ship (bench/react-baseline/, a production esbuild bundle), runs
# the in-browser benchmarks (tests/bench.rs, release profile, against
# cognito-local) and the end-to-end ones (e2e/src/bin/bench.rs), and writes
# bench/report.json and bench/report.md. Takes about 10 minutes.
# Extra arguments go to the end-to-end part, e.g. `--only startup` or
# `--out /tmp/report` (then the committed report is left alone). `--only`
# takes one section or several (`--only size,startup`: both against both
# baselines, a few minutes) and then skips the in-browser part unless the
# list names `in-browser`. With
# SG_BENCH_PROFILE_FRAMES=1 the start-up section also prints the heaviest
# functions of one profiled load (names need a build with `data-keep-debug`
# and `data-wasm-opt="0"` on the rust link, copied over dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"
mkdir -p target/bench

only=""
previous=""
for arg in "$@"; do
  [ "$previous" = "--only" ] && only="$arg"
  previous="$arg"
done

echo "bench: building the app (dist/) and the baselines (target/bench/hello-dist/, target/bench/react-dist/)"
# Both with the release toolchain (scripts/release-env.sh), in a subshell so
# the in-browser part below stays on stable.
(
  source scripts/release-env.sh
  trunk build --release --offline
  trunk build --release --offline --config Trunk.toml --dist target/bench/hello-dist bench/hello/index.html
  # What the library costs an app: the hello world with Session Guard in each
  # advertised feature set, and the minimal example (start-up).
  trunk build --release --offline --config Trunk.toml --dist target/bench/guard-headless-dist --no-default-features=true \
    --features managed-login bench/hello-guard/index.html
  trunk build --release --offline --config Trunk.toml --dist target/bench/guard-default-dist \
    --features components,srp,mfa,managed-login bench/hello-guard/index.html
  trunk build --release --offline --config Trunk.toml --dist target/bench/guard-everything-dist \
    --features components,srp,mfa,managed-login,timeline bench/hello-guard/index.html
  trunk build --release --offline --config Trunk.toml --dist target/minimal-dist examples/minimal/index.html
)
# The React baseline as a team builds it for production: one minified,
# tree-shaken ES module with React's production build, and the same
# config.json as the app. The metafile (what each package adds) stays
# outside the served directory.
rm -rf target/bench/react-dist
esbuild bench/react-baseline/src/main.jsx --bundle --format=esm --target=es2020 --minify \
    --jsx=automatic --define:process.env.NODE_ENV='"production"' \
    --outfile=target/bench/react-dist/main.js --metafile=target/bench/react-meta.json --log-level=warning \
  || { echo "bench: esbuild could not build the React baseline (bench/react-baseline/); run scripts/setup.sh" >&2; exit 1; }
cp bench/react-baseline/index.html config.json target/bench/react-dist/

wasm_results=()
if [ -z "$only" ] || [[ ",$only," == *,in-browser,* ]]; then
  echo "bench: in-browser figures (activity cost, token verification, SRP)"
  scripts/with-emulators.sh cargo test --release -p session-guard --target wasm32-unknown-unknown \
    --test bench -- --include-ignored --nocapture 2>&1 | tee target/bench/in-browser.log
  grep -q '^BENCH ' target/bench/in-browser.log || { echo "bench: the in-browser part printed no results" >&2; exit 1; }
  wasm_results=(--wasm-results target/bench/in-browser.log)
fi

echo "bench: end-to-end figures"
cargo build -p session-guard-notes-api
cargo run -p session-guard-e2e --bin bench -- "${wasm_results[@]}" "$@"
scripts/bench-notes-api.sh  # the notes API under load: bench/notes-api-report.md
