#!/usr/bin/env bash
# `make test`: formatting, clippy (ssr + hydrate), Rust tests on SQLite and on a throwaway
# PostgreSQL 15 cluster, then Playwright and the official MCP conformance suite. Prints one summary line; non-zero on failure.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

START=$(date +%s)
# A one-off build gains nothing from incremental caches; they cost gigabytes of disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
FAILED=()
PASSED=()
run() {
  local name="$1"; shift
  step "$name"
  local t0=$(date +%s)
  if "$@"; then PASSED+=("$name"); ok "$name ($(( $(date +%s) - t0 ))s)"
  else FAILED+=("$name"); printf '    FAILED: %s\n' "$name"; fi
}

postgres_suite() {
  local dir url status
  dir="$(mktemp -d)"
  chmod 755 "$dir"   # the cluster runs as user postgres when we are root
  url="$("$ROOT/scripts/postgres.sh" start "$dir/pg")" || return 1
  # Same packages and features as the SQLite run, so the same binaries are reused, not rebuilt.
  SLOTLINE_TEST_POSTGRES_URL="$url" cargo test --no-fail-fast -p server -p app --features app/ssr --test store --test api --test webhooks \
    --test gateway --test functions --test recovery --test breakers --test mcp --test abuse \
    --test hostile --test scopes --test web_security --test secrets --test retention --test roles \
    --test isolation --test setup --test setup_guard --test calendar --test retell_config --test retell_deploy --test language --test platform --test dashboard --test instants --test crash --test cli --test instances --test faults --test simulate --test replay --test notifications
  status=$?
  "$ROOT/scripts/postgres.sh" stop "$dir/pg"
  rm -rf "$dir"
  return $status
}

# The call scenarios (scenarios/*.json) through the real binary: all on SQLite, the racing
# ones (tag race) again on a throwaway PostgreSQL cluster.
simulate_postgres() {
  local dir url status
  dir="$(mktemp -d)"
  chmod 755 "$dir"
  url="$("$ROOT/scripts/postgres.sh" start "$dir/pg")" || return 1
  "$ROOT/scripts/simulate.sh" --postgres "$url" --tag race scenarios
  status=$?
  "$ROOT/scripts/postgres.sh" stop "$dir/pg"
  rm -rf "$dir"
  return $status
}

run "set-up" scripts/setup.sh --test || true
run "cargo fmt --check" cargo fmt --all --check
run "clippy (ssr)" cargo clippy -p server -p app -p site-split --features app/ssr --all-targets -- -D warnings
run "clippy (hydrate)" cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
run "Rust tests (SQLite)" cargo test --no-fail-fast -p server -p app --features app/ssr
# PostgreSQL is never optional: set-up installs it; without it this step fails, saying why.
if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  run "integration tests (PostgreSQL 15)" postgres_suite
else
  FAILED+=("PostgreSQL 15")
  echo "    FAILED: PostgreSQL 15 server binaries are missing (/usr/lib/postgresql/15/bin); run: apt-get install postgresql-15"
fi
# Same packages and features as the Rust tests, so the binary they built is reused.
run "call scenarios (SQLite)" bash -c 'cargo build -p server -p app --features app/ssr --bin slotline && scripts/simulate.sh scenarios'
if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  run "racing call scenarios (PostgreSQL 15)" simulate_postgres
fi
# The browser side; Playwright runs it against the binary the scenario step built.
run "site: WASM app and stylesheet" scripts/site.sh
run "Playwright (Chromium)" scripts/e2e.sh
run "MCP conformance (official suite)" scripts/mcp-conformance.sh

ELAPSED=$(( $(date +%s) - START ))
if [ ${#FAILED[@]} -eq 0 ]; then
  echo "make test: PASSED — ${#PASSED[@]} steps in ${ELAPSED}s"
else
  echo "make test: FAILED — ${#FAILED[@]} of $(( ${#PASSED[@]} + ${#FAILED[@]} )) steps failed: ${FAILED[*]} (${ELAPSED}s)"
  exit 1
fi
