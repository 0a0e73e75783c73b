import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// Helpers for the exercise tests: load a file from Graphs/, read a named node's value or
// adjoint, compare lists of numbers with a relative tolerance.

/// Why a graph in a test did not load: its rendered diagnostics.
struct GraphDidNotLoad: Error, CustomStringConvertible {
    var description: String
}

/// Loads `Graphs/<file>`, with `--set`-style `values`.
func loadGraph(_ file: String, values: [(name: String, text: String)] = []) throws -> Graph {
    let path = repositoryRoot.appendingPathComponent("Graphs").appendingPathComponent(file).path
    switch GraphLoader.load(path: path, values: values) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

/// Loads a typed expression (`-e`), with `--set`-style `values`.
func loadExpression(_ text: String, values: [(name: String, text: String)] = []) throws -> Graph {
    switch GraphLoader.load(expression: text, values: values) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

/// A graph evaluated once, with its adjoints (reverse mode), read by node name.
struct Solved {
    let graph: Graph
    let values: [Double]
    let adjoints: [Double]

    init(_ graph: Graph, seed: Double = 1) {
        self.graph = graph
        values = graph.tape.evaluate()
        adjoints = graph.tape.adjoints(values: values, seed: seed)
    }

    func node(_ name: String) throws -> Int {
        try #require(graph.node(named: name), "no node named \(name)")
    }

    /// Node `name`'s primal value, row-major.
    func value(_ name: String) throws -> [Double] { slice(values, try node(name)) }
    /// ∂output/∂`name`, row-major.
    func gradient(_ name: String) throws -> [Double] { slice(adjoints, try node(name)) }
    /// The output's value (a scalar).
    var output: Double { values[Int(graph.tape.entries[graph.tape.output].offset)] }

    func slice(_ buffer: [Double], _ i: Int) -> [Double] {
        let e = graph.tape.entries[i]
        return Array(buffer[Int(e.offset) ..< Int(e.offset) + e.count])
    }
}

/// Expects `actual` and `expected` to have the same length and agree element by element to a
/// relative tolerance (zero only equals zero unless `abs` is given).
func expectClose(_ actual: [Double], _ expected: [Double], rel: Double = 1e-9, abs: Double = 0,
                 _ what: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual) vs \(expected)", sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) where !isClose(a, e, rel: rel, abs: abs) {
        Issue.record("\(what): \(actual) is not \(expected) (relative tolerance \(rel))", sourceLocation: sourceLocation)
        return
    }
}

func expectClose(_ actual: Double, _ expected: Double, rel: Double = 1e-9, abs: Double = 0,
                 _ what: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    expectClose([actual], [expected], rel: rel, abs: abs, what, sourceLocation: sourceLocation)
}

// MARK: - Small dense matrices, for closed forms computed by hand

/// A row-major matrix.
struct Matrix: Equatable {
    var rows: Int
    var cols: Int
    var data: [Double]

    subscript(i: Int, j: Int) -> Double { data[i * cols + j] }

    static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.cols == b.rows)
        var out = [Double](repeating: 0, count: a.rows * b.cols)
        for i in 0..<a.rows { for j in 0..<b.cols { for k in 0..<a.cols { out[i * b.cols + j] += a[i, k] * b[k, j] } } }
        return Matrix(rows: a.rows, cols: b.cols, data: out)
    }

    var transposed: Matrix {
        var out = [Double](repeating: 0, count: data.count)
        for i in 0..<rows { for j in 0..<cols { out[j * rows + i] = self[i, j] } }
        return Matrix(rows: cols, cols: rows, data: out)
    }

    /// Adds `row` to every row (a bias broadcast over a batch).
    func addingRow(_ row: [Double]) -> Matrix {
        Matrix(rows: rows, cols: cols, data: data.indices.map { data[$0] + row[$0 % cols] })
    }

    /// Sums the rows (the gradient of a bias broadcast over a batch).
    var columnSums: [Double] { (0..<cols).map { j in (0..<rows).reduce(0) { $0 + self[$1, j] } } }

    func map(_ f: (Double) -> Double) -> Matrix { Matrix(rows: rows, cols: cols, data: data.map(f)) }

    static func - (a: Matrix, b: Matrix) -> Matrix { Matrix(rows: a.rows, cols: a.cols, data: zip(a.data, b.data).map(-)) }
    /// Elementwise (Hadamard) product.
    static func ⊙ (a: Matrix, b: Matrix) -> Matrix { Matrix(rows: a.rows, cols: a.cols, data: zip(a.data, b.data).map(*)) }
}

infix operator ⊙: MultiplicationPrecedence
