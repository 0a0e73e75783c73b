#!/usr/bin/env bash
# A quiz in a real terminal (tmux): `gradstep --quiz --mode reverse` on Baydin's example. The
# next adjoint shows `?`; a sign lost in − is answered with the chain-rule sentence and named;
# a hint; the right answers take the steps to the gradient and the score; q then quits with
# the terminal restored.
# Uses $BIN (the gradstep binary) and $ROOT (the repository); exits non-zero on failure.
set -u
S_NAME=gradstep-quiz
source "$(dirname "$0")/tmux-lib.sh"
GRAPH=$ROOT/Graphs/baydin.grad
answer() { T send-keys -t app -l -- "$1"; T send-keys -t app Enter; }

T -f /dev/null start-server \; set -g default-terminal tmux-256color \; \
  new-session -d -s app -x 120 -y 40 -c "$WD" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
  "stty -g >$WD/before; $BIN --quiz --mode reverse $GRAPH; echo EXIT=\$?; stty -g >$WD/after; tmux wait-for -S app-done; exec sleep 3600"

# --- The first question: the output's seed, hidden.
wait_for 'quiz, reverse mode: what is v̄₅\?'
wait_for '^v̄₅ =$'
wait_for 'v̄ \?'
answer 1
wait_for 'step 1/7 │ quiz 1/7'
answer 1
# --- A sign lost in −: the sentence, the right value, the mistake; the step waits.
wait_for '^v̄₃ =$'
answer 1
wait_for '✗ v̄₃ is −1, not 1:'
wait_for 'v̄₃ = v̄₅·∂v₅/∂v₃ = −v̄₅ = 1·\(−1\) = −1'
wait_for 'a sign lost in −: ∂v₅/∂v₃ = −1'
screen | grep -q 'step 2/7' || fail "a wrong answer took the step"
answer -1
answer 1
answer 1
# --- A hint for v̄₀ (half a point), then the right values to the end.
wait_for '^v̄₀ =$'
wait_for 'v̄₀ = v̄₃·∂v₃/∂v₀ \+ v̄₂·∂v₂/∂v₀ = \?'
answer '?'
wait_for 'hint \(−0\.5 point\): v̄₀ = v̄₃·∂v₃/∂v₀ \+ v̄₂·∂v₂/∂v₀ = v̄₃·cos v₀ \+ v̄₂·v₋₁'
answer 1.71634
answer 5.5
wait_for 'Quiz done: score 5\.5/7'
wait_for '∂y/∂x1 = 5\.5 '
wait_for '∂y/∂x2 = 1\.716'
wait_for 'step 7/7'

# --- q quits and gives the terminal back.
T send-keys -t app q
timeout 5 tmux -L "$S" wait-for app-done || fail "gradstep did not exit"
screen | grep -q 'EXIT=0' || fail "expected exit status 0"
cmp -s "$WD/before" "$WD/after" || fail "terminal modes not restored (stty -g differs)"
echo "quiz ok"
