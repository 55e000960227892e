#!/usr/bin/env bash
# The foundation issue's acceptance runs, with the exact commands quoted in BENCHMARKS.md:
#  1. synth 20,000 people (seed 7), scan, eval;
#  2. scan of 10,000 people (seed 11) with ~5M event rows: wall time and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/muster}
OUT=${OUT:-bench/out}
mkdir -p "$OUT"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 2; }

rm -rf "$OUT/s20k" "$OUT/s20k-truth"
/usr/bin/time -f "synth20k %e s %M KB" "$BIN" synth --people 20000 --seed 7 --out "$OUT/s20k" --quiet
/usr/bin/time -f "scan20k %e s %M KB" "$BIN" scan "$OUT/s20k" --out "$OUT/s20k-out" --quiet || test $? -le 1
"$BIN" eval --truth "$OUT/s20k-truth" "$OUT/s20k-out" | tee "$OUT/eval20k.txt"

rm -rf "$OUT/s10k" "$OUT/s10k-truth"
"$BIN" synth --people 10000 --seed 11 --out "$OUT/s10k" --quiet
/usr/bin/time -f "scan10k %e s %M KB" "$BIN" scan "$OUT/s10k" --out "$OUT/s10k-out" --quiet || test $? -le 1
python3 -c "import json;r=json.load(open('$OUT/s10k-out/run.json'));print('rows', r['rows_read'], 'seconds', round(r['seconds'],1), 'peak_rss_MB', (r['peak_rss_bytes'] or 0)//2**20);[print(' ', s['stage'], round(s['seconds'],2), 's', int(s['rows_per_second']), 'rows/s') for s in r['stages']]"
