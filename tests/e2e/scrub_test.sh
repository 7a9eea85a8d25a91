#!/usr/bin/env bash
# rempart scrub and inspect, with exiftool as the oracle: after scrubbing, exiftool finds no
# location, device, name, date, XMP, IPTC, maker notes or thumbnail; pixels and video frames are
# unchanged (ffmpeg's frame checksums); refused and broken files leave the originals alone.
# Uses ../shared/testdata/media when present, and always files made here with ffmpeg + exiftool.
source "$(dirname "$0")/lib.sh"
for tool in exiftool ffmpeg; do
  command -v "$tool" >/dev/null || { echo "not ok - $tool is missing (scripts/install-deps.sh)"; exit 1; }
done

# Tag names and groups that must be gone; zeroed QuickTime dates are allowed.
FORBIDDEN='GPS|\bMake\b|Model|SerialNumber|Artist|Copyright|OwnerName|DateTimeOriginal|CreateDate|ModifyDate|DateCreated|DateTimeDigitized|MakerNote|Thumbnail|PreviewImage|Creator|By-line|City|Country|Keywords|Caption|Comment|Software|UserComment|ImageUniqueID|LensModel|HostComputer|Author|Location'
leftovers() {
  exiftool -G1 -a -s "$1" 2>/dev/null |
    grep -vE '^\[(ExifTool|System|File|Composite|ICC[-_][A-Za-z0-9-]*)\]' |  # ICC: kept on purpose
    grep -vE ': 0000:00:00 00:00:00$' |
    grep -E "$FORBIDDEN|^\[(XMP|IPTC|MakerNotes|Canon|Apple|Nikon|Sony|Photoshop)"
}
frames() { ffmpeg -v error -i "$1" -map 0:v -f framemd5 - 2>/dev/null | grep -v '^#'; }

# --- files made here: a JPEG, a PNG and an MP4 full of metadata -----------------------------
mkdir -p "$TMP/own"
ffmpeg -v error -f lavfi -i testsrc=size=320x240 -frames:v 1 -q:v 3 "$TMP/own/photo.jpg"
ffmpeg -v error -f lavfi -i testsrc=size=320x240 -frames:v 1 "$TMP/own/shot.png"
ffmpeg -v error -f lavfi -i testsrc=size=160x120:rate=10 -t 1 -c:v mpeg4 \
  -metadata creation_time=2024-05-01T21:10:00Z -metadata location=+48.8566+002.3522/ \
  "$TMP/own/clip.mp4"
exiftool -q -overwrite_original -Make=Canon -Model="EOS 5D" -SerialNumber=0123456789 \
  -Artist="Jane Doe" -Copyright="(c) Jane Doe" -DateTimeOriginal="2024:05:01 21:10:00" \
  -GPSLatitude=48.8566 -GPSLatitudeRef=N -GPSLongitude=2.3522 -GPSLongitudeRef=E \
  -XMP:Creator="Jane Doe" -IPTC:City=Paris -Comment="private" -Orientation#=6 \
  "$TMP/own/photo.jpg" "$TMP/own/shot.png"
exiftool -q -overwrite_original -Make=Apple -Model="iPhone 13" -XMP:Creator="Jane Doe" \
  "$TMP/own/clip.mp4"
check "own fixtures carry metadata before scrubbing" test -n "$(leftovers "$TMP/own/photo.jpg")"

# --- scrub every supported file --------------------------------------------------------------
SHARED="${REMPART_SOURCE_DIR:-.}/../shared/testdata/media"
inputs=("$TMP/own/photo.jpg" "$TMP/own/shot.png" "$TMP/own/clip.mp4")
if [ -d "$SHARED" ]; then
  for f in "$SHARED"/synthetic/* "$SHARED"/mat2-tests/dirty.{jpg,png,webp,gif,tiff,heic,avif,mp4} \
      "$SHARED"/mat2-tests/control_chars.jpg; do
    cp "$f" "$TMP/own/$(basename "$(dirname "$f")")-$(basename "$f")"
    inputs+=("$TMP/own/$(basename "$(dirname "$f")")-$(basename "$f")")
  done
else
  echo "# skip: $SHARED is absent; only files made by this test are scrubbed"
fi
sums_before=$(sha256sum "${inputs[@]}")
expect_exit 0 "scrub cleans every supported file" rempart scrub --out "$TMP/out" --jobs 2 "${inputs[@]}"
check "originals are untouched" test "$(sha256sum "${inputs[@]}")" = "$sums_before"
for f in "${inputs[@]}"; do
  name=$(basename "$f")
  out="$TMP/out/$name"
  left=$(leftovers "$out")
  if [ -z "$left" ] && [ -s "$out" ]; then pass "exiftool finds nothing in $name"; else
    fail "exiftool still finds in $name:"; echo "$left" | head -8 | sed 's/^/    /'
  fi
  case "$name" in
    *.heic|*.avif|*.tif|*.tiff) ;;  # ffmpeg 5.1 cannot decode these; unit tests compare pixels
    *) check "$name: decoded frames identical" test "$(frames "$f")" = "$(frames "$out")" ;;
  esac
done
check "the JPEG stays upright: orientation kept" \
  test "$(exiftool -s3 -n -Orientation "$TMP/out/photo.jpg")" = 6
if [ -d "$SHARED" ]; then
  check "the colour profile (ICC) is kept by default" \
    test -n "$(exiftool -s3 -ProfileDescription "$TMP/out/mat2-tests-dirty.heic")"
fi

# --- inspect before and after ----------------------------------------------------------------
expect_exit 0 "inspect reports a dirty photo" rempart inspect --no-faces "$TMP/own/photo.jpg"
check "inspect names the place" contains "$TMP/last.out" "48.85660, 2.35220"
check "inspect names the camera" contains "$TMP/last.out" "Canon"
check "inspect names the artist" contains "$TMP/last.out" "Jane Doe"
expect_exit 0 "inspect --json" rempart inspect --no-faces --json "$TMP/own/photo.jpg"
check "json has the location" python3 -c "
import json,sys; r=json.load(open('$TMP/last.out'))[0]
assert abs(r['location']['latitude']-48.8566)<1e-3 and r['clean'] is False"
expect_exit 0 "inspect a cleaned photo" rempart inspect --no-faces "$TMP/out/photo.jpg"
check "a cleaned photo says nothing was found" contains "$TMP/last.out" "Nothing found"
LANG=fr_FR.UTF-8 expect_exit 0 "inspect in French" rempart inspect --no-faces "$TMP/own/photo.jpg"
check "French report" contains "$TMP/last.out" "Lieu de prise de vue"

# --- names, folders, in place ----------------------------------------------------------------
mkdir -p "$TMP/dir/sub"
cp "$TMP/own/photo.jpg" "$TMP/dir/a.jpg"
cp "$TMP/own/shot.png" "$TMP/dir/sub/b.png"
echo "not a photo" >"$TMP/dir/notes.txt"
expect_exit 0 "scrub a folder recursively" rempart scrub "$TMP/dir"
check "outputs sit next to the inputs" test -s "$TMP/dir/a.clean.jpg" -a -s "$TMP/dir/sub/b.clean.png"
check "other files are left alone" test ! -e "$TMP/dir/notes.clean.txt"
expect_exit 5 "an existing output is not replaced without --force" rempart scrub "$TMP/dir/a.jpg"
expect_exit 0 "--force replaces it" rempart scrub --force "$TMP/dir/a.jpg"
expect_exit 0 "a second run skips earlier outputs" rempart scrub --force "$TMP/dir"
check "no output of an output" test ! -e "$TMP/dir/a.clean.clean.jpg"
cp "$TMP/own/photo.jpg" "$TMP/inplace.jpg"
chmod 640 "$TMP/inplace.jpg"
expect_exit 0 "--in-place" rempart scrub --in-place "$TMP/inplace.jpg"
check "in place: clean" test -z "$(leftovers "$TMP/inplace.jpg")"
check "in place: permissions kept" test "$(stat -c %a "$TMP/inplace.jpg")" = 640
check "no temporary files left" test -z "$(find "$TMP" -name '.*rempart-*')"

# --- refused and broken input ----------------------------------------------------------------
printf 'BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00' >"$TMP/bad.bmp"
head -c 3000 "$TMP/own/photo.jpg" >"$TMP/truncated.jpg"
cp "$TMP/truncated.jpg" "$TMP/truncated.copy"
expect_exit 11 "an unsupported format is refused" rempart scrub "$TMP/bad.bmp"
check "the refusal says what to do" contains "$TMP/last.err" "convert"
expect_exit 11 "a truncated JPEG is refused" rempart scrub "$TMP/truncated.jpg" "$TMP/own/shot.png"
check "the batch goes on after a bad file" test -s "$TMP/own/shot.clean.png"
check "the broken original is untouched" cmp -s "$TMP/truncated.jpg" "$TMP/truncated.copy"
check "no half-written output" test ! -e "$TMP/truncated.clean.jpg"
expect_exit 8 "a missing file" rempart scrub "$TMP/nope.jpg"
expect_exit 2 "--in-place with --out" rempart scrub --in-place --out "$TMP/x" "$TMP/own/photo.jpg"

finish
