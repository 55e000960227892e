#!/usr/bin/env bash
# Detections at scale (issue 5): synthetic companies of growing size, converted once to Parquet,
# then scanned from Parquet with wall time, peak RSS and the time per detection from run.json.
#
#   bash bench/scale.sh [WORKDIR] [PEOPLE...]        default: bench/out/scale 10000 30000 100000
#
# Every size uses DAYS (default 130) days of activity, about 0.9 M contract rows per 1,000
# people, so 100,000 people give ~117 M rows (~100 M sign-in, presence, process and activity
# rows). Needs ~17 GB of free disk for the largest size's CSV while it is converted (deleted
# afterwards) and GNU time. BIN defaults to target/release/muster.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/muster}
DAYS=${DAYS:-130}
SEED=${SEED:-5}
WORK=${1:-bench/out/scale}
shift || true
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 30000 100000)
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 2; }
mkdir -p "$WORK"

for n in "${SIZES[@]}"; do
  pq="$WORK/p$n"
  if [ ! -d "$pq/signins" ]; then
    # CSV from synth, staged to typed Parquet by one scan with --keep-stage.
    "$BIN" synth --people "$n" --days "$DAYS" --seed "$SEED" --out "$WORK/csv$n" --quiet
    # (one cheap detection: the staging run only needs the ingest)
    "$BIN" scan "$WORK/csv$n" --out "$WORK/stage$n" --keep-stage --only KVM-HARDWARE --quiet || test $? -le 1
    mkdir -p "$pq"
    for d in "$WORK/stage$n"/stage/*; do
      case "$(basename "$d")" in _tmp_*) ;; *) mv "$d" "$pq/" ;; esac
    done
    cp "$WORK/csv$n"/*.txt "$pq/" 2>/dev/null || true
    rm -rf "$WORK/csv$n" "$WORK/csv$n-truth" "$WORK/stage$n"
  fi
  /usr/bin/time -f "%e %M" -o "$WORK/time$n.txt" \
    "$BIN" scan "$pq" --out "$WORK/out$n" --quiet || test $? -le 1
done

python3 - "$WORK" "${SIZES[@]}" <<'PY'
import json, sys
work, sizes = sys.argv[1], sys.argv[2:]
print("| people | rows read | wall | peak RSS | rows/s | ingest | detect | slowest detections |")
print("|---:|---:|---:|---:|---:|---:|---:|---|")
for n in sizes:
    run = json.load(open(f"{work}/out{n}/run.json"))
    wall, kb = open(f"{work}/time{n}.txt").read().split()[-2:]
    stages = {s["stage"]: s["seconds"] for s in run["stages"]}
    slow = sorted(run["detections"], key=lambda d: -d["seconds"])[:3]
    print(f"| {int(n):,} | {run['rows_read']:,} | {float(wall):.0f} s | {int(kb)/2**20:.2f} GiB | "
          f"{run['rows_read']/float(wall)/1e6:.2f} M | {stages.get('ingest', 0):.0f} s | "
          f"{stages.get('detect', 0):.0f} s | "
          + ", ".join(f"{d['id']} {d['seconds']:.0f} s" for d in slow) + " |")
PY
