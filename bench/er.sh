#!/usr/bin/env bash
# Entity resolution beside Splink (issue 6): muster resolve and Splink on the same labelled data,
# same machine, one markdown table.
#
#   bash bench/er.sh SHARED_ER_DIR [OUT]          default OUT: bench/out/er
#
# SHARED_ER_DIR is the shared ER benchmark folder (bench.sh, run_splink.py, score.py, data/); the
# repository does not know where it lives. Datasets: fake_1000, febrl3, febrl4, historical_50k from
# SHARED_ER_DIR/data, and a 1M-record synthetic applicant set (`muster synth --applicants`, seed 7)
# written to OUT/data/synth1m when missing (SYNTH_DIR=DIR uses an existing one instead).
# Splink configs: fake_1000_wide, febrl, febrl, historical_50k, synth. Each run is timed by
# SHARED_ER_DIR/bench.sh (GNU time: wall, peak RSS) and scored by its score.py (pairwise
# precision / recall / F1 after clustering; for the synthetic set also F1 on the records of
# legitimate people, truth_legit.csv).
#
# For the synthetic set, bench/er_rings.py also reports how each tool treats the rings: ring
# identities merged into one "person", stolen identities clustered with their owner, and for
# muster (--rings) ring recall and purity.
#
# Environment: MUSTER (default target/release/muster), TOOLS (default "splink muster"),
# DATASETS (default "fake_1000 febrl3 febrl4 historical_50k synth1m"), ER_VENV (Splink's venv,
# created with `SHARED_ER_DIR/bench.sh setup` when missing). A tool that fails or is missing gets
# a row saying so; the other runs go on.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${1:?usage: bash bench/er.sh SHARED_ER_DIR [OUT]}"
SHARED="$(cd "$SHARED" && pwd)"
OUT="${2:-$REPO/bench/out/er}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
MUSTER="${MUSTER:-$REPO/target/release/muster}"
TOOLS="${TOOLS:-splink muster}"
DATASETS="${DATASETS:-fake_1000 febrl3 febrl4 historical_50k synth1m}"
VENV="${ER_VENV:-$HOME/.cache/muster-er-venv}"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
[ -f "$SHARED/bench.sh" ] && [ -f "$SHARED/score.py" ] || { echo "$SHARED has no bench.sh / score.py" >&2; exit 2; }

data_dir() {
  case "$1" in
    synth1m) echo "${SYNTH_DIR:-$OUT/data/synth1m}";;
    *) echo "$SHARED/data/$1";;
  esac
}
splink_config() {
  case "$1" in
    fake_1000) echo fake_1000_wide;;
    febrl3|febrl4) echo febrl;;
    historical_50k) echo historical_50k;;
    synth1m) echo synth;;
  esac
}
columns() {
  case "$1" in
    fake_1000) echo "record_id=person_id,first_name=given_name,surname=family_name,dob=date_of_birth";;
    febrl3|febrl4) echo "record_id=person_id,surname=family_name,street_number=address_line1,address_1=address_line1,address_2=address_line2,suburb=city,postcode=postal_code,state=region,soc_sec_id=national_id,date_of_birth=date_of_birth";;
    historical_50k) echo "record_id=person_id,first_name=given_name,surname=family_name,dob=date_of_birth,postcode_fake=postal_code,birth_place=attr,occupation=attr,gender=attr";;
    synth1m) echo "record_id=person_id,first_name=given_name,last_name=family_name,dob=date_of_birth,street=address_line1,state=region,zip=postal_code,ssn=national_id";;
  esac
}

have_muster=1
if [[ " $TOOLS " == *" muster "* ]]; then
  if [ ! -x "$MUSTER" ]; then
    echo "note: $MUSTER not found (cargo build --release); muster runs skipped" >&2; have_muster=0
  elif ! "$MUSTER" resolve --help >/dev/null 2>&1; then
    echo "note: $MUSTER has no 'resolve' command; muster runs skipped" >&2; have_muster=0
  fi
fi
if [[ " $TOOLS " == *" splink "* ]] && [ ! -x "$VENV/bin/python" ]; then
  echo "setting up Splink in $VENV" >&2
  ER_VENV="$VENV" bash "$SHARED/bench.sh" setup >&2
fi

for ds in $DATASETS; do
  data="$(data_dir "$ds")"
  if [ "$ds" = synth1m ] && [ ! -f "$data/records.csv" ]; then
    if [ -x "$MUSTER" ]; then
      echo "generating $data (1,000,000 records, seed 7)" >&2
      "$MUSTER" synth --applicants --people 1000000 --seed 7 --out "$data" --quiet
    else
      echo "note: no $data/records.csv and no $MUSTER to generate it; $ds skipped" >&2
      continue
    fi
  fi
  [ -f "$data/records.csv" ] || { echo "note: no $data/records.csv; $ds skipped" >&2; continue; }
  for tool in $TOOLS; do
    run="$OUT/${tool}_$ds"
    rm -rf "$run"
    case "$tool" in
      splink)
        echo "splink on $ds ..." >&2
        ER_VENV="$VENV" bash "$SHARED/bench.sh" splink "$data" "$(splink_config "$ds")" "$run" >&2 \
          || echo "splink failed on $ds (see $run/stderr.txt)" >&2
        clusters="$run/clusters_0.95.csv";;
      muster)
        [ "$have_muster" = 1 ] || { mkdir -p "$run"; echo "muster resolve not available" > "$run/skipped"; continue; }
        echo "muster on $ds ..." >&2
        bash "$SHARED/bench.sh" external "$data" "$run" -- \
          "$MUSTER" resolve "$data/records.csv" --out "$run/clusters_default.csv" --columns "$(columns "$ds")" \
          --rings "$run/rings.csv" >&2 \
          || echo "muster failed on $ds (see $run/stderr.txt)" >&2
        clusters="$run/clusters_default.csv";;
      *) echo "unknown tool $tool" >&2; continue;;
    esac
    if [ -f "$data/truth_legit.csv" ] && [ -f "$clusters" ]; then
      python3 "$SHARED/score.py" "$data/truth_legit.csv" "$clusters" --json "$run/score_legit.json" > "$run/score_legit.txt"
    fi
    if [ -f "$data/rings.csv" ] && [ -f "$clusters" ]; then
      # how each tool treats the facilitators' identities (bench/er_rings.py)
      rings=(); [ -f "$run/rings.csv" ] && rings=("$run/rings.csv")
      python3 "$REPO/bench/er_rings.py" "$data" "$clusters" "${rings[@]}" > "$run/rings_score.txt" || true
    fi
  done
done

python3 - "$OUT" "$DATASETS" "$TOOLS" <<'PY'
import glob, json, os, re, sys
out, datasets, tools = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()

def seconds(s):
    parts = [float(x) for x in s.split(":")]
    v = 0.0
    for p in parts:
        v = v * 60 + p
    return v

print("| dataset | tool | wall s | peak RSS MiB | pairwise P | pairwise R | pairwise F1 | F1 legit |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for ds in datasets:
    for tool in tools:
        run = os.path.join(out, f"{tool}_{ds}")
        if not os.path.isdir(run):
            continue
        if os.path.exists(os.path.join(run, "skipped")):
            print(f"| {ds} | {tool} | not run: {open(os.path.join(run, 'skipped')).read().strip()} | | | | | |")
            continue
        wall = rss = "?"
        t = os.path.join(run, "time.txt")
        if os.path.exists(t):
            txt = open(t).read()
            m = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", txt)
            wall = f"{seconds(m.group(1)):.1f}" if m else "?"
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", txt)
            rss = f"{int(m.group(1)) / 1024:.0f}" if m else "?"
            m = re.search(r"Exit status: (\d+)", txt)
            if m and m.group(1) != "0":
                wall += f" (exit {m.group(1)})"
        scores = sorted(glob.glob(os.path.join(run, "score_*.json")))
        main = [s for s in scores if not s.endswith("score_legit.json")]
        if not main:
            print(f"| {ds} | {tool} | {wall} | {rss} | failed | | | |")
            continue
        d = json.load(open(main[0]))
        legit = ""
        lp = os.path.join(run, "score_legit.json")
        if os.path.exists(lp):
            legit = f"{json.load(open(lp))['pairwise_f1']:.4f}"
        print(f"| {ds} | {tool} | {wall} | {rss} | {d['pairwise_precision']:.4f} | "
              f"{d['pairwise_recall']:.4f} | {d['pairwise_f1']:.4f} | {legit} |")
for ds in datasets:
    for tool in tools:
        f = os.path.join(out, f"{tool}_{ds}", "rings_score.txt")
        if os.path.exists(f):
            print(f"\n{tool} on {ds}, rings (bench/er_rings.py):")
            print("    " + open(f).read().strip().replace("\n", "\n    "))
PY
