#!/usr/bin/env bash
# `make bench`: builds the release (`make release`), then runs server/benches/report against
# that binary exactly as production starts it, and writes bench/RESULTS.md and the README's
# benchmark section. Not part of `make test`. Exits non-zero when a target is missed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

scripts/setup.sh --test
scripts/release.sh

step "FastMCP 4.1.6 for the /mcp comparison (PyPI, in target/bench/venv)"
VENV="$ROOT/target/bench/venv"
if [ -x "$VENV/bin/python" ] && cmp -s bench/requirements.txt "$VENV/.slotline-requirements"; then ok "installed"
else
  python3 -m venv "$VENV" 2>/dev/null || {
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    python3 -m venv "$VENV"
  }
  "$VENV/bin/pip" install -q -r bench/requirements.txt
  cp bench/requirements.txt "$VENV/.slotline-requirements"
fi

# cargo bench rebuilds target/release/slotline with the bench's dev-dependencies; the report
# runs the binary `make release` built.
mkdir -p target/bench
cp "$(target_dir)/release/slotline" target/bench/slotline

step "throwaway PostgreSQL 15 (fsync on)"
PGDIR="$(mktemp -d)"
chmod 755 "$PGDIR"
PG_URL="$(SLOTLINE_PG_FSYNC=on scripts/postgres.sh start "$PGDIR/pg")"
trap 'scripts/postgres.sh stop "$PGDIR/pg"; rm -rf "$PGDIR"' EXIT

step "benchmarks → bench/RESULTS.md"
SLOTLINE_BENCH_BIN="$ROOT/target/bench/slotline" \
SLOTLINE_BENCH_SITE="$ROOT/target/site" \
SLOTLINE_BENCH_POSTGRES_URL="$PG_URL" \
SLOTLINE_BENCH_PYTHON="$VENV/bin/python" \
  cargo bench -p server --bench report
