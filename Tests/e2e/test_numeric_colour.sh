#!/usr/bin/env bash
# check and plot on a real terminal (tmux): verdicts and curves are coloured there, and the
# same commands through a pipe print no escape codes at all.
# Uses $BIN (the gradstep binary); exits non-zero on failure.
set -u
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR
WD=$(mktemp -d)
S=gradstep-e2e-numeric-$$
T() { tmux -L "$S" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -f "/tmp/tmux-$(id -u)/$S"; rm -rf "$WD"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; T capture-pane -p -e -t app 2>/dev/null; exit 1; }

T -f /dev/null start-server \; set -g default-terminal tmux-256color \; \
  new-session -d -s app -x 100 -y 40 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
  "env -u NO_COLOR $BIN check -e 'relu(x) + x^2' --set x=0; env -u NO_COLOR $BIN plot -e 'sin(x)' --wrt x --from -3 --to 3 --width 60 --height 12; echo DONE; tmux wait-for -S app-done; exec sleep 3600"
deadline=$(( $(date +%s%N) + 10000000000 ))
until T capture-pane -p -t app | grep -q '^DONE'; do
  (( $(date +%s%N) > deadline )) && fail "the commands never finished"
  sleep 0.05
done
T capture-pane -p -e -t app >"$WD/screen"
# The kink row is yellow (33), the plot's curves in 24-bit theme colours.
grep -q $'\e\\[33m' "$WD/screen" || fail "the kink verdict is not coloured"
grep -q $'\e\\[38;2;' "$WD/screen" || fail "the plot's curves are not coloured"
grep -q 'kink' "$WD/screen" || fail "no kink verdict"

# Through a pipe: plain text.
out=$(env -u NO_COLOR "$BIN" check -e 'relu(x) + x^2' --set x=0; env -u NO_COLOR "$BIN" plot -e 'sin(x)' --wrt x)
case "$out" in *$'\e'*) fail "escape codes in piped output";; esac
exit 0
