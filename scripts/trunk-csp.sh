#!/usr/bin/env bash
# Trunk post-build hook: keeps each page's scripts within the page's own
# Content-Security-Policy (the <meta> in index.html).
#
# Trunk marks the scripts it writes with nonce="{{__TRUNK NONCE__}}" (Trunk.toml
# `create_nonce`). Its dev server (`make serve`) replaces that placeholder with
# a new random nonce on every request, everywhere in the page; its live-reload
# script is inline. So for the dev server the policy's script-src also names
# that nonce, and the reload script runs. The release build is served as
# static files, where a nonce written once would be the same for everyone:
# there the placeholders are removed and the policy stays exactly as written.
set -euo pipefail
html="$TRUNK_STAGING_DIR/index.html"
placeholder='{{__TRUNK NONCE__}}'
grep -q "script-src 'self' 'wasm-unsafe-eval'" "$html" \
  || { echo "trunk-csp: index.html has no \"script-src 'self' 'wasm-unsafe-eval'\" policy to adjust" >&2; exit 1; }
if [ "$TRUNK_PROFILE" = release ]; then
  sed -i "s/ nonce=\"$placeholder\"//g" "$html"
  if grep -qF "$placeholder" "$html"; then
    echo "trunk-csp: a nonce placeholder is left in the release index.html" >&2
    exit 1
  fi
else
  sed -i "s/script-src 'self' 'wasm-unsafe-eval'/script-src 'self' 'wasm-unsafe-eval' 'nonce-$placeholder'/" "$html"
fi
