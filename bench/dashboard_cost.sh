#!/usr/bin/env bash
# What the live dashboard costs the trainer: `fit --headless` against `fit` live in a
# 120x40 tmux window (--exit-when-done), alternating, comparing train_samples_per_second
# from summary.json (both started from tmux sessions, see below), and the process's CPU
# seconds (user+sys, for all threads: the dashboard's drawing thread shows up there even
# when a busy machine blurs the rates).
#
# On a busy 2-core machine the GEMM helper thread spins (yielding) between jobs and
# waits whenever it is preempted, which swings samples/s between identical runs in
# either mode; with OPENBLAS_NUM_THREADS=1 in the environment (no helper) the CPU
# seconds compare cleanly.
#
# Usage: bench/dashboard_cost.sh [BINARY] [REPEATS] [-- fit arguments]
#   default: .build/release/trainboard, 3 repeats, Fashion-MNIST for 1 epoch.
set -u
BIN=$(realpath "${1:-.build/release/trainboard}")
REPEATS=${2:-3}
shift $(($# > 2 ? 2 : $#))
[[ ${1:-} == -- ]] && shift
ARGS=("$@")
((${#ARGS[@]})) || ARGS=(--config Config/fashion-mnist-mlp.yaml --set trainer.max_epochs=1)
cd "$(dirname "$0")/.." || exit 2
source bench/dashboard_tmux.sh cost

rate() { python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["train_samples_per_second"]))' "$1/version_0/summary.json"; }
quoted=$(printf ' %q' "${ARGS[@]}")
# /usr/bin/time writes "user sys" seconds to a file; the live run keeps stdout on the terminal.
TIME=(/usr/bin/time -f "%U %S")
headless=() live=() hcpu=() lcpu=()
for i in $(seq "$REPEATS"); do
    # Headless in a tmux session too: a process started from tmux is in a scheduling group of
    # its own (CFS autogroup, one per session), which on a busy machine gets it a larger share
    # of the cores than a process started from this script would; both sides must be alike.
    tm new-session -d -s "h$i" -x 120 -y 40 "${TIME[*]@Q} -o $WORK/h$i.cpu $BIN fit$quoted --headless --log-dir $WORK/h$i > /dev/null; touch $WORK/h$i.done; sleep 30"
    for _ in $(seq 2400); do [[ -e $WORK/h$i.done ]] && break; sleep 0.1; done
    tm kill-session -t "h$i"
    headless+=("$(rate "$WORK/h$i")") hcpu+=("$(awk '{print $1 + $2}' "$WORK/h$i.cpu")")
    tm new-session -d -s "l$i" -x 120 -y 40 "${TIME[*]@Q} -o $WORK/l$i.cpu $BIN fit$quoted --exit-when-done --log-dir $WORK/l$i; touch $WORK/l$i.done; sleep 30"
    tm set-option -w -t "l$i" window-size manual
    # CPU ticks of the drawing (main) thread and of the whole process, sampled until it exits.
    server=$(tm display-message -p '#{pid}') server_before=$(awk '{print $14 + $15}' /proc/$server/stat)
    pid="" draw=0 all=0 draw0="" all0=""
    for _ in $(seq 2400); do
        [[ -e $WORK/l$i.done ]] && break
        [[ -z $pid ]] && pid=$(pgrep -f -- "--log-dir $WORK/l$i\$" | while read -r p; do [[ $(cat /proc/$p/comm 2>/dev/null) == trainboard ]] && echo "$p"; done | head -1)
        if [[ -n $pid ]] && read -r d < <(awk '{print $14 + $15}' /proc/$pid/task/$pid/stat 2>/dev/null) \
            && read -r a < <(awk '{print $14 + $15}' /proc/$pid/stat 2>/dev/null); then
            draw=$d all=$a
            # From the first batch on: data loading (main thread in both modes) is not counted.
            [[ -z $draw0 ]] && grep -q '"type":"batch_end"' "$WORK/l$i/version_0/events.jsonl" 2>/dev/null && draw0=$d all0=$a
        fi
        sleep 0.1
    done
    server_ticks=$(($(awk '{print $14 + $15}' /proc/$server/stat) - server_before))
    draw=$((draw - ${draw0:-0})) all=$((all - ${all0:-0}))
    echo "  live run $i, while training: drawing thread $draw of $all CPU ticks ($(awk "BEGIN { printf \"%.1f\", 100 * $draw / ($all ? $all : 1) }")%), tmux server $server_ticks ticks"
    # Live: only the summary is left on the normal screen (headless would print epoch lines).
    tm capture-pane -p -t "l$i" | grep -q "train loss" && echo "warning: run $i was not live" >&2
    tm kill-session -t "l$i"
    live+=("$(rate "$WORK/l$i")") lcpu+=("$(awk '{print $1 + $2}' "$WORK/l$i.cpu")")
    echo "run $i: headless ${headless[-1]} samples/s (${hcpu[-1]} s CPU), live ${live[-1]} samples/s (${lcpu[-1]} s CPU)"
done
python3 - "${headless[*]}" "${live[*]}" "${hcpu[*]}" "${lcpu[*]}" <<'EOF'
import statistics, sys
h, l, hc, lc = ([float(x) for x in arg.split()] for arg in sys.argv[1:5])
mh, ml = statistics.median(h), statistics.median(l)
print(f"median headless {mh:.0f}, live {ml:.0f} samples/s: dashboard costs {100 * (mh - ml) / mh:+.1f}%")
mhc, mlc = statistics.median(hc), statistics.median(lc)
print(f"median CPU headless {mhc:.2f} s, live {mlc:.2f} s: {100 * (mlc - mhc) / mhc:+.1f}%")
EOF
