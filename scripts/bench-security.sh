#!/usr/bin/env bash
# Part of `make bench`: what the hardening costs and bounds, on the release server.
#   1. Peak memory under a registration flood: BENCH_FLOOD (250) concurrent registrations,
#      the per-IP registration limit lifted so every one reaches the password-hashing gate
#      (the worst case: a flood from many addresses), while one login from another address
#      is timed. Targets: peak RSS < 300 MiB, that login answers within 1 s.
#   2. The release wasm on the wire: bytes without Accept-Encoding, with gzip, with br.
# Needs the release site (cargo leptos build --release; built here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

flood=${BENCH_FLOOD:-250}
max_rss_mib=300
max_login_ms=1000
build_release_site

start_release_server TRIBUTARY_SEED_DEMO=1 \
  TRIBUTARY_REGISTER_PER_IP_PER_MINUTE=100000 TRIBUTARY_LOGIN_PER_IP_PER_MINUTE=100000
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }
echo "==> registration flood: $flood concurrent registrations (RSS before: $(( $(rss_kib) / 1024 )) MiB)"

# One curl per registration, all started at once (one connection each).
seq 1 "$flood" | xargs -P "$flood" -I{} curl -s -o /dev/null -w '%{http_code}\n' -H 'Accept: application/json' \
  --data 'email=flood{}%40example.com&password=correct+horse+battery' "$base/api/register" >"$tmp/flood.codes" &
flood_pid=$!
peak=0
login_ms=
while kill -0 "$flood_pid" 2>/dev/null; do
  now=$(rss_kib); [ "$now" -gt "$peak" ] && peak=$now
  if [ -z "$login_ms" ]; then
    # The demo partner user logs in from another address while the flood runs.
    login_ms=$(curl -s -o /dev/null --interface 127.0.9.1 -w '%{time_total}' -H 'Accept: application/json' \
      --data 'email=partner%40tributary.test&password=bench-password' "$base/api/login" | awk '{ printf "%d", $1 * 1000 }')
  fi
  sleep 0.02
done
wait "$flood_pid" || true
peak_hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")
[ "$peak_hwm" -gt "$peak" ] && peak=$peak_hwm
echo "    answers: $(sort "$tmp/flood.codes" | uniq -c | awk '{ printf "%s x %s  ", $1, $2 }')"
peak_mib=$((peak / 1024))
rss_ok=MISSED; [ "$peak_mib" -lt "$max_rss_mib" ] && rss_ok=MET
login_ok=MISSED; [ -n "$login_ms" ] && [ "$login_ms" -le "$max_login_ms" ] && login_ok=MET
echo "peak RSS during the flood: $peak_mib MiB (target < $max_rss_mib MiB): $rss_ok"
echo "login from another address during the flood: ${login_ms:-?} ms (target <= $max_login_ms ms): $login_ok"

echo "==> the release wasm on the wire"
wasm_path=$(curl -fsS "$base/login" | grep -o "/pkg/[^\"']*\.wasm" | head -n1 || true)
[ -n "$wasm_path" ] || wasm_path=/pkg/${output_name}_bg.wasm
# The server precompresses at start; wait for the .br and .gz beside the file.
for _ in $(seq 1 600); do
  [ -e "$site_root$wasm_path.br" ] && [ -e "$site_root$wasm_path.gz" ] && break
  sleep 0.1
done
bytes() { curl -fsS -o /dev/null -w '%{size_download}' "$@" "$base$wasm_path"; }
echo "    $wasm_path: identity $(bytes) B, gzip $(bytes -H 'Accept-Encoding: gzip') B, br $(bytes -H 'Accept-Encoding: br') B"
echo "    HTML of /login: identity $(curl -fsS -o /dev/null -w '%{size_download}' "$base/login") B, br $(curl -fsS -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: br' "$base/login") B"
echo "    cache-control of the wasm: $(curl -fsS -o /dev/null -D - "$base$wasm_path" | grep -i '^cache-control' | tr -d '\r')"
