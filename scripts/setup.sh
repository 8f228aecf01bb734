#!/usr/bin/env bash
# Installs everything Session Guard needs to build, serve and test, on a fresh
# Debian machine with rustup, Node.js and Python 3. Idempotent: each step checks
# whether its tool is already there at the right version, so a second run takes
# seconds. Each step says why its version is pinned.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
CARGO_FUZZ_VERSION=0.13.2
MOTO_VERSION=5.2.5
start=$(date +%s)
step() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "setup: cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; }

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release build's pinned nightly (scripts/release-env.sh): only the
# shipped WebAssembly is built with it, for size; tests run on stable.
RELEASE_NIGHTLY=$(awk -F= '/^RELEASE_NIGHTLY=/ { print $2 }' scripts/release-env.sh)
if ! rustup component list --toolchain "$RELEASE_NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src' \
   || ! rustup target list --toolchain "$RELEASE_NIGHTLY" --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  step "installing $RELEASE_NIGHTLY with rust-src and wasm32 for the release build (about 20 s)"
  rustup toolchain install "$RELEASE_NIGHTLY" --profile minimal -c rust-src -t wasm32-unknown-unknown --no-self-update
fi
# The release build rebuilds the standard library (-Zbuild-std) and runs
# offline, so std's own crates.io dependencies (its library/Cargo.lock) are
# fetched here; when they are already in the cargo cache this takes a second.
STD_LIBRARY="$(rustc +"$RELEASE_NIGHTLY" --print sysroot)/lib/rustlib/src/rust/library"
if ! RUSTUP_TOOLCHAIN="$RELEASE_NIGHTLY" cargo fetch --locked --offline --quiet --manifest-path "$STD_LIBRARY/Cargo.toml" 2>/dev/null; then
  step "fetching the standard library's dependencies for the release build"
  RUSTUP_TOOLCHAIN="$RELEASE_NIGHTLY" cargo fetch --locked --manifest-path "$STD_LIBRARY/Cargo.toml"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  step "installing Chromium and chromedriver (Debian packages)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  # Not --locked: a dependency locked by 0.2.130 is missing from the registry.
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  step "installing Trunk $TRUNK_VERSION (about 10 minutes; 0.22 needs a newer rustc)"
  cargo install --locked --force trunk --version "$TRUNK_VERSION"
fi

# cargo-fuzz runs the fuzz targets in fuzz/ (`make fuzz`, the test run's
# smoke) with libFuzzer and the release build's nightly above.
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  step "installing cargo-fuzz $CARGO_FUZZ_VERSION (under a minute)"
  cargo install --locked --force cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

# binaryen 132 (wasm-opt), cognito-local, axe-core, and the benchmark's React
# baseline (react, react-dom, aws-amplify, react-idle-timer, bundled by
# esbuild), pinned exactly in package.json and package-lock.json.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -f node_modules/cognito-local/lib/bin/start.js ] \
   || [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -x node_modules/.bin/esbuild ] \
   || [ ! -f node_modules/react-dom/client.js ] || [ ! -f node_modules/aws-amplify/package.json ] \
   || [ ! -f node_modules/react-idle-timer/package.json ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing binaryen, cognito-local, axe-core, esbuild and the React baseline's packages from npm"
  npm ci --no-audit --no-fund --loglevel=error
fi
[ "$(node_modules/.bin/wasm-opt --version)" = "wasm-opt version 132 (version_132)" ] \
  || { echo "setup: node_modules/.bin/wasm-opt is not binaryen 132" >&2; exit 1; }

# moto (the Cognito conformance emulator) in a private virtual environment.
if ! .venv/bin/python -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  step "installing moto[server] $MOTO_VERSION into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

# Every crate the workspace needs, for every target: `make serve` and the
# release build run Trunk offline, and the WebAssembly build has dependencies
# no native build fetches. Quick when they are already in the cargo cache.
if ! cargo fetch --locked --offline --quiet 2>/dev/null; then
  step "fetching the workspace's crates"
  cargo fetch --locked
fi
# The fuzz targets are a workspace of their own, with their own Cargo.lock.
if ! cargo fetch --locked --offline --quiet --manifest-path fuzz/Cargo.toml 2>/dev/null; then
  step "fetching the fuzz targets' crates"
  cargo fetch --locked --manifest-path fuzz/Cargo.toml
fi

# The app's runtime configuration: config.json is per machine (written by
# `make serve` from the seeded emulator); a build needs one to copy into dist/.
[ -f config.json ] || cp config.example.json config.json

step "ready in $(( $(date +%s) - start )) s"
