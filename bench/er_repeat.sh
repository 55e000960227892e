#!/usr/bin/env bash
# Alternating timing runs of Splink and muster on one applicant set (medians for BENCHMARKS.md).
#
#   bash bench/er_repeat.sh SHARED_ER_DIR DATA_DIR [RUNS]     default RUNS=3
#
# SHARED_ER_DIR is the shared ER benchmark folder (run_splink.py); DATA_DIR a
# `muster synth --applicants` set (records.csv). Each run is Splink (config synth) then
# `muster resolve` with the synth column mapping, each under GNU time; prints wall seconds and
# peak RSS per run and the medians. MUSTER (default target/release/muster) and ER_VENV (Splink's
# venv, default ~/.cache/muster-er-venv, made by SHARED_ER_DIR/bench.sh setup) can be set.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${1:?usage: bash bench/er_repeat.sh SHARED_ER_DIR DATA_DIR [RUNS]}"
DATA="${2:?usage: bash bench/er_repeat.sh SHARED_ER_DIR DATA_DIR [RUNS]}"
RUNS="${3:-3}"
MUSTER="${MUSTER:-$REPO/target/release/muster}"
PY="${ER_VENV:-$HOME/.cache/muster-er-venv}/bin/python"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
COLS="record_id=person_id,first_name=given_name,last_name=family_name,dob=date_of_birth,street=address_line1,state=region,zip=postal_code,ssn=national_id"
for i in $(seq 1 "$RUNS"); do
  /usr/bin/time -f "splink %e %M" -o "$OUT/s$i" "$PY" "$SHARED/run_splink.py" --data "$DATA" --config synth --out "$OUT/splink$i" >/dev/null 2>&1
  rm -rf "$OUT/splink$i"
  /usr/bin/time -f "muster %e %M" -o "$OUT/m$i" "$MUSTER" resolve "$DATA/records.csv" --out "$OUT/m$i.csv" --columns "$COLS" --quiet
  cat "$OUT/s$i" "$OUT/m$i"
done | tee "$OUT/all"
python3 - "$OUT/all" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    tool, wall, rss = line.split()
    runs.setdefault(tool, []).append((float(wall), int(rss) / 1024))
for tool, v in runs.items():
    print(f"{tool}: median wall {statistics.median(w for w, _ in v):.1f} s, "
          f"median peak RSS {statistics.median(r for _, r in v):.0f} MiB")
s, m = runs.get("splink"), runs.get("muster")
if s and m:
    print(f"muster is {statistics.median(w for w, _ in s) / statistics.median(w for w, _ in m):.1f}x "
          f"faster, {statistics.median(r for _, r in m) / statistics.median(r for _, r in s):.2f}x the memory")
PY
