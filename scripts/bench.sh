#!/usr/bin/env bash
# Placeholder for `make bench`; the benchmarks will be written later.
set -euo pipefail
echo "no benchmarks yet"
