#!/usr/bin/env python3
"""Evidence vault throughput, side by side with `tar cf` + `sha256sum` in the same run.

1. `rempart evidence add` of 1,000 screenshot-sized PNGs (~300 KB each, generated here) into a
   fresh vault, against `tar cf` + `sha256sum` over the same files.
2. `rempart evidence export` (zip) + `rempart evidence verify` of a 1 GB case, against
   `tar cf` + `sha256sum` over the same files.

Each side runs --runs times, alternating, and the medians are compared. The goal (issue 2):
ratio = peer time / Rempart time >= 0.5. Usage: evidence_bench.py REMPART_BIN [--runs N]
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
import zlib


def png(width, height, rng):
    """A real PNG that compresses like a screenshot: flat areas and text-like noise."""
    rows = []
    for y in range(height):
        if (y // 16) % 4 == 0:
            row = rng.randbytes(width * 3)
        else:
            row = bytes([30, 30, 40]) * width
        rows.append(b"\x00" + row)
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def make_screenshots(folder, count):
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(42)
    templates = [png(720, 560, rng) for _ in range(8)]
    for i in range(count):
        data = bytearray(templates[i % len(templates)])
        data[-20:-16] = struct.pack(">I", i)  # distinct files, still valid enough for libmagic
        with open(os.path.join(folder, f"shot-{i:04d}.png"), "wb") as f:
            f.write(data)


def make_large(folder, total_mb, files):
    os.makedirs(folder, exist_ok=True)
    block = os.urandom(1 << 20)
    per = total_mb // files
    for i in range(files):
        with open(os.path.join(folder, f"video-{i}.mp4"), "wb") as f:
            for j in range(per):
                f.write(block[j % 251:] + block[: j % 251])


def timed(cmd, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, shell=isinstance(cmd, str))
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rempart")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--large-mb", type=int, default=1024)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="rempart-bench-")
    try:
        shots = os.path.join(work, "shots")
        make_screenshots(shots, 1000)
        size = sum(os.path.getsize(os.path.join(shots, f)) for f in os.listdir(shots))
        print(f"corpus: 1000 PNG screenshots, {size / 1e6:.0f} MB ({size / 1000 / 1e3:.0f} KB each)")
        pw = os.path.join(work, "pass")
        open(pw, "w").write("benchmark passphrase\n")

        def vault(name):
            path = os.path.join(work, name + ".db")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
            base = [args.rempart, "--vault", path, "--passphrase-file", pw]
            subprocess.run(base + ["init", "--kdf-profile", "interactive"], check=True, stdout=subprocess.DEVNULL)
            subprocess.run(base + ["case", "new", "bench"], check=True, stdout=subprocess.DEVNULL)
            return base

        ours, peer = [], []
        for _ in range(args.runs):
            base = vault("add")
            ours.append(timed(base + ["evidence", "add", "1", shots]))
            peer.append(timed(f"tar cf {work}/shots.tar -C {work} shots && sha256sum {shots}/* > {work}/sums"))
        report("evidence add, 1,000 screenshots", ours, peer, size)

        large = os.path.join(work, "large")
        make_large(large, args.large_mb, 8)
        lsize = sum(os.path.getsize(os.path.join(large, f)) for f in os.listdir(large))
        base = vault("large")
        subprocess.run(base + ["evidence", "add", "1", large], check=True, stdout=subprocess.DEVNULL)
        ours, peer = [], []
        for i in range(args.runs):
            out = os.path.join(work, f"bundle-{i}.zip")
            ours.append(timed(base + ["evidence", "export", "1", "--out", out])
                        + timed([args.rempart, "evidence", "verify", out]))
            os.remove(out)
            peer.append(timed(f"tar cf {work}/large.tar -C {work} large && sha256sum {large}/* > {work}/sums"))
            os.remove(f"{work}/large.tar")
        report(f"evidence export + verify, {lsize / 1e9:.1f} GB case", ours, peer, lsize)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(what, ours, peer, size):
    o, p = statistics.median(ours), statistics.median(peer)
    ratio = p / o
    print(f"{what}: rempart {o:.2f} s ({size / o / 1e6:.0f} MB/s), tar+sha256sum {p:.2f} s "
          f"({size / p / 1e6:.0f} MB/s); ratio {ratio:.2f} (goal >= 0.5) {'OK' if ratio >= 0.5 else 'BELOW GOAL'}")


if __name__ == "__main__":
    sys.exit(main())
