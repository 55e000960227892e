#!/usr/bin/env python3
"""How a resolution treats the rings of a `muster synth --applicants` set (stdlib only).

    python3 bench/er_rings.py DATA_DIR CLUSTERS.csv [PRED_RINGS.csv]

DATA_DIR holds truth.csv (record_id,cluster_id) and rings.csv (record_id,ring_id,role).
CLUSTERS.csv is any tool's record_id,cluster_id. PRED_RINGS.csv is muster's --rings output
(ring_id,record_id,...). Prints:
  identities_merged     ring identities that share a predicted cluster with another identity of
                        the same ring (a facilitator's identities collapsed into one "person")
  ring_clusters_mixed   predicted clusters holding two or more identities of one ring
  stolen_with_owner     stolen-identity records clustered with the real owner (expected: the
                        records claim one identity; ID-STOLEN is what separates them)
  ring_recall           per true ring of 2+ identities, the share of its identities found in
                        its best predicted ring, averaged over identities
  ring_purity           per predicted ring holding ring records, the share of its people
                        (clusters) that belong to its main true ring, averaged over people
  legit_rings           predicted rings with no ring record (households, agencies, families)
"""
import csv
import sys
from collections import Counter, defaultdict


def read(path, key, val):
    with open(path, newline="", encoding="utf-8") as f:
        return {r[key]: r[val] for r in csv.DictReader(f)}


def main():
    data, clusters_path = sys.argv[1], sys.argv[2]
    pred_rings_path = sys.argv[3] if len(sys.argv) > 3 else None
    truth = read(f"{data}/truth.csv", "record_id", "cluster_id")
    ring_of = read(f"{data}/rings.csv", "record_id", "ring_id")
    role_of = read(f"{data}/rings.csv", "record_id", "role")
    pred = read(clusters_path, "record_id", "cluster_id")

    # identities (true clusters) per predicted cluster, for ring records
    idents_in_pred = defaultdict(set)
    for rid, ring in ring_of.items():
        p = pred.get(rid, "missing:" + rid)
        idents_in_pred[p].add((ring, truth[rid]))
    merged_idents = set()
    mixed = 0
    for p, idents in idents_in_pred.items():
        per_ring = Counter(r for r, _ in idents)
        if any(n >= 2 for n in per_ring.values()):
            mixed += 1
            for r, c in idents:
                if per_ring[r] >= 2:
                    merged_idents.add((r, c))
    identities = {(ring_of[r], truth[r]) for r in ring_of}

    # stolen records clustered with a legitimate record
    members = defaultdict(list)
    for rid, p in pred.items():
        members[p].append(rid)
    stolen = [r for r, role in role_of.items() if role == "stolen"]
    with_owner = sum(
        1 for r in stolen if any(m not in ring_of for m in members.get(pred.get(r), []))
    )
    print(f"ring_identities        {len(identities)}")
    print(f"identities_merged      {len(merged_idents)}")
    print(f"ring_clusters_mixed    {mixed}")
    print(f"stolen_records         {len(stolen)}")
    print(f"stolen_with_owner      {with_owner}")

    if not pred_rings_path:
        return
    pred_ring = read(pred_rings_path, "record_id", "ring_id")
    # recall: for each true ring of >= 2 identities, identities in its best predicted ring
    recs_of_ring = defaultdict(list)
    for rid, ring in ring_of.items():
        recs_of_ring[ring].append(rid)
    found = total = 0
    for ring, recs in recs_of_ring.items():
        idents = {truth[r] for r in recs}
        if len(idents) < 2:
            continue
        ident_ring = defaultdict(set)
        for r in recs:
            if r in pred_ring:
                ident_ring[pred_ring[r]].add(truth[r])
        total += len(idents)
        found += max((len(v) for v in ident_ring.values()), default=0)
    print(f"ring_recall            {found / max(total, 1):.4f}  ({found}/{total} identities)")
    # purity over people (predicted clusters) in predicted rings holding ring records
    people_of = defaultdict(set)
    for rid, pr in pred_ring.items():
        people_of[pr].add(pred.get(rid))
    pure = count = legit = 0
    for pr, people in people_of.items():
        ring_votes = Counter()
        for p in people:
            rings = {ring_of[m] for m in members.get(p, []) if m in ring_of}
            for r in rings:
                ring_votes[r] += 1
        if not ring_votes:
            legit += 1
            continue
        main, n = ring_votes.most_common(1)[0]
        pure += n
        count += len(people)
    print(f"ring_purity            {pure / max(count, 1):.4f}  ({pure}/{count} people)")
    print(f"predicted_rings        {len(people_of)}")
    print(f"legit_rings            {legit}")


if __name__ == "__main__":
    main()
