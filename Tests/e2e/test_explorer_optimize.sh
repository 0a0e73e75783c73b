#!/usr/bin/env bash
# The explorer's optimisation mode in a real terminal (tmux, 120×40): open Rosenbrock, O starts
# gradient descent, n/p step iterations, :optimize switches to Adam with its update written
# out, Enter opens an iteration into the reverse sweep that gave its gradient (∇f(−1.1, 1.1)
# = (−52.6, −22), computed by hand), Enter closes it, a too large step shows DIVERGED, q quits.
# Uses $BIN (the gradstep binary) and $ROOT (the repository); exits non-zero on failure.
set -u
S_NAME=gradstep-e2e-opt
source "$(dirname "$0")/tmux-lib.sh"

T -f /dev/null start-server \; set -g default-terminal tmux-256color \; \
  new-session -d -s app -x 120 -y 40 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
  "$BIN $ROOT/Graphs/rosenbrock.grad; echo EXIT=\$?; tmux wait-for -S app-done; exec sleep 3600"
wait_for 'step 0/'

# --- O: plain gradient descent with the CLI's defaults; n and p step iterations.
T send-keys -t app O
wait_for 'Optimisation: sgd, η = 0\.001'
wait_for 'iteration 0/100'
wait_for 'contours of f'
T send-keys -t app n n n p
wait_for 'iteration 2/100'
wait_for 'x ← x − η·g'

# --- :optimize with the CLI's options: Adam, its moments and bias corrections with numbers.
T send-keys -t app : 'optimize --method adam --lr 0.1 --steps 20' Enter
wait_for 'Optimisation: adam, η = 0\.1, β = \(0\.9, 0\.999\)'
T send-keys -t app n
wait_for 'iteration 1/20'
wait_for 'θ₁  x = −1\.1   y = 1\.1'
wait_for 'm̂ = m/\(1 − β₁ᵗ\)'
wait_for 'v̂ = v/\(1 − β₂ᵗ\)'

# --- Enter: the reverse sweep at θ₁; G completes it; the gradient is ∇f(−1.1, 1.1).
T send-keys -t app Enter
wait_for 'iteration 1: reverse sweep'
T send-keys -t app G
wait_for '∂f/∂x = −52\.6'
wait_for '∂f/∂y = −22 '
T send-keys -t app Enter
wait_for 'update t = 2'
wait_for 'iteration 1/20'

# --- A learning rate too large: the divergence is on screen.
T send-keys -t app : 'optimize --lr 0.01' Enter
wait_for 'DIVERGED: diverged at step'

# --- O leaves the mode; q quits.
T send-keys -t app O
wait_for 'left optimisation mode'
T send-keys -t app q
timeout 5 tmux -L "$S" wait-for app-done || fail "gradstep did not exit"
screen | grep -q 'EXIT=0' || fail "expected exit status 0"
echo ok
