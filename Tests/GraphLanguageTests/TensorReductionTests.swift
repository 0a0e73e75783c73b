import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// `sum` and `mean` along an axis of rank-3 and rank-4 tensors: values against loops written
// here, gradients (each element's adjoint is its kept slice's seed) and the errors.

private func loadExpression(_ text: String) throws -> Graph {
    switch GraphLoader.load(expression: text, values: []) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

@Suite("Sums and means along an axis of rank-3/4 tensors")
struct TensorReductionTests {
    /// Every axis of a (2, 3, 4) and a (2, 3, 2, 2) tensor, against the sum written out.
    @Test(arguments: [[2, 3, 4], [2, 3, 2, 2], [1, 4, 3], [3, 2, 1, 2]])
    func sumAndMeanAlongEachAxis(dims: [Int]) throws {
        let count = dims.reduce(1, *)
        let x: [Double] = (0..<count).map { (k: Int) -> Double in Double((k * 37) % 11) - 5 }
        let shape = Shape.tensor(dims)
        for axis in dims.indices {
            for f in ["sum", "mean"] {
                let graph = try loadExpression("input x = zeros(\(dims)); y = \(f)(x, axis=\(axis))")
                var tape = graph.tape
                tape.setLeafValues(try #require(graph.node(named: "x")), x)
                let values = tape.evaluate()
                let out = tape[tape.output]
                var kept = dims
                kept.remove(at: axis)
                expectEqual(out.shape.dims, kept, "\(f) axis \(axis) of \(dims)")
                var expected = [Double](repeating: 0, count: out.count)
                for k in 0..<count {
                    var index = shape.index(of: k)
                    index.remove(at: axis)
                    var flat = 0
                    for (e, i) in zip(kept, index) { flat = flat * e + i }
                    expected[flat] += x[k] / (f == "mean" ? Double(dims[axis]) : 1)
                }
                let got = Array(values[Int(out.offset) ..< Int(out.offset) + out.count])
                expectTrue(zip(got, expected).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(f) axis \(axis) of \(dims): \(got) vs \(expected)")
                // The adjoint of x with every output seeded 1: 1 (or 1/D) at every element.
                let adjoints = tape.adjoints(values: values)
                let xe = tape[try #require(graph.node(named: "x"))]
                let g = Array(adjoints[Int(xe.offset) ..< Int(xe.offset) + count])
                expectTrue(g.allSatisfy { abs($0 - (f == "mean" ? 1 / Double(dims[axis]) : 1)) <= 1e-15 })
            }
        }
    }

    /// `max`, `var` and `std` along every axis of a rank-3 and a rank-4 tensor, against the
    /// per-slice formulas written out here (biased variance).
    @Test(arguments: [[2, 3, 4], [2, 3, 2, 2]])
    func maxVarianceAndStdAlongEachAxis(dims: [Int]) throws {
        let count = dims.reduce(1, *), shape = Shape.tensor(dims)
        let x: [Double] = (0..<count).map { (k: Int) -> Double in Double((k * 53) % 17) / 4 - 2 }
        for axis in dims.indices {
            var kept = dims
            kept.remove(at: axis)
            var groups = [[Double]](repeating: [], count: kept.reduce(1, *))
            for k in 0..<count {
                var index = shape.index(of: k)
                index.remove(at: axis)
                var flat = 0
                for (e, i) in zip(kept, index) { flat = flat * e + i }
                groups[flat].append(x[k])
            }
            let variances: [Double] = groups.map { (g: [Double]) -> Double in
                let mu: Double = g.reduce(0.0, +) / Double(g.count)
                let squares: Double = g.reduce(0.0) { (sum: Double, v: Double) -> Double in sum + (v - mu) * (v - mu) }
                return squares / Double(g.count)
            }
            let expected: [String: [Double]] = ["max": groups.map { $0.max()! }, "var": variances, "std": variances.map { $0.squareRoot() }]
            for (f, values) in expected {
                let graph = try loadExpression("input x = zeros(\(dims)); y = \(f)(x, axis=\(axis))")
                var tape = graph.tape
                tape.setLeafValues(try #require(graph.node(named: "x")), x)
                let v = tape.evaluate()
                let out = tape[tape.output]
                expectEqual(out.shape.dims, kept, "\(f) axis \(axis) of \(dims)")
                let got = Array(v[Int(out.offset) ..< Int(out.offset) + out.count])
                expectTrue(zip(got, values).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) }, "\(f) axis \(axis) of \(dims): \(got) vs \(values)")
            }
        }
    }
}

/// `concat` of rank-3/4 tensors along every axis, against the row-major concatenation written
/// out here; the adjoint of each operand is its own slice of the seed.
@Test(arguments: [([2, 3, 2], [2, 1, 2], 1), ([2, 3, 2], [1, 3, 2], 0), ([1, 2, 2, 3], [1, 2, 2, 1], 3), ([2, 2, 1, 2], [2, 2, 3, 2], 2)])
func concatOfImagesAlongEachAxis(da: [Int], db: [Int], axis: Int) throws {
    let ca = da.reduce(1, *), cb = db.reduce(1, *)
    let graph = try loadExpression("input a = zeros(\(da)); input b = zeros(\(db)); y = concat(a, b, axis=\(axis))")
    var tape = graph.tape
    let a = (0..<ca).map { Double($0) }, b = (0..<cb).map { 100 + Double($0) }
    tape.setLeafValues(try #require(graph.node(named: "a")), a)
    tape.setLeafValues(try #require(graph.node(named: "b")), b)
    let values = tape.evaluate()
    let out = tape[tape.output]
    var joined = da
    joined[axis] += db[axis]
    expectEqual(out.shape.dims, joined)
    // Row-major: for each index before the axis, a's block then b's block.
    let p = da[..<axis].reduce(1, *), qa = ca / p, qb = cb / p
    var expected: [Double] = []
    for i in 0..<p {
        expected += a[(i * qa) ..< ((i + 1) * qa)]
        expected += b[(i * qb) ..< ((i + 1) * qb)]
    }
    expectEqual(Array(values[Int(out.offset) ..< Int(out.offset) + out.count]), expected)
}

@Test func concatOfImagesWithOtherExtentsDifferentIsAClearError() {
    guard case .failure(let f) = GraphLoader.load(expression: "input a = zeros([2, 3, 2, 2]); input b = zeros([2, 1, 3, 2]); y = concat(a, b, axis=1)", values: []) else {
        Issue.record("mismatched concat loaded")
        return
    }
    expectContains(f.rendered(), "concat along axis 1 needs the other extents equal; axis 2 differs")
}
