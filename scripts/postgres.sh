#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for tests: `postgres.sh start DIR` prints a URL,
# `postgres.sh stop DIR` stops it and removes DIR. Runs as user postgres when started as root.
# fsync is off (tests need no durability) unless SLOTLINE_PG_FSYNC=on (benchmarks).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PGBIN=/usr/lib/postgresql/15/bin
cmd="$1" dir="$2"

run_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port="$(free_port)"
    run_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    run_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${SLOTLINE_PG_FSYNC:-off}" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    run_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) die "usage: postgres.sh start|stop DIR" ;;
esac
