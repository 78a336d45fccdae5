#!/usr/bin/env bash
# `make bench`: performance figures (release build). Not part of `make test`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
step "webhook ingest throughput"
cargo bench -p server --bench webhook_ingest
step "check_availability latency"
cargo bench -p server --bench check_availability
step "gateway ping vs bare axum"
cargo bench -p server --bench gateway_ping
