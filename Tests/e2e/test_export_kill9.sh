#!/usr/bin/env bash
# `kill -9` in the middle of a batch export (no chance to clean up): every picture in place
# is listed in the manifest, so the same export then runs without --force, and it sweeps the
# temporary files the killed run left behind. A stand-in `dot` (first on PATH) writes a tiny
# SVG after a short pause, so the batch is slow enough to be killed midway on any machine (and
# without it for the second export, which only has to finish).
set -eu
work=$(mktemp -d)
mkdir "$work/bin"
cat > "$work/bin/dot" <<DOT
#!/bin/sh
cat > /dev/null
[ -e "$work/slow" ] && sleep 0.2
echo '<svg xmlns="http://www.w3.org/2000/svg"/>' > "\$3"
DOT
chmod +x "$work/bin/dot"
export PATH="$work/bin:$PATH"
expr="input x = 0.5"; prev=x
for i in $(seq 1 30); do expr="$expr; v$i = sin($prev) * x"; prev=v$i; done
out="$work/out"
frames="$out/expression-frames"
touch "$work/slow"
"$BIN" export -e "$expr" --frames --out "$out" >/dev/null 2>&1 &
pid=$!
# Killed once a few pictures are in place and more are rendering.
for _ in $(seq 1 200); do
  [ "$(find "$out" -name '*.svg' 2>/dev/null | wc -l)" -ge 3 ] && break; sleep 0.05
done
kill -9 $pid
wait $pid 2>/dev/null || true
sleep 0.5  # the killed run's renders (in their own process groups) end by themselves
pictures=$(find "$frames" -name '*.svg' | wc -l)
[ "$pictures" -gt 0 ] || { echo "no picture written in 10 s: the test proves nothing"; exit 1; }
for f in $(find "$frames" -name '*.svg'); do
  grep -qxF "$(basename "$f")" "$frames/.gradstep-export" || { echo "$f is in place but not in the manifest"; exit 1; }
done
rm "$work/slow"
# A temporary file as a killed run leaves it (never renamed).
touch "$frames/.expression-primal-07.svg.gradstep-0F0E0D0C-0B0A-0908-0706-050403020100.tmp"
"$BIN" export -e "$expr" --frames --out "$out" >/dev/null 2>"$work/stderr" \
  || { echo "the same export again failed:"; cat "$work/stderr"; exit 1; }
leftovers=$(find "$out" -name '.*.tmp' | wc -l)
[ "$leftovers" = 0 ] || { echo "stale temporary files not swept: $(find "$out" -name '.*.tmp')"; exit 1; }
rm -rf "$work"
