#!/usr/bin/env python3
"""Writes a small JPEG that gives its location away, for the browser tests of the media page.

    make-photo.py OUT.jpg

The picture is a 96x64 test pattern (made once with ffmpeg's testsrc, its comment removed),
kept below as base64 so that no image library is needed. An APP1 Exif block is spliced in after
its JFIF header with struct: Make "Canon" and GPS 48 deg 51' 29.56" N, 2 deg 17' 40" E
(48.85821, 2.29444), the same as src/server/media_photo_for_test.h.
"""
import base64
import struct
import sys

PATTERN = base64.b64decode("""
/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgKCgsKCw0NDQ0NDRAPEBAQEBAQEBAQEBASEhIVFRUSEhIQEBISFBQVFRcXFxUV
FRUXFxkZGR4eHBwjIyQrKzP/xACjAAEBAQEBAQAAAAAAAAAAAAAGCAcFBAMBAQEBAQEBAQAAAAAAAAAAAAYFBAgDBwIQAAED
AwEFBQUIAwEBAAAAAAEAAwIRBQQSg8JDMUEicTITBiFR0hRCsbQVUjV1VGKBYdGUkxEAAQIDBQMJBQQLAQAAAAAAAQIEAAMR
IRIGBUExsxOyg1FhgTM1FBUicQeCMkNChHLBoZLEYkUkNFIjU/D/wAARCABAAGADASIAAhEAAxEA/9oADAMBAAIRAxEAPwCf
0msnH2e8jKfejsH53JfEwfLgG5OcxXx0jUDmT/sGgNCvGdKVORw0CqlFIH7Q29Q1ijlz6RljkPHCrsqQictZG00krolNSKqU
aBIraSBDu0WjzdORkR7HNts/X/aQ/L7h9Xdz8BJJqfatHjERAjEAAAAACgAHIAe5ZunOStJTSWtKAK+zeVqo2/q6BGjBefu8
RP8AOXTg0SnyiZEofTJlkuPZT1mgK1bVEdAABm98DabqMpNe+BtN1GV9Badwjt5RjDiHxVzzW6RFioze+BtN1JkZvfA2m6uF
mnfo+bkmJOIfCnPNb1EGVxLTeTAhnKmTEnsuyNTEnpMn6fdI+Hr7OXbWap/k7ma1mLXLP+NRooW2Ef8AqRnwLkjHPmectXcu
oPkzLmCnEkr/AKii5atD0jYoWGyKNsnH2e8kyzP0TcvmoZDDrgL0BCUQSNc2xUGVK6paCQJyp7NUampWmJ1MnJcK4qK0UAbd
osAI7DGhplk/J5IYuLvEkKmJJT9KgZilJUNaKSQoVtttiAFQvo63t4vp7GyRplPNeyXJS0CMoxakGYtmdSZgGEpxrQAuEAdT
PSrnH/QbD+34/wB3ZXu079HzckxKxD4U55reoj4rNVpSzVNWH2ny/pit8Kv5v+D/AHiDN74G03UZSa98DabqMpo07hHbyjFX
EPirnmt0iLFRm98DabqTIze+BtN1cLNO/R83JMScQ+FOea3qIMrNVpSy5+7CdxuOD5uIMBuNzjjTg3jQkQwy/LE05kIDIcJc
g1SRelJ4mkjLUav8pkGfxqEClzb13o8Ph/myMr9RvylzOL5al0gUucbp/NHVs1wct3qOzzjqIeelizgJmAlHIMG+1QHUISlF
zSRQygOR9qqVRNe+BtN1WylbTuEdvKMMsQeKuea3SIgBVzj/AKDYf2/H+7sqRlSPpbP+d9N4ETJ2U8RzJxpycNa6TByAgdRO
iDTkIRBpTTQCgCqtCOOjt5JgBiEH0pzZ/wAt6iESzVaUs1TRgR/stH3dffFT4V2er1s/s9v4iDN74G03UZSa98DabqMpq0I4
CLRryjFXEBHqrm0fZbpEWKjN74G03UmRm98Dabq4ZaJPHRYddP4TErEHhTnmt6iDKzh/EgLjcbrHJYcGXG5mGLEPjKic9l9u
EZ62I4wLZeBd0vyjSMtBmaV0dZqnuVzpkji3U7bm0HS9H4+HmVSMz9S4ypieH5W7cIFb3GrW8k9Agze+BtN1WypOwMD8Tv8A
ZsYxalE5Bcci6KtzbZ0uuQI0yB1NwlERIoSaGgVYpW07hHbyjC7EHirnmt0iJtt3RaXbuilWOfmw8OVkR7nXB9kkqst0uMvO
rm5ZpopV9008XLtIu/yaatClicgditTSLHn0Zy5Q3lyzKMy9RS6EC6kq2D3RTOT1RnJ6o9ab5N/Tj5LkjPk25KR7f9ZEnxe4
/V38+McnIPN50985f9WrKsGz3kviS38igpUFEyoPQbYEzcNv8zevmi6MlNuEQtYK0OETTMuzJZRSz2DWtoNhtEK4L3wWRXjM
ymvJ8vIfhXXXS5ONaaedCuB+KXH+bl//AHd+JfTsqwe6boSou5SvclehpqYA5jhNyzczG6nUpZRdqoJWAbyQrW3WNjuPVZpc
eqpGWJjT8TDMu9uB+0Iperfgx8mmLjCuutGWxXw8+yirD4isZa0p9Pnk/nlaCvRGw5RMyZstxMmonCXdqlIUCbygn71msYBj
dEmxuiajBwxyxscdzUPhXFtFrllkOuViyD0qC4R0FOUfzS/wPbyVt8aN8zmGXKYTwqzauXQA6mgsAhth7PmPk3rueotZTLg3
r1FKnKm8S6iWkUqv2DZ11sAMeOa8E1u1nt+C753mYmNOmimpluVK6uVYpB+D2v8AgYX/AJ2fgUvNZgcLUgC77+sV0hbl+NGr
xtLcJaTkhd6wrQSLqino6o//2Q==
""")

ASCII, LONG, RATIONAL = 2, 4, 5


def entry(tag, kind, count, value):
    """One 12-byte big-endian IFD entry; `value` is the inline bytes or an offset."""
    if isinstance(value, int):
        value = struct.pack(">I", value)
    return struct.pack(">HHI", tag, kind, count) + value.ljust(4, b"\0")


def exif_with_gps():
    # Offsets from the TIFF header: IFD0 at 8 (2 entries, 30 bytes), "Canon" at 38, the GPS
    # IFD at 44 (4 entries, 54 bytes), latitude at 98, longitude at 122.
    tiff = b"MM\0\x2a" + struct.pack(">I", 8)
    tiff += struct.pack(">H", 2) + entry(0x010F, ASCII, 6, 38) + entry(0x8825, LONG, 1, 44)
    tiff += struct.pack(">I", 0) + b"Canon\0"
    tiff += struct.pack(">H", 4) + entry(1, ASCII, 2, b"N") + entry(2, RATIONAL, 3, 98)
    tiff += entry(3, ASCII, 2, b"E") + entry(4, RATIONAL, 3, 122) + struct.pack(">I", 0)
    tiff += struct.pack(">6I", 48, 1, 51, 1, 2956, 100)
    tiff += struct.pack(">6I", 2, 1, 17, 1, 4000, 100)
    payload = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    assert PATTERN[:4] == b"\xff\xd8\xff\xe0"
    after_jfif = 4 + struct.unpack(">H", PATTERN[4:6])[0]
    with open(argv[1], "wb") as out:
        out.write(PATTERN[:after_jfif] + exif_with_gps() + PATTERN[after_jfif:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
