# Shared helpers for the tmux end-to-end tests (sourced, not run).
#
#   source "$(dirname "$0")/lib.sh"
#   tmux_test_init NAME "$@"     # checks the binary argument; sets BIN ROOT WORK SOCKET SESSION
#   ... check "name" COMMAND ...; start_session NAME COMMAND ...
#   tmux_test_finish             # prints "N passed, N failed"; returns non-zero on failure
#
# Uses a private tmux server (-L), so other tmux sessions are untouched. Every wait has a
# timeout. Two tmux 3.3a workarounds live here:
#  - window-size is set to manual per window (the server dies creating a session while the
#    global option is manual);
#  - an idle keeper session keeps the private server alive between test sessions (killing
#    the last session would stop the server, racing with the next new-session).
# A test may define cleanup_extra() to stop its own helpers; it runs before the server dies.

export LC_ALL=C.UTF-8
PASSED=0
FAILED=0
SESSION="main"

tmux_test_init() { # NAME BINARY
    local name=$1
    shift
    if [[ $# -ne 1 || ! -x $1 ]]; then
        echo "usage: $0 PATH/TO/trainboard" >&2
        exit 2
    fi
    command -v tmux >/dev/null || { echo "$0: tmux is not installed" >&2; exit 2; }
    BIN=$(realpath "$1")
    ROOT=$(cd "$(dirname "$0")/../.." && pwd)
    WORK=$(mktemp -d)
    SOCKET="tb-$name-test-$$"
    trap tmux_test_cleanup EXIT
    tm new-session -d -s keeper -x 40 -y 10 "sleep 600"
}

tmux_test_cleanup() {
    declare -F cleanup_extra >/dev/null && cleanup_extra
    tm kill-server 2>/dev/null
    rm -rf "$WORK"
}

tmux_test_finish() {
    echo "$PASSED passed, $FAILED failed"
    ((FAILED == 0))
}

tm() { tmux -u -L "$SOCKET" -f /dev/null "$@"; }
capture() { tm capture-pane -p -t "$SESSION" 2>/dev/null; }
pane() { tm display-message -p -t "$SESSION" "$1" 2>/dev/null; }
keys() { tm send-keys -t "$SESSION" "$@"; }

ok() { PASSED=$((PASSED + 1)); echo "ok     - $1"; }
not_ok() {
    FAILED=$((FAILED + 1))
    echo "NOT OK - $1"
    capture | sed 's/^/    | /' | head -45
}
check() { # NAME COMMAND...
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# start_session NAME COMMAND: COMMAND in a detached 120x40 session named NAME (now $SESSION).
start_session() {
    SESSION=$1
    tm new-session -d -s "$SESSION" -x 120 -y 40 "$2"
    tm set-option -w -t "$SESSION" window-size manual
    check "session $1 is 120x40" test "$(pane '#{pane_width}x#{pane_height}')" = "120x40"
}
end_session() { tm kill-session -t "$SESSION" 2>/dev/null; }

# wait_for PATTERN [SECONDS]: until the pane shows the fixed string PATTERN.
wait_for() {
    local end=$((SECONDS + ${2:-10}))
    while ((SECONDS < end)); do
        capture | grep -qF -- "$1" && return 0
        sleep 0.2
    done
    return 1
}
# wait_gone PATTERN [SECONDS]: until the pane no longer shows PATTERN.
wait_gone() {
    local end=$((SECONDS + ${2:-10}))
    while ((SECONDS < end)); do
        capture | grep -qF -- "$1" || return 0
        sleep 0.2
    done
    return 1
}
# wait_row ROW PATTERN [SECONDS]: until row ROW (1-based) of the pane contains PATTERN.
wait_row() {
    local end=$((SECONDS + ${3:-10}))
    while ((SECONDS < end)); do
        [[ $(capture | sed -n "$1p") == *"$2"* ]] && return 0
        sleep 0.2
    done
    return 1
}
# wait_file PATH [SECONDS]: until PATH exists and is not empty.
wait_file() {
    local end=$((SECONDS + ${2:-10}))
    while ((SECONDS < end)); do
        [[ -s $1 ]] && return 0
        sleep 0.2
    done
    return 1
}
# wait_glob GLOB [SECONDS]: until some file matches GLOB.
wait_glob() {
    local end=$((SECONDS + ${2:-10}))
    while ((SECONDS < end)); do
        compgen -G "$1" >/dev/null && return 0
        sleep 0.2
    done
    return 1
}
# wait_change [SECONDS]: until the pane differs from what it shows now (still redrawing).
wait_change() {
    local before end=$((SECONDS + ${1:-5}))
    before=$(capture)
    while ((SECONDS < end)); do
        sleep 0.3
        [[ $(capture) != "$before" ]] && return 0
    done
    return 1
}
# wait_rows_change RANGE BASELINE [SECONDS] [COLUMNS]: until rows RANGE (a sed address, e.g. 6,24p) of
# the pane, cut to COLUMNS (e.g. 1-72) when given, differ from the same rows of BASELINE (an
# earlier capture). Polls instead of sleeping a fixed time, so a slow machine only waits longer.
wait_rows_change() {
    local range=$1 columns=${4:-1-} old end=$((SECONDS + ${3:-10}))
    old=$(rows "$range" <<<"$2" | cut -c"$columns")
    while ((SECONDS < end)); do
        [[ $(capture | rows "$range" | cut -c"$columns") != "$old" ]] && return 0
        sleep 0.2
    done
    return 1
}
# wait_braille RANGE [SECONDS] [COLUMNS]: until rows RANGE of the pane hold braille (a chart has data).
wait_braille() {
    local end=$((SECONDS + ${2:-10}))
    while ((SECONDS < end)); do
        capture | rows "$1" | cut -c"${3:-1-}" | has_braille && return 0
        sleep 0.2
    done
    return 1
}
has_braille() { python3 -c 'import sys; sys.exit(0 if any(0x2801 <= ord(c) <= 0x28FF for c in sys.stdin.read()) else 1)'; }
rows() { sed -n "$1"; }
# restored: the pane left the alternate screen and shows the cursor.
restored() { test "$(pane '#{alternate_on}')$(pane '#{cursor_flag}')" = "01"; }
