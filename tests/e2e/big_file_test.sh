#!/usr/bin/env bash
# A large video goes in and comes out in bounded memory (chunked encryption, streamed export).
# REMPART_BIG_FILE_MB sets the size (default 1024; the issue's 2 GB case: 2048).
source "$(dirname "$0")/lib.sh"
MB=${REMPART_BIG_FILE_MB:-1024}
LIMIT_KB=$((200 * 1024))
# ASan keeps freed memory in a quarantine; keep it small so RSS reflects what the program holds.
export ASAN_OPTIONS="quarantine_size_mb=8:detect_leaks=0"
V="$TMP/v"
new_vault "$V"
R=(rempart --vault "$V/vault.db" --passphrase-file "$V/pass")
"${R[@]}" case new "video" >/dev/null
# Incompressible, like a real video, without paying for /dev/urandom: a repeated random block.
head -c 1048576 /dev/urandom >"$TMP/block"
for _ in $(seq "$MB"); do cat "$TMP/block"; done >"$TMP/video.mp4"
rss() { awk '/Maximum resident set size/ {print $6}' "$1"; }
/usr/bin/time -v "${R[@]}" evidence add 1 "$TMP/video.mp4" >/dev/null 2>"$TMP/add.time"
check "a ${MB} MB file is added" test $? -eq 0
add_kb=$(rss "$TMP/add.time")
echo "# evidence add of ${MB} MB: peak RSS ${add_kb} kB"
check "evidence add stays under 200 MB of RSS" test "$add_kb" -lt "$LIMIT_KB"
rm -f "$TMP/video.mp4"
/usr/bin/time -v "${R[@]}" evidence export 1 --out "$TMP/b.zip" >/dev/null 2>"$TMP/export.time"
check "the case is exported" test $? -eq 0
export_kb=$(rss "$TMP/export.time")
echo "# evidence export of ${MB} MB: peak RSS ${export_kb} kB"
check "evidence export stays under 200 MB of RSS" test "$export_kb" -lt "$LIMIT_KB"
/usr/bin/time -v rempart evidence verify "$TMP/b.zip" >/dev/null 2>"$TMP/verify.time"
check "the bundle verifies" test $? -eq 0
verify_kb=$(rss "$TMP/verify.time")
echo "# evidence verify of ${MB} MB: peak RSS ${verify_kb} kB"
check "evidence verify stays under 200 MB of RSS" test "$verify_kb" -lt "$LIMIT_KB"
finish
