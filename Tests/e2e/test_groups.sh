#!/usr/bin/env bash
# Folded groups in a real terminal (tmux): `gradstep Graphs/mlp-groups.grad` opens with each
# group as one box (▸ dense#1 …); reverse mode to the end gives the gradient; o on the output
# opens the loss group, * opens all, * again folds all; q quits with the terminal restored.
# Uses $BIN (the gradstep binary) and $ROOT (the repository); exits non-zero on failure.
set -u
S_NAME=gradstep-groups
source "$(dirname "$0")/tmux-lib.sh"
GRAPH=$ROOT/Graphs/mlp-groups.grad

T -f /dev/null start-server \; set -g default-terminal tmux-256color \; \
  new-session -d -s app -x 140 -y 40 -c "$WD" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
  "stty -g >$WD/before; $BIN $GRAPH; echo EXIT=\$?; stty -g >$WD/after; tmux wait-for -S app-done; exec sleep 3600"

# --- Folded at first: one box per group.
wait_for '▸ dense#1'

# --- Stepping goes on through folded groups: reverse mode to the end.
T send-keys -t app r G
wait_for 'step 18/18'
wait_for '∂L/∂b3 = \[−0\.424287, 0\.424287\]'

# --- o opens the group of the selection (the output, in loss); * all; * again folds all.
T send-keys -t app / L Enter o
wait_for 'opened loss: 2 nodes'
T send-keys -t app '*'
wait_for 'opened all 4 groups'
T send-keys -t app '*'
wait_for 'folded all 4 groups'
wait_for '▸ dense#3'

# --- q quits and gives the terminal back.
T send-keys -t app q
timeout 5 tmux -L "$S" wait-for app-done || fail "gradstep did not exit"
screen | grep -q 'EXIT=0' || fail "expected exit status 0"
cmp -s "$WD/before" "$WD/after" || fail "terminal modes not restored (stty -g differs)"
echo "groups ok"
