#!/usr/bin/env bash
# The notes API under load (part of `make bench`): saves and list reads at 1,
# 16 and 64 concurrent clients on SQLite and on a throw-away PostgreSQL
# server (scripts/with-postgres.sh), plus where one request's time goes
# (token check, database, the rest). Loopback only, each phase bounded in time
# and count: about 45 s after the build (2 cores), and stopped after 5 minutes
# whatever happens. Writes bench/notes-api-report.md (or the file given as the
# first argument).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out=${1:-bench/notes-api-report.md}
cargo build --release --quiet -p session-guard-notes-api --example load_bench
scripts/with-postgres.sh timeout --kill-after=10 300 \
  "${CARGO_TARGET_DIR:-target}/release/examples/load_bench" --out "$out"
