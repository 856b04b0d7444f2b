#!/usr/bin/env bash
# `make bench`: the admin and portal pages at volume (tests/it/volume_bench.rs, release
# build). For each database and scale it seeds with bulk SQL 10,000 partners, 100,000
# referred workspaces, 1,000,000 commissions and 5,000,000 clicks times the scale, then
# prints p50/p95 of each page's SSR answer, the peak RSS at 64 connections and the plans of
# the queries behind the pages; a plan that reads a large table whole fails the bench.
# Last, per page, how much the p95 grew from the smallest to the largest scale (target:
# 10× the data costs < 1.5× the latency; printed, not judged). Target p95 ≤ 30 ms on SQLite.
#   BENCH_SCALES (default "0.1 1"), BENCH_DATABASES (default "sqlite postgres"),
#   BENCH_REQUESTS (default 40 per page).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# The RUSTFLAGS of every build (scripts/lib.sh), like bench-payouts.sh, so both share one build.
export RUSTFLAGS=$app_rustflags LEPTOS_OUTPUT_NAME=tributary
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tributary-bench-volume.XXXXXX")
export TRIBUTARY_PG_STATE=$tmp/pg.url BENCH_OUT=$tmp/p95.tsv
# shellcheck disable=SC2317 # called by the trap below
cleanup() {
  [ ! -s "$TRIBUTARY_PG_STATE" ] || bash scripts/pg.sh stop || true
  rm -rf "$tmp"
}
trap cleanup EXIT

scales=${BENCH_SCALES:-0.1 1}
status=0
for database in ${BENCH_DATABASES:-sqlite postgres}; do
  url=sqlite
  if [ "$database" = postgres ]; then
    bash scripts/pg.sh start
    url=$(bash scripts/pg.sh url)
  fi
  for scale in $scales; do
    echo "==> volume: $database, scale $scale"
    BENCH_SCALE=$scale TEST_DATABASE_URL=$url cargo test --release --features ssr --test it \
      volume_bench -- --ignored --nocapture 2>&1 | grep -v -E '^(running|test |$)|Finished|Running' || status=1
  done
done

# p95 at the largest scale over the smallest, per database and page.
[ -s "$BENCH_OUT" ] || exit 1
printf '\n| database | page | p95 small → large scale (ms) | × |\n| --- | --- | --- | --- |\n'
awk -F'\t' '
  { key = $1 "\t" $3; if (!(key in lo) || $2 < los[key]) { lo[key] = $5; los[key] = $2 }
    if (!(key in hi) || $2 > his[key]) { hi[key] = $5; his[key] = $2 } }
  END {
    for (k in lo) if (his[k] != los[k]) { split(k, f, "\t"); printf "| %s | %s | %s → %s | %.2f |\n", f[1], f[2], lo[k], hi[k], hi[k] / lo[k] }
  }' "$BENCH_OUT" | sort
exit $status
