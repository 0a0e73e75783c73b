#!/usr/bin/env bash
# End-to-end tests: the real binary, in a real terminal (tmux) for the explorer, and as a
# command for the CLI contract. Each test_* function prints one line; the run ends with
# "N passed, N failed" and a non-zero status if anything failed.
set -u
BIN=${GRADSTEP_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/.build/debug/gradstep}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
passed=0; failed=0
for t in "$(dirname "$0")"/test_*.sh; do
  [ -e "$t" ] || continue
  if out=$(BIN="$BIN" ROOT="$ROOT" bash "$t" 2>&1); then
    passed=$((passed + 1)); echo "e2e ok   $(basename "$t")"
  else
    failed=$((failed + 1)); echo "e2e FAIL $(basename "$t")"; echo "$out" | sed 's/^/    /'
  fi
done
echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
