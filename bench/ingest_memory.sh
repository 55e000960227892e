#!/usr/bin/env bash
# Bounded memory on multi-GB input: writes a people table and a signins table of SIZE_GB
# gigabytes (gzip off), scans it, and reports wall time and peak RSS (GNU time). Run it at two
# sizes to see memory stay flat while input grows.
#   bash bench/ingest_memory.sh 1 && bash bench/ingest_memory.sh 3
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_GB=${1:-2}
WORK=${WORK:-bench/out/ingest_${SIZE_GB}g}
BIN=${BIN:-target/release/muster}
mkdir -p "$WORK/in"
if [ ! -s "$WORK/in/signins.csv" ]; then
  python3 - "$WORK/in" "$SIZE_GB" <<'PY'
import sys, os
out, gb = sys.argv[1], float(sys.argv[2])
people = 10000
with open(os.path.join(out, "people.csv"), "w") as f:
    f.write("person_id,record_type,full_name,work_email,region\n")
    for i in range(people):
        f.write(f"p{i},employee,Person {i},user{i}@corp.example,TX\n")
target = int(gb * 1e9)
with open(os.path.join(out, "signins.csv"), "w", buffering=1 << 22) as f:
    f.write("time,account,src_ip,outcome,app,device_id,user_agent,source\n")
    n = 0; size = 0; chunk = []
    while size < target:
        i = n
        line = (f"2026-0{1 + i % 9}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}Z,"
                f"user{i % people}@corp.example,73.{i % 250}.{(i // 250) % 250}.{(i // 7) % 250},success,Okta Dashboard,"
                f"WKS-{i % people},Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/128.0,okta\n")
        chunk.append(line); size += len(line); n += 1
        if len(chunk) >= 100000:
            f.write("".join(chunk)); chunk = []
    f.write("".join(chunk))
print(f"wrote {n} sign-ins, {size / 1e9:.2f} GB")
PY
fi
du -sh "$WORK/in"
/usr/bin/time -v "$BIN" scan "$WORK/in" --out "$WORK/out" --quiet 2> "$WORK/time.txt" || test $? -le 1
grep -E "Elapsed|Maximum resident" "$WORK/time.txt"
python3 -c "import json;r=json.load(open('$WORK/out/run.json'));print('rows read', r['rows_read'], 'peak_rss_MB', (r['peak_rss_bytes'] or 0)//2**20, 'stages', [(s['stage'], round(s['seconds'],1), int(s['rows_per_second'])) for s in r['stages']])"
