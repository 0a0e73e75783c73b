import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// `prod(x)`: the product of every element, with torch.prod's gradient at zeros. The expected
// gradients are the products of the other elements, computed here by a hand loop.

private func load(_ text: String) throws -> Graph {
    switch GraphLoader.load(SourceFile(name: "prod.grad", text: text), graphName: "prod", mode: .file) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

@Suite("prod: the product of the elements, its gradient right at zeros")
struct ProductTests {
    /// ∂/∂xᵢ Π x = Π_{j ≠ i} xⱼ, by a loop that leaves xᵢ out (never a division by xᵢ).
    static func others(_ x: [Double]) -> [Double] {
        x.indices.map { i in x.indices.filter { $0 != i }.reduce(1.0) { $0 * x[$1] } }
    }

    @Test(arguments: [
        [2.0, -3, 0.5, 4],   // no zero: the product over xᵢ
        [2.0, 0, 0.5, 4],    // one zero: its gradient is the product of the others, 4
        [0.0, 3, 0, 5],      // two zeros: every gradient 0
        [7.0],               // one element
    ])
    func aVectorsProductAndItsGradient(x: [Double]) throws {
        let solved = Solved(try load("input x = \(x)\ny = prod(x)\noutput y\n"))
        expectEqual(solved.output, x.reduce(1, *))
        try expectEqual(solved.gradient("x"), Self.others(x))
    }

    @Test func theOneZeroCaseByHand() throws {
        let solved = Solved(try load("input x = [2, 0, 0.5, 4]\ny = prod(x)\noutput y\n"))
        expectEqual(solved.output, 0)
        try expectEqual(solved.gradient("x"), [0, 4, 0, 0])  // 2 · 0.5 · 4 = 4 at the zero
    }

    /// A matrix's elements all multiply; ∞ elsewhere does not make an element's pick NaN.
    @Test func aMatrixAScalarAndInfinity() throws {
        let m = [1.5, -2, 0.5, 3, 1, -1]
        let solved = Solved(try load("input M = [[1.5, -2, 0.5], [3, 1, -1]]\ninput s = 3\ny = prod(M) + prod(s)\noutput y\n"))
        expectEqual(solved.output, m.reduce(1, *) + 3)
        try expectEqual(solved.gradient("M"), Self.others(m))
        try expectEqual(solved.gradient("s"), [1])
        let infinite = Solved(try load("input x = [1e308, 10, 2]\ny = prod(x * x)\noutput y\n"))
        expectEqual(infinite.output, .infinity)
    }

    @Test func theGradientAgreesWithFiniteDifferences() throws {
        let graph = try load("param x = [0.7, -1.3, 2.1]\nparam W = [[0.5, 1.2], [-0.8, 0.9]]\ny = prod(sin(x)) + prod(W * W) * prod(x)\noutput y\n")
        let results = GradientCheck.check(graph.tape)
        expectEqual(results.count, 7)
        for r in results { expectEqual(GradientCheck.Verdict(r), .pass, "\(r)") }
    }

    @Test func tooManyElementsIsAClearError() {
        let text = "param x = zeros([300])\ny = prod(x)\noutput y\n"
        guard case .failure(let failure) = GraphLoader.load(SourceFile(name: "prod.grad", text: text), graphName: "prod", mode: .file) else {
            Issue.record("300 elements loaded")
            return
        }
        let rendered = failure.rendered()
        expectContains(rendered, "prod.grad:2:5: error: prod multiplies its elements one node at a time; 300 elements are more than 256", "\(rendered)")
        expectContains(rendered, "^~~~", "\(rendered)")
    }
}
