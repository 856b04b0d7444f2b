# shellcheck shell=bash
# Sourced by the other scripts in this directory (not run on its own).
# It sets the same environment the Makefile exports, so the scripts behave the same when
# run directly, and holds the few helpers they share.

TOOLS=${TRIBUTARY_TOOLS:-$HOME/.cache/tributary/tools}
# npm binaryen's wasm-opt must come before any Debian binaryen on PATH: Debian's 108 gives a
# release build that throws WebAssembly.Table.set() and never hydrates. cargo-leptos takes
# every tool from PATH without checking its version.
export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Outside the clone: CI starts from a fresh clone, but repeated runs on one machine stay
# incremental.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/tributary/target}
# Leptos reads LEPTOS_ENV at run time (env = "DEV" in Cargo.toml is ignored by cargo-leptos).
export LEPTOS_ENV=${LEPTOS_ENV:-DEV}
# RUST_BACKTRACE=1 turns cargo-leptos errors into pages of frames.
export RUST_BACKTRACE=${RUST_BACKTRACE:-0}
# cargo-leptos gives every build of the app, debug and release, these flags
# (always-erase-components in Cargo.toml: in the release browser build it halves the split
# wasm modules, see the README's size table). Plain cargo builds that should share its
# compiled dependencies (the release benches) use the same.
app_rustflags="--cfg erase_components"

# Prefix for commands that need root (apt-get).
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

# apt-get install; runs apt-get update first only if the package lists don't know the package
# (fresh containers ship without lists).
apt_install() {
  if ! apt-cache show "$1" >/dev/null 2>&1; then
    "${as_root[@]}" apt-get update
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

# Print a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    # A refused connection means the port is free.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# Builds the release server and site (cargo leptos build --release) and sets output_name,
# server_bin and site_root for the release benches.
build_release_site() {
  output_name=$(awk -F'"' '/^output-name *=/ { print $2; exit }' Cargo.toml)
  echo "==> cargo leptos build --release --split (the server binary and the site)"
  # --split on every cargo-leptos build: see src/ui/split.rs.
  LEPTOS_OUTPUT_NAME=$output_name cargo leptos build --release --split 2>&1 | tail -n 3
  server_bin=$CARGO_TARGET_DIR/release/$output_name
  site_root=$CARGO_TARGET_DIR/site
  [ -d "$site_root/pkg" ] || site_root=target/site
}

# Starts the release server (after build_release_site) on a free port with a fresh SQLite
# database in a new temp dir, passing the extra environment "$@" (NAME=value …); sets tmp,
# base and server_pid, waits until it answers, and stops it and deletes tmp on exit.
start_release_server() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/tributary-bench.XXXXXX")
  trap stop_release_server EXIT
  local port
  port=$(free_port)
  base=http://127.0.0.1:$port
  env LEPTOS_ENV=PROD LEPTOS_SITE_ROOT="$site_root" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn \
    DATABASE_URL="sqlite://$tmp/bench.db?mode=rwc" TRIBUTARY_DEMO_PASSWORD=bench-password "$@" \
    "$server_bin" >"$tmp/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$base/login" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "the release server did not answer within 30 s:" >&2
  tail -n 20 "$tmp/server.log" >&2
  return 1
}

# shellcheck disable=SC2317 # the EXIT trap of start_release_server
stop_release_server() {
  if [ -n "${server_pid:-}" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
