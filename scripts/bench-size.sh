#!/usr/bin/env bash
# `make bench`: what the browser downloads. Builds the release site (cargo leptos build
# --release), prints raw / gzip -9 / brotli q11 bytes of every wasm, JS and CSS file in the
# site's pkg dir, and which of them each entry page (/, /login, /register, /marketplace,
# /partners and /admin signed in) names in its HTML before it is interactive, read from a
# running release server. Fails when an entry page or the whole site is more than 10 % over
# bench/budget.json (BENCH_UPDATE_BUDGET=1 rewrites the budget from this build). Beside the
# pages, the floor: bench/floor, an empty Leptos app (the start-axum template's shape) built the
# same way (BENCH_FLOOR=0 skips it; its first build takes about 3 minutes). Then a profile of the
# wasm: twiggy top when twiggy is installed, else the browser build's dependency tree.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
build_release_site

start_release_server TRIBUTARY_SEED_DEMO=minimal TRIBUTARY_STRIPE_DEMO=0 TRIBUTARY_PAYPAL_DEMO=0 \
  TRIBUTARY_PAYOUT_RUN_SECONDS=0

# page TAB /pkg/file for every /pkg file the page's HTML names.
assets() { grep -o "/pkg/[^\"' )>]*" | sed "s|^|$1\t|" | sort -u; }
for page in / /login /register /marketplace; do
  curl -fsS "$base$page" | assets "$page" >>"$tmp/pages.tsv"
done
signed_in() {
  local jar=$tmp/$1.jar
  curl -fsS -o /dev/null -c "$jar" -H 'Accept: application/json' \
    --data "email=$1%40tributary.test&password=bench-password" "$base/api/login"
  curl -fsS -b "$jar" "$base$2" | assets "$2 (signed in)" >>"$tmp/pages.tsv"
}
signed_in partner /partners
signed_in admin /admin

floor_pkg=
if [ "${BENCH_FLOOR:-1}" != 0 ]; then
  echo "==> the floor: cargo leptos build --release in bench/floor"
  floor_target=${CARGO_TARGET_DIR:-$PWD/target}/floor
  (cd bench/floor && CARGO_TARGET_DIR=$floor_target LEPTOS_OUTPUT_NAME=floor cargo leptos build --release 2>&1 | tail -n 1) ||
    echo "(the floor did not build: sizes without it)"
  for dir in "$floor_target/site/pkg" bench/floor/target/site/pkg; do
    [ -f "$dir/floor.wasm" ] && floor_pkg=$dir && break
  done
fi

echo "==> sizes (gzip -9, brotli q11)"
mode=; [ "${BENCH_UPDATE_BUDGET:-0}" = 1 ] && mode=--update
status=0
FLOOR_PKG=$floor_pkg node scripts/size-report.mjs "$site_root/pkg" "$tmp/pages.tsv" bench/budget.json $mode || status=1

echo "==> profile of the wasm"
if command -v twiggy >/dev/null; then
  for wasm in "$site_root"/pkg/*.wasm; do twiggy top -n 25 "$wasm"; done
else
  echo "(twiggy not installed: \`cargo install twiggy --locked\`; the browser build's direct dependencies, each with the number of crates under it in the tree, repeats included)"
  cargo tree --features hydrate --no-default-features --target wasm32-unknown-unknown -e normal --prefix depth 2>/dev/null |
    awk '{ match($0, /^[0-9]+/); depth = substr($0, 1, RLENGTH) + 0 }
      depth == 1 { cur = substr($1, RLENGTH + 1) " " $2; n[cur] = 0 } depth > 1 { n[cur]++ }
      END { for (d in n) print n[d] "\t" d }' |
    sort -rn | head -n 20
fi
exit $status
