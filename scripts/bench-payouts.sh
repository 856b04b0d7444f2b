#!/usr/bin/env bash
# `make bench`: a payout run over 1,000,000 commissions for 10,000 partners (bulk SQL
# seed), the second run (0 payouts), and the p95 of Admin → Payouts and Portal → Payouts at
# that volume (tests/payouts_bench.rs, release build). SQLite by default; set
# TEST_DATABASE_URL=postgres://… for Postgres. Targets: run ≤ 10 s on SQLite, pages ≤ 50 ms.
# Sizes: BENCH_PARTNERS (10000), BENCH_COMMISSIONS (1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
# The RUSTFLAGS of every build (scripts/lib.sh), so the release server's compiled deps are reused.
source scripts/lib.sh
export RUSTFLAGS=$app_rustflags LEPTOS_OUTPUT_NAME=tributary
cargo test --release --features ssr --test it payouts_bench -- --ignored --nocapture
