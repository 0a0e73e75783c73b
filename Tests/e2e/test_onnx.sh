#!/usr/bin/env bash
# An ONNX model in the explorer (tmux): `gradstep Graphs/onnx/small-cnn.onnx` opens the CNN
# with each PyTorch module path as a folded group (▸ conv1, ▸ bn1, …); reverse mode runs to
# the end through the folded groups; * opens all 9 groups; q quits with the terminal restored.
# Uses $BIN (the gradstep binary) and $ROOT (the repository); exits non-zero on failure.
set -u
S_NAME=gradstep-onnx
source "$(dirname "$0")/tmux-lib.sh"
MODEL=$ROOT/Graphs/onnx/small-cnn.onnx

T -f /dev/null start-server \; set -g default-terminal tmux-256color \; \
  new-session -d -s app -x 140 -y 40 -c "$WD" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
  "stty -g >$WD/before; $BIN $MODEL; echo EXIT=\$?; stty -g >$WD/after; tmux wait-for -S app-done; exec sleep 3600"

# --- Folded at first: one box per module.
wait_for '▸ conv1' 20
wait_for '▸ bn1'

# --- Reverse mode to the end: the last step reached.
T send-keys -t app r G
wait_for 'step ([0-9]+)/\1' 10

# --- * opens every module's group.
T send-keys -t app '*'
wait_for 'opened all 9 groups'

T send-keys -t app q
timeout 5 tmux -L "$S" wait-for app-done || fail "gradstep did not exit"
screen | grep -q 'EXIT=0' || fail "expected exit status 0"
cmp -s "$WD/before" "$WD/after" || fail "terminal modes not restored (stty -g differs)"
echo "onnx ok"
