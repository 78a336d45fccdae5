# Slotline: `make run` sets up, builds and serves the dashboard with a demo tenant;
# `make test` runs every check CI runs.
.PHONY: run test setup build bench release

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh --test

build:
	@bash scripts/setup.sh && cargo build -p server --bin slotline && bash scripts/site.sh

bench:
	@bash scripts/bench.sh

release:
	@bash scripts/release.sh
