import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// `var(x, unbiased=true)` and `std(x, unbiased=true)`: divided by n − 1 (torch's
// unbiased=True). The expected numbers are computed here by hand loops.

private func load(_ text: String) throws -> Graph {
    switch GraphLoader.load(SourceFile(name: "var.grad", text: text), graphName: "var", mode: .file) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

@Suite("var and std with unbiased=true divide by n − 1")
struct UnbiasedVarianceTests {
    /// Σ(xᵢ − x̄)² / (n − 1), and its gradient 2(xᵢ − x̄)/(n − 1).
    static func unbiased(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        let n = Double(x.count), mean = x.reduce(0, +) / n
        let squares = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        return (squares / (n - 1), x.map { 2 * ($0 - mean) / (n - 1) })
    }

    @Test func aVectorsVarianceByHand() throws {
        let solved = Solved(try load("input x = [1, 2, 4]\ny = var(x, unbiased=true)\noutput y\n"))
        // mean 7/3, squared deviations 16/9 + 1/9 + 25/9 = 42/9, over n − 1 = 2: 7/3.
        expectClose(solved.output, 7.0 / 3.0, rel: 1e-15)
        expectClose(try solved.gradient("x"), [-4.0 / 3.0, -1.0 / 3.0, 5.0 / 3.0], rel: 1e-15)
    }

    @Test func alongEachAxisOfAMatrixAndStd() throws {
        let m: [[Double]] = [[1, 2, 4], [3, 3, 6]]
        let solved = Solved(try load("input X = [[1, 2, 4], [3, 3, 6]]\nr = var(X, axis=1, unbiased=true)\n"
            + "c = std(X, axis=0, unbiased=true)\nb = var(X, unbiased=false)\ny = sum(r) + sum(c)\noutput y\n"))
        expectClose(try solved.value("r"), m.map { Self.unbiased($0).value }, rel: 1e-14)
        let columns = (0..<3).map { j in m.map { $0[j] } }
        expectClose(try solved.value("c"), columns.map { Self.unbiased($0).value.squareRoot() }, rel: 1e-14)
        let all = m.flatMap { $0 }, mean = all.reduce(0, +) / 6
        expectClose(try solved.value("b"), [all.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6], rel: 1e-14)
        // ∂/∂X: the row's variance gradient plus the column's std gradient g/(2·std).
        var expected: [Double] = []
        for i in 0..<2 { for j in 0..<3 {
            let (sd2, g) = Self.unbiased(columns[j])
            expected.append(Self.unbiased(m[i]).gradient[j] + g[i] / (2 * sd2.squareRoot()))
        } }
        expectClose(try solved.gradient("X"), expected, rel: 1e-12)
    }

    @Test func theGradientAgreesWithFiniteDifferences() throws {
        let graph = try load("param X = [[0.5, -1.2, 2], [0.3, 0.8, -0.4]]\ny = sum(std(X, axis=1, unbiased=true)) + var(X * X, unbiased=true)\noutput y\n")
        let results = GradientCheck.check(graph.tape)
        expectEqual(results.count, 6)
        for r in results { expectEqual(GradientCheck.Verdict(r), .pass, "\(r)") }
    }

    @Test func aWordOtherThanTrueOrFalseIsAClearError() {
        guard case .failure(let failure) = GraphLoader.load(SourceFile(name: "var.grad", text: "input x = [1, 2]\ny = var(x, unbiased=yes)\n"), graphName: "var", mode: .file) else {
            Issue.record("unbiased=yes loaded")
            return
        }
        let rendered = failure.rendered()
        expectContains(rendered, "var.grad:2:21: error: unbiased must be 'true' or 'false'", "\(rendered)")
        expectContains(rendered, "^~~", "\(rendered)")
    }
}
