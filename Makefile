# Tributary: build, run and test. `make` alone lists the targets.
# The real work is in scripts/ so that it can also be run directly.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

TOOLS := $(or $(TRIBUTARY_TOOLS),$(HOME)/.cache/tributary/tools)
export TRIBUTARY_TOOLS := $(TOOLS)
# Outside the clone: CI starts from a fresh clone, but repeated runs on one machine stay
# incremental (and the 7 GB of build output stay out of the work tree).
export CARGO_TARGET_DIR ?= $(HOME)/.cache/tributary/target
# Leptos reads LEPTOS_ENV at run time; env = "DEV" in Cargo.toml is ignored by cargo-leptos.
export LEPTOS_ENV ?= DEV
# RUST_BACKTRACE=1 turns cargo-leptos errors into pages of frames (`make X RUST_BACKTRACE=1`
# still works for debugging a test).
export RUST_BACKTRACE := 0
# The tools dir comes first: cargo-leptos runs whatever wasm-opt/wasm-bindgen PATH finds
# first, and Debian's binaryen (108) builds a release wasm that never hydrates.
export PATH := $(TOOLS)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: help run test e2e bench setup

help:
	@echo "make run     build (debug) and serve on LEPTOS_SITE_ADDR (default 127.0.0.1:3000)"
	@echo "             (DATABASE_URL defaults to sqlite://data/tributary.db?mode=rwc)"
	@echo "make test    setup, cargo test on SQLite and PostgreSQL, e2e debug/SQLite and"
	@echo "             release/PostgreSQL, summary (what CI runs)"
	@echo "make e2e     only the debug SQLite e2e run"
	@echo "make bench   benchmarks"
	@echo "make setup   install the tools the tests need"

# --split: the areas are separate wasm modules (src/ui/split.rs); every cargo-leptos build
# needs it. cargo-leptos reads LEPTOS_SITE_ADDR from the environment; the server is started from the
# project root, where the relative site root (target/site) and data/ are.
run: export DATABASE_URL ?= sqlite://data/tributary.db?mode=rwc
run: export LEPTOS_SITE_ADDR ?= 127.0.0.1:3000
run:
	@bash scripts/setup.sh run
	@mkdir -p data
	cargo leptos serve --split

test:
	@bash scripts/test.sh

e2e:
	@bash scripts/test.sh e2e

bench:
	@bash scripts/bench.sh
	@bash scripts/bench-security.sh
	@bash scripts/bench-size.sh
	@bash scripts/bench-invites.sh
	@bash scripts/bench-payouts.sh
	@bash scripts/bench-volume.sh

setup:
	@bash scripts/setup.sh test
