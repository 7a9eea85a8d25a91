#!/usr/bin/env bash
# A vault file with bytes flipped in one record: that record is named, the others still open.
source "$(dirname "$0")/lib.sh"
V="$TMP/v"
new_vault "$V"
R=("$REMPART_BIN" --vault "$V/vault.db" --passphrase-file "$V/pass")
"${R[@]}" case new "c" >/dev/null
for i in 1 2 3; do "${R[@]}" evidence add 1 --note "note number $i" >/dev/null; done
# Flip bytes in the middle of entry 2's ciphertext, as a failing disk would.
sqlite3 "$V/vault.db" "UPDATE entries SET sealed = substr(sealed, 1, 40) || randomblob(8) || substr(sealed, 49) WHERE id = 2"
expect_exit 6 "case show exits 6 on a damaged record" "${R[@]}" case show 1
check "the damaged entry is named" contains "$TMP/last.err" "entry 2"
check "entry 1 still opens" contains "$TMP/last.out" "note number 1"
check "entry 3 still opens" contains "$TMP/last.out" "note number 3"
expect_exit 6 "evidence check exits 6" "${R[@]}" evidence check
check "evidence check names entry 2" contains "$TMP/last.out" "entry 2"
check "and only entry 2" bash -c "! grep -q 'entry [13]' '$TMP/last.out'"
expect_exit 6 "exporting the damaged case is refused" "${R[@]}" evidence export 1 --out "$TMP/b"
check "no half bundle is left" test ! -e "$TMP/b"
# A file that is not a vault at all.
head -c 10000 /dev/urandom >"$TMP/junk.db"
expect_exit 6 "a file that is not a vault exits 6" rempart --vault "$TMP/junk.db" --passphrase-file "$V/pass" case list
finish
