#!/usr/bin/env bash
# The library's feature sets that its README advertises: each compiles for
# the browser without a warning, its docs build without a warning, and the
# pure core's tests pass with the optional parts left out. Run by
# `make test-native`.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

check() {
  local name=$1; shift
  echo "feature set \"$name\": cargo check --target wasm32-unknown-unknown -p session-guard $*"
  cargo check --quiet --target wasm32-unknown-unknown -p session-guard --message-format short "$@" 2>&1 | tee "$log"
  if grep -qE '(^|: )(warning|error)' "$log"; then
    echo "feature set \"$name\" does not build cleanly" >&2
    exit 1
  fi
}

check "default (components, srp, mfa, managed-login)"
check "headless with managed login only" --no-default-features --features managed-login
# Also every "feature off" path of the driver (no SRP, MFA or managed login).
check "components, password sign-in, no MFA" --no-default-features --features components
check "everything" --all-features
echo "crate docs: cargo doc --target wasm32-unknown-unknown -p session-guard --all-features --no-deps"
cargo doc --quiet --target wasm32-unknown-unknown -p session-guard --all-features --no-deps 2>&1 | tee "$log"
if grep -qE '(^|: )(warning|error)' "$log"; then
  echo "the crate docs have warnings" >&2
  exit 1
fi
echo "the crate as published: cargo package -p session-guard --no-verify (metadata, readme, license, no path-only dependency)"
cargo package --quiet -p session-guard --no-verify --offline --allow-dirty 2>&1 | tee "$log"
if grep -qE '(^|: )(warning|error)' "$log"; then
  echo "the crate does not package cleanly" >&2
  exit 1
fi
echo "pure core without the optional parts: cargo test -p session-guard --no-default-features --lib"
cargo test --quiet -p session-guard --no-default-features --lib
