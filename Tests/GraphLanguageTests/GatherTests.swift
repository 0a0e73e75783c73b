import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// Integer index tensors: `C[X]`, `P[I, J]`, `P[:, J]`, `one_hot`, `arange` and
// `cross_entropy(logits, y)` with integer labels. Every expected number is computed here by a
// hand loop (a scatter-add, a log-softmax), never read from the program.

private func load(_ text: String) throws -> Graph {
    switch GraphLoader.load(SourceFile(name: "gather.grad", text: text), graphName: "gather", mode: .file) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

private func errors(_ text: String) -> String {
    switch GraphLoader.load(SourceFile(name: "gather.grad", text: text), graphName: "gather", mode: .file) {
    case .success: return ""
    case .failure(let failure): return failure.rendered()
    }
}

@Suite("Integer index tensors: gathers, one-hot and cross-entropy over labels")
struct GatherTests {
    /// The issue's example: y = Σ C[X]² with X = [2, 0, 2] is 127, and ∂y/∂C scatter-adds
    /// 2·C[X] into the rows X names, row 2 twice.
    @Test func theIssuesEmbeddingExample() throws {
        let solved = Solved(try load("input C = [[1, 2], [3, 4], [5, 6]]\nconst X = [2, 0, 2]\ny = sum(C[X] * C[X])\noutput y\n"))
        let c: [[Double]] = [[1, 2], [3, 4], [5, 6]], x = [2, 0, 2]
        var value = 0.0
        var gradient = [[Double]](repeating: [0, 0], count: 3)
        for r in x { for j in 0..<2 {
            value += c[r][j] * c[r][j]
            gradient[r][j] += 2 * c[r][j]
        } }
        expectEqual(value, 127)
        expectEqual(solved.output, value)
        try expectEqual(solved.gradient("C"), gradient.flatMap { $0 })
        expectEqual(gradient.flatMap { $0 }, [2, 4, 0, 0, 20, 24])
    }

    /// A lookup of a 4 × 3 table by a matrix of indices (rank 3 result), weighted: the
    /// gradient of each row is the sum of the weights of every place it was copied to.
    @Test func aMatrixOfIndicesGathersARankThreeTensorAndScatterAddsBack() throws {
        let table = (0..<12).map { Double($0) * 0.5 - 2 }
        let index = [[3, 1], [3, -4], [0, 3]]  // −4 is row 0, counted from the end
        let weights = (0..<18).map { Double($0 % 5) - 1.5 }
        let text = "input C = \(Self.matrix(table, 4, 3))\nconst X = \(index)\nconst w = \(Self.matrix(weights, 6, 3))\n"
            + "E = C[X]\ny = sum(reshape(E, [6, 3]) * w)\noutput y\n"
        let solved = Solved(try load(text))
        var e: [Double] = [], gradient = [Double](repeating: 0, count: 12)
        for (k, i) in index.flatMap({ $0 }).enumerated() {
            let row = i < 0 ? i + 4 : i
            e += table[row * 3 ..< row * 3 + 3]
            for j in 0..<3 { gradient[row * 3 + j] += weights[k * 3 + j] }
        }
        try expectEqual(solved.value("E"), e)
        try expectEqual(solved.graph.tape.entries[solved.node("E")].shape, .tensor([3, 2, 3]))
        try expectEqual(solved.gradient("C"), gradient)
        expectTrue(gradient[6..<9].allSatisfy { $0 == 0 }, "row 2 is never gathered")
    }

    /// `P[arange(N), y]` picks one element per row; `P[:, J]` columns; `one_hot(y, C)`.
    @Test func pickingOneElementPerRowColumnsAndOneHot() throws {
        let p: [[Double]] = [[0.1, 0.2, 0.7], [0.3, 0.3, 0.4], [0.5, 0.25, 0.25]], y = [2, 0, 1]
        let text = "input P = \(p)\nconst y = \(y)\nconst u = [1, 2, 3]\npicked = P[arange(3), y]\ncols = P[:, [2, 0]]\n"
            + "hot = one_hot(y, 3)\nL = sum(picked * u) + sum(cols * cols) + sum(hot * P)\noutput L\n"
        let solved = Solved(try load(text))
        try expectEqual(solved.value("picked"), (0..<3).map { p[$0][y[$0]] })
        try expectEqual(solved.value("cols"), (0..<3).flatMap { [p[$0][2], p[$0][0]] })
        var hot = [Double](repeating: 0, count: 9)
        for (k, label) in y.enumerated() { hot[k * 3 + label] = 1 }
        try expectEqual(solved.value("hot"), hot)
        var gradient = [Double](repeating: 0, count: 9)
        for k in 0..<3 {
            gradient[k * 3 + y[k]] += Double(k + 1)  // the pick, weighted by u
            gradient[k * 3 + 2] += 2 * p[k][2]       // the columns, squared
            gradient[k * 3 + 0] += 2 * p[k][0]
            gradient[k * 3 + y[k]] += 1              // the one-hot mask
        }
        expectClose(try solved.gradient("P"), gradient, rel: 1e-15)
    }

    /// `cross_entropy(logits, y)` as F.cross_entropy: −mean of each row's log-softmax at its
    /// label; the gradient (softmax − one_hot)/N. A vector of logits takes one label.
    @Test func crossEntropyOverIntegerLabelsIsPyTorchs() throws {
        let logits: [[Double]] = [[2, 1, 0.1], [0.5, 2.5, 0.3], [-1, 0, 4], [0.2, 0.2, 0.2]], y = [0, 1, 2, 1]
        let solved = Solved(try load("param z = \(logits)\nconst y = \(y)\nL = cross_entropy(z, y)\noutput L\n"))
        var loss = 0.0, gradient: [Double] = []
        for (row, label) in zip(logits, y) {
            let top = row.max()!, total = row.map { Foundation.exp($0 - top) }.reduce(0, +)
            loss -= (row[label] - top - Foundation.log(total)) / 4
            gradient += row.enumerated().map { j, v in (Foundation.exp(v - top) / total - (j == label ? 1 : 0)) / 4 }
        }
        expectTrue(Swift.abs(solved.output - loss) < 1e-15)
        expectClose(try solved.gradient("z"), gradient, rel: 1e-12, abs: 1e-16)

        // Labels computed from a table (as a data file's column is) give the same loss.
        let table = Solved(try load("param z = \(logits)\nconst D = [[7, 0], [7, 1], [7, 2], [7, 1]]\nL = cross_entropy(z, D @ [0, 1])\noutput L\n"))
        expectEqual(table.output, solved.output)

        let one = Solved(try load("param z = [1.0, 3.0, -2.0]\nL = cross_entropy(z, 1)\noutput L\n"))
        let lse = Foundation.log(Foundation.exp(1.0) + Foundation.exp(3.0) + Foundation.exp(-2.0))
        expectTrue(Swift.abs(one.output - (lse - 3)) < 1e-15)
        // The probability form is unchanged beside it: −Σ t ln p.
        let probabilities = Solved(try load("input p = [0.25, 0.75]\nL = cross_entropy(p, [0, 1])\noutput L\n"))
        expectTrue(Swift.abs(probabilities.output + Foundation.log(0.75)) < 1e-15)
    }

    /// The reverse step's words say which rows received what, duplicates summed.
    @Test func theExplanationListsEachRowsScatteredShares() throws {
        let graph = try load("input C = [[1, 2], [3, 4], [5, 6]]\nconst X = [2, 0, 2]\nE = C[X]\ny = sum(E * [[1, 2], [3, 4], [5, 6]])\noutput y\n")
        let tape = graph.tape
        let x = Explanation(tape: tape, values: tape.evaluate(), phase: .reverse)
        let c = try #require(graph.node(named: "C"))
        let words = x.sentence(c).remarks.joined(separator: "\n")
        // Rows 0 and 2 of the adjoint [[1, 2], [3, 4], [5, 6]] both came from row 2 of C.
        expectContains(words, "row 2 ← rows 0 and 2 of", "\(words)")
        expectContains(words, "[1, 2] + [5, 6] = [6, 8] (copied 2 times", "\(words)")
        expectContains(words, "row 0 ← row 1 of", "\(words)")
        expectContains(words, "[3, 4]", "\(words)")
        expectContains(words, "row 1 receives nothing", "\(words)")
        let forward = Explanation(tape: tape, values: tape.evaluate(), phase: .primal)
        let e = try #require(graph.node(named: "E"))
        expectTrue(forward.sentence(e).remarks.contains { $0.contains("copies rows 2, 0, 2 of") })
    }

    /// Every gather graph's gradient agrees with central differences.
    @Test func gradientsAgreeWithFiniteDifferences() throws {
        let text = "param C = [[0.3, -1.2], [0.8, 0.1], [-0.4, 0.9]]\nconst X = [1, 1, 2, 0]\nparam W = [[0.5, -0.2], [0.1, 0.4], [-0.3, 0.7]]\n"
            + "L = cross_entropy(C[X] @ transpose(W), [2, 0, 1, 1]) + sum(tanh(C[:, [1, 0, 1]]))\noutput L\n"
        let graph = try load(text)
        let results = GradientCheck.check(graph.tape)
        expectEqual(results.count, 12)
        for r in results { expectEqual(GradientCheck.Verdict(r), .pass, "\(r)") }
    }

    @Test(arguments: [
        ("input C = [[1, 2], [3, 4]]\ny = sum(C[[0, 3]])\n", "gather.grad:2:11: error: index 3 is out of range for axis 0, of 2 elements",
         "positions on axis 0 run from 0 to 1"),
        ("input C = [[1, 2], [3, 4]]\nconst X = [0.5, 1]\ny = sum(C[X])\n", "gather.grad:3:11: error: an index tensor holds 0.5, which is not a whole number",
         "hint: index tensors hold positions"),
        ("input C = [[1, 2], [3, 4]]\nconst X = [[[[0, 1]]]]\ny = sum(C[X])\n",
         "gather.grad:3:9: error: indexing [2×2] with an index tensor [1×1×1×2] would give a tensor of rank 5; the most is 4", "^~~~"),
        ("input L = [[1, 2], [3, 4]]\ny = cross_entropy(L, [0, 2])\n", "gather.grad:2:22: error: a label of cross_entropy is 2; labels are classes 0 to 1",
         "(N × C) logits and N whole-number labels"),
        ("input C = [[1, 2], [3, 4]]\ny = sum(C[[0, 1], 1:2])\n", "gather.grad:2:19: error: a slice beside an index tensor", "P[X, :] or P[:, J]"),
        ("input C = [[1, 2], [3, 4]]\ny = sum(C[[0, 1], [0, 1, 1]])\n", "error: the index tensors of P[I, J] have shapes [2] and [3]", "give them one shape"),
        // Labels computed from constants (a data table's column) are checked too.
        ("const D = [[0.5, 0], [1.0, 3]]\ny = D @ [0, 1]\nparam W = [[1, 2], [3, 4], [5, 6]]\nL = sum(W[y])\n",
         "gather.grad:4:11: error: index 3 is out of range for axis 0, of 3 elements", "^"),
        ("const D = [[0.5, 0], [1.0, 3]]\nparam z = [[1, 2, 3], [4, 5, 6]]\nL = cross_entropy(z, D @ [0, 1])\n",
         "gather.grad:3:22: error: a label of cross_entropy is 3; labels are classes 0 to 2", "^~~~~~~~~~"),
        ("input x = 3\ny = x[[0]]\n", "gather.grad:2:5: error: a scalar cannot be indexed", "^~~~~~"),
        ("y = sum(one_hot([0, 1], 0))\n", "gather.grad:1:25: error: the number of classes must be a whole number from 1 to 4096", "^"),
        ("y = sum(one_hot([0, 3], 3))\n", "gather.grad:1:17: error: index 3 is out of range for the classes, of 3 elements", "^~~~~~"),
        ("y = sum(arange(0))\n", "gather.grad:1:9: error: arange(0, 0) is empty; the stop must be above the start", "^~~~~~~~~"),
        ("input C = [[1, 2], [3, 4]]\ny = sum(C[[[0, 1]], :, 1])\n", "error: an index tensor with 3 subscripts on a tensor of shape [2×2]", "hint:"),
    ])
    func misusesAreClearErrors(_ text: String, _ message: String, _ detail: String) {
        let rendered = errors(text)
        expectContains(rendered, message, "\(rendered)")
        expectContains(rendered, detail, "\(rendered)")
        expectContains(rendered, "^", "a caret under the place: \(rendered)")
    }

    static func matrix(_ values: [Double], _ rows: Int, _ cols: Int) -> String {
        "[" + (0..<rows).map { r in "[" + values[r * cols ..< (r + 1) * cols].map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }
}
