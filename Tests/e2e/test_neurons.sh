#!/usr/bin/env bash
# The neuron-level view in a real terminal (tmux): exercise 9's MLP, N expands it to one node
# per element and multiply-add, the backward pass there ends with the tensor view's gradient
# entry ∂L/∂W[2,0] = −0.35485, and N collapses it again; q quits with the terminal restored.
# Uses $BIN (the gradstep binary) and $ROOT (the repository); exits non-zero on failure.
set -u
S_NAME=gradstep-neurons
source "$(dirname "$0")/tmux-lib.sh"
GRAPH=$ROOT/Graphs/mlp-relu-softmax.grad

T -f /dev/null start-server \; set -g default-terminal tmux-256color \; \
  new-session -d -s app -x 140 -y 45 -c "$WD" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
  "stty -g >$WD/before; $BIN $GRAPH; echo EXIT=\$?; stty -g >$WD/after; tmux wait-for -S app-done; exec sleep 3600"

wait_for 'Graph mlp-relu-softmax '
T send-keys -t app N
wait_for 'neuron view: [0-9]+ scalar nodes for [0-9]+ tensor nodes'
wait_for 'Graph mlp-relu-softmax-scalar'
T send-keys -t app r G
T send-keys -t app -l -- '/W[2,0]'
T send-keys -t app Enter
wait_for 'tensor view: W\[2,0\], element of W \(param, \[3×2\]\)'
wait_for '∂L/∂W\[2,0\] = −0\.35485'
T send-keys -t app N
wait_for 'tensor view: [0-9]+ nodes'
wait_for 'Graph mlp-relu-softmax '

T send-keys -t app q
timeout 5 tmux -L "$S" wait-for app-done || fail "gradstep did not exit"
screen | grep -q 'EXIT=0' || fail "expected exit status 0"
cmp -s "$WD/before" "$WD/after" || fail "terminal modes not restored (stty -g differs)"
echo "neurons ok"
