# Session Guard. `make serve` runs the app against a local Cognito emulator;
# `make test` runs every test tier. Both install what is missing first.
.PHONY: setup serve test test-native test-browser test-e2e dist size bench fuzz fuzz-smoke clean

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# wasm-bindgen-test-runner gives a whole test binary 20 s by default; the
# refresh tests run for real token lifetimes.
export WASM_BINDGEN_TEST_TIMEOUT ?= 180

setup:
	@scripts/setup.sh

serve: setup
	@scripts/serve.sh

test: setup
	@scripts/test.sh

# The notes API's store suite also runs on a throw-away PostgreSQL server.
test-native:
	scripts/check-features.sh
	scripts/with-postgres.sh cargo test --workspace --exclude session-guard-e2e --exclude session-guard-minimal

# The Cognito client tests talk to real emulators, started for the run.
test-browser:
	scripts/with-emulators.sh cargo test -p session-guard -p session-guard-notes --target wasm32-unknown-unknown --lib --tests

dist:
	@scripts/dist.sh

# Benchmarks and budgets: writes bench/report.json and bench/report.md.
bench: setup
	@scripts/bench.sh

# The test binaries run side by side (E2E_JOBS, 3 unless told).
test-e2e: dist
	scripts/e2e.sh

size:
	@scripts/size.sh dist

# Every fuzz target for a bounded time (about 5 minutes in all), one line
# each: executions, coverage, features, crashes. FUZZ_SECONDS per target.
fuzz: setup
	@scripts/fuzz.sh --seconds $${FUZZ_SECONDS:-18}

# Every fuzz target for 2 s: one that stops building or crashes at once fails.
fuzz-smoke: setup
	@scripts/fuzz.sh --smoke

clean:
	cargo clean; rm -rf dist .run
