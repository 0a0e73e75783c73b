import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// `stack([a, b, …], axis=k)` as numpy.stack and torch.stack. The expected layouts are built
// here by hand loops over the operands' row-major elements, and each operand's gradient of
// sum(stack(…) ⊙ W) is the slice of W at its own position along the new axis.

private func load(_ text: String) throws -> Graph {
    switch GraphLoader.load(SourceFile(name: "stack.grad", text: text), graphName: "stack", mode: .file) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

private func errors(_ text: String) -> String {
    switch GraphLoader.load(SourceFile(name: "stack.grad", text: text), graphName: "stack", mode: .file) {
    case .success: return ""
    case .failure(let failure): return failure.rendered()
    }
}

@Suite("stack: operands of one shape joined along a new axis")
struct StackTests {
    /// The row-major elements of stacking `operands` (each of `dims`) along `axis`: element
    /// (outer, k, inner) is operand k's element outer·q + inner, q the extents from `axis` on.
    static func stacked(_ operands: [[Double]], dims: [Int], axis: Int) -> [Double] {
        let p = dims[..<axis].reduce(1, *), q = dims[axis...].reduce(1, *)
        var out: [Double] = []
        for outer in 0..<p { for k in operands.indices { for inner in 0..<q {
            out.append(operands[k][outer * q + inner])
        } } }
        return out
    }

    /// Operand k's gradient of sum(stack ⊙ W): the elements of W that hold its elements.
    static func slice(of w: [Double], operand k: Int, count: Int, dims: [Int], axis: Int) -> [Double] {
        let p = dims[..<axis].reduce(1, *), q = dims[axis...].reduce(1, *)
        var out: [Double] = []
        for outer in 0..<p { for inner in 0..<q { out.append(w[(outer * count + k) * q + inner]) } }
        return out
    }

    @Test func scalarsBecomeAVector() throws {
        let solved = Solved(try load("input a = 2\ninput b = -3\ninput c = 0.5\ns = stack([a, b * b, c])\ny = sum(s * [1, 2, 3])\noutput y\n"))
        try expectEqual(solved.value("s"), [2, 9, 0.5])
        let expected: Double = 2 * 1 + 9 * 2 + 0.5 * 3
        expectEqual(solved.output, expected)
        try expectEqual(solved.gradient("a"), [1])
        try expectEqual(solved.gradient("b"), [2 * 2 * -3])  // d(b²)/db · 2
        try expectEqual(solved.gradient("c"), [3])
    }

    @Test(arguments: [0, 1, -1, -2])
    func vectorsAlongEitherAxis(axis: Int) throws {
        let a = [1.0, 2, 3], b = [-4.0, 5, 0.5]
        let resolved = axis < 0 ? axis + 2 : axis
        let shape: [Int] = resolved == 0 ? [2, 3] : [3, 2]
        let w = (0..<6).map { Double($0) * 0.25 - 1 }
        let solved = Solved(try load("input a = \(a)\ninput b = \(b)\nconst W = \(Self.matrix(w, shape))\n"
            + "s = stack([a, b], axis=\(axis))\ny = sum(s * W)\noutput y\n"))
        let expected = Self.stacked([a, b], dims: [3], axis: resolved)
        try expectEqual(solved.value("s"), expected)
        try expectEqual(solved.graph.tape.entries[solved.node("s")].shape, .matrix(shape[0], shape[1]))
        try expectEqual(solved.gradient("a"), Self.slice(of: w, operand: 0, count: 2, dims: [3], axis: resolved))
        try expectEqual(solved.gradient("b"), Self.slice(of: w, operand: 1, count: 2, dims: [3], axis: resolved))
    }

    /// Three 2 × 3 matrices along each of the three axes a rank-3 result has.
    @Test(arguments: [0, 1, 2, -1])
    func matricesMakeARankThreeTensor(axis: Int) throws {
        let scales: [Double] = [1, -1, 3]
        var ops: [[Double]] = []
        for k in 0..<3 { ops.append((0..<6).map { (Double($0) + 1) * scales[k] }) }
        let resolved = axis < 0 ? axis + 3 : axis
        var dims = [2, 3]
        dims.insert(3, at: resolved)
        let w = (0..<18).map { Double($0 % 7) - 2.5 }
        let text = (0..<3).map { "input m\($0) = \(Self.matrix(ops[$0], [2, 3]))\n" }.joined()
            + "const W = \(Self.matrix(w, [dims[0] * dims[1], dims[2]]))\n"
            + "s = stack([m0, m1, m2], axis=\(axis))\ny = sum(reshape(s, [\(dims[0] * dims[1]), \(dims[2])]) * W)\noutput y\n"
        let solved = Solved(try load(text))
        try expectEqual(solved.graph.tape.entries[solved.node("s")].shape, .tensor(dims))
        try expectEqual(solved.value("s"), Self.stacked(ops, dims: [2, 3], axis: resolved))
        for k in 0..<3 {
            try expectEqual(solved.gradient("m\(k)"), Self.slice(of: w, operand: k, count: 3, dims: [2, 3], axis: resolved))
        }
    }

    /// Rank-3 operands give a rank-4 tensor; one operand gains an axis of extent 1.
    @Test func rankThreeOperandsAndASingleOperand() throws {
        let a = (0..<8).map { Double($0) }, b = a.map { $0 * $0 - 3 }
        let solved = Solved(try load("input a = [[[0, 1], [2, 3]], [[4, 5], [6, 7]]]\nb = a * a - 3\n"
            + "s = stack([a, b], axis=2)\nt = stack([a], axis=3)\ny = sum(s * s) + sum(t)\noutput y\n"))
        try expectEqual(solved.graph.tape.entries[solved.node("s")].shape, .tensor([2, 2, 2, 2]))
        try expectEqual(solved.value("s"), Self.stacked([a, b], dims: [2, 2, 2], axis: 2))
        try expectEqual(solved.graph.tape.entries[solved.node("t")].shape, .tensor([2, 2, 2, 1]))
        try expectEqual(solved.value("t"), a)
        // y = Σ a² + Σ (a² − 3)² + Σ a, so ∂y/∂a = 2a + 2(a² − 3)·2a + 1.
        try expectEqual(solved.gradient("a"), a.map { 2 * $0 + 4 * $0 * ($0 * $0 - 3) + 1 })
    }

    @Test func theGradientAgreesWithFiniteDifferences() throws {
        let graph = try load("""
        param a = [[0.5, -1.2, 2], [0.3, 0.8, -0.4]]; param b = [[1.1, 0.2, -0.7], [0.9, -0.6, 1.4]]; param c = 0.7
        s = stack([a, b * c, sin(a)], axis=1); v = stack([c, c * c, 2 * c])
        y = sum(s * s * s) + sum(stack([a[0], b[1]], axis=1) * [[1, 2], [3, 4], [5, 6]]) + sum(v * v)
        output y
        """)
        let results = GradientCheck.check(graph.tape)
        expectEqual(results.count, 13)
        for r in results { expectEqual(GradientCheck.Verdict(r), .pass, "\(r)") }
    }

    @Test(arguments: [
        ("input a = [1, 2]\ninput b = [1, 2, 3]\ny = sum(stack([a, b]))\n",
         "stack.grad:3:19: error: stack needs every tensor of one shape; tensor 1 is [3], tensor 0 is [2]", " 3 | y = sum(stack([a, b]))\n   |                   ^"),
        ("input a = [1, 2]\ny = sum(stack([a, a], axis=2))\n",
         "stack.grad:2:28: error: axis 2 does not exist for a tensor of rank 2", "   |                            ^"),
        ("input a = [1, 2]\ny = sum(stack(a, a))\n", "stack.grad:2:9: error: stack takes 1 positional argument (tensors), got 2", "write stack(tensors, axis=…)"),
        ("input a = [1, 2]\ny = sum(stack(a))\n", "stack.grad:2:15: error: stack takes a list of tensors in brackets", "hint: write stack([a, b], axis=0)"),
        ("input a = [[[[1]]]]\ny = sum(stack([a, a]))\n", "stack.grad:2:9: error: stack of rank-4 tensors would make rank 5", "^~~~~"),
    ])
    func misuseIsAClearError(text: String, header: String, detail: String) {
        let rendered = errors(text)
        expectContains(rendered, header, "\(rendered)")
        expectContains(rendered, detail, "\(rendered)")
    }

    static func matrix(_ values: [Double], _ dims: [Int]) -> String {
        "[" + (0..<dims[0]).map { r in "[" + (0..<dims[1]).map { String(values[r * dims[1] + $0]) }.joined(separator: ", ") + "]" }
            .joined(separator: ", ") + "]"
    }
}
