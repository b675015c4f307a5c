#!/usr/bin/env bash
# End-to-end test of the comparison view in a real terminal (tmux): a 4-run iris sweep with
# --parallel 2 shows the overlay and the runs table live, the metric and sort keys change the
# screen, q stops the sweep (exit 0, runs save last) and the same sweep resumes without
# rerunning finished runs; `compare` on two finished runs shows both legends, the system line, and
# zooms and smooths with z/Z and e/E; the headless table.
#
# Usage: Tests/tmux/compare_test.sh PATH/TO/trainboard   (run from anywhere; uses the repo's Config/)
# Builds nothing. Uses a private tmux server (-L), so other tmux sessions are untouched.
# Every wait has a timeout. Prints "N passed, N failed"; exits non-zero on any failure.
set -u

source "$(dirname "$0")/lib.sh"
tmux_test_init compare "$@"
cd "$ROOT" || exit 2

# Plan order: the two short runs first (the last axis varies fastest), then two that would
# run for hours, so q surely lands while they go on.
SWEEP="sweep --config Config/iris.yaml --grid trainer.max_epochs=150,100000 --grid optimizer.lr=0.01,0.001 --parallel 2"

# --- the live sweep ---
start_session sweep "sh -c 'trap \"\" INT; \"$BIN\" $SWEEP --log-dir \"$WORK/sweep\"; echo EXIT=\$? > \"$WORK/sweep.exit\"; sleep 60'"
check "the sweep opens the comparison view" wait_for "trainboard compare │ sweep $WORK/sweep" 20
check "header counts the runs going on" wait_for "2 running" 20
check "the sweep's header shows the system line" wait_for "· rss " 10
check "the overlay chart has curves" wait_braille 3,25p 20
# Letters go to runs in the order they are found, which two parallel runs may swap.
check "legend marks A in the chart title" wait_for "A⣿ max_epochs=" 10
check "legend marks B in the chart title" wait_for "B⣿ max_epochs=" 10
check "runs table shows the keys the grid varies" wait_for "optimizer.lr  trainer.max_epochs" 10
check "runs table shows the headline figures" wait_for "best val loss  best val acc  test acc  end" 5
check "the loss-lint verdict is in the table" wait_for "running    ok" 5

before=$(capture)
keys 3
check "3 switches the metric to val loss" wait_for "┌─ val loss " 5
check "the chart changes with the metric" wait_rows_change 3,25p "$before" 5
keys m
check "m goes on to val accuracy" wait_for "┌─ val accuracy " 5

before=$(capture)
keys s
check "s sorts by the next column" wait_for "sort: optimizer.lr ▲" 5
keys r
check "r reverses the sort" wait_for "sort: optimizer.lr ▼" 5
check "the table rows change order" wait_rows_change 27,39p "$before" 5

check "two runs finish while the view is open" wait_for "2 done" 90
keys q
check "q stops the sweep" wait_file "$WORK/sweep.exit" 60
check "exit status 0" grep -qx "EXIT=0" "$WORK/sweep.exit"
check "terminal restored" restored
check "the stop is announced on the normal screen" wait_for "stopping (q): the runs going on save last" 5
check "the table is printed after the view" wait_for "trainer.max_epochs=150,optimizer.lr=0.01" 5
check "sweep.csv: the two short runs completed" test "$(grep -c ',completed,' "$WORK/sweep/sweep.csv")" -eq 2
check "sweep.csv: the two long runs stopped" test "$(grep -c ',stopped,' "$WORK/sweep/sweep.csv")" -eq 2
check "the stopped runs saved last" test "$(compgen -G "$WORK/sweep/trainer.max_epochs=100000*/version_0/checkpoints/last.safetensors" | wc -l)" -eq 2
end_session

# --- the same sweep again (plain lines: no terminal) resumes; SIGINT stops it again ---
"$BIN" $SWEEP --log-dir "$WORK/sweep" >"$WORK/resume.out" 2>&1 </dev/null &
RESUME_PID=$!
cleanup_extra() { kill "$RESUME_PID" 2>/dev/null; }
check "resume skips the 2 finished runs" bash -c 'for _ in $(seq 100); do grep -q "skipping 2 finished runs" "$0" && exit 0; sleep 0.2; done; exit 1' "$WORK/resume.out"
check "the two stopped runs continue from last" bash -c 'for _ in $(seq 100); do (($(grep -c "(resuming from last)" "$0") == 2)) && exit 0; sleep 0.2; done; exit 1' "$WORK/resume.out"
kill -INT "$RESUME_PID"
wait "$RESUME_PID"
check "the resumed sweep stops with exit 0 on SIGINT" test $? -eq 0
check "no finished run was started again" test "$(grep -c '^started' "$WORK/resume.out")" -eq 2

# --- compare two finished runs ---
A="$WORK/sweep/trainer.max_epochs=150,optimizer.lr=0.01/version_0"
B="$WORK/sweep/trainer.max_epochs=150,optimizer.lr=0.001/version_0"
start_session compare "sh -c 'NO_COLOR=1 \"$BIN\" compare \"$A\" \"$B\"; echo EXIT=\$? > \"$WORK/compare.exit\"; sleep 60'"
check "compare shows the first run's legend" wait_for "A⣿ max_epochs=150,lr=0.01/version_0" 15
check "compare shows the second run's legend" wait_for "B⣿ max_epochs=150,lr=0.001/" 5
check "the table compares only optimizer.lr" bash -c '[[ $0 == *"│    run  "*"  optimizer.lr  best val loss"* ]]' "$(capture)"
check "both curves are drawn" wait_braille 3,25p 5
check "the header ends with the system line (CPU %, RSS)" wait_row 1 "· rss " 5
before=$(capture)
keys z
check "z zooms the chart to the last steps, said in its title" wait_for " last 1" 5
check "the chart changes with the zoom" wait_rows_change 3,25p "$before" 5
keys e
check "e smooths the curves, said in the title" wait_for "smooth 0.60" 5
keys E
check "E turns the smoothing off again" wait_gone "smooth 0.60" 5
keys Z
check "Z zooms back out to the whole run" wait_gone " last 1" 5
keys q
check "q ends compare" wait_file "$WORK/compare.exit" 10
check "compare exit status 0" grep -qx "EXIT=0" "$WORK/compare.exit"
capture >"$WORK/compare-capture.txt"
end_session

# --- no terminal: the table once ---
out=$("$BIN" compare "$WORK/sweep" </dev/null)
check "headless compare prints the header and 4 rows" test "$(grep -c 'optimizer.lr=' <<<"$out")" -eq 4
check "headless compare shows the lint verdict and the stopped runs" bash -c '[[ $0 == *"stopped    ok"* && $0 == *"completed  ok"* ]]' "$out"
check "headless watch with two directories prints the table" \
    bash -c '[[ $("$0" watch "$1" "$2" </dev/null) == *"optimizer.lr="* ]]' "$BIN" "$A" "$B"
"$BIN" compare "$WORK/missing" >/dev/null 2>&1
check "a missing directory exits 1" test $? -eq 1

tmux_test_finish
