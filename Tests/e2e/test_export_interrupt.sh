#!/usr/bin/env bash
# Ctrl-C (SIGINT) in the middle of a batch export leaves no temporary or partial files.
set -eu
out=$(mktemp -d)
# A batch big enough to still be running after half a second: many frames of a wide graph.
expr="input x = 0.5"; prev=x
for i in $(seq 1 60); do expr="$expr; v$i = sin($prev) * x"; prev=v$i; done
"$BIN" export -e "$expr" --format png --frames --out "$out" >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
status=0; wait $pid || status=$?
[ "$status" = 130 ] || { echo "expected exit 130, got $status"; exit 1; }
leftovers=$(find "$out" -name '.*.tmp' | wc -l)
[ "$leftovers" = 0 ] || { echo "temporary files left: $(find "$out" -name '.*.tmp')"; exit 1; }
# Every picture that exists is whole (a PNG ends with its IEND chunk).
for f in $(find "$out" -name '*.png'); do
  tail -c 12 "$f" | grep -q IEND || { echo "truncated picture $f"; exit 1; }
done
rm -rf "$out"
