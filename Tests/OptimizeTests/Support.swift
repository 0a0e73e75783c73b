import Foundation
import GraphCore
import GraphLanguage
import Optimize
import Testing
import TestSupport

/// Why a graph in a test did not load: its rendered diagnostics.
struct GraphDidNotLoad: Error, CustomStringConvertible {
    var description: String
}

/// Loads a typed expression (`-e`) with `--set`-style values.
func expression(_ text: String, _ values: [(name: String, text: String)] = []) throws -> Graph {
    switch GraphLoader.load(expression: text, values: values) {
    case .success(let g): return g
    case .failure(let f): throw GraphDidNotLoad(description: f.rendered())
    }
}

/// Loads `Graphs/<file>` with `--set`-style values.
func graphFile(_ file: String, _ values: [(name: String, text: String)] = []) throws -> Graph {
    switch GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path, values: values) {
    case .success(let g): return g
    case .failure(let f): throw GraphDidNotLoad(description: f.rendered())
    }
}

/// The objective over the named leaves of `g`, in that order.
func objective(_ g: Graph, _ names: [String]) throws -> Objective {
    try Objective(tape: g.tape, variables: names.map { g.node(named: $0)! })
}

/// Runs `steps` steps of `options` on `g` over `names`.
func descend(_ g: Graph, _ names: [String], _ options: DescentOptions) throws -> DescentRun {
    var d = Descent(objective: try objective(g, names), options: options)
    return d.run()
}

func close(_ a: [Double], _ b: [Double], rel: Double = 1e-12, abs: Double = 1e-15) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { isClose($0, $1, rel: rel, abs: abs) }
}

func close(_ a: [[Double]], _ b: [[Double]], rel: Double = 1e-12, abs: Double = 1e-15) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, rel: rel, abs: abs) }
}
