import GraphCore
import GraphLanguage
import Testing
import TestSupport

// Issue 23: the reverse sweep computes adjoints only for the nodes that need one (an input or
// param reaches them). `const X @ param W` takes W̄ = Xᵀ·Ȳ and never X̄ = Ȳ·Wᵀ, and a node
// only constants reach is skipped like a constant. The numbers below are worked by hand.
@Suite("The reverse sweep skips what needs no gradient")
struct GradientPathTests {
    /// X = [[1, 2], [3, 4], [5, 6]] (constant), W = [[1, 2], [3, −0.5]] (param),
    /// s = sum(X @ W); C = Xᵀ and D = sum(C) depend on constants only; y = s + D.
    func tape() throws -> (tape: Tape, x: Int, w: Int, p: Int, c: Int, d: Int, y: Int) {
        var b = TapeBuilder()
        let x = b.leaf(.constant, .matrix(3, 2), [1, 2, 3, 4, 5, 6], name: "X")
        let w = b.leaf(.param, .matrix(2, 2), [1, 2, 3, -0.5], name: "W")
        let p = try b.apply(.matmul, [x, w])
        let s = try b.apply(.sum, [p])
        let c = try b.apply(.transpose, [x])
        let d = try b.apply(.sum, [c])
        let y = try b.apply(.add, [s, d], name: "y")
        let (tape, order) = b.finish(output: y)
        return (tape, order[x.raw], order[w.raw], order[p.raw], order[c.raw], order[d.raw], order[y.raw])
    }

    func slice(_ tape: Tape, _ buffer: [Double], _ i: Int) -> [Double] {
        let e = tape.entries[i]
        return Array(buffer[Int(e.offset) ..< Int(e.offset) + e.count])
    }

    @Test func theSweepComputesNoAdjointForTheConstantOrWhatOnlyItReaches() throws {
        let g = try tape()
        expectTrue(!g.tape.needsGradient(g.x) && !g.tape.needsGradient(g.c) && !g.tape.needsGradient(g.d))
        expectTrue(g.tape.needsGradient(g.w) && g.tape.needsGradient(g.p) && g.tape.needsGradient(g.y))
        // The nodes whose adjoints are computed: W, X @ W, its sum and y; not X, Xᵀ, sum(Xᵀ).
        let visited = Set(g.tape.gradientNodes)
        expectTrue(visited.count == 4 && visited.contains(g.w) && visited.contains(g.p) && visited.contains(g.y))
        expectTrue(!visited.contains(g.x) && !visited.contains(g.c) && !visited.contains(g.d))

        let v = g.tape.evaluate()
        // XW = [[7, 1], [15, 4], [23, 7]], sum 57; sum(Xᵀ) = 21.
        expectEqual(slice(g.tape, v, g.y), [78])
        let adj = g.tape.adjoints(values: v)
        // ∂y/∂W_kj = Σᵢ X_ik: the column sums of X, 9 and 12, repeated along j.
        expectEqual(slice(g.tape, adj, g.w), [9, 9, 12, 12])
        expectEqual(slice(g.tape, adj, g.p), [1, 1, 1, 1, 1, 1])
        // ∂y/∂X would be W's row sums (3, 2.5) plus 1 from sum(Xᵀ), nowhere 0: the buffer's
        // zeros show that the sweep never computed it, nor the adjoints of Xᵀ and its sum.
        expectEqual(slice(g.tape, adj, g.x), [0, 0, 0, 0, 0, 0])
        expectEqual(slice(g.tape, adj, g.c), [0, 0, 0, 0, 0, 0])
        expectEqual(slice(g.tape, adj, g.d), [0])
    }

    @Test func theExplainedSweepVisitsTheSameNodesAndSaysWhyTheOthersHaveNone() throws {
        let g = try tape()
        let x = Explanation(tape: g.tape, values: g.tape.evaluate(), phase: .reverse)
        expectEqual(Set(x.order), Set(g.tape.gradientNodes))
        expectTrue(x.deadNodes.isEmpty)
        expectEqual(x.constantOnlyNodes, [g.c, g.d].sorted())
        // No term is sent to X: the product sends W̄ only.
        expectTrue(x.contributions.allSatisfy { g.tape.needsGradient($0.operand) })
        expectEqual(slice(g.tape, x.adjoints, g.w), [9, 9, 12, 12])
        let notes = Trace(x).notes.joined(separator: "\n")
        expectContains(notes, "depend on constants only: like a constant, no gradient is needed, so the reverse sweep skips them")
    }

    @Test func theLanguagesConstantTimesAParamHasTheSameGradient() throws {
        let graph = try {
            switch GraphLoader.load(expression: "const X = [[1, 2], [3, 4], [5, 6]]; param W = [[1, 2], [3, -0.5]]; y = sum(X @ W)") {
            case .success(let graph): return graph
            case .failure(let failure): throw failure
            }
        }()
        let tape = graph.tape
        let x = try #require(graph.node(named: "X")), w = try #require(graph.node(named: "W"))
        expectTrue(!tape.gradientNodes.contains(x) && tape.gradientNodes.contains(w))
        let v = tape.evaluate()
        expectEqual(slice(tape, v, tape.output), [57])
        let adj = tape.adjoints(values: v)
        expectEqual(slice(tape, adj, w), [9, 9, 12, 12])
        expectEqual(slice(tape, adj, x), [0, 0, 0, 0, 0, 0])
    }
}
