#!/usr/bin/env bash
# End-to-end test of `trainboard watch` in a real terminal (tmux), while
# scripts/fake-run.py writes a run live; then the zoom and smoothing keys on a finished run.
#
# Usage: Tests/tmux/watch_test.sh PATH/TO/trainboard
# Builds nothing. Uses a private tmux server (-L), so other tmux sessions are untouched.
# Every wait has a timeout. Prints "N passed, N failed"; exits non-zero on any failure.
set -u

source "$(dirname "$0")/lib.sh"
tmux_test_init watch "$@"
FAKE_PID=""
cleanup_extra() { [[ -n $FAKE_PID ]] && kill "$FAKE_PID" 2>/dev/null; }

# start_watch NAME EXTRA_ARGS: watch in a detached 120x40 session; exit status to $WORK/NAME.exit.
start_watch() {
    start_session "$1" "sh -c 'trap \"\" INT; \"$BIN\" watch \"$WORK/run\" $2; echo EXIT=\$? > \"$WORK/$1.exit\"; sleep 60'"
}

# --- plain mode and errors (no terminal) ---
python3 "$ROOT/scripts/fake-run.py" "$WORK/done" --delay 0 --epochs 3 --steps 20 >/dev/null
out=$("$BIN" watch "$WORK/done" 2>&1)
check "headless on a finished run prints epochs and the summary, exit 0" \
    bash -c '[[ $0 == *"epoch 3/3"* && $0 == *"ended: completed"* ]]' "$out"
err=$("$BIN" watch "$WORK/missing" 2>&1 >/dev/null)
status=$?
check "missing run directory: one line on stderr, exit 1" \
    bash -c '[[ $0 -eq 1 && $(printf "%s\n" "$1" | wc -l) -eq 1 && $1 == *"missing"* ]]' "$status" "$err"

# --- live dashboard ---
python3 "$ROOT/scripts/fake-run.py" "$WORK/run" --epochs 8 --steps 40 --delay 0.1 >/dev/null 2>&1 &
FAKE_PID=$!
wait_file "$WORK/run/events.jsonl" 10
start_watch live ""

check "header shows run, config and task" wait_for "fake-multiclass │ config Config/fake-multiclass.yaml │ multiclass" 15
check "progress shows the epoch" wait_for "epoch 1/8" 10
check "loss chart has braille" wait_braille 5,24p 10
first=$(capture)
check "loss chart changes after a capture" wait_rows_change 6,24p "$first" 10 1-72
check "progress figures change after a capture" wait_rows_change 3,4p "$first" 10

keys l
check "l switches the charts to log scale" wait_for "[log y]" 5
keys l
check "l again switches back to linear" wait_for "[lin y]" 5

check "the progress row ends with the system line (CPU %, RSS)" wait_row 4 "· rss " 5

keys '?'
check "? shows the help overlay" wait_for "toggle log scale of the chart y axes" 5
keys '?'
check "? again hides it" wait_gone "toggle log scale of the chart y axes" 5

keys Tab
check "Tab enlarges the loss panel" wait_for "panel: loss" 5
keys BTab
check "Shift-Tab goes back to the overview" wait_for "panel: overview" 5

tm resize-window -t "$SESSION" -x 60 -y 20
size=$(pane '#{pane_width}x#{pane_height}')
check "pane is 60x20 (got $size)" test "$size" = "60x20"
check "dashboard redrawn at 60x20 (footer on row 20)" wait_row 20 "panel: overview" 5
check "header redrawn at 60x20" wait_row 1 "trainboard │ fake-multiclass" 5
check "still alive after shrinking" test ! -e "$WORK/live.exit"

tm resize-window -t "$SESSION" -x 30 -y 10
check "30x10 shows the enlarge note" wait_for "enlarge" 5

tm resize-window -t "$SESSION" -x 120 -y 40
check "back at 120x40 the dashboard returns" wait_for "fake-multiclass │ config" 5
check "and the footer is on row 40" wait_row 40 "panel: overview" 5
sleep 0.5
capture >"$WORK/capture-120x40.txt"

keys q
check "q ends watch" wait_file "$WORK/live.exit" 10
check "exit status 0" grep -qx "EXIT=0" "$WORK/live.exit"
check "terminal restored: alternate screen off" test "$(pane '#{alternate_on}')" = "0"
check "terminal restored: cursor visible" test "$(pane '#{cursor_flag}')" = "1"
check "run summary printed on the normal screen" wait_for "fake-multiclass" 5
check "no dashboard left on the normal screen" wait_gone "┌─ loss" 2
end_session

# --- zoom and smoothing keys on a finished 300-step run ---
python3 "$ROOT/scripts/fake-run.py" "$WORK/long" --delay 0 --epochs 3 --steps 100 >/dev/null
start_session zoom "\"$BIN\" watch \"$WORK/long\"; sleep 60"
check "watch shows the finished 300-step run" wait_for "step 300/300" 15
before=$(capture)
keys z
check "z zooms to the last 100 steps, said in the loss chart's title" wait_row 5 "[lin y] last 100 steps ─" 5
check "and in the accuracy chart's (cut to its width)" wait_row 5 "┌─ accuracy ⣿ train ⣿ val [lin y] last 100 step" 5
check "the loss chart's x axis starts at step 200" wait_row 24 "200 " 5
check "the loss chart changes with the zoom" wait_rows_change 6,24p "$before" 5 1-72
keys z
check "z again goes back to the whole run" wait_gone "last 100 steps" 5
keys e
check "e smooths the loss: the title says so and the legend shows the smoothed curve" wait_row 5 "smooth ⣿ val [lin y] smooth 0.60" 5
keys e
check "e again: a stronger weight" wait_for "smooth 0.90" 5
keys E
check "E: a weaker one" wait_for "smooth 0.60" 5
keys E
check "E again: smoothing off, the running average is back" wait_row 5 "⣿ avg" 5
check "chart keys do not close a finished run" test "$(pane '#{pane_current_command}')" != "sleep"
end_session

# --- Ctrl-C restores the terminal too ---
start_watch sigint ""
check "second watch shows the dashboard" wait_for "fake-multiclass │ config" 15
keys C-c
check "Ctrl-C ends watch" wait_file "$WORK/sigint.exit" 10
check "exit status 130 after Ctrl-C" grep -qx "EXIT=130" "$WORK/sigint.exit"
check "terminal restored after Ctrl-C" restored
end_session

# --- a crash signal still gives the terminal back ---
start_watch crash ""
check "third watch shows the dashboard" wait_for "fake-multiclass │ config" 15
shell_pid=$(pane '#{pane_pid}')
watch_pid=$(pgrep -P "$shell_pid" | head -1)
check "found the watch process under the pane's shell" test -n "$watch_pid"
[[ -n $watch_pid ]] && kill -SEGV "$watch_pid"
check "SIGSEGV ends watch" wait_file "$WORK/crash.exit" 10
check "exit status 139 (SIGSEGV re-raised)" grep -qx "EXIT=139" "$WORK/crash.exit"
check "terminal restored after SIGSEGV" restored
end_session

# --- --exit-when-done on a finished run ---
# The fake writer must stop first: still writing into run/events.jsonl at its own offset, it
# could overwrite the copied run_ended line (a flake on a busy machine).
kill "$FAKE_PID" 2>/dev/null
wait "$FAKE_PID" 2>/dev/null
FAKE_PID=""
rm -rf "$WORK/run"
cp -r "$WORK/done" "$WORK/run"
start_watch done "--exit-when-done"
check "--exit-when-done quits a finished run by itself, exit 0" bash -c 'for _ in $(seq 50); do [[ -s $0 ]] && grep -qx EXIT=0 "$0" && exit 0; sleep 0.2; done; exit 1' "$WORK/done.exit"

# --- a binary run: the last validation's ROC and PR curves in the task panel ---
python3 "$ROOT/scripts/fake-run.py" "$WORK/binary" --task binary --delay 0 --epochs 3 --steps 20 >/dev/null
start_session binary "sh -c '\"$BIN\" watch \"$WORK/binary\"; echo EXIT=\$? > \"$WORK/binary.exit\"; sleep 60'"
check "binary run: figures in the task panel" wait_for "AUROC      0.9" 15
check "binary run at 120x40: the overview shows the ROC chart beside the figures" wait_for "ROC  AUC 0.9" 5
check "the overview's ROC chart has its x axis" wait_for "1 FPR" 5
keys Tab Tab Tab
check "Tab to the task panel" wait_for "panel: task" 5
check "the enlarged task panel shows the ROC chart" wait_for "ROC TPR by FPR  AUC 0.9" 5
check "and the precision-recall chart" wait_for "PR precision by recall  AP 0.9" 5
check "with their x axes" bash -c '[[ $0 == *"1 FPR"* && $0 == *"1 recall"* ]]' "$(capture)"
check "the curves are drawn in braille" wait_braille 6,38p 5
keys BTab BTab BTab
tm resize-window -t "$SESSION" -x 200 -y 50
check "at 200x50 the overview has room for the curves" wait_for "AUC 0.9" 5
keys q
check "q ends watch of the binary run, exit 0" bash -c 'for _ in $(seq 50); do [[ -s $0 ]] && grep -qx EXIT=0 "$0" && exit 0; sleep 0.2; done; exit 1' "$WORK/binary.exit"
end_session

if [[ -n ${CAPTURE_OUT:-} ]]; then cp "$WORK/capture-120x40.txt" "$CAPTURE_OUT"; fi
tmux_test_finish
