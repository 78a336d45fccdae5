#!/usr/bin/env bash
# `make run`: set up, build, migrate, seed the demo tenant, print the login, serve.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
step "building Slotline (server + WASM + CSS)"
cargo build -p server --bin slotline
scripts/site.sh
BIN="$(target_dir)/debug/slotline"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
step "migrating the database"
"$BIN" migrate
step "seeding the demo tenant"
"$BIN" demo
step "serving — press Ctrl-C to stop"
exec "$BIN" serve
