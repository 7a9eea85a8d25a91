#!/usr/bin/env bash
# SIGKILL in the middle of `evidence add` leaves a vault that opens and checks clean.
source "$(dirname "$0")/lib.sh"
V="$TMP/v"
new_vault "$V"
R=("$REMPART_BIN" --vault "$V/vault.db" --passphrase-file "$V/pass")
"${R[@]}" case new "c" >/dev/null
"${R[@]}" evidence add 1 --note "before the crash" >/dev/null
head -c 150000000 /dev/urandom >"$TMP/big.mp4"
for delay in 0.3 0.8 1.5 2.5; do
  # The binary itself, not the shell function around it, so that SIGKILL hits the writer.
  "$REMPART_BIN" --vault "$V/vault.db" --passphrase-file "$V/pass" evidence add 1 "$TMP/big.mp4" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  expect_exit 0 "after SIGKILL at ${delay}s the vault checks clean" "${R[@]}" evidence check
  expect_exit 0 "and still takes entries" "${R[@]}" evidence add 1 --note "after a crash at $delay"
done
expect_exit 0 "case show lists the entries" "${R[@]}" case show 1 --json
check "the first entry survived" contains "$TMP/last.out" "before the crash"
finish
