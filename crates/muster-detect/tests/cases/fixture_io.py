"""Shared by the make_*.py fixture generators: writing a case folder (contract tables as CSV
plus expect.json and any context files) and formatting timestamps."""
import csv, json, os, shutil


def ts(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_case(root, case, tables, expect, extra=None):
    d = os.path.join(root, case)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for name, (cols, rows) in tables.items():
        with open(os.path.join(d, name + ".csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
            w.writeheader()
            for r in rows:
                w.writerow(r)
    for fname, text in (extra or {}).items():
        with open(os.path.join(d, fname), "w") as f:
            f.write(text)
    with open(os.path.join(d, "expect.json"), "w") as f:
        json.dump(expect, f, indent=2)
        f.write("\n")
