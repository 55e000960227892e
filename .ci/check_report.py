#!/usr/bin/env python3
"""Checks a report rendered by headless Chromium: the screenshot is not blank and the DOM has the
report's sections and charts. Usage: check_report.py SCREENSHOT.png DOM.html"""
import struct, sys, zlib


def png_pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w, h, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), f"unexpected PNG format {depth}/{ctype}"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    prev, rows, i = bytearray(stride), [], 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


shot, dom_path = sys.argv[1], sys.argv[2]
w, h, bpp, rows = png_pixels(shot)
colours, ink = set(), 0
for line in rows[::4]:
    for x in range(0, len(line), bpp * 4):
        px = tuple(line[x:x + 3])
        colours.add(px)
        ink += px != (255, 255, 255)
sampled = len(rows[::4]) * len(range(0, w * bpp, bpp * 4))
share = ink / max(sampled, 1)
print(f"screenshot {w}x{h}: {len(colours)} colours, {share:.1%} of sampled pixels not white")
assert len(colours) >= 8 and share >= 0.02, "the screenshot looks blank"

dom = open(dom_path, encoding="utf-8").read()
for needle in ['id="summary"', 'id="people"', 'id="rings"', 'id="evidence"',
               'aria-label="people per tier"', 'aria-label="ring graph"', 'aria-label="timeline"',
               'aria-label="hour of day"', 'aria-label="distances from the claimed home"']:
    assert needle in dom, f"the rendered report has no {needle}"
print("report sections and charts present:", dom.count("<svg"), "charts")
