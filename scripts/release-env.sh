# Sourced by the release builds (`make dist`, `make bench`): the shipped
# WebAssembly is built with a pinned nightly that rebuilds the standard
# library for size (-Zbuild-std) and makes a panic an immediate trap
# (-Cpanic=immediate-abort: no panic formatting or hook is linked). That
# takes about 7% off the transfer size (measured: 398 KB -> 369 KB gzip).
# Everything else, every test included, stays on stable. Set
# SG_RELEASE_TOOLCHAIN=stable to build the release with stable instead.
RELEASE_NIGHTLY=nightly-2026-10-29
if [ "${SG_RELEASE_TOOLCHAIN:-nightly}" != stable ]; then
  if rustup component list --toolchain "$RELEASE_NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src'; then
    export RUSTUP_TOOLCHAIN="$RELEASE_NIGHTLY"
    export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    # The standard library's smaller variants (sorting, formatting).
    export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
    # Replaces the wasm32 rustflags of .cargo/config.toml, so its cfgs are
    # repeated here.
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg=web_sys_unstable_apis --cfg=erase_components -Zunstable-options -Cpanic=immediate-abort"
    # Its own target directory: nightly artifacts never mix with stable ones.
    export CARGO_TARGET_DIR="$PWD/target/release-nightly"
  else
    echo "release build: $RELEASE_NIGHTLY with rust-src is not installed (run make setup); building with stable, about 7% larger" >&2
  fi
fi
