#!/usr/bin/env bash
# Makes a small demo vault for the browser tests with the real CLI:
#   make-vault.sh REMPART_BIN OUT_DIR
# writes OUT_DIR/vault.db and OUT_DIR/passphrase (one case with an image, a message with
# markup in it, a link and a note; plus an empty case).
set -euo pipefail
bin=$1
out=$2
mkdir -p "$out"
rm -f "$out/vault.db"
printf '%s' 'correct horse battery staple' > "$out/passphrase"
export REMPART_PASSPHRASE_FILE="$out/passphrase"
# A 2x2 PNG screenshot stand-in, so libmagic types it image/png.
base64 -d > "$out/screenshot.png" <<'PNG'
iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==
PNG
r() { "$bin" --vault "$out/vault.db" "$@" > /dev/null; }
r init --kdf-profile interactive
r case new "Threats on Instagram"
r case new "Empty case"
r evidence add 1 "$out/screenshot.png"
r evidence add 1 --message 'Pay me or I send your photos to your family <b>tonight</b>' \
  --from '@stranger_42' --platform Instagram --received '2026-11-28T21:30:00Z'
r evidence add 1 --url 'https://example.com/leak/123' --seen '2026-11-28T22:00:00Z'
r evidence add 1 --note 'Called the helpline; they advised to keep everything.'
echo "$out/vault.db"
