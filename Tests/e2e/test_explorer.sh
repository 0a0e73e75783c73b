#!/usr/bin/env bash
# The explorer in a real terminal (tmux): step the reverse pass of Baydin's example to the end
# and read the gradient off the screen, edit an input, type an expression with an error,
# resize, quit; check the terminal is restored after q, Ctrl-C (130), SIGTERM (143) and
# Ctrl-\ (SIGQUIT, 131, with no crash report).
# Commands answer on screen (:open of a missing file), :export refuses a foreign file, a 50 KB
# paste does not freeze the screen, and Ctrl-C behind 5,000 queued keys on a 100,000-node
# graph exits within seconds.
# Uses $BIN (the gradstep binary) and $ROOT (the repository); exits non-zero on failure.
set -u
S_NAME=gradstep-e2e
source "$(dirname "$0")/tmux-lib.sh"

GRAPH=$ROOT/Graphs/baydin.grad
if [ ! -e "$GRAPH" ]; then
  GRAPH=$WD/baydin.grad
  printf 'input x1 = 2\ninput x2 = 5\ny = ln(x1) + x1*x2 - sin(x2)\noutput y\n' >"$GRAPH"
fi

# start [FILE [REGEX [SECONDS]]]: a session running gradstep on FILE (Baydin's example) in
# $WD, under a wrapper shell that records the tty modes before and after, the exit status, and
# its own pid (exec keeps it for gradstep); waits until the screen shows REGEX.
start() {
  rm -f "$WD/before" "$WD/after" "$WD/pid"
  T -f /dev/null start-server \; set -g default-terminal tmux-256color \; \
    new-session -d -s app -x 100 -y 30 -c "$WD" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
    "trap : INT TERM QUIT; stty -g >$WD/before; sh -c 'echo \$\$ >$WD/pid; exec \"\$0\" \"\$@\"' $BIN ${1:-$GRAPH}; echo EXIT=\$?; stty -g >$WD/after; tmux wait-for -S app-done; exec sleep 3600"
  wait_for "${2:-step 0/5}" "${3:-5}"
}
# millis: the time in milliseconds.
millis() { echo $(( $(date +%s%N) / 1000000 )); }
# finished CODE [ABSENT]: gradstep exited with CODE and gave the terminal back (and the
# screen does not show ABSENT).
finished() {
  timeout 5 tmux -L "$S" wait-for app-done || fail "gradstep did not exit"
  screen | grep -q "EXIT=$1" || fail "expected exit status $1"
  if [ -n "${2:-}" ] && screen | grep -q "$2"; then fail "the screen shows '$2'"; fi
  cmp -s "$WD/before" "$WD/after" || fail "terminal modes not restored (stty -g differs)"
  [ "$(T display -p -t app '#{alternate_on} #{cursor_flag}')" = "0 1" ] || fail "alternate screen still on or cursor hidden"
  T kill-server
  sleep 0.2
}

# --- Reverse mode to the end: the gradient on screen.
start
T send-keys -t app r G
wait_for 'step 7/7'
wait_for '∂y/∂x1 = 5\.5 '
wait_for '∂y/∂x2 = 1\.716'

# --- Edit an input with :set, then with e: values change, the recompute count shows.
T send-keys -t app : 'set x1=3' Enter
wait_for 'recomputed 4 nodes'
wait_for '∂y/∂x1 = 5\.33333'
T send-keys -t app / x2 Enter e C-u 1 Enter
wait_for 'x2 = 1: recomputed 4 nodes'

# --- An expression with an error: the caret under it, the typed text kept, the graph kept.
T send-keys -t app : 'expr sin(x)*)y @ x=1, y=2' Enter
wait_for '\|        \^'
wait_for '^:expr sin\(x\)\*\)y @ x=1, y=2'
screen | grep -q 'baydin' || fail "the previous graph is gone"
T send-keys -t app Escape

# --- Resize: redraws at the new size; too small says so; back again.
T resize-window -t app -x 80 -y 24
wait_for '^└─+┘└─+┘$'
[ "$(screen | wc -l)" -eq 24 ] || fail "expected 24 rows after resize"
T resize-window -t app -x 30 -y 10
wait_for 'terminal too small'
T resize-window -t app -x 100 -y 30
wait_for 'step 7/7'

# --- q quits and restores the terminal.
T send-keys -t app q
finished 0

# --- Backprop through tensors (exercise 9) at 120×40: every step to the inputs' gradients,
# B̄ as the sum of v̄₂, then forward mode seeded on one element gives that gradient entry.
T -f /dev/null start-server \; set -g default-terminal tmux-256color \; \
  new-session -d -s app -x 120 -y 40 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
  "$BIN $ROOT/Graphs/mlp-relu-softmax.grad; tmux wait-for -S app-done; exec sleep 3600"
wait_for 'step 0/6'
T send-keys -t app r n n n
wait_for 'v̄₄ = v̄₅·∂v₅/∂v₄'
wait_for '= \[−0\.285708, 0\.285708\]'
T send-keys -t app G p p
wait_for 'step 8/10'
wait_for 'v̄₋₁ = Σ v̄₂·∂v₂/∂v₋₁'
wait_for '= −0\.394277'
T send-keys -t app G
wait_for '∂L/∂x = \[−0\.145883, −0\.18531\]'
T send-keys -t app : 'mode forward W[2,0]' Enter G
wait_for '∂L/∂W\[2,0\] = L̇ = −0\.35485'
T send-keys -t app q
timeout 5 tmux -L "$S" wait-for app-done || fail "gradstep did not exit"
T kill-server
sleep 0.2

# --- Commands answer while their text stays on the line; : starts a fresh one.
"$BIN" generate --nodes 100000 >"$WD/big.grad"
start
T send-keys -t app : 'open /nonexistent.grad' Enter
wait_for 'no such file: /nonexistent\.grad'
wait_for '^:open /nonexistent\.grad'
T send-keys -t app : 'goto 99999999999999999999' Enter
wait_for 'no step 99999999999999999999'
wait_for '^:goto 99999999999999999999'
T send-keys -t app Escape Escape
# :open of a big file loads in the background: keys are answered meanwhile, Escape stops it.
T send-keys -t app : 'open big.grad' Enter
wait_for 'loading big\.grad'
T send-keys -t app n n
wait_for 'step 2/5'
screen | grep -q 'loading big\.grad' || fail "the load finished before the keys were answered"
T send-keys -t app Escape
wait_for 'stopped loading big\.grad'
T send-keys -t app g

# --- :export refuses a file gradstep did not write, writes its own, and says the full path.
printf 'my notes\n' >"$WD/notes.txt"
printf 'my graph\n' >"$WD/notes.dot"
T send-keys -t app : 'export dot notes.txt' Enter
wait_for 'writes \.dot files'
T send-keys -t app Escape Escape : 'export dot notes.dot' Enter
wait_for "not written: $WD/notes\.dot exists"
[ "$(cat "$WD/notes.txt")" = "my notes" ] && [ "$(cat "$WD/notes.dot")" = "my graph" ] || fail "a foreign file was overwritten"
T send-keys -t app Escape : 'export dot' Enter
wait_for "wrote $WD/baydin-primal\.dot"
grep -q digraph "$WD/baydin-primal.dot" || fail "the export is not DOT"
grep -qx 'baydin-primal.dot' "$WD/.gradstep-export" || fail "the export is not in the manifest"

# --- A 50 KB paste into the command line: taken in at once, keys answered right after.
awk 'BEGIN { printf "expr "; for (i = 0; i < 12500; i++) printf "x+x+"; printf "x @ x=1" }' >"$WD/paste.txt"
T send-keys -t app Escape :
T load-buffer -b big "$WD/paste.txt"
started=$(millis)
T paste-buffer -b big -t app
# The deadline is a hang guard, not a speed bound (a loaded machine must not fail the test);
# the time taken is printed, not asserted.
wait_for 'x\+x @ x=1 *$' 120
elapsed=$(( $(millis) - started ))
echo "a 50 KB paste was taken in after ${elapsed} ms"
# Run: it loads in the background (Escape stops it, or closes the answer), q is answered.
T send-keys -t app Enter Escape q
finished 0

# --- 100,000 nodes: something on screen at once, and Ctrl-C behind 5,000 queued keys.
start "$WD/big.grad" 'step 0/100000' 60
wait_for 'laying out 100008 nodes' 5
keys=$(printf 'n %.0s' $(seq 5000))
# shellcheck disable=SC2086
T send-keys -t app $keys
started=$(millis)
T send-keys -t app C-c
# A hang guard again, not a speed bound: Ctrl-C with 5,000 keys queued ends the explorer
# (exit 130, terminal restored); the time taken is printed, not asserted.
timeout 120 tmux -L "$S" wait-for app-done || fail "Ctrl-C behind 5,000 keys did not exit"
elapsed=$(( $(millis) - started ))
echo "Ctrl-C behind 5,000 keys exited after ${elapsed} ms"
screen | grep -q "EXIT=130" || fail "expected exit status 130"
cmp -s "$WD/before" "$WD/after" || fail "terminal modes not restored after Ctrl-C behind a backlog"
T kill-server
sleep 0.2

# --- Ctrl-C exits 130, SIGTERM 143, Ctrl-\ (SIGQUIT) 131, each restoring the terminal;
# Ctrl-\ prints no crash report.
start
T send-keys -t app C-c
finished 130
start
kill -TERM "$(cat "$WD/pid")"
finished 143
start
T send-keys -t app 'C-\'
finished 131 crashed
echo ok
