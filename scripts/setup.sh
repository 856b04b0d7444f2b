#!/usr/bin/env bash
# Install the tools the build needs; run by `make run` (mode run) and `make test` (mode test).
#   scripts/setup.sh [run|test]
# Idempotent and silent when everything is there. Before each install it prints one line
# saying what and roughly how long; the install's output goes to a log that is shown only
# if the install fails.
# Nothing may come from GitHub on these machines, so every tool is installed from crates.io,
# npm or Debian and put on PATH, where cargo-leptos looks before trying to download it.
set -euo pipefail
mode=${1:-run}
case $mode in
  run | test) ;;
  *) echo "usage: $0 [run|test]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
source scripts/lib.sh

# 0.3.11 needs rustc 1.96; 0.3.10 --locked builds on stable 1.95.
CARGO_LEPTOS_VERSION=0.3.10
# Debian's binaryen (108) breaks hydration; npm's 132 works.
BINARYEN_VERSION=132

logdir=${TMPDIR:-/tmp}/tributary-setup
mkdir -p "$logdir"

# step NAME MESSAGE COMMAND...: announce, run COMMAND with its output in $logdir/NAME.log,
# and stop with the log's tail if it fails.
step() {
  local log="$logdir/$1.log"
  echo "setup: $2"
  shift 2
  if ! "$@" >"$log" 2>&1; then
    echo "setup: failed: $* (end of $log follows)" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

need() {
  command -v "$1" >/dev/null || { echo "setup: $1 not found: $2" >&2; exit 1; }
}
need cargo "install Rust with rustup (https://rustup.rs)"
need rustup "install Rust with rustup (https://rustup.rs)"
need npm "install Node.js 20 or newer with npm"

# Used in pipelines below: grep without -q reads all its input, so the producer never gets
# SIGPIPE (which pipefail would turn into a false "missing").

# wasm target for the hydrate (browser) half of the app.
if ! rustup target list --installed | grep -x wasm32-unknown-unknown >/dev/null; then
  step wasm-target "adding rustup target wasm32-unknown-unknown (about 1 minute, once)" \
    rustup target add wasm32-unknown-unknown
fi

# wasm-opt (only release builds call it) into the tools dir, first on PATH.
if ! "$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep "version $BINARYEN_VERSION\b" >/dev/null; then
  mkdir -p "$TOOLS"
  step binaryen "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into $TOOLS (about 10 seconds, once)" \
    npm install --prefix "$TOOLS" --save-exact --no-audit --no-fund "binaryen@$BINARYEN_VERSION"
fi

if [ "$mode" = test ]; then
  # Playwright drives Debian's chromium; `npx playwright install` would need the internet.
  if [ ! -x /usr/bin/chromium ]; then
    step chromium "installing Debian chromium (about 2 minutes, once)" apt_install chromium
  fi

  # The SMTP server the mail tests start (tests/mail.rs runs Debian's /usr/bin/python3 with it).
  if ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    step aiosmtpd "installing Debian python3-aiosmtpd for the mail tests (about 30 seconds, once)" \
      apt_install python3-aiosmtpd
  fi

  # Playwright itself. node_modules/.package-lock.json is npm's record of what it installed;
  # reinstall when package.json or package-lock.json is newer than it.
  stamp=end2end/node_modules/.package-lock.json
  if [ ! -e "$stamp" ] || [ end2end/package.json -nt "$stamp" ] \
    || { [ -e end2end/package-lock.json ] && [ end2end/package-lock.json -nt "$stamp" ]; }; then
    e2e_npm() (
      cd end2end
      # @playwright/test does not download browsers itself; make sure nothing else does.
      export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
      if [ -e package-lock.json ]; then
        npm ci --no-audit --no-fund
      else
        npm install --no-audit --no-fund
      fi
      touch node_modules/.package-lock.json
    )
    step end2end-npm "installing end2end npm packages (@playwright/test, about 10 seconds)" e2e_npm
  fi
fi

# cargo-leptos, exact version (it does not check the versions of the tools it runs, and
# newer releases need a newer rustc).
cargo_leptos_version() { cargo leptos --version 2>/dev/null | awk '{print $2}' || true; }
if [ "$(cargo_leptos_version)" != "$CARGO_LEPTOS_VERSION" ]; then
  # A provisioning script may be compiling it already: wait instead of compiling it twice
  # on two cores.
  if pgrep -f 'cargo.* install .*cargo-leptos' >/dev/null; then
    echo "setup: waiting for the cargo-leptos install that is already running"
    while pgrep -f 'cargo.* install .*cargo-leptos' >/dev/null; do sleep 10; done
  fi
  if [ "$(cargo_leptos_version)" != "$CARGO_LEPTOS_VERSION" ]; then
    # Without the project's CARGO_TARGET_DIR: cargo install then builds in a throwaway
    # directory instead of holding the project's release build lock for 15 minutes.
    step cargo-leptos "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once)" \
      env -u CARGO_TARGET_DIR cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked
  fi
fi

# wasm-bindgen CLI: must be exactly the version of the wasm-bindgen crate in Cargo.lock
# ("schema version" error otherwise). Without --locked: its lock file pins a dependency
# version that the registry no longer has.
wasm_bindgen_want=$(awk '
  /^\[\[package\]\]/ { name = "" }
  /^name = /         { name = $3 }
  name == "\"wasm-bindgen\"" && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)
if [ -z "$wasm_bindgen_want" ]; then
  echo "setup: no wasm-bindgen package in Cargo.lock" >&2
  exit 1
fi
wasm_bindgen_have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$wasm_bindgen_have" != "$wasm_bindgen_want" ]; then
  step wasm-bindgen "installing wasm-bindgen-cli $wasm_bindgen_want (about 3 minutes, once per version)" \
    env -u CARGO_TARGET_DIR cargo install wasm-bindgen-cli --version "$wasm_bindgen_want"
fi
