#!/usr/bin/env bash
# The library's feature sets that its README advertises: each compiles for
# the browser without a warning, and the pure core's tests pass with the
# optional parts left out. Run by `make test-native`.
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

check "default (components, srp)"
check "headless (managed login, password)" --no-default-features
check "headless with SRP" --no-default-features --features srp
check "components without SRP" --no-default-features --features components
check "everything" --all-features
echo "pure core without the optional parts: cargo test -p session-guard --no-default-features --lib"
cargo test --quiet -p session-guard --no-default-features --lib
