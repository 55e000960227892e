#!/usr/bin/env bash
# Ballista on loopback: the same scan embedded, on a scheduler with 1 executor, and with 2
# executors, RUNS times each (alternating), printing wall seconds per run and the medians.
#
#   bash bench/ballista.sh MUSTER_BIN INPUT_DIR [RUNS] [TASKS_PER_EXECUTOR]
#
# Each executor runs TASKS_PER_EXECUTOR tasks at once (default 1), so "2 executors" doubles the
# task slots. Outputs of every cluster run are compared with the embedded run's (scores.csv,
# rings.csv): the script fails if they differ.
set -euo pipefail
bin=${1:?muster binary}; input=${2:?input folder}; runs=${3:-3}; tasks=${4:-1}
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
ports() { python3 -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])'; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 150); do listening "$1" && return 0; sleep 0.2; done; return 1; }

run_scan() { # out extra-args... ; prints seconds
  local out=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$bin" scan "$input" --out "$out" --quiet "$@" >/dev/null 2>"$out.err" || [ $? -eq 1 ]
  t1=$(date +%s.%N)
  python3 -c "print(f'{$t1-$t0:.1f}')"
}

cluster_scan() { # executors run -> seconds
  local n=$1 r=$2 sp e1 e2 pids=()
  read -r sp e1 e2 < <(ports)
  "$bin" cluster scheduler --bind "127.0.0.1:$sp" >"$work/s.log" 2>&1 & pids+=($!)
  wait_port "$sp"
  for p in $(if [ "$n" -ge 1 ]; then echo "$e1"; fi) $(if [ "$n" -ge 2 ]; then echo "$e2"; fi); do
    "$bin" cluster executor --scheduler "127.0.0.1:$sp" --bind "127.0.0.1:$p" \
      --work-dir "$work/w$p" --concurrent-tasks "$tasks" >"$work/e$p.log" 2>&1 & pids+=($!)
    wait_port "$p"
  done
  local secs
  secs=$(run_scan "$work/c$n-$r" --cluster "df://127.0.0.1:$sp")
  kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true
  for f in scores.csv rings.csv; do
    cmp -s "$work/embedded-1/$f" "$work/c$n-$r/$f" || { echo "MISMATCH $f ($n executors)" >&2; exit 1; }
  done
  echo "$secs"
}

declare -a emb one two
for r in $(seq 1 "$runs"); do
  emb+=("$(run_scan "$work/embedded-$r")")
  one+=("$(cluster_scan 1 "$r")")
  two+=("$(cluster_scan 2 "$r")")
  echo "run $r: embedded ${emb[-1]} s, 1 executor ${one[-1]} s, 2 executors ${two[-1]} s"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: embedded $(med "${emb[@]}") s, 1 executor $(med "${one[@]}") s, 2 executors $(med "${two[@]}") s (tasks per executor: $tasks; outputs identical)"
