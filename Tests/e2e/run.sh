#!/usr/bin/env bash
# End-to-end tests: the real binary, in a real terminal (tmux) for the explorer, and as a
# command for the CLI contract. Each test_* script prints one line; the run ends with
# "N passed, N failed" and a non-zero status if anything failed.
#
# The scripts run E2E_JOBS at a time (default 2, one per core): each has its own tmux server
# and scratch folders, and most of their time is spent waiting for a screen. Their reports are
# printed in name order once all have ended.
set -u
BIN=${GRADSTEP_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/.build/debug/gradstep}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
jobs_max=${E2E_JOBS:-2}
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
tests=()
for t in "$(dirname "$0")"/test_*.sh; do
  [ -e "$t" ] || continue
  i=${#tests[@]}
  tests+=("$t")
  (
    start=$(date +%s.%N)
    if BIN="$BIN" ROOT="$ROOT" bash "$t" > "$results/$i.out" 2>&1; then echo ok > "$results/$i.rc"; else echo FAIL > "$results/$i.rc"; fi
    echo "$start $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }' > "$results/$i.time"
  ) &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
done
wait
passed=0; failed=0
for i in "${!tests[@]}"; do
  name=$(basename "${tests[$i]}")
  if [ "$(cat "$results/$i.rc" 2>/dev/null)" = ok ]; then
    passed=$((passed + 1)); echo "e2e ok   $name ($(cat "$results/$i.time") s)"
  else
    failed=$((failed + 1)); echo "e2e FAIL $name ($(cat "$results/$i.time" 2>/dev/null) s)"; sed 's/^/    /' "$results/$i.out"
  fi
done
echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
