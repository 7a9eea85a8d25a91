#!/usr/bin/env bash
# Export and verification: Debian's minisign accepts the signature, `rempart evidence verify`
# accepts the bundle, one changed byte anywhere is caught and named, hostile bundles are refused.
source "$(dirname "$0")/lib.sh"
V="$TMP/v"
new_vault "$V"
R=("$REMPART_BIN" --vault "$V/vault.db" --passphrase-file "$V/pass")
"${R[@]}" case new "Harassment" >/dev/null
"${R[@]}" case new "Other case, never exported" >/dev/null
python3 - "$TMP" <<'PY'
import sys, zlib, struct
d = sys.argv[1]
def png(w, h):
    raw = b"".join(b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(w * 3)) for y in range(h))
    def chunk(t, data):
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
open(f"{d}/screenshot.png", "wb").write(png(120, 200))
PY
head -c 3000000 /dev/urandom >"$TMP/video.mp4"
"${R[@]}" evidence add 1 "$TMP/screenshot.png" "$TMP/video.mp4" >/dev/null
"${R[@]}" evidence add 1 --message "Je sais où tu habites. 500 € avant vendredi." --from "@anon" --platform Telegram >/dev/null
"${R[@]}" evidence add 2 --note "SECRET-OF-THE-OTHER-CASE" >/dev/null
"${R[@]}" evidence add 1 --note "Reported to the platform" >/dev/null

expect_exit 0 "export to a folder" "${R[@]}" evidence export 1 --out "$TMP/bundle"
KEY=$(sed -n 's/^  \(RW.*\)$/\1/p' "$TMP/last.out" | head -1)
check "export prints the public key" test -n "$KEY"
check "the bundle has its parts" test -f "$TMP/bundle/manifest.json" -a -f "$TMP/bundle/manifest.json.minisig" -a -f "$TMP/bundle/rempart.pub" -a -f "$TMP/bundle/report.pdf"
check "Debian's minisign accepts the manifest (-P key)" minisign -Vm "$TMP/bundle/manifest.json" -P "$KEY" -q
check "Debian's minisign accepts the manifest (-p file)" minisign -Vm "$TMP/bundle/manifest.json" -p "$TMP/bundle/rempart.pub" -q
check "sha256sum agrees with the manifest" python3 - "$TMP/bundle" <<'PY'
import hashlib, json, sys
b = sys.argv[1]
m = json.load(open(f"{b}/manifest.json"))
for e in m["entries"]:
    assert hashlib.sha256(open(f"{b}/{e['file']}", "rb").read()).hexdigest() == e["sha256"], e["file"]
PY
check "the other case stays secret" bash -c "! grep -rqa 'SECRET-OF-THE-OTHER' '$TMP/bundle'"
check "the report is a readable PDF" bash -c "pdftotext '$TMP/bundle/report.pdf' - | grep -q 'Harassment'"
expect_exit 0 "verify accepts the folder" rempart evidence verify "$TMP/bundle"
expect_exit 0 "verify accepts it with the trusted key" rempart evidence verify "$TMP/bundle" --pubkey "$KEY"
expect_exit 0 "export to a zip" "${R[@]}" evidence export Harassment --out "$TMP/bundle.zip"
expect_exit 0 "verify accepts the zip" rempart evidence verify "$TMP/bundle.zip" --json
check "verify --json says ok" python3 -c "import json; r=json.load(open('$TMP/last.out')); assert r['ok'] and r['entries']==4, r"
expect_exit 5 "export refuses to overwrite" "${R[@]}" evidence export 1 --out "$TMP/bundle.zip"

# One changed byte in each file of the folder bundle: verify fails and names that file.
for f in $(cd "$TMP/bundle" && find . -type f | sed 's|^\./||'); do
  rm -rf "$TMP/t" && cp -r "$TMP/bundle" "$TMP/t"
  python3 - "$TMP/t/$f" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = len(b) // 2
b[i] = (b[i] + 1) % 256
open(p, "wb").write(bytes(b))
PY
  expect_exit 9 "one changed byte in $f fails verification" rempart evidence verify "$TMP/t"
  # A changed key or signature shows as a manifest whose signature no longer matches; every
  # other file must be named itself.
  case "$f" in
    rempart.pub | manifest.json.minisig) named="grep -qF -e '$f' -e 'manifest.json:' '$TMP/last.out'" ;;
    *) named="grep -qF '$f' '$TMP/last.out'" ;;
  esac
  check "the failure names $f" bash -c "$named"
done
rm -rf "$TMP/t" && cp -r "$TMP/bundle" "$TMP/t" && echo extra >"$TMP/t/files/extra.txt"
expect_exit 9 "an added file fails verification" rempart evidence verify "$TMP/t"
check "the added file is named" contains "$TMP/last.out" "files/extra.txt"

# Hostile bundles.
python3 - "$TMP" <<'PY'
import sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(f"{d}/evil.zip", "w") as z:
    z.writestr("manifest.json", "{}")
    z.writestr("../../escaped.txt", "gotcha")
with zipfile.ZipFile(f"{d}/abs.zip", "w") as z:
    z.writestr("manifest.json", "{}")
    z.writestr("/tmp/abs.txt", "gotcha")
with zipfile.ZipFile(f"{d}/bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("manifest.json", b"\0" * (200 << 20))
with zipfile.ZipFile(f"{d}/huge.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("manifest.json", b" " * (70 << 20))
open(f"{d}/garbage.zip", "wb").write(b"PK\x03\x04" + b"\xff" * 5000)
PY
expect_exit 11 "a ../ path is refused" rempart evidence verify "$TMP/evil.zip"
check "nothing escaped" test ! -e "$TMP/../escaped.txt"
expect_exit 11 "an absolute path is refused" rempart evidence verify "$TMP/abs.zip"
expect_exit 11 "a zip bomb is refused" rempart evidence verify "$TMP/bomb.zip"
expect_exit 11 "a huge manifest is refused" rempart evidence verify "$TMP/huge.zip"
expect_exit 11 "garbage is refused" rempart evidence verify "$TMP/garbage.zip"
expect_exit 8 "a missing bundle exits 8" rempart evidence verify "$TMP/none.zip"
finish
