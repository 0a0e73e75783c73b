# gradstep: two commands to start.
#   make run    install what is missing, build, open gradstep on its built-in example
#   make test   install what is missing, build, run every test (unit, snapshot, CLI, end-to-end)
# Also: make fuzz (libFuzzer over the graph language for FUZZ_SECONDS; CI runs it after the
# tests), make bench (release benchmarks), make build, make deps, make clean.

SWIFT      ?= swift
BIN_RELEASE = .build/release/gradstep
# Debian packages gradstep needs: Graphviz renders pictures and lays out the explorer's graph,
# ncursesw draws the explorer, OpenBLAS multiplies matrices (`@`), tmux drives the end-to-end
# tests, python3 (with NumPy) and a C compiler run the programs `gradstep codegen` writes,
# headless Chromium drives the exported frames page (index.html) in a test.
APT_PACKAGES = graphviz libncurses-dev libopenblas-dev tmux chromium

.PHONY: run test bench build deps clean fuzz

# The debug build of `make build`.
DEBUG_BUILD = $(SWIFT) build

# The build `make test` runs the tests on, in its own folder so it never rebuilds the others.
# It is SwiftPM's release configuration for one reason: each module is compiled whole, in one
# compiler job, instead of in batches that each re-check the declarations of the module's other
# files. With -Onone (no optimiser), -enable-testing (`@testable import`) and -gnone (no debug
# info) it compiles in 220 CPU-seconds where the debug build takes 260-290, and the unoptimised
# code runs the suite a little faster too (measured on a fresh clone, 7 December 2026:
# docs/contributing.md). The optimiser itself is no option: `-O` triples the build (795 CPU-s).
# Every test is a Swift Testing test and Tests/XCTMain.swift is the test executable's entry
# point, so SwiftPM needs no XCTest discovery and so no index store: --disable-index-store
# spares every compile its bookkeeping. -disable-llvm-verify skips LLVM's self-check of the
# code the compiler made (a tenth of the code generation's time).
TEST_FLAGS = -c release --scratch-path .build/test --disable-xctest --enable-swift-testing --disable-index-store \
             -Xswiftc -Onone -Xswiftc -enable-testing -Xswiftc -gnone -Xswiftc -Xfrontend -Xswiftc -disable-llvm-verify
BIN_TEST   = .build/test/release/gradstep
# The test executable that `swift test --skip-build $(TEST_FLAGS)` would start, started directly:
# `swift test` first spends a second re-reading the package to find it.
TEST_RUNNER = .build/test/release/gradstepPackageTests.xctest --testing-library swift-testing

# Seconds `make fuzz` fuzzes the graph language for. It is its own step, not part of `make test`:
# its build alone takes longer than the tests' budget, and its saved corpus is replayed as unit
# tests by `make test` anyway (GraphLanguageTests).
FUZZ_SECONDS ?= 45

deps:
	@missing=""; \
	command -v dot  >/dev/null 2>&1 || missing="$$missing graphviz"; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -e /usr/include/ncursesw/curses.h ] || missing="$$missing libncurses-dev"; \
	ls /usr/include/*/cblas.h >/dev/null 2>&1 || missing="$$missing libopenblas-dev"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3 python3-pip"; \
	command -v cc >/dev/null 2>&1 || missing="$$missing gcc libc6-dev"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "gradstep needs:$$missing. Install with: sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi
	@# The codegen tests run the generated NumPy programs: NumPy from PyPI (Debian's package
	@# where the system Python refuses pip).
	@python3 -c 'import numpy' >/dev/null 2>&1 || { \
	  echo "Installing numpy"; \
	  python3 -m pip install --quiet numpy >/dev/null 2>&1 \
	  || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy >/dev/null; } \
	  || { echo "gradstep's tests need NumPy: python3 -m pip install numpy" >&2; exit 1; }; }
	@# The ONNX import is checked against the real runtime: the onnx package writes the test
	@# models, onnxruntime runs them. Where they cannot be installed those tests say so and skip.
	@python3 -c 'import onnx, onnxruntime' >/dev/null 2>&1 || { \
	  echo "Installing onnx onnxruntime"; \
	  python3 -m pip install --quiet onnx onnxruntime >/dev/null 2>&1 \
	  || echo "onnx/onnxruntime could not be installed: the ONNX tests are skipped" >&2; }

build: deps
	$(DEBUG_BUILD)

run: deps
	$(SWIFT) build -c release --product gradstep
	$(BIN_RELEASE)

# The end-to-end scripts spend their time waiting for a screen, so they run beside `swift test`
# (which leaves a core idle for much of its run) and print their report when both have ended.
test: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	@e2e_log=$$(mktemp); \
	GRADSTEP_BIN="$$(pwd)/$(BIN_TEST)" bash Tests/e2e/run.sh > "$$e2e_log" 2>&1 & e2e=$$!; \
	echo 'GRADSTEP_BIN=$(BIN_TEST) SNAPSHOT_TESTING_RECORD=never $(TEST_RUNNER)   (end-to-end tests beside it)'; \
	GRADSTEP_BIN="$$(pwd)/$(BIN_TEST)" SNAPSHOT_TESTING_RECORD=never $(TEST_RUNNER); unit=$$?; \
	wait $$e2e; e2e_status=$$?; cat "$$e2e_log"; rm -f "$$e2e_log"; \
	[ $$unit = 0 ] && [ $$e2e_status = 0 ]

# libFuzzer over the graph language for FUZZ_SECONDS; fails on any crash it finds (skipped, with
# a message, only when the toolchain cannot build with -sanitize=fuzzer at all).
fuzz:
	SWIFT=$(SWIFT) bash Tests/GraphLanguageFuzz/fuzz.sh $(FUZZ_SECONDS)

bench: deps
	@# micrograd (PyPI) for the optimisation row's comparison; without it that row is skipped.
	@python3 -c 'import micrograd' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check micrograd==0.1.0 \
	  || echo "micrograd could not be installed: the micrograd row is skipped" >&2
	$(SWIFT) build -c release
	.build/release/GradstepBench --out bench-results

clean:
	rm -rf .build .build-fuzz
