# Shared by the explorer's end-to-end scripts (sourced, not run): a private tmux server, a
# scratch folder, and reading the screen. Set S_NAME before sourcing to name the server.
# Provides: WD, S, T (tmux on this server), fail, screen, wait_for REGEX [SECONDS].
export LANG=C.UTF-8 LC_ALL=C.UTF-8
WD=$(mktemp -d)
S=${S_NAME:-gradstep-e2e}-$$
T() { tmux -L "$S" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -f "/tmp/tmux-$(id -u)/$S"; rm -rf "$WD"; }
trap cleanup EXIT

fail() { echo "FAIL: $*"; T capture-pane -p -t app 2>/dev/null; exit 1; }
screen() { T capture-pane -p -t app; }
# wait_for REGEX [SECONDS]: until the screen shows it, for at most SECONDS (default 5).
wait_for() {
  local deadline=$(( $(date +%s%N) + ${2:-5} * 1000000000 ))
  until screen | grep -Eq -- "$1"; do
    (( $(date +%s%N) > deadline )) && fail "screen never showed /$1/"
    sleep 0.05
  done
}
