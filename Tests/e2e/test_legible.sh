#!/usr/bin/env bash
# The explorer at the sizes people use (issue 22): at 80×24 the current step's equation is on
# screen with its numbers (Baydin's example, reverse step 3: v̄₃ passes (−1)·0.283662 to v̄₀);
# at 100×30 the MLP's matmul step shows the transpose in v̄·xᵀ with numbers; a partial adjoint
# is marked as one, with a legend.
# Uses $BIN (the gradstep binary) and $ROOT (the repository); exits non-zero on failure.
set -u
S_NAME=gradstep-legible
source "$(dirname "$0")/tmux-lib.sh"

# start W H FILE: gradstep on FILE in a W×H terminal, waiting for its first screen.
start() {
  T -f /dev/null start-server \; set -g default-terminal tmux-256color \; \
    new-session -d -s app -x "$1" -y "$2" -c "$WD" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
    "$BIN $3; echo EXIT=\$?; exec sleep 3600"
  wait_for 'step 0/'
}
stop() { T send-keys -t app q; wait_for 'EXIT=0'; T kill-server; sleep 0.2; }

# --- 80×24, Baydin's example, reverse step 3: the line with v̄₃'s term for v̄₀ and both numbers.
start 80 24 "$ROOT/Graphs/baydin.grad"
T send-keys -t app r n n n
wait_for 'step 3/7'
screen | grep -- '→ v̄₀' | grep -q -- '(−1)·0\.283662' || fail "v̄₃'s term for v̄₀ with −1 and 0.283662 is not on one line"
# x2's adjoint has one of its two terms: marked partial, with the legend; never `v̄ −0.283662`.
screen | grep -q -- 'v̄ −0\.28 1/2' || fail "x2's box does not mark its adjoint as partial"
screen | grep -q -- 'k/n: a partial sum' || fail "no legend for the partial mark"
screen | grep -q -- 'v̄ −0\.283662' && fail "x2's box shows its partial adjoint as if final"
stop

# --- 100×30, the MLP: the reverse step into W shows v̄·xᵀ with numbers.
start 100 30 "$ROOT/Graphs/mlp-relu-softmax.grad"
T send-keys -t app r
for k in 1 2 3 4 5 6 7 8 9 10; do
  T send-keys -t app n
  wait_for "step $k/10"
  if screen | grep -q -- '→ v̄₋₂ (W) += '; then break; fi
done
screen | grep -- '→ v̄₋₂ (W) += ' | grep -q -- '\[0\.9, 0\.7\]ᵀ' || fail "the step into W does not show xᵀ with numbers"
screen | grep -q -- '\[\[0, 0\], \[0, 0\], \[−0\.35485, −0\.275994\]\]' || fail "W's term is not shown in numbers"
stop

# --- Installed (the binary copied out of the repository, run from another folder): every
# shipped theme is there, compiled in.
mkdir -p "$WD/bin" && cp "$BIN" "$WD/bin/gradstep"
BIN=$WD/bin/gradstep start 80 24 "$ROOT/Graphs/baydin.grad"
T send-keys -t app : 'theme light' Enter
wait_for '^theme light'
screen | grep -q "no theme" && fail ":theme light did not find the built-in theme"
stop
echo ok
