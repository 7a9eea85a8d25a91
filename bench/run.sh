#!/usr/bin/env bash
# Runs every benchmark against the Release build and prints ratios to the named peers.
set -euo pipefail
BUILD=${1:-build/release}
cd "$(dirname "$0")/.."
python3 bench/evidence_bench.py "$BUILD/src/cli/rempart" "${@:2}"
