#!/usr/bin/env bash
# Plays the call scenarios (scenarios/*.json) against the real binary: a fresh data directory,
# the demo tenant seeded at the scenarios' seed instant, `slotline serve` with the settable test
# clock on a random loopback port, then `slotline simulate`. Non-zero when a scenario fails.
#   scripts/simulate.sh [--postgres URL] [simulate options / scenario files…]
# With --postgres the server runs on that (empty) PostgreSQL database instead of SQLite.
# Expects target/debug/slotline to be built (cargo build -p server --bin slotline).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# The instant the demo tenant is seeded at: every scenario's dates follow from it.
SEED_AT="2027-03-01T08:00:00Z"
BIN="$(target_dir)/debug/slotline"
[ -x "$BIN" ] || die "$BIN is missing; run: cargo build -p server --bin slotline"
DATA="$(mktemp -d)"
PORT="$(free_port)"
unset SLOTLINE_DATABASE_URL SLOTLINE_PUBLIC_URL SLOTLINE_SECRET_KEY SLOTLINE_METRICS_TOKEN
if [ "${1:-}" = "--postgres" ]; then export SLOTLINE_DATABASE_URL="$2"; shift 2; fi
export SLOTLINE_DATA_DIR="$DATA" SLOTLINE_LISTEN_ADDR="127.0.0.1:$PORT"
PID=""
cleanup() {
  [ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  rm -rf "$DATA"
}
trap cleanup EXIT

SLOTLINE_UNSAFE_TEST_CLOCK=1 SLOTLINE_CLOCK_AT="$SEED_AT" "$BIN" demo >/dev/null 2>"$DATA/demo.log" \
  || { cat "$DATA/demo.log"; die "seeding the demo failed"; }
SLOTLINE_UNSAFE_TEST_CLOCK=1 SLOTLINE_CLOCK_AT="$SEED_AT" "$BIN" serve >"$DATA/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$DATA/server.log"; die "server exited"; }
  sleep 0.2
done
[ $# -gt 0 ] || set -- scenarios
status=0
"$BIN" simulate "$@" || status=$?
if [ $status -ne 0 ] && [ -n "${SIMULATE_SERVER_LOG:-}" ]; then tail -n 80 "$DATA/server.log"; fi
exit $status
