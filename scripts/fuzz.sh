#!/usr/bin/env bash
# Builds every fuzz target in fuzz/ (cargo-fuzz, libFuzzer, the release
# build's pinned nightly) and runs each for a bounded time from its
# committed corpus, then prints one line per target: executions, coverage
# (libFuzzer's `cov:`), features (`ft:`) and crashes. Exits non-zero when a
# target does not build or finds a crash or a disagreement.
#
#   scripts/fuzz.sh                 every target for 18 s (`make fuzz`, about 5 min)
#   scripts/fuzz.sh --smoke         every target for 2 s (the test run's smoke)
#   scripts/fuzz.sh --seconds N [TARGET...]
#
# New inputs libFuzzer finds go to target/fuzz/fuzz-runs/corpus/<target>
# (not the repository; each run starts again from the seeds); a crash is saved under
# target/fuzz/fuzz-runs/artifacts/<target>/ and
# reproduced with `<binary> <file>`. Set-up installs cargo-fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

seconds=18
# The smoke only needs the targets to build and run: an unoptimised build
# takes a fraction of the time (the notes API's server stack is most of it).
profile=release
build_flags=()
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    # No debug info either: the smoke's build is about time, and a crash it
    # finds is reproduced with the bounded run's build.
    --smoke) seconds=2; profile=debug; build_flags=(--dev); export CARGO_PROFILE_DEV_DEBUG=0 ;;
    --seconds) seconds=$2; shift ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done

NIGHTLY=$(awk -F= '/^RELEASE_NIGHTLY=/ { print $2 }' scripts/release-env.sh)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/fuzz}"
work="$CARGO_TARGET_DIR/fuzz-runs"
mkdir -p "$work"
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +"$NIGHTLY" fuzz list --fuzz-dir fuzz)

start=$(date +%s)
# No sanitizer: the code is safe Rust, so what matters are panics, overflow
# checks and debug assertions (-a), and the targets run about twice as fast.
if ! cargo +"$NIGHTLY" fuzz build --fuzz-dir fuzz --sanitizer none --debug-assertions "${build_flags[@]}" > "$work/build.log" 2>&1; then
  grep -v '^ *Compiling ' "$work/build.log" >&2
  echo "fuzz: the targets did not build" >&2
  exit 1
fi
built=$(( $(date +%s) - start ))
bin_dir="$CARGO_TARGET_DIR/$(rustc +"$NIGHTLY" -vV | sed -n 's/^host: //p')/$profile"

failed=()
rows=()
for target in "${targets[@]}"; do
  # Every run starts from the committed seeds alone: libFuzzer counts the
  # replay of a grown corpus against the time limit, so reusing what earlier
  # runs found would leave less and less time for new inputs.
  corpus="$work/corpus/$target"
  rm -rf "$corpus"
  artifacts="$work/artifacts/$target"
  # A crash of an earlier run does not count against this one.
  rm -rf "$artifacts"
  mkdir -p "$corpus" "$artifacts" "fuzz/corpus/$target"
  log="$work/$target.log"
  max_len=4096
  [ "$target" = token ] && max_len=20000
  set +e
  "$bin_dir/$target" -max_total_time="$seconds" -print_final_stats=1 -max_len="$max_len" \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" \
    "$corpus" "fuzz/corpus/$target" > "$log" 2>&1
  status=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  crashes=$(find "$artifacts" -type f | wc -l)
  result=ok
  if [ "$status" != 0 ] || [ "$crashes" != 0 ]; then
    result="FAILED (exit $status; see $log)"
    failed+=("$target")
    [ "$crashes" != 0 ] || crashes=1
  fi
  rows+=("$(printf '%-24s %12s %8s %8s %8s  %s' "$target" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$crashes" "$result")")
  printf 'fuzz: %-24s %s executions in %s s\n' "$target" "${execs:-?}" "$seconds"
done

printf '\n%-24s %12s %8s %8s %8s  %s\n' target executions cov ft crashes result
printf '%s\n' "${rows[@]}"
printf '\nfuzz: %d targets, %s s each, build %d s, %d s in all\n' \
  "${#targets[@]}" "$seconds" "$built" "$(( $(date +%s) - start ))"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes or disagreements in: ${failed[*]}" >&2
  for target in "${failed[@]}"; do
    echo "--- $target ---" >&2
    grep -E -m 20 -A 12 'panicked|ERROR: libFuzzer|SUMMARY|deadly signal' "$work/$target.log" >&2 || tail -20 "$work/$target.log" >&2
  done
  exit 1
fi
