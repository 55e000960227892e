#!/usr/bin/env python3
"""Per-detection quality on a synthetic company: for each detection, how many fraud and legitimate
people it put a signal on, precision of its signals, recall on the schemes it is designed for
(muster-eval's DETECTION_SCHEMES), and legitimate people hit per hard-negative group.

Usage: python3 bench/detection_quality.py TRUTH_DIR SCAN_OUT [--markdown]
(TRUTH_DIR = the DIR-truth folder of `muster synth`, SCAN_OUT = the `muster scan` output.)
"""
import csv, json, sys
from collections import defaultdict

# Keep in step with crates/muster-eval/src/schemes.rs.
SCHEMES = {
    "FARM-IP": ["laptop_farm"], "RMM-SOFTWARE": ["rmm"], "KVM-HARDWARE": ["kvm_default"],
    "KVM-STRUCTURE": ["kvm_spoofed"], "NET-ANON": ["anon_network"],
    "ID-REUSE": ["shared_contact"], "FARM-WIFI": ["laptop_farm"],
    "FARM-SHIP": ["ship_to_facilitator"], "FARM-MFA": ["mfa_shared"],
    "FARM-ALWAYSON": ["laptop_farm"],
    "TZ-MISMATCH": ["offshore_hours"], "ID-STOLEN": ["stolen_identity"],
    "ID-RESUME": ["resume_reuse", "shared_contact"], "PAY-SHARED": ["shared_bank"], "PAY-CHURN": ["payroll_churn"],
    "PAY-PROVIDER": ["payout_provider"],
}

def main():
    truth_dir, out_dir = sys.argv[1], sys.argv[2]
    people = {}
    with open(f"{truth_dir}/people.csv") as f:
        for r in csv.DictReader(f):
            people[r["person_id"]] = r
    hit = defaultdict(set)
    for line in open(f"{out_dir}/signals.ndjson"):
        s = json.loads(line)
        if s.get("person_id"):
            hit[s["detection"]].add(s["person_id"])
    groups = sorted({p["hard_negative_group"] for p in people.values() if p["hard_negative_group"]})
    rows = []
    for det in sorted(hit.keys() | SCHEMES.keys()):
        ps = hit.get(det, set())
        fraud = {p for p in ps if people.get(p, {}).get("label") == "fraud"}
        legit = ps - fraud
        schemes = SCHEMES.get(det, [])
        target = {pid for pid, p in people.items()
                  if p["label"] == "fraud" and set(p["schemes"].split(";")) & set(schemes)}
        recall = len(target & ps) / len(target) if target else None
        by_group = defaultdict(int)
        for p in legit:
            g = people[p]["hard_negative_group"] or "none"
            by_group[g] += 1
        rows.append((det, len(ps), len(fraud), len(legit),
                     (len(fraud) / len(ps)) if ps else None, recall, len(target), dict(by_group)))
    if "--markdown" in sys.argv:
        print("| detection | people with a signal | fraud | legit | precision | recall on its schemes (n) | legit hit by hard-negative group |")
        print("|---|---|---|---|---|---|---|")
        for det, n, fr, lg, prec, rec, nt, bg in rows:
            if n == 0 and rec is None:
                continue
            p = f"{prec:.3f}" if prec is not None else "-"
            r = f"{rec:.3f} ({nt})" if rec is not None else "-"
            g = ", ".join(f"{k} {v}" for k, v in sorted(bg.items())) or "0"
            print(f"| {det} | {n} | {fr} | {lg} | {p} | {r} | {g} |")
        sizes = ", ".join(f"{g} {sum(1 for p in people.values() if p['hard_negative_group'] == g)}" for g in groups)
        print(f"\nHard-negative group sizes: {sizes}.")
    else:
        print(json.dumps([dict(zip(["detection", "people", "fraud", "legit", "precision", "recall", "targets", "legit_by_group"], r)) for r in rows], indent=1))

main()
