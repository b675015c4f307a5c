#!/usr/bin/env bash
# RSS and drawing-thread CPU of a long live `fit` in the dashboard (issue 17): a CSV model
# with batch size 1 (breast cancer: 409 steps an epoch; Iris: 108) for STEPS steps
# (trainer.max_steps), live in a 200x60 tmux window with --exit-when-done. Samples the process's VmRSS and the CPU ticks of its
# main (drawing) thread and of the whole process every INTERVAL seconds, prints the series,
# then: RSS range after the first epoch, and the drawing thread's share of the CPU in the
# first and last quarter of the run.
#
# Usage: bench/dashboard_live_rss.sh [BINARY] [STEPS] [INTERVAL] [CONFIG]
#   default: .build/release/trainboard, 200000 steps, 0.5 s, Config/breast-cancer.yaml.
set -u
BIN=$(realpath "${1:-.build/release/trainboard}")
STEPS=${2:-200000}
INTERVAL=${3:-0.5}
CONFIG=${4:-Config/breast-cancer.yaml}
cd "$(dirname "$0")/.." || exit 2
source bench/dashboard_tmux.sh rss

ARGS=(fit --config "$CONFIG" --set data.batch_size=1 --set trainer.max_epochs=100000 --set trainer.max_steps="$STEPS"
      --exit-when-done --log-dir "$WORK/run")
tm new-session -d -s live -x 200 -y 60 "$(printf '%q ' "$BIN" "${ARGS[@]}"); touch $WORK/done; sleep 30"
tm set-option -w -t live window-size manual
pid=""
for _ in $(seq 200); do
    pid=$(pgrep -f -- "--log-dir $WORK/run\$" | while read -r p; do [[ $(cat /proc/$p/comm 2>/dev/null) == trainboard ]] && echo "$p"; done | head -1)
    [[ -n $pid ]] && break
    sleep 0.05
done
[[ -n $pid ]] || { echo "fit did not start" >&2; exit 1; }
echo "fit of $CONFIG, batch size 1, $STEPS steps (pid $pid); sampling every $INTERVAL s"
echo "   t (s)    step   RSS (MB)   drawing thread (ticks)   process (ticks)"
start=$(date +%s.%N)
: > "$WORK/samples"
while [[ ! -e $WORK/done ]] && kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2 / 1024}' /proc/$pid/status 2>/dev/null)
    draw=$(awk '{print $14 + $15}' /proc/$pid/task/$pid/stat 2>/dev/null)
    all=$(awk '{print $14 + $15}' /proc/$pid/stat 2>/dev/null)
    step=$(tail -c 4000 "$WORK"/run/version_0/events.jsonl 2>/dev/null | grep -o '"step":[0-9]*' | tail -1 | cut -d: -f2)
    [[ -n $rss && -n $draw ]] && printf "%8.1f %7s %10.1f %24s %17s\n" "$(echo "$(date +%s.%N) - $start" | bc)" "${step:-0}" "$rss" "$draw" "$all" | tee -a "$WORK/samples"
    sleep "$INTERVAL"
done
PER_EPOCH=$(head -1 "$WORK/run/version_0/events.jsonl" | grep -o '"steps_per_epoch":[0-9]*' | cut -d: -f2)
echo "steps per epoch: $PER_EPOCH"
python3 - "$WORK/samples" "${PER_EPOCH:-1}" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
rows = [(float(t), int(s), float(r), int(d), int(a)) for t, s, r, d, a in rows]
if len(rows) < 8:
    sys.exit("too few samples")
after = [r for r in rows if r[1] >= int(sys.argv[2])]   # after the first epoch
rss = [r[2] for r in after]
print(f"RSS after the first epoch: {min(rss):.1f} to {max(rss):.1f} MB (spread {max(rss) - min(rss):.1f} MB, "
      f"first {rss[0]:.1f}, last {rss[-1]:.1f}) over {rows[-1][0]:.0f} s and {rows[-1][1]} steps")
q = len(after) // 4
def share(a, b):
    draw, total = b[3] - a[3], b[4] - a[4]
    return 100 * draw / total if total else 0
print(f"drawing thread's share of the process CPU: first quarter {share(after[0], after[q]):.1f}%, "
      f"last quarter {share(after[-q - 1], after[-1]):.1f}%")
PY
