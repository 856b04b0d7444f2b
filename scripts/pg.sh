#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests: trust auth, 127.0.0.1 on a free port, data and
# socket in /tmp/tributary-pg-PORT, fsync off (nothing here has to survive a crash).
#   scripts/pg.sh start   start one (prints nothing) and record its URL in the state file
#   scripts/pg.sh url     print postgres://postgres@127.0.0.1:PORT/postgres
#   scripts/pg.sh stop    stop it and delete its data
# The state file is $TRIBUTARY_PG_STATE, default ${TMPDIR:-/tmp}/tributary-pg.url; give each
# concurrent user (e.g. scripts/test.sh) its own.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

state=${TRIBUTARY_PG_STATE:-${TMPDIR:-/tmp}/tributary-pg.url}

# Debian keeps the server binaries off PATH, one directory per major version: take the highest.
pg_bindir() {
  find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

# The server refuses to run as root: as root, run it as the `postgres` user. From / so that
# user never has to read the caller's working directory.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Port of the recorded cluster (empty if none).
recorded_port() {
  [ -s "$state" ] || return 0
  local url
  url=$(cat "$state")
  url=${url##*:}
  echo "${url%%/*}"
}

start() {
  local bindir port dir
  bindir=$(pg_bindir)
  if [ -z "$bindir" ]; then
    echo "pg.sh: installing the PostgreSQL server (about 1 minute, once)" >&2
    local log=${TMPDIR:-/tmp}/tributary-pg-install.log
    if ! { apt_install postgresql-15 || apt_install postgresql; } >"$log" 2>&1; then
      tail -n 40 "$log" >&2
      exit 1
    fi
    bindir=$(pg_bindir)
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "pg.sh: no postgres user to run the server as (reinstall postgresql-15)" >&2
    exit 1
  fi

  # Already running? Then there is nothing to do.
  port=$(recorded_port)
  if [ -n "$port" ] && "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    return 0
  fi
  stop # clears a stale record (e.g. after a reboot)

  port=$(free_port)
  dir=/tmp/tributary-pg-$port
  rm -rf "$dir"
  mkdir -m 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi

  if ! as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    exit 1
  fi
  # max_connections: the tests open many pools at once (default 100 is too few).
  if ! as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -s start \
    -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; then
    cat "$dir/server.log" >&2
    exit 1
  fi
  for _ in $(seq 60); do
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
  done
  "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" || {
    echo "pg.sh: server on port $port did not become ready" >&2
    cat "$dir/server.log" >&2
    exit 1
  }
  echo "postgres://postgres@127.0.0.1:$port/postgres" >"$state"
}

stop() {
  local port dir bindir
  port=$(recorded_port)
  [ -n "$port" ] || { rm -f "$state"; return 0; }
  dir=/tmp/tributary-pg-$port
  bindir=$(pg_bindir)
  if [ -n "$bindir" ] && [ -e "$dir/data/postmaster.pid" ]; then
    # immediate: the data is thrown away anyway.
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -s -w stop || true
  fi
  rm -rf "$dir" "$state"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  url)
    if [ -s "$state" ]; then
      cat "$state"
    else
      echo "pg.sh: no cluster running (run scripts/pg.sh start)" >&2
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
