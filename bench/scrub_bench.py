#!/usr/bin/env python3
"""Metadata scrubbing speed, side by side with exiftool, mat2 and cp in the same run.

Generates 100 camera-like JPEGs (3000x2000, about 2 MB each) carrying EXIF (make, model, serial,
artist, dates), GPS, a MakerNote, an EXIF thumbnail, XMP and IPTC, then cleans copies of the
corpus with each tool, single-threaded (all pinned to one core with taskset):

  rempart scrub --jobs 1 --out DIR     exiftool -all= -overwrite_original DIR
  mat2 --inplace DIR/*                 cp -r (the physical floor)

Each runs --runs times, alternating; medians are compared. Goals (issue 3): exiftool / rempart
>= 5, mat2 / rempart >= 40. Also prints peak memory (max RSS) and whether each tool kept the
pixels identical (ffmpeg frame checksums). Usage: scrub_bench.py REMPART_BIN [--runs N]
"""
import argparse
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time


def tiff_ifd(entries, offset, extra_after=b""):
    """Little-endian IFD at `offset`: entries are (tag, type, count, value_bytes)."""
    sizes = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1}
    n = len(entries)
    data_at = offset + 2 + 12 * n + 4
    head, data = struct.pack("<H", n), b""
    for tag, typ, count, value in sorted(entries):
        if len(value) <= 4:
            head += struct.pack("<HHI", tag, typ, count) + value.ljust(4, b"\0")
        else:
            head += struct.pack("<HHII", tag, typ, count, data_at + len(data))
            data += value + (b"\0" if len(value) % 2 else b"")
    return head, data


def ascii_tag(tag, text):
    v = text.encode() + b"\0"
    return (tag, 2, len(v), v)


def rational(*pairs):
    return b"".join(struct.pack("<II", a, b) for a, b in pairs)


def exif_block(index, thumbnail):
    """A TIFF structure with IFD0, ExifIFD (with a MakerNote), GPS IFD and IFD1 (thumbnail)."""
    def exif_entries(maker):
        return [ascii_tag(0x9003, "2024:05:01 21:10:00"), ascii_tag(0x9004, "2024:05:01 21:10:00"),
                (0x927C, 7, len(maker), maker), ascii_tag(0xA431, f"{123456789 + index}"),
                ascii_tag(0xA434, "EF24-70mm f/2.8L II USM"), ascii_tag(0xA435, "0000c1234")]

    def maker_note(at):
        """Canon maker notes: an IFD whose offsets count from the TIFF header, like a camera's."""
        entries = [ascii_tag(0x0006, "Canon EOS 5D Mark IV"), (0x000C, 4, 1, struct.pack("<I", 4242 + index)),
                   (0x0010, 4, 1, struct.pack("<I", 0x80000349)),
                   (0x4001, 7, 2048, random.Random(index).randbytes(2048))]
        head, data = tiff_ifd(entries, at)
        return head + struct.pack("<I", 0) + data
    gps = [(0x0000, 1, 4, bytes([2, 3, 0, 0])), ascii_tag(0x0001, "N"),
           (0x0002, 5, 3, rational((48, 1), (51, 1), (2376, 100))), ascii_tag(0x0003, "E"),
           (0x0004, 5, 3, rational((2, 1), (21, 1), (792, 100)))]

    def ifd0(exif_off, gps_off):
        return [ascii_tag(0x010F, "Canon"), ascii_tag(0x0110, "Canon EOS 5D Mark IV"),
                (0x0112, 3, 1, struct.pack("<H", 1)), ascii_tag(0x0131, "Firmware 1.2.3"),
                ascii_tag(0x0132, "2024:05:01 21:10:00"), ascii_tag(0x013B, "Jane Doe"),
                ascii_tag(0x8298, "(c) Jane Doe"), (0x8769, 4, 1, struct.pack("<I", exif_off)),
                (0x8825, 4, 1, struct.pack("<I", gps_off))]

    def ifd_bytes(entries, offset, next_ifd):
        head, data = tiff_ifd(entries, offset)
        return head + struct.pack("<I", next_ifd) + data

    # Sizes do not depend on offsets, so lay out once with zeros, then for real.
    size0 = len(ifd_bytes(ifd0(0, 0), 8, 0))
    exif_off = 8 + size0
    # The maker note's value follows the two 20-byte date values in the Exif IFD's data area.
    maker_at = exif_off + 2 + 12 * 6 + 4 + 20 + 20
    exif = exif_entries(maker_note(maker_at))
    gps_off = exif_off + len(ifd_bytes(exif, exif_off, 0))
    ifd1_off = gps_off + len(ifd_bytes(gps, gps_off, 0))
    thumb_off = ifd1_off + 2 + 12 * 3 + 4
    ifd1 = [(0x0103, 3, 1, struct.pack("<H", 6)), (0x0201, 4, 1, struct.pack("<I", thumb_off)),
            (0x0202, 4, 1, struct.pack("<I", len(thumbnail)))]
    return (b"II*\0" + struct.pack("<I", 8) + ifd_bytes(ifd0(exif_off, gps_off), 8, ifd1_off)
            + ifd_bytes(exif, exif_off, 0) + ifd_bytes(gps, gps_off, 0)
            + ifd_bytes(ifd1, ifd1_off, 0) + thumbnail)


def segment(marker, payload):
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def xmp_packet(index):
    return (b"http://ns.adobe.com/xap/1.0/\0" + f"""<?xpacket begin='\xef\xbb\xbf' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>
<rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'
 xmlns:xmp='http://ns.adobe.com/xap/1.0/' photoshop:City='Paris' xmp:CreatorTool='Lightroom'
 xmp:CreateDate='2024-05-01T21:10:00'><dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang='x-default'>private photo {index}</rdf:li></rdf:Alt></dc:description>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>""".encode())


def iptc_block():
    def rec(dataset, text):
        v = text.encode()
        return struct.pack(">BBBH", 0x1C, 2, dataset, len(v)) + v
    records = rec(80, "Jane Doe") + rec(90, "Paris") + rec(116, "(c) Jane Doe") + rec(120, "private")
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(records)) + records
    if len(records) % 2:
        resource += b"\0"
    return b"Photoshop 3.0\0" + resource


def make_corpus(folder, count):
    os.makedirs(folder, exist_ok=True)
    bases = []
    for seed in range(4):
        path = os.path.join(folder, f"base-{seed}.jpg")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"testsrc2=size=3000x2000,noise=alls=22:allf=t:all_seed={seed + 1}",
                        "-frames:v", "1", "-q:v", "4", path], check=True)
        bases.append(open(path, "rb").read())
        os.remove(path)
    thumb_path = os.path.join(folder, "thumb.jpg")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x120",
                    "-frames:v", "1", thumb_path], check=True)
    thumbnail = open(thumb_path, "rb").read()
    os.remove(thumb_path)
    for i in range(count):
        jpeg = bases[i % len(bases)]
        exif = segment(0xE1, b"Exif\0\0" + exif_block(i, thumbnail))
        body = jpeg[2:]
        if body[:2] == b"\xff\xe0":  # keep JFIF first, as cameras and ffmpeg do
            n = struct.unpack(">H", body[2:4])[0] + 2
            jfif, body = body[:n], body[n:]
        else:
            jfif = b""
        data = (b"\xff\xd8" + jfif + exif + segment(0xE1, xmp_packet(i)) + segment(0xED, iptc_block())
                + body)
        with open(os.path.join(folder, f"IMG_{i:04d}.jpg"), "wb") as f:
            f.write(data)


def run(cmd, stdin=None):
    """(seconds, peak RSS in MB) of `cmd` pinned to one core."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "taskset", "-c", "0"] + cmd, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    rss_kb = int(p.stderr.strip().splitlines()[-1])
    return elapsed, rss_kb / 1024


def frames(path):
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "framemd5", "-"],
                         capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if not line.startswith("#")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rempart")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--count", type=int, default=100)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="rempart-scrub-bench-")
    try:
        corpus = os.path.join(work, "corpus")
        make_corpus(corpus, args.count)
        files = sorted(os.listdir(corpus))
        size = sum(os.path.getsize(os.path.join(corpus, f)) for f in files)
        print(f"corpus: {len(files)} camera-like JPEGs 3000x2000 with EXIF, GPS, MakerNote, thumbnail, "
              f"XMP, IPTC; {size / 1e6:.0f} MB ({size / len(files) / 1e6:.1f} MB each)")

        def fresh(name):
            path = os.path.join(work, name)
            shutil.rmtree(path, ignore_errors=True)
            shutil.copytree(corpus, path)
            return path

        tools = {
            "rempart": lambda d: run([args.rempart, "scrub", "--jobs", "1", "--quiet", "--out", d + "-out", d]),
            "exiftool": lambda d: run(["exiftool", "-q", "-all=", "-overwrite_original", d]),
            "mat2": lambda d: run(["mat2", "--inplace"] + [os.path.join(d, f) for f in files]),
            "cp": lambda d: run(["cp", "-r", d, d + "-out"]),
        }
        times = {name: [] for name in tools}
        rss = {name: 0.0 for name in tools}
        outputs = {}
        for r in range(args.runs):
            for name, tool in tools.items():
                d = fresh(f"{name}-{r}")
                shutil.rmtree(d + "-out", ignore_errors=True)
                seconds, peak = tool(d)
                times[name].append(seconds)
                rss[name] = max(rss[name], peak)
                out_dir = d + "-out" if name in ("rempart", "cp") else d
                outputs[name] = os.path.join(out_dir, files[0])

        original = frames(os.path.join(corpus, files[0]))
        med = {name: statistics.median(t) for name, t in times.items()}
        for name in tools:
            lossless = "pixels identical" if frames(outputs[name]) == original else "PIXELS CHANGED"
            print(f"{name:9s} {med[name]:7.2f} s  {size / med[name] / 1e6:7.0f} MB/s  "
                  f"peak {rss[name]:6.0f} MB  {lossless}")
        for peer, goal in (("exiftool", 5), ("mat2", 40)):
            ratio = med[peer] / med["rempart"]
            print(f"ratio {peer} / rempart: {ratio:.1f} (goal >= {goal}) "
                  f"{'OK' if ratio >= goal else 'BELOW GOAL'}")
        print(f"rempart / cp (the physical floor): {med['rempart'] / med['cp']:.1f}x the time of a copy")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
