#!/usr/bin/env bash
# `make bench`: invite-code redemption throughput on SQLite and on PostgreSQL, through the
# `redeem_invite` server function of a test app (debug build of the test binary with the
# app's dependencies optimised as in `cargo test`), 32 redemptions in flight, each by its own
# workspace. BENCH_REDEMPTIONS (default 1000) per database. The figure is printed, not
# judged: it is the closing note's, not a test's.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
output_name=$(awk -F'"' '/^output-name *=/ { print $2; exit }' Cargo.toml)
export RUSTFLAGS=$app_rustflags LEPTOS_OUTPUT_NAME=$output_name
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tributary-bench-invites.XXXXXX")
export TRIBUTARY_PG_STATE=$tmp/pg.url
# shellcheck disable=SC2317 # called by the trap below
cleanup() {
  bash scripts/pg.sh stop || true
  rm -rf "$tmp"
}
trap cleanup EXIT
bench() {
  TEST_DATABASE_URL=$1 cargo test --features ssr --test it -- --ignored --nocapture \
    redemption_throughput_benchmark 2>&1 | grep -E '^redemptions on|test result|panicked'
}
echo "==> invite redemptions: SQLite"
bench sqlite
echo "==> invite redemptions: PostgreSQL"
bash scripts/pg.sh start
bench "$(bash scripts/pg.sh url)"
