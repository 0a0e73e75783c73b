// swift-tools-version:6.0
// gradstep: see automatic differentiation happen, node by node, in a terminal.
//
// Dependency rule (see README "Layout"): GraphCore imports only Foundation; GraphLanguage and
// GraphExport build on GraphCore; Screen stands alone; Explorer never imports ncurses; only
// Terminal imports CNcurses; the gradstep executable only parses arguments and wires modules.
import PackageDescription

let package = Package(
    name: "gradstep",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gradstep", targets: ["gradstep"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - Engine
        // Op table, tape, evaluators (primal, tangent, adjoint), stepper, incremental recompute.
        .target(name: "GraphCore"),
        // Lexer, parser, diagnostics (file:line:col + caret), lowering of programs to tapes.
        .target(name: "GraphLanguage", dependencies: ["GraphCore"]),
        // DOT writer (one escape function), Graphviz runner, batch export, frames + index.html.
        .target(name: "GraphExport", dependencies: ["GraphCore"]),

        // MARK: - Command line
        .executableTarget(
            name: "gradstep",
            dependencies: [
                "GraphCore", "GraphLanguage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        // Shared helpers: snapshot assertions, finite differences, paths to Graphs/ and Themes/.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
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
            dependencies: ["GraphExport", "GraphCore", "TestSupport"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ]
)
