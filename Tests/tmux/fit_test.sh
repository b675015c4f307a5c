#!/usr/bin/env bash
# End-to-end test of `trainboard fit` with the live dashboard in a real terminal (tmux):
# header, live charts, pause/resume, save, resize, q and Ctrl-C (graceful stop, terminal
# restored), multiclass and binary task panels, a run that ends by itself.
#
# Usage: Tests/tmux/fit_test.sh PATH/TO/trainboard   (run from anywhere; uses the repo's Config/)
# Builds nothing. Uses a private tmux server (-L), so other tmux sessions are untouched.
# Every wait has a timeout. Prints "N passed, N failed"; exits non-zero on any failure.
set -u

source "$(dirname "$0")/lib.sh"
tmux_test_init fit "$@"
cd "$ROOT" || exit 2

# Iris with species names instead of 0/1/2, so the confusion matrix shows class names.
awk -F, 'BEGIN { OFS = ","; split("setosa versicolor virginica", name, " ") }
         NR > 1 { $5 = name[$5 + 1] } { print }' Config/data/iris.csv >"$WORK/iris-named.csv"
LONG="--set trainer.max_epochs=100000"
IRIS="--config Config/iris.yaml --set data.path=$WORK/iris-named.csv"

# start_fit NAME ARGS: `fit ARGS --log-dir $WORK/NAME` in a detached 120x40 session; the exit
# status goes to $WORK/NAME.exit. The shell ignores SIGINT so that it survives Ctrl-C and
# records the status (fit installs its own handler).
start_fit() {
    start_session "$1" "sh -c 'trap \"\" INT; \"$BIN\" fit $2 --log-dir \"$WORK/$1\"; echo EXIT=\$? > \"$WORK/$1.exit\"; sleep 60'"
}
# step: the global step shown in the header ("step 1708/700000" → 1708).
step() { capture | rows 4p | grep -o 'step [0-9]*/' | tr -dc 0-9; }
# A run started with --log-dir $WORK/NAME writes into $WORK/NAME/version_0 (its first version).
end_reason() { grep -q "\"end_reason\" : \"$2\"" "$WORK/$1/version_0/summary.json" 2>/dev/null; }
alive() { test ! -e "$WORK/$1.exit"; }
# advances: the step counter moves within SECONDS (default 5).
advances() {
    local before end=$((SECONDS + ${1:-5}))
    before=$(step)
    while ((SECONDS < end)); do
        sleep 0.3
        [[ -n $before && $(step) -gt $before ]] && return 0
        [[ -z $before ]] && before=$(step)
    done
    return 1
}
# settles: the step counter holds still for 0.6 s within SECONDS (the step under way when p
# arrived may still finish, later on a busy machine).
settles() {
    local before now end=$((SECONDS + ${1:-5}))
    before=$(step)
    while ((SECONDS < end)); do
        sleep 0.6
        now=$(step)
        [[ -n $now && $now == "$before" ]] && return 0
        before=$now
    done
    return 1
}

# --- a long multiclass run: header, live update, pause, save, resize, q ---
start_fit live "$IRIS $LONG"
check "header shows the run name, its version and task" wait_for "trainboard │ iris/version_0 │ config Config/iris.yaml │ multiclass" 20
check "header shows the loss" wait_for " loss cross_entropy │ 131 params" 5
check "running state" wait_for "▶ running" 5
check "figures appear (validation loss and accuracy)" wait_for "val acc    " 10
check "confusion matrix panel with class names" wait_for "confusion matrix (epoch" 5
check "class names label the matrix rows" bash -c '[[ $0 == *"│setosa "*"│versicolor "*"│virginica "* ]]' "$(capture | rows 27,38p)"
check "loss chart has braille" wait_braille 6,24p 10 1-72
first=$(capture)
check "step counter advances after a capture" wait_rows_change 4p "$first" 10
check "loss chart changes after a capture" wait_rows_change 6,24p "$first" 10 1-72

keys p
check "p shows the paused state" wait_for "❚❚ PAUSED" 5
check "step counter settles after p" settles 5
paused_at=$(step)
sleep 1.5
check "step counter stays still while paused ($paused_at)" test "$(step)" = "$paused_at"
check "paused event written" grep -q '"type":"paused"' "$WORK/live/version_0/events.jsonl"
keys p
check "p again resumes" wait_for "▶ running" 5
check "step counter advances after resuming" advances 5

keys s
check "s saves a step checkpoint" wait_glob "$WORK/live/version_0/checkpoints/step-*.safetensors" 10

tm resize-window -t "$SESSION" -x 60 -y 20
check "pane is 60x20" test "$(pane '#{pane_width}x#{pane_height}')" = "60x20"
check "dashboard redrawn at 60x20 (footer on row 20)" wait_row 20 "panel: overview" 5
check "header redrawn at 60x20" wait_row 1 "trainboard │ iris" 5
check "still redrawing at 60x20" wait_change 5
check "still alive after shrinking" alive live
tm resize-window -t "$SESSION" -x 30 -y 10
check "30x10 shows the enlarge note" wait_for "enlarge" 5
tm resize-window -t "$SESSION" -x 120 -y 40
check "back at 120x40 the dashboard returns" wait_row 40 "panel: overview" 5
check "and keeps redrawing" advances 5
check "still alive after resizing" alive live

keys q
check "q ends fit" wait_file "$WORK/live.exit" 20
check "exit status 0 after q" grep -qx "EXIT=0" "$WORK/live.exit"
check "last checkpoint saved" test -s "$WORK/live/version_0/checkpoints/last.safetensors"
check "summary.json: end_reason stopped" end_reason live stopped
check "terminal restored after q (alternate screen off, cursor visible)" restored
check "run summary printed on the normal screen" wait_for "iris/version_0 ended: stopped" 5
check "summary names the last checkpoint" wait_for "last checkpoint last: $WORK/live/version_0/checkpoints/last.safetensors" 2
check "no dashboard left on the normal screen" wait_gone "┌─ loss" 2
end_session

# --- a long binary run: binary metrics panel, then Ctrl-C ---
start_fit binary "--config Config/breast-cancer.yaml $LONG"
check "binary header" wait_for "trainboard │ breast-cancer/version_0 │ config Config/breast-cancer.yaml │ binary" 20
check "binary metrics panel" wait_for "binary metrics (epoch" 10
check "precision, recall, F1 and AUROC shown" bash -c 'for m in threshold precision recall F1 AUROC; do [[ $0 == *"$m "* ]] || exit 1; done' "$(capture | rows 27,38p)"
check "binary run advances" advances 5
keys Tab Tab Tab
check "the enlarged task panel shows the live ROC and PR curves" wait_for "PR precision by recall  AP " 5
check "the ROC chart is there too" wait_for "ROC TPR by FPR  AUC " 2
keys BTab BTab BTab
keys C-c
check "Ctrl-C ends fit" wait_file "$WORK/binary.exit" 20
check "exit status 0 after Ctrl-C (graceful stop)" grep -qx "EXIT=0" "$WORK/binary.exit"
check "last checkpoint saved after Ctrl-C" test -s "$WORK/binary/version_0/checkpoints/last.safetensors"
check "summary.json after Ctrl-C: end_reason stopped" end_reason binary stopped
check "terminal restored after Ctrl-C" restored
check "run summary printed after Ctrl-C" wait_for "breast-cancer/version_0 ended: stopped" 5
end_session

# --- q while paused still stops gracefully ---
start_fit paused "$IRIS $LONG"
check "paused run: dashboard up" wait_for "▶ running" 20
keys p
check "paused run: paused" wait_for "❚❚ PAUSED" 5
keys q
check "q while paused ends fit" wait_file "$WORK/paused.exit" 20
check "exit status 0 after q while paused" grep -qx "EXIT=0" "$WORK/paused.exit"
check "q while paused: end_reason stopped" end_reason paused stopped
check "q while paused: last checkpoint saved" test -s "$WORK/paused/version_0/checkpoints/last.safetensors"
end_session

# --- a run that ends by itself keeps its final screen until a key ---
start_fit done "$IRIS --set trainer.max_epochs=30"
check "finished run shows its end" wait_for "run ended: completed" 20
check "final state in the header" wait_for "■ completed" 2
sleep 1.5
check "the final screen stays" bash -c 'alive() { test ! -e "$0"; }; alive' "$WORK/done.exit"
check "still the dashboard (alternate screen)" test "$(pane '#{alternate_on}')" = "1"
keys Enter
check "a key closes it" wait_file "$WORK/done.exit" 10
check "exit status 0 after a completed run" grep -qx "EXIT=0" "$WORK/done.exit"
check "summary.json: end_reason completed" end_reason done completed
check "terminal restored after closing" restored
check "run summary printed" wait_for "iris/version_0 ended: completed" 5
end_session

# --- --exit-when-done closes by itself ---
start_fit auto "$IRIS --set trainer.max_epochs=30 --exit-when-done"
check "--exit-when-done exits by itself" wait_file "$WORK/auto.exit" 30
check "exit status 0 with --exit-when-done" grep -qx "EXIT=0" "$WORK/auto.exit"
check "terminal restored with --exit-when-done" restored
check "run summary printed with --exit-when-done" wait_for "iris/version_0 ended: completed" 5
end_session

# --- the same log dir again: a new version beside the first, the first untouched ---
first=$(sha256sum "$WORK/done/version_0/checkpoints/last.safetensors")
start_session again "sh -c '\"$BIN\" fit $IRIS --set trainer.max_epochs=30 --exit-when-done --log-dir \"$WORK/done\"; echo EXIT=\$? > \"$WORK/again.exit\"; sleep 60'"
check "a second run into the same log dir exits by itself" wait_file "$WORK/again.exit" 30
check "it printed its run directory, version_1" wait_for "run directory $WORK/done/version_1" 5
check "its summary names version_1" wait_for "iris/version_1 ended: completed" 5
check "the first run's checkpoint is unchanged" test "$(sha256sum "$WORK/done/version_0/checkpoints/last.safetensors")" = "$first"
end_session

tmux_test_finish
