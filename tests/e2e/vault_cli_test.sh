#!/usr/bin/env bash
# The vault from the command line: init, passphrases, cases, every kind of entry, check,
# passwd, wipe, French output, and the documented exit codes.
source "$(dirname "$0")/lib.sh"
V="$TMP/v"
new_vault "$V"
R=("$REMPART_BIN" --vault "$V/vault.db" --passphrase-file "$V/pass")

expect_exit 5 "init refuses to overwrite a vault" "${R[@]}" init --kdf-profile interactive
printf 'wrong passphrase\n' >"$TMP/wrong"
before=$(sha256sum "$V/vault.db")
expect_exit 3 "a wrong passphrase exits 3" rempart --vault "$V/vault.db" --passphrase-file "$TMP/wrong" case list
check "a wrong passphrase says so" contains "$TMP/last.err" "wrong passphrase"
check "a wrong passphrase changes nothing" test "$before" = "$(sha256sum "$V/vault.db")"
expect_exit 4 "a missing vault exits 4" rempart --vault "$TMP/nothing.db" --passphrase-file "$V/pass" case list
expect_exit 2 "an unknown command exits 2" rempart frobnicate

expect_exit 0 "case new" "${R[@]}" case new "Blackmail March"
check "case new names the case" contains "$TMP/last.out" "Case 1 created"
python3 -c "import base64,sys; sys.stdout.buffer.write(base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='))" >"$TMP/shot.bin"
mkdir -p "$TMP/folder/sub" && echo "hello" >"$TMP/folder/a.txt" && echo "%PDF-1.4" >"$TMP/folder/sub/b.pdf"
expect_exit 0 "evidence add files and a folder" "${R[@]}" evidence add 1 "$TMP/shot.bin" "$TMP/folder"
expect_exit 0 "evidence add a message" "${R[@]}" evidence add "Blackmail March" \
  --message "Pay or your family sees it" --from "+33612345678" --platform WhatsApp \
  --received "2026-03-14T21:30:00+01:00"
expect_exit 0 "evidence add a url" "${R[@]}" evidence add 1 --url https://example.org/x --seen "2026-03-15 10:00"
echo "a long note from stdin" | "${R[@]}" evidence add 1 --note - >/dev/null
check "evidence add a note from stdin" test $? -eq 0
expect_exit 8 "adding a missing file exits 8 and adds nothing" "${R[@]}" evidence add 1 "$TMP/missing.png"
expect_exit 8 "a missing case exits 8" "${R[@]}" evidence add 7 --note x

expect_exit 0 "case show --json" "${R[@]}" case show 1 --json
check "types are detected from the content" python3 - "$TMP/last.out" <<'PY'
import json, sys
case = json.load(open(sys.argv[1]))
mimes = [e["mime"] for e in case["entries"]]
assert mimes[:4] == ["image/png", "text/plain", "application/pdf", "text/plain"], mimes
kinds = [e["kind"] for e in case["entries"]]
assert kinds == ["file", "file", "file", "message", "url", "note"], kinds
assert case["entries"][3]["received_at"] == "2026-03-14T20:30:00Z"
assert all(len(e["sha256"]) == 64 for e in case["entries"])
PY
expect_exit 0 "case list --json" "${R[@]}" case list --json
check "case list counts entries" python3 -c "import json,sys; c=json.load(open('$TMP/last.out')); assert c[0]['entries']==6, c"
expect_exit 0 "evidence check on an intact vault" "${R[@]}" evidence check
check "evidence check reports all entries" contains "$TMP/last.out" "All 6 entries are intact"

expect_exit 0 "French output with LANG=fr_FR.UTF-8" env LANG=fr_FR.UTF-8 "$REMPART_BIN" --vault "$V/vault.db" --passphrase-file "$V/pass" evidence check
check "evidence check speaks French" contains "$TMP/last.out" "intactes"
expect_exit 0 "French help" env LANG=fr_FR.UTF-8 "$REMPART_BIN" --help
check "the help is in French" contains "$TMP/last.out" "Créer un nouveau coffre"
expect_exit 3 "French errors" env LANG=fr_FR.UTF-8 "$REMPART_BIN" --vault "$V/vault.db" --passphrase-file "$TMP/wrong" case list
check "the error is in French" contains "$TMP/last.err" "phrase secrète incorrecte"

printf 'a brand new passphrase\n' >"$TMP/new"
expect_exit 0 "passwd" "${R[@]}" passwd --new-passphrase-file "$TMP/new" --kdf-profile interactive
expect_exit 3 "the old passphrase no longer opens" "${R[@]}" case list
expect_exit 0 "the new one does" rempart --vault "$V/vault.db" --passphrase-file "$TMP/new" case show 1

expect_exit 2 "wipe without a terminal asks for --yes" rempart --vault "$V/vault.db" wipe </dev/null
expect_exit 0 "wipe --yes" rempart --vault "$V/vault.db" wipe --yes
check "wipe says it is done" contains "$TMP/last.out" "Vault wiped in"
expect_exit 10 "a wiped vault exits 10 even with the right passphrase" rempart --vault "$V/vault.db" --passphrase-file "$TMP/new" case list
finish
