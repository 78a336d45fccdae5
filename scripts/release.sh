#!/usr/bin/env bash
# `make release`: the optimized server binary and WASM bundle, on a fresh machine too.
# Set-up installs what is missing (cargo-leptos and wasm-bindgen from crates.io, Tailwind from
# npm, Debian's binaryen for wasm-opt: cargo-leptos would otherwise try GitHub and fail here).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

scripts/setup.sh --release
step "cargo leptos build --release"
cargo leptos build --release
BIN="$(target_dir)/release/slotline"
WASM="$(ls target/site/pkg/*.wasm | head -1)"
[ -x "$BIN" ] && [ -f "$WASM" ] || die "the release build left no binary or WASM bundle"
step "release artifacts"
printf '    server binary  %s (%s)\n' "$BIN" "$(du -h "$BIN" | cut -f1)"
printf '    site (serve it as LEPTOS_SITE_ROOT)  %s\n' "$ROOT/target/site"
printf '    WASM  %s bytes raw, %s bytes gzip\n' "$(stat -c %s "$WASM")" "$(gzip -9c "$WASM" | wc -c)"
