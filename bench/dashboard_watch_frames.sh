#!/usr/bin/env bash
# Time to the first frame and to the complete frame of the live `watch` on a finished run
# (issue 17), in a 200x60 tmux window: polls the screen every 10 ms until the header shows
# the run (first frame, possibly "reading events N%" in the footer) and until the footer says
# the run ended (every event folded).
#
# Usage: bench/dashboard_watch_frames.sh RUN_DIR [BINARY]
#   e.g. python3 scripts/fake-run.py /tmp/run-1m --delay 0 --epochs 100 --steps 10000
set -u
DIR=$(realpath "$1")
BIN=$(realpath "${2:-.build/release/trainboard}")
source "$(dirname "$0")/dashboard_tmux.sh" frames
start=$(date +%s%N)
tm new-session -d -s watch -x 200 -y 60 "$(printf '%q ' "$BIN" watch "$DIR"); sleep 30"
tm set-option -w -t watch window-size manual
first="" reading=""
for _ in $(seq 3000); do
    screen=$(tm capture-pane -p -t watch 2>/dev/null)
    now=$((($(date +%s%N) - start) / 1000000))
    if [[ -z $first && $screen == *"config "* ]]; then
        first=$now
        [[ $screen == *"reading events"* ]] && reading=" (footer: $(grep -o 'reading events [0-9]*%' <<< "$screen" | head -1))"
    fi
    if [[ $screen == *"run ended"* ]]; then
        echo "first frame after ${first:-?} ms$reading; complete frame (run ended) after $now ms"
        exit 0
    fi
    sleep 0.01
done
echo "no complete frame within 30 s (first frame: ${first:-none} ms)" >&2
exit 1
