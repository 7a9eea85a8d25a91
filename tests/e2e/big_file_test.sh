#!/usr/bin/env bash
# A large video goes in and comes out in bounded memory (chunked encryption, streamed export).
# REMPART_BIG_FILE_MB sets the size (default 1024). Under the sanitizers memory is inflated
# (shadow memory, allocator caches), so this test bounds what the file adds on top of merely
# opening the vault; bench/ measures the absolute peak of a 2 GB file with the Release build.
source "$(dirname "$0")/lib.sh"
MB=${REMPART_BIG_FILE_MB:-1024}
GROWTH_KB=$((64 * 1024))
# ASan keeps freed memory in a quarantine; keep it small so RSS reflects what the program holds.
export ASAN_OPTIONS="quarantine_size_mb=8:detect_leaks=0"
V="$TMP/v"
new_vault "$V"
R=("$REMPART_BIN" --vault "$V/vault.db" --passphrase-file "$V/pass")
"${R[@]}" case new "video" >/dev/null
# Incompressible, like a real video, without paying for /dev/urandom: a repeated random block.
head -c 1048576 /dev/urandom >"$TMP/block"
for _ in $(seq "$MB"); do cat "$TMP/block"; done >"$TMP/video.mp4"
rss() { awk '/Maximum resident set size/ {print $6}' "$1"; }
/usr/bin/time -v "${R[@]}" case list >/dev/null 2>"$TMP/open.time"
LIMIT_KB=$(( $(rss "$TMP/open.time") + GROWTH_KB ))
echo "# opening the vault: peak RSS $(rss "$TMP/open.time") kB; limit with a ${MB} MB file: ${LIMIT_KB} kB"
/usr/bin/time -v "${R[@]}" evidence add 1 "$TMP/video.mp4" >/dev/null 2>"$TMP/add.time"
added=$?
check "a ${MB} MB file is added" test "$added" -eq 0
add_kb=$(rss "$TMP/add.time")
echo "# evidence add of ${MB} MB: peak RSS ${add_kb} kB"
check "evidence add stays within 64 MB of opening the vault" test "$add_kb" -lt "$LIMIT_KB"
rm -f "$TMP/video.mp4"
/usr/bin/time -v "${R[@]}" evidence export 1 --out "$TMP/b.zip" >/dev/null 2>"$TMP/export.time"
exported=$?
check "the case is exported" test "$exported" -eq 0
export_kb=$(rss "$TMP/export.time")
echo "# evidence export of ${MB} MB: peak RSS ${export_kb} kB"
check "evidence export stays within 64 MB of opening the vault" test "$export_kb" -lt "$LIMIT_KB"
/usr/bin/time -v "$REMPART_BIN" evidence verify "$TMP/b.zip" >/dev/null 2>"$TMP/verify.time"
verified=$?
check "the bundle verifies" test "$verified" -eq 0
verify_kb=$(rss "$TMP/verify.time")
echo "# evidence verify of ${MB} MB: peak RSS ${verify_kb} kB"
check "evidence verify stays within 64 MB of opening the vault" test "$verify_kb" -lt "$LIMIT_KB"
finish
