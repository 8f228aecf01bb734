#!/usr/bin/env bash
# The end-to-end tier: builds the notes API and the test binaries of e2e/,
# then runs the binaries side by side (E2E_JOBS at a time, 3 unless told).
# Each test starts its own stack on free ports (cognito-local, proxy, notes
# API, static site, chromedriver), so binaries do not share anything; most of
# their time is spent waiting on real token lifetimes, not on the CPU.
# The longest binaries start first. Every binary runs to the end; the tier
# fails if any of them failed, and each one's whole output is printed when it
# ends. Extra arguments go to every test binary (e.g. a name filter).
# Called by `make test-e2e` and scripts/test.sh; needs `make dist` first.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${E2E_JOBS:-3}

cargo build --quiet -p session-guard-notes-api
build_log=$(mktemp)
out=$(mktemp -d)
trap 'rm -rf "$build_log" "$out"' EXIT
cargo test -p session-guard-e2e --tests --no-run 2>&1 | tee "$build_log"

# "Executable tests/policies.rs (target/debug/deps/policies-0123abcd)"
declare -A binary=()
while read -r name path; do
  binary[$name]=$(realpath "$path")
done < <(sed -nE 's|^ *Executable tests/([a-z_0-9]+)\.rs \(([^)]+)\)$|\1 \2|p' "$build_log")
if (( ${#binary[@]} == 0 )); then
  echo "e2e: cargo listed no test binaries of e2e/" >&2
  exit 1
fi

# Longest first (measured), then the rest by name.
order=()
for name in policies scenarios resilience accessibility minimal_example managed_login tabs mfa; do
  [[ -n ${binary[$name]:-} ]] && order+=("$name")
done
for name in $(printf '%s\n' "${!binary[@]}" | sort); do
  [[ " ${order[*]} " == *" $name "* ]] || order+=("$name")
done

failed=()
declare -A pid_of=()
finish() {
  # Waits for any one running binary, prints its output, records a failure.
  local done_pid status=0
  wait -n -p done_pid "${!pid_of[@]}" || status=$?
  local name=${pid_of[$done_pid]}
  unset "pid_of[$done_pid]"
  printf '\n     Running tests/%s.rs\n' "$name"
  cat "$out/$name.log"
  (( status == 0 )) || failed+=("$name")
}

start=$(date +%s)
for name in "${order[@]}"; do
  while (( ${#pid_of[@]} >= jobs )); do finish; done
  threads=()
  # The policies' four tests each wait a minute on real token lifetimes:
  # all four at once instead of two rounds of two.
  [[ $name == policies ]] && threads=(--test-threads=4)
  (cd e2e && exec "${binary[$name]}" "${threads[@]}" "$@") > "$out/$name.log" 2>&1 &
  pid_of[$!]=$name
done
while (( ${#pid_of[@]} > 0 )); do finish; done

echo
echo "e2e: ${#order[@]} test binaries, $jobs at a time, in $(( $(date +%s) - start )) s"
if (( ${#failed[@]} > 0 )); then
  echo "e2e: failed: ${failed[*]} (screenshots and logs in target/e2e-artifacts/ and /tmp/session-guard-e2e-*)" >&2
  exit 1
fi
