#!/usr/bin/env bash
# `make dist`: the release build of the app into dist/ (Trunk, wasm-bindgen,
# wasm-opt), with the release toolchain of scripts/release-env.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
source scripts/release-env.sh
trunk build --release --offline "$@"
# The smallest app on the library (examples/minimal), for its end-to-end
# test and the benchmark, with the same toolchain and settings.
trunk build --release --offline --config Trunk.toml --dist target/minimal-dist examples/minimal/index.html
