# Sourced by the bench/dashboard_*.sh scripts: a private tmux server (-L, so other sessions
# are untouched) with a keeper session, `tm` to talk to it, a scratch directory $WORK, and
# both removed on exit. Usage: source "$(dirname "$0")/dashboard_tmux.sh" NAME
WORK=$(mktemp -d)
SOCKET="tb-$1-$$"
export LC_ALL=C.UTF-8
tm() { tmux -u -L "$SOCKET" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$WORK"' EXIT
tm new-session -d -s keeper -x 40 -y 10 "sleep 3600"
