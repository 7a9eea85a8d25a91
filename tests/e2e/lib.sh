# Shared helpers for the end-to-end tests: each test sources this, then calls `check` and
# `expect_exit`; the summary line at the end is what CTest and CI read.
set -uo pipefail
: "${REMPART_BIN:?set REMPART_BIN to the rempart binary}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rempart-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0
export LANG=C.UTF-8 LC_ALL= LANGUAGE=
# Tests use the lightest key-derivation profile so that they run fast under sanitizers.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

rempart() { "$REMPART_BIN" "$@"; }

pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

# check DESCRIPTION COMMAND...: passes when COMMAND exits 0.
check() {
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# expect_exit CODE DESCRIPTION COMMAND...: passes when COMMAND exits with CODE.
expect_exit() {
  local code=$1 what=$2; shift 2
  "$@" >"$TMP/last.out" 2>"$TMP/last.err"
  local got=$?
  if [ "$got" -eq "$code" ]; then pass "$what"; else
    fail "$what (exit $got, wanted $code)"; sed 's/^/    /' "$TMP/last.err" | head -5
  fi
}

# contains FILE TEXT: FILE contains TEXT.
contains() { grep -qF -- "$2" "$1"; }

# new_vault DIR: an initialised vault with passphrase file DIR/pass.
new_vault() {
  mkdir -p "$1"
  printf 'correct horse battery staple\n' >"$1/pass"
  rempart --vault "$1/vault.db" --passphrase-file "$1/pass" init --kdf-profile interactive >/dev/null
}

finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
