#!/usr/bin/env bash
# Playwright against the real server: fresh data dir, demo tenant, random port.
# Expects the server binary (cargo build) and scripts/site.sh to have run. Arguments go to Playwright (e.g. tests/i18n.spec.ts).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

BIN="$(target_dir)/debug/slotline"
DATA="$(mktemp -d)"
PORT="$(free_port)"
export SLOTLINE_DATA_DIR="$DATA" SLOTLINE_LISTEN_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT="$ROOT/target/site"
unset SLOTLINE_DATABASE_URL SLOTLINE_PUBLIC_URL SLOTLINE_SECRET_KEY

RETELL_KEY="key_e2e_$(date +%s)"
# A second business with no Retell key yet: retell.spec.ts connects it from the browser
# against a fake Retell API (end2end/fake-retell.mjs) that accepts only these two keys.
CONNECT_KEY="key_e2e_connect_$(date +%s)"
CONNECT_EMAIL="owner@connect.e2e.test"
CONNECT_PASSWORD="connect-owner-$(date +%s)"
RETELL_PORT="$(free_port)"
FAKE_RETELL_PORT="$RETELL_PORT" FAKE_RETELL_KEYS="$RETELL_KEY,$CONNECT_KEY" \
  node "$ROOT/end2end/fake-retell.mjs" >"$DATA/fake-retell.log" 2>&1 &
FAKE_PID=$!
# An SMTP sink the demo business's notifications go to (notifications.spec.ts sets it up).
SMTP_PORT="$(free_port)"
FAKE_SMTP_PORT="$SMTP_PORT" node "$ROOT/end2end/fake-smtp.mjs" >"$DATA/fake-smtp.log" 2>&1 &
SMTP_PID=$!
PID=""
cleanup() {
  [ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  kill "$FAKE_PID" 2>/dev/null || true; wait "$FAKE_PID" 2>/dev/null || true
  kill "$SMTP_PID" 2>/dev/null || true; wait "$SMTP_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 1 50); do
  curl -fs "http://127.0.0.1:$RETELL_PORT/__health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$RETELL_PORT/__health" >/dev/null || { cat "$DATA/fake-retell.log"; die "fake Retell did not start"; }
export SLOTLINE_RETELL_API_URL="http://127.0.0.1:$RETELL_PORT" SLOTLINE_RETELL_API_TIMEOUT_MS=5000

"$BIN" demo --retell-api-key "$RETELL_KEY" >/dev/null
# A second business with nothing set up, an owner and a staff account (setup.spec.ts builds it
# from the browser); its agent signs with the same Retell key.
FRESH_OWNER_PW="$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
FRESH_STAFF_PW="$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
"$BIN" tenant create --slug fresh --name "Studio Frisch" --phone +493099887766 \
  --agent-id agent_e2e_fresh --retell-api-key "$RETELL_KEY" >/dev/null
printf '%s\n' "$FRESH_OWNER_PW" | "$BIN" create-admin --email owner@fresh.test --tenant fresh --role owner >/dev/null
printf '%s\n' "$FRESH_STAFF_PW" | "$BIN" create-admin --email staff@fresh.test --tenant fresh --role staff >/dev/null
# A business with no Retell key yet (retell.spec.ts connects it from the browser).
"$BIN" tenant create --slug connect --name "Praxis Connect" >/dev/null
printf '%s\n' "$CONNECT_PASSWORD" | "$BIN" create-admin --email "$CONNECT_EMAIL" --tenant connect --role owner >/dev/null
# A platform admin (platform.spec.ts creates a business and its owner from the browser).
PLATFORM_EMAIL="platform@e2e.test"
PLATFORM_PW="$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
printf '%s\n' "$PLATFORM_PW" | "$BIN" create-admin --platform --email "$PLATFORM_EMAIL" >/dev/null
"$BIN" serve >"$DATA/server.log" 2>&1 &
PID=$!

for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$DATA/server.log"; die "server exited"; }
  sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$DATA/server.log"; die "server not ready"; }

cd end2end
SLOTLINE_E2E_BASE_URL="http://127.0.0.1:$PORT" \
SLOTLINE_E2E_EMAIL="demo@slotline.local" \
SLOTLINE_E2E_RETELL_KEY="$RETELL_KEY" \
SLOTLINE_E2E_CONNECT_EMAIL="$CONNECT_EMAIL" \
SLOTLINE_E2E_CONNECT_PASSWORD="$CONNECT_PASSWORD" \
SLOTLINE_E2E_CONNECT_KEY="$CONNECT_KEY" \
SLOTLINE_E2E_PASSWORD="$(cat "$DATA/demo-admin-password")" \
SLOTLINE_E2E_FRESH_OWNER="owner@fresh.test" SLOTLINE_E2E_FRESH_OWNER_PASSWORD="$FRESH_OWNER_PW" \
SLOTLINE_E2E_FRESH_STAFF="staff@fresh.test" SLOTLINE_E2E_FRESH_STAFF_PASSWORD="$FRESH_STAFF_PW" \
SLOTLINE_E2E_FRESH_AGENT="agent_e2e_fresh" SLOTLINE_E2E_FRESH_PHONE="+493099887766" \
SLOTLINE_E2E_PLATFORM_EMAIL="$PLATFORM_EMAIL" SLOTLINE_E2E_PLATFORM_PASSWORD="$PLATFORM_PW" \
SLOTLINE_E2E_SMTP_PORT="$SMTP_PORT" \
  npx playwright test "$@" || { echo "--- server log ---"; tail -50 "$DATA/server.log"; exit 1; }
