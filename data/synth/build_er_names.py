#!/usr/bin/env python3
"""Builds the name-frequency tables of the applicant generator (muster-synth's `er` module).

    python3 data/synth/build_er_names.py DIST_DIR      (run from the repository root)

DIST_DIR holds dist.all.last, dist.male.first and dist.female.first, the 1990 US Census name
frequency files (public domain, US Census Bureau, "Frequently Occurring Surnames / First Names
from the 1990 Census") as shipped in the PyPI package `names` 0.3.0 (MIT, Trey Hunner):
`pip download --no-deps names==0.3.0` and unpack `names/`. Standard library only; deterministic
(gzip mtime 0), so re-running on the same inputs rewrites the same bytes.

Writes
  data/synth/er_surnames.csv.gz  name,weight  (88,799 surnames in census rank order)
  data/synth/er_given.csv.gz     name,sex,weight  (1,219 male and 4,275 female first names)
weight is in units of 1e-5 percent of the 1990 population. The census rounds frequencies to
0.001 %, so the 69,960 surnames rounded to 0.000 share equally the mass the cumulative column
gives them (90.483 % - 77.480 %). Names are title-cased ("MCDONALD" -> "McDonald").
"""
import gzip
import io
import sys
from pathlib import Path


def title(n: str) -> str:
    t = n.capitalize()
    if t.startswith("Mc") and len(t) > 2:
        t = "Mc" + t[2:].capitalize()
    return t


def read(path: Path):
    rows = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        rows.append((parts[0], float(parts[1]), float(parts[2])))
    return rows


def write_gz(path: Path, text: str):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(text.encode("ascii"))
    path.write_bytes(buf.getvalue())


def main():
    src = Path(sys.argv[1])
    out = Path("data/synth")
    last = read(src / "dist.all.last")
    head = [r for r in last if r[1] > 0]
    tail = [r for r in last if r[1] == 0]
    tail_mass = last[-1][2] - head[-1][2]
    tail_w = max(1, round(tail_mass * 1e5 / max(1, len(tail))))
    lines = ["name,weight"]
    for name, freq, _ in last:
        w = round(freq * 1e5) if freq > 0 else tail_w
        lines.append(f"{title(name)},{w}")
    write_gz(out / "er_surnames.csv.gz", "\n".join(lines) + "\n")
    lines = ["name,sex,weight"]
    for sex, f in (("M", "dist.male.first"), ("F", "dist.female.first")):
        for name, freq, _ in read(src / f):
            lines.append(f"{title(name)},{sex},{max(1, round(freq * 1e5))}")
    write_gz(out / "er_given.csv.gz", "\n".join(lines) + "\n")
    print(f"surnames {len(last)} (tail {len(tail)} at weight {tail_w}), given {len(lines) - 1}")


if __name__ == "__main__":
    main()
