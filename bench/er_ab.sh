#!/usr/bin/env bash
# Before/after timing of two (or more) muster binaries on one applicant set, alternating runs.
#
#   bash bench/er_ab.sh DATA_DIR RUNS BIN1 BIN2 [BIN...]
#
# DATA_DIR is a `muster synth --applicants` set (records.csv). Each round runs every binary once
# (`muster resolve` with the synth column mapping, under GNU time); prints per binary the medians
# of wall time, user+system CPU and peak RSS, and checks that the binaries' clusters.csv agree.
set -euo pipefail
DATA="${1:?usage: bash bench/er_ab.sh DATA_DIR RUNS BIN1 BIN2 [BIN...]}"
RUNS="${2:?usage: bash bench/er_ab.sh DATA_DIR RUNS BIN1 BIN2 [BIN...]}"
shift 2
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
COLS="record_id=person_id,first_name=given_name,last_name=family_name,dob=date_of_birth,street=address_line1,state=region,zip=postal_code,ssn=national_id"
for i in $(seq 1 "$RUNS"); do
  k=0
  for b in "$@"; do
    k=$((k + 1))
    /usr/bin/time -f "$k %e %U %S %M" -a -o "$OUT/times" "$b" resolve "$DATA/records.csv" \
      --out "$OUT/clusters-$k.csv" --columns "$COLS" --quiet
  done
done
for k in $(seq 2 $#); do
  cmp -s "$OUT/clusters-1.csv" "$OUT/clusters-$k.csv" || echo "binary $k: clusters.csv differs from binary 1"
done
python3 - "$OUT/times" "$@" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    k, wall, user, sys_, rss = line.split()
    runs[int(k)].append((float(wall), float(user) + float(sys_), int(rss) / 1024))
for k, v in sorted(runs.items()):
    med = lambda i: statistics.median(x[i] for x in v)
    print(f"{sys.argv[1 + k]}: wall {med(0):.2f} s, cpu {med(1):.2f} s, peak RSS {med(2):.0f} MiB "
          f"(walls {', '.join(f'{x[0]:.2f}' for x in v)})")
PY
