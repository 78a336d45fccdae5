#!/usr/bin/env bash
# Installs what building Slotline needs, skipping whatever is already there at the right
# version. `setup.sh --test` also installs what `make test` needs (Playwright, Chromium);
# `setup.sh --release` what `make release` needs (wasm-opt: npm binaryen, with the style tools).
# Everything comes from crates.io, npm or Debian (GitHub downloads do not work here).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

WANT_TEST=0
WANT_RELEASE=0
for flag in "$@"; do
  case "$flag" in
    --test) WANT_TEST=1 ;;
    --release) WANT_RELEASE=1 ;;
    *) die "unknown flag $flag (use --test and/or --release)" ;;
  esac
done

for tool in cargo rustup node npm python3; do
  command -v "$tool" >/dev/null || die "$tool is missing: install the Rust toolchain (rustup) and Node.js 20 with npm"
done

step "wasm32 target"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then ok "installed"
else rustup target add wasm32-unknown-unknown; fi

WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[ -n "$WASM_BINDGEN_VERSION" ] || die "wasm-bindgen not found in Cargo.lock"
step "wasm-bindgen-cli $WASM_BINDGEN_VERSION (must equal the wasm-bindgen crate in Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then ok "installed"
else cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force; fi

# npm_install DIR: `npm ci` when the lock file changed since the last install.
npm_install() {
  local dir="$1" stamp="$1/node_modules/.slotline-lock"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then ok "up to date"; return; fi
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
}

step "Tailwind CSS CLI and wasm-opt (style/, npm)"
npm_install style

# WANT_RELEASE: wasm-opt comes with style/'s npm packages (binaryen 12x; Debian's 108 breaks
# wasm-bindgen's reference-types table: the release app never hydrated).

if [ "$WANT_TEST" = 1 ]; then
  step "Playwright (end2end/, npm, no browser download)"
  npm_install end2end
  step "MCP conformance suite and its Node.js 22 (end2end/conformance/, npm)"
  npm_install end2end/conformance
  step "PostgreSQL 15 server (Debian package; tests start a throwaway cluster)"
  if [ -x /usr/lib/postgresql/15/bin/initdb ]; then ok "installed"
  else as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15; fi
  step "Chromium (Debian package)"
  if [ -x /usr/bin/chromium ]; then ok "installed"
  else as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi
fi
step "set-up complete"
