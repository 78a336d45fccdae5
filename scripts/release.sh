#!/usr/bin/env bash
# `make release`: the optimized server binary and WASM bundle, on a fresh machine too.
# Set-up installs what is missing (wasm-bindgen-cli from crates.io, Tailwind from npm, Debian's
# binaryen for wasm-opt).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

scripts/setup.sh --release
step "server (cargo build --release)"
cargo build --release -p server --bin slotline
scripts/site.sh --release
BIN="$(target_dir)/release/slotline"
WASM="$ROOT/target/site/pkg/slotline_bg.wasm"
[ -x "$BIN" ] && [ -f "$WASM" ] || die "the release build left no binary or WASM bundle"
step "release artifacts"
printf '    server binary  %s (%s)\n' "$BIN" "$(du -h "$BIN" | cut -f1)"
printf '    site (serve it as LEPTOS_SITE_ROOT)  %s\n' "$ROOT/target/site"
printf '    WASM main module  %s bytes raw, %s bytes gzip (+ %s page chunks)\n' "$(stat -c %s "$WASM")" \
  "$(gzip -9c "$WASM" | wc -c)" "$(find "$ROOT/target/site/pkg" -name '*.wasm' ! -name slotline_bg.wasm | wc -l)"
