#!/usr/bin/env bash
# Builds the browser side of Slotline into target/site, what `slotline serve` serves as
# LEPTOS_SITE_ROOT: the WASM admin app (cargo, then wasm-bindgen), the Tailwind stylesheet
# and the public/ assets. `site.sh` builds for development, `site.sh --release` for
# production (the wasm-release profile, wasm-opt -Oz, minified CSS). The WASM is cut into a
# main module and per-page chunks (frontend/split). The server binary is a
# plain `cargo build` (see run.sh, test.sh, release.sh): this replaces `cargo leptos build`,
# whose 15-minute install on a fresh machine bought us nothing else (docs/decisions.md).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

PROFILE=dev DIR=debug
if [ "${1:-}" = "--release" ]; then PROFILE=wasm-release DIR=wasm-release; fi
SITE="$ROOT/target/site"
NEW="$SITE/pkg.new"

step "WASM admin app (frontend, profile $PROFILE)"
cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$PROFILE"
WASM="$(target_dir)/wasm32-unknown-unknown/$DIR/frontend.wasm"
[ -f "$WASM" ] || die "cargo left no $WASM"
rm -rf "$NEW"
mkdir -p "$NEW"
# Each lazy page becomes its own chunk, loaded when the page is first shown (leptos 0.8
# lazy routes); the splitter needs the relocations .cargo/config.toml keeps, and runs before
# wasm-bindgen, which drops them.
step "per-page chunks (frontend/split)"
MAIN="${WASM%.wasm}_split.wasm"
cargo run --release -q -p site-split -- "$WASM" "$NEW" "$MAIN" slotline
wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-name slotline --out-dir "$NEW" "$MAIN"
if [ "$PROFILE" = wasm-release ]; then
  step "wasm-opt -Oz (main module and chunks)"
  # One wasm-opt per module, as many at once as there are cores; binaryen's note on the
  # name subsection it does not know (the splitter's) is dropped, anything else is shown.
  # Modules under 4 KB (~300 shared chunks of a few functions, ~230 KB together) are left as
  # they are: npm's wasm-opt takes over a second to start, which would add minutes.
  find "$NEW" -name '*.wasm' -size +4k -print0 |
    xargs -0 -n 1 -P "$(nproc)" sh -c 'out=$(wasm-opt -Oz --enable-bulk-memory \
      --enable-nontrapping-float-to-int --enable-reference-types "$0" -o "$0" 2>&1); rc=$?
      printf "%s\n" "$out" | grep -v -e "unknown name subsection" -e "^$" >&2; exit $rc'
fi

step "stylesheet (Tailwind CSS CLI)"
MINIFY=()
[ "$PROFILE" = wasm-release ] && MINIFY=(--minify)
if ! tailwindcss --input style/tailwind.css --output "$NEW/slotline.css" "${MINIFY[@]}" \
  >"$ROOT/target/tailwind.log" 2>&1; then
  cat "$ROOT/target/tailwind.log" >&2
  die "Tailwind failed"
fi
[ -s "$NEW/slotline.css" ] || die "Tailwind wrote no stylesheet"

step "assets (public/)"
cp -r public/. "$SITE/"
rm -rf "$SITE/pkg"
mv "$NEW" "$SITE/pkg"
ok "site in $SITE: $(du -sh "$SITE/pkg" | cut -f1) in pkg/"
