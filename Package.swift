// swift-tools-version:6.0
// gradstep: see automatic differentiation happen, node by node, in a terminal.
//
// Dependency rule (see docs/contributing.md, "Layout of the source"): GraphCore imports only Foundation
// (and CBLAS for the matrix product's kernels); GraphLanguage and
// GraphExport build on GraphCore; Screen stands alone; Explorer never imports ncurses; only
// Terminal imports CNcurses; the gradstep executable only parses arguments and wires modules.
import PackageDescription

let package = Package(
    name: "gradstep",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gradstep", targets: ["gradstep"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - Engine
        // Op table, tape, evaluators (primal, tangent, adjoint), stepper, incremental recompute.
        .target(name: "GraphCore", dependencies: ["CBLAS"], exclude: ["README.md"]),
        // OpenBLAS's cblas_dgemm/cblas_dgemv for `@` and its VJPs (Debian's libopenblas-dev).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        // Lexer, parser, diagnostics (file:line:col + caret), lowering of programs to tapes.
        .target(name: "GraphLanguage", dependencies: ["GraphCore"], exclude: ["README.md"]),
        // Optimisers (PyTorch's update rules), schedules, line search, Newton, mini-batches,
        // the Hessian's eigenvalues and critical points.
        .target(name: "Optimize", dependencies: ["GraphCore", "Plot"]),
        // The options `gradstep optimize` and the explorer's `:optimize` share, one parser for both.
        .target(name: "OptimizeArguments", dependencies: [
            "GraphCore", "GraphLanguage", "Optimize", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // `gradstep codegen`: a tape written out as NumPy, Python, C or LaTeX, forward and reverse.
        .target(name: "Codegen", dependencies: ["GraphCore"]),
        // The random-DAG workload and the measurements behind `gradstep bench` and `make bench`.
        .target(name: "GraphBench", dependencies: ["GraphCore", "GraphLanguage"]),
        // Symbolic derivatives: hash-consed expression terms, rules per op, simplifier, swell.
        .target(name: "Symbolic", dependencies: ["GraphCore", "GraphLanguage"], exclude: ["README.md"]),

        // ONNX models read as programs of the language, by a reader of protobuf's wire format for
        // the messages it uses (swift-protobuf would make every build compile protoc's C++).
        .target(name: "ONNXImport", exclude: ["README.md"]),

        // MARK: - Pictures and screens
        // gradstep's own layered layout (layers, crossings, orthogonal edges) in character cells:
        // the explorer's graph pane, and export of graphs too big for Graphviz.
        .target(name: "GraphLayout"),
        // Graphviz DOT writer, the `dot` runner, batch export and frames.
        .target(name: "GraphExport", dependencies: ["GraphCore", "GraphLayout"]),
        // Canvas of cells, rectangles, roles and themes, input events: no terminal, no engine.
        .target(name: "Screen", exclude: ["README.md"]),
        // Line, log-log and contour plots drawn into a Canvas (braille) and as SVG: check, plot,
        // sweeps, optimize's loss curve and contours.
        .target(name: "Plot", dependencies: ["Screen"], exclude: ["README.md"]),
        // ncursesw, reachable from Swift through a small C shim.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        // The only module that talks to the terminal: Canvas to screen, keys and mouse in.
        .target(name: "Terminal", dependencies: ["Screen", "CNcurses"], exclude: ["README.md"]),
        // The explorer: state, actions, reducer, keymap, layout, panes. Never imports ncurses.
        .target(name: "Explorer", dependencies: ["GraphCore", "GraphLanguage", "GraphExport", "GraphLayout", "Screen", "Codegen",
                                                "Optimize", "OptimizeArguments", "Plot", "Symbolic"],
                exclude: ["README.md"]),

        // MARK: - Programs
        .executableTarget(
            name: "gradstep",
            dependencies: [
                "GraphCore", "GraphLanguage", "GraphBench", "GraphExport", "Screen", "Terminal", "Explorer",
                "Optimize", "OptimizeArguments", "Codegen", "Plot",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "Symbolic", "ONNXImport",
            ]
        ),
        // `make bench`: every performance target beside its hand-written reference loop.
        .executableTarget(name: "GradstepBench", dependencies: ["GraphBench", "GraphCore", "GraphLanguage", "GraphExport", "Explorer", "Optimize"],
                          exclude: ["micrograd_step.py", "tensor_mlp.py", "tensor_cnn.py", "tensor_timing.py"]),

        // `make fuzz`: libFuzzer over the graph language, built with `--sanitize=fuzzer` into
        // .build-fuzz (Tests/GraphLanguageFuzz/fuzz.sh); a plain build replays saved inputs.
        .executableTarget(
            name: "GraphLanguageFuzz",
            dependencies: ["GraphCore", "GraphLanguage", "Codegen"],
            path: "Tests/GraphLanguageFuzz",
            exclude: ["Corpus", "fuzz.sh", "graph-language.dict"]
        ),

        // MARK: - Tests
        // Shared helpers: snapshot assertions, seeded randomness, paths to Graphs/ and Themes/.
        .target(name: "TestSupport", dependencies: ["GraphCore"], path: "Tests/TestSupport"),
        // Declared here, first of the tests: it needs only TestSupport, and SwiftPM starts ready
        // targets in the order they are declared, so it compiles beside the source modules
        // instead of alone at the end (a fresh `make test` build ended 4 s sooner, 7 December 2026).
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], exclude: ["__Snapshots__"]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(
            name: "GraphCoreTests",
            dependencies: ["GraphCore", "GraphLanguage", "TestSupport"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "GraphLanguageTests",
            dependencies: ["GraphLanguage", "TestSupport"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "GraphExportTests",
            dependencies: ["GraphExport", "GraphCore", "GraphLanguage", "TestSupport", "Screen", "Explorer", "GraphBench"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(name: "SymbolicTests", dependencies: ["Symbolic", "GraphCore", "GraphLanguage", "TestSupport"]),
        .testTarget(name: "GraphBenchTests", dependencies: ["GraphBench", "GraphLanguage", "GraphCore"]),
        .testTarget(
            name: "ScreenTests",
            dependencies: ["Screen", "TestSupport"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "ExplorerTests",
            dependencies: ["Explorer", "GraphCore", "GraphLanguage", "Screen", "TestSupport", "Optimize", "Plot"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(name: "OptimizeTests", dependencies: ["Optimize", "OptimizeArguments", "GraphCore", "GraphLanguage", "Plot", "TestSupport"]),
        .testTarget(
            name: "CodegenTests",
            dependencies: ["Codegen", "GraphCore", "GraphLanguage", "TestSupport"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(name: "PlotTests", dependencies: ["Plot", "Screen"]),
        // The manual (README.md, docs/): every command and op documented, every example run.
        .testTarget(name: "DocsTests", dependencies: ["GraphCore", "GraphLanguage", "TestSupport"]),
    ]
)

// A test target's module is emitted by its one compile job. By default a whole-module build
// (what `make test` builds: Makefile, TEST_FLAGS) runs a second job per module that type-checks
// it again only to write the .swiftmodule early for the modules that import it; no module
// imports a test target, so for them that job is work done twice.
for target in package.targets where target.type == .test {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-no-emit-module-separately-wmo"])]
}
