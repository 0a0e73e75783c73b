#!/usr/bin/env bash
# Fuzzes the graph language with libFuzzer for a bounded time: `fuzz.sh [SECONDS]` (default 45).
#
# Builds the GraphLanguageFuzz target with `swift build --sanitize=fuzzer` into .build-fuzz
# (its own build folder, so the ordinary debug build is not rebuilt), seeds it with the
# committed corpus (Tests/GraphLanguageFuzz/Corpus) and Graphs/*.grad, and runs it.
#
# Exit status: 0 when no crash was found, or when this toolchain cannot link a libFuzzer
# program at all (said on stderr and skipped: not the project's fault); 1 when the fuzzer found
# a crash, a timeout or an out-of-memory input (saved under .build-fuzz/crashes/), or when the
# fuzz target itself does not build.
set -uo pipefail

seconds=${1:-45}
swift=${SWIFT:-swift}
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/.build-fuzz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Can this toolchain build a libFuzzer program at all?
cat > "$work/probe.swift" <<'SWIFT'
@_cdecl("LLVMFuzzerTestOneInput")
public func probe(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { 0 }
SWIFT
if ! swiftc -sanitize=fuzzer -parse-as-library "$work/probe.swift" -o "$work/probe" > "$work/probe.log" 2>&1; then
    echo "fuzz: skipped: this Swift toolchain cannot build with -sanitize=fuzzer:" >&2
    head -5 "$work/probe.log" >&2
    exit 0
fi

# 2. The fuzz target, instrumented for coverage. Release: ten times the inputs per second of a
#    debug build; bounds checks and preconditions still trap.
echo "fuzz: building GraphLanguageFuzz with --sanitize=fuzzer (release, in .build-fuzz) …"
if ! "$swift" build -c release --build-path "$build" --sanitize=fuzzer -Xswiftc -DFUZZING \
        --product GraphLanguageFuzz > "$work/build.log" 2>&1; then
    echo "fuzz: the fuzz target did not build:" >&2
    tail -30 "$work/build.log" >&2
    exit 1
fi

# 3. Run it. New inputs go to a scratch corpus; the committed corpus is only read.
mkdir -p "$work/new" "$work/seeds" "$build/crashes"
cp "$root"/Graphs/*.grad "$work/seeds/"
echo "fuzz: running for ${seconds} s …"
SWIFT_BACKTRACE=enable=no "$build/release/GraphLanguageFuzz" \
    -max_total_time="$seconds" -max_len=8192 -timeout=30 -rss_limit_mb=2048 \
    -dict="$root/Tests/GraphLanguageFuzz/graph-language.dict" \
    -artifact_prefix="$build/crashes/" -print_final_stats=1 \
    "$work/new" "$root/Tests/GraphLanguageFuzz/Corpus" "$work/seeds" > "$work/fuzz.log" 2>&1
status=$?
if [ "$status" -ne 0 ]; then
    echo "fuzz: FAILED (libFuzzer exit status $status):" >&2
    grep -v '^$' "$work/fuzz.log" | grep -v '^#' | tail -40 >&2
    echo "fuzz: replay a saved input with: swift build --product GraphLanguageFuzz && .build/debug/GraphLanguageFuzz FILE" >&2
    exit 1
fi
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/fuzz.log" | grep -o '[0-9]*$')
echo "fuzz: no crash in ${runs:-?} inputs (${seconds} s)"
