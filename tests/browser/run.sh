#!/usr/bin/env bash
# Runs the browser tests against a rempart binary: makes a demo vault with the CLI, installs
# playwright-core from package-lock.json when missing, then runs vault.spec.mjs and
# media.spec.mjs (which needs no vault: it writes its photo with make-photo.py).
#   tests/browser/run.sh build/release/src/cli/rempart
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(realpath "${1:?usage: run.sh PATH_TO_REMPART}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$here"
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
"$here/make-vault.sh" "$bin" "$work" > /dev/null
REMPART_BIN="$bin" REMPART_VAULT="$work/vault.db" REMPART_PASSPHRASE_FILE="$work/passphrase" \
  node --test vault.spec.mjs media.spec.mjs
