#!/usr/bin/env bash
# Rank 0's live dashboard under mpirun, in a real terminal (tmux): a 2-rank iris job shows
# the world size and the all-reduce time, and `q` stops both ranks at one step with exit 0
# and one `last` checkpoint. mpirun hands rank 0 its terminal's input as the terminal
# delivers it: line by line in the terminal's normal mode (q, then Enter), key by key after
# `stty -icanon -echo` (docs/distributed.md). Both ways are tested.
#
# Usage: Tests/mpi/dashboard_test.sh PATH/TO/trainboard   Prints "N passed, N failed".
set -u

# Before the tmux server starts, so that its sessions have mpirun's environment.
source "$(dirname "$0")/mpirun.sh"
source "$(dirname "$0")/../tmux/lib.sh"
tmux_test_init mpi-dashboard "$@"
cd "$ROOT" || exit 2
MPIRUN="mpirun -np 2 --oversubscribe --bind-to none"
FIT="fit --config Config/iris.yaml --set trainer.max_epochs=100000"

# job NAME [STTY]: starts the job in session NAME; its exit status goes to $WORK/NAME.exit.
job() {
    local setup=${2:-true}
    start_session "$1" "sh -c 'trap \"\" INT; $setup; $MPIRUN \"$BIN\" $FIT --log-dir \"$WORK/$1\"; echo EXIT=\$? > \"$WORK/$1.exit\"; stty sane; sleep 60'"
}

# stopped NAME: the job ended by the stop: exit 0, a stopped run, its summary and checkpoint.
stopped() {
    local name=$1 run=$WORK/$1/version_0
    check "$name: the job ends" wait_file "$WORK/$name.exit" 30
    check "$name: exit status 0 (every rank)" grep -q "EXIT=0" "$WORK/$name.exit"
    check "$name: the run ended stopped" grep -q '"reason":"stopped"' "$run/events.jsonl"
    check "$name: one last checkpoint" test -s "$run/checkpoints/last.safetensors"
    check "$name: world_size 2 in summary.json" grep -q '"world_size" *: *2' "$run/summary.json"
    check "$name: the terminal is restored" test "$(pane '#{alternate_on}')" = 0
    check "$name: the summary is printed" wait_for "ended: stopped" 5
    check "$name: rank 0 alone wrote one run directory" test "$(ls "$WORK/$name")" = version_0
}

# --- the terminal as it is: q reaches rank 0 with Enter ---
job lines
check "lines: rank 0 opens the dashboard" wait_for "trainboard │ iris/version_0" 60
check "lines: the header shows the ranks and the all-reduce time" wait_for "2 ranks · all-reduce" 20
check "lines: the chart is drawn" wait_braille 5,25p 20
check "lines: a message says how keys reach rank 0" wait_for "press Enter after a key" 5
keys q Enter
stopped lines
end_session

# --- stty -icanon: single keys ---
job keys "stty -icanon -echo"
check "keys: rank 0 opens the dashboard" wait_for "2 ranks · all-reduce" 60
keys l
check "keys: l switches the loss chart to log y at once" wait_for "[log y]" 10
keys q
stopped keys
end_session

tmux_test_finish
