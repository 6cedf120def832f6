#!/usr/bin/python3
"""Pixel statistics of a PNG (Python standard library only: zlib + struct).

usage: png_stats.py FILE.png [--threshold T]

Prints one JSON object:
  {"width": W, "height": H, "non_white_fraction": f, "colours": n}
where non_white_fraction is the share of pixels that are not (near-)white
(any channel below 245 of 255, alpha-composited on white), and colours is the
number of distinct "chromatic" colours: pixels whose channels differ by more
than T (default 24) -- i.e. not white, black or grey -- quantised to 4 bits per
channel so anti-aliasing does not inflate the count.

Supports non-interlaced 8-bit RGB, RGBA, grey, grey+alpha and palette images
(what Chromium's --screenshot writes is 8-bit RGB or RGBA), with all five
filter types. Exit status 1 with a one-line error for anything else.
"""

import argparse
import json
import struct
import sys
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


class PngError(Exception):
    pass


def read_png(path):
    """Returns (width, height, channels, rows as bytearrays, palette or None)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise PngError(f"cannot open {path}: {e.strerror}")
    if not data.startswith(SIGNATURE):
        raise PngError(f"{path}: not a PNG (bad signature)")
    pos = len(SIGNATURE)
    ihdr = None
    idat = []
    palette = None
    trns = None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise PngError(f"{path}: truncated chunk {kind!r}")
        pos += 12 + length
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = [tuple(body[i : i + 3]) for i in range(0, len(body), 3)]
        elif kind == b"tRNS":
            trns = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if ihdr is None or not idat:
        raise PngError(f"{path}: missing IHDR or IDAT")
    width, height, depth, ctype, _comp, _filt, interlace = ihdr
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(ctype)
    if channels is None or depth != 8 or interlace != 0:
        raise PngError(f"{path}: unsupported PNG (bit depth {depth}, colour type {ctype}, interlace {interlace})")
    if ctype == 3:
        if palette is None:
            raise PngError(f"{path}: palette image without PLTE")
        if trns:
            palette = [p + ((trns[i] if i < len(trns) else 255),) for i, p in enumerate(palette)]
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        raise PngError(f"{path}: corrupt image data ({e})")
    stride = width * channels
    if len(raw) < height * (stride + 1):
        raise PngError(f"{path}: truncated image data")
    rows = []
    prev = bytearray(stride)
    bpp = channels
    for y in range(height):
        off = y * (stride + 1)
        ftype = raw[off]
        line = bytearray(raw[off + 1 : off + 1 + stride])
        if ftype == 0:
            pass
        elif ftype == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:  # Up
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif ftype == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:  # Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                if pa <= pb and pa <= pc:
                    pred = a
                elif pb <= pc:
                    pred = b
                else:
                    pred = c
                line[i] = (line[i] + pred) & 0xFF
        else:
            raise PngError(f"{path}: bad filter type {ftype} on row {y}")
        rows.append(line)
        prev = line
    return width, height, ctype, rows, palette


def pixels(ctype, rows, palette):
    """Yields (r, g, b) composited on white."""
    for line in rows:
        if ctype == 2:
            it = zip(line[0::3], line[1::3], line[2::3])
            yield from it
        elif ctype == 6:
            for r, g, b, a in zip(line[0::4], line[1::4], line[2::4], line[3::4]):
                if a == 255:
                    yield r, g, b
                else:
                    yield tuple((v * a + 255 * (255 - a)) // 255 for v in (r, g, b))
        elif ctype == 0:
            for v in line:
                yield v, v, v
        elif ctype == 4:
            for v, a in zip(line[0::2], line[1::2]):
                v = (v * a + 255 * (255 - a)) // 255
                yield v, v, v
        else:  # palette
            for i in line:
                p = palette[i] if i < len(palette) else (0, 0, 0)
                if len(p) == 4 and p[3] != 255:
                    a = p[3]
                    yield tuple((v * a + 255 * (255 - a)) // 255 for v in p[:3])
                else:
                    yield p[:3]


def stats(path, threshold=24):
    width, height, ctype, rows, palette = read_png(path)
    total = width * height
    non_white = 0
    colours = set()
    # Count distinct pixel values first (screenshots have few), then classify.
    counts = {}
    for px in pixels(ctype, rows, palette):
        counts[px] = counts.get(px, 0) + 1
    for (r, g, b), k in counts.items():
        if min(r, g, b) < 245:
            non_white += k
        if max(r, g, b) - min(r, g, b) > threshold:
            colours.add((r >> 4, g >> 4, b >> 4))
    return {
        "width": width,
        "height": height,
        "non_white_fraction": non_white / total if total else 0.0,
        "colours": len(colours),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("png")
    ap.add_argument("--threshold", type=int, default=24,
                    help="min channel spread of a chromatic (non-grey) pixel (default 24)")
    args = ap.parse_args()
    try:
        print(json.dumps(stats(args.png, args.threshold)))
    except PngError as e:
        print(f"png_stats.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
