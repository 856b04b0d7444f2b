#!/usr/bin/env bash
# `make bench`: the admin and portal pages at volume (tests/it/volume_bench.rs, release
# build). For each database and scale it seeds with bulk SQL 10,000 partners, 100,000
# referred workspaces, 1,000,000 commissions and 5,000,000 clicks times the scale, then
# prints p50/p95 of each page's SSR answer, the peak RSS at 64 connections and the plans of
# the queries behind the pages; a plan that reads a large table whole fails the bench.
# Last, per page, how much the p95 grew from the smallest to the largest scale (target:
# 10× the data costs < 1.5× the latency; printed, not judged). Target p95 ≤ 30 ms on SQLite.
# Then the latency budget (bench/volume-budget.tsv, measured on this machine): a page whose
# p50 is more than 10 % over its budget (and at least 0.5 ms, the timer's noise on sub-ms
# pages) fails the bench; p95 is printed beside it but not judged, since of 20–40 requests
# a single stall moves it. BENCH_UPDATE_BUDGET=1 writes this run's figures into the budget.
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

budget=bench/volume-budget.tsv
if [ "${BENCH_UPDATE_BUDGET:-0}" = 1 ] || [ ! -s "$budget" ]; then
  # This run's rows replace the budget's rows of the same database and scale.
  { printf '# database\tscale\tpage\tp50 ms\tp95 ms (scripts/bench-volume.sh; BENCH_UPDATE_BUDGET=1 rewrites)\n'
    { [ ! -s "$budget" ] || awk -F'\t' 'NR == FNR { run[$1 "\t" $2] = 1; next }
        !/^#/ && !(($1 "\t" $2) in run)' "$BENCH_OUT" "$budget"
      cat "$BENCH_OUT"; } | sort -t$'\t' -k1,1 -k2,2n -k3,3; } >"$tmp/budget.tsv"
  mv "$tmp/budget.tsv" "$budget"
  echo "latency budget written to $budget (commit it)"
else
  printf '\n| database | scale | page | p50 ms (budget) | p95 ms (budget) | verdict |\n| --- | --- | --- | --- | --- | --- |\n'
  awk -F'\t' 'NR == FNR { if (!/^#/) { p50[$1 "\t" $2 "\t" $3] = $4; p95[$1 "\t" $2 "\t" $3] = $5 }; next }
    { k = $1 "\t" $2 "\t" $3
      if (!(k in p50)) { printf "| %s | %s | %s | %s (none) | %s (none) | no budget |\n", $1, $2, $3, $4, $5; next }
      limit = p50[k] * 1.1; if (limit < p50[k] + 0.5) limit = p50[k] + 0.5
      verdict = ($4 > limit) ? "OVER" : "ok"; if (verdict == "OVER") over++
      printf "| %s | %s | %s | %s (%s) | %s (%s) | %s |\n", $1, $2, $3, $4, p50[k], $5, p95[k], verdict }
    END { if (over) { printf "\n%d page(s) more than 10 %% over their p50 budget\n", over; exit 1 } }' \
    "$budget" "$BENCH_OUT" || status=1
fi
exit $status
