#!/usr/bin/env bash
# Stopping a batch export in the middle (SIGINT as Ctrl-C sends, SIGTERM, or SIGHUP when the
# terminal closes) says so, leaves no temporary or partial files and no Graphviz process
# behind, lists every picture it wrote in the manifest, and exits 130 / 143 / 129.
set -eu
expr="input x = 0.5"; prev=x
for i in $(seq 1 40); do expr="$expr; v$i = sin($prev) * x"; prev=v$i; done
for sig in INT TERM HUP; do
  out=$(mktemp -d)
  # Many frames of a graph whose renders take a while.
  "$BIN" export -e "$expr" --format png --frames --out "$out" >/dev/null 2>"$out.stderr" &
  pid=$!
  # Stopped as soon as it has Graphviz at work (a child process: the frames' layout, then the
  # renders), with dozens of frames to go. Polled rather than a fixed pause of 1.5 s per signal.
  for _ in $(seq 1 200); do
    pgrep -P $pid >/dev/null && break
    sleep 0.05
  done
  kill -$sig $pid
  status=0; wait $pid || status=$?
  want=$(case $sig in INT) echo 130;; TERM) echo 143;; HUP) echo 129;; esac)
  [ "$status" = "$want" ] || { echo "SIG$sig: expected exit $want, got $status"; exit 1; }
  grep -q "no partial files left behind" "$out.stderr" || { echo "SIG$sig: no message:"; cat "$out.stderr"; exit 1; }
  # Its renders go with it: at most half a second for the last to end.
  for _ in $(seq 1 10); do pgrep -f -- "$out" >/dev/null || break; sleep 0.05; done
  if pgrep -f -- "$out" >/dev/null; then echo "SIG$sig: a dot process is still running"; pgrep -af -- "$out"; exit 1; fi
  leftovers=$(find "$out" -name '.*.tmp' | wc -l)
  [ "$leftovers" = 0 ] || { echo "SIG$sig: temporary files left: $(find "$out" -name '.*.tmp')"; exit 1; }
  # Every picture that exists is whole (a PNG ends with its IEND chunk) and listed.
  for f in $(find "$out" -name '*.png'); do
    tail -c 12 "$f" | grep -q IEND || { echo "SIG$sig: truncated picture $f"; exit 1; }
    grep -qxF "$(basename "$f")" "$(dirname "$f")/.gradstep-export" || { echo "SIG$sig: $f not in the manifest"; exit 1; }
  done
  rm -rf "$out" "$out.stderr"
done
