#!/usr/bin/env bash
# Runs every benchmark against the Release build and prints ratios to the named peers.
# `make bench` runs them all; BENCH=scrub (or evidence) runs one.
set -euo pipefail
BUILD=${1:-build/release}
cd "$(dirname "$0")/.."
case "${BENCH:-all}" in
  evidence|all) python3 bench/evidence_bench.py "$BUILD/src/cli/rempart" "${@:2}" ;;&
  scrub|all) python3 bench/scrub_bench.py "$BUILD/src/cli/rempart" "${@:2}" ;;
esac
