import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// NumPy broadcasting across ranks and `keepdim=true`: values and gradients against hand loops
// (the broadcast operand's gradient is the sum over its copies), and the errors.

private func load(_ text: String) throws -> Graph {
    switch GraphLoader.load(SourceFile(name: "broadcast.grad", text: text), graphName: "broadcast", mode: .file) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

@Suite("Broadcasting across ranks and keepdim")
struct BroadcastTests {
    /// A per-channel scale (C, 1, 1) over an image (C, H, W): ∂/∂s[c] sums the image's
    /// channel c times the weights, the broadcast's sum.
    @Test func aPerChannelScaleOverAnImage() throws {
        let (c, h, w) = (2, 2, 3)
        let image = (0..<(c * h * w)).map { Double($0) - 4 }, scale = [1.5, -2.0]
        let weights = (0..<(c * h * w)).map { Double($0 % 4) + 0.5 }
        let text = "input x = \(Self.nested(image, [c, h, w]))\ninput s = [[[1.5]], [[-2.0]]]\nconst u = \(Self.nested(weights, [c, h, w]))\n"
            + "y = x * s\nL = sum(y * u)\noutput L\n"
        let solved = Solved(try load(text))
        var value = 0.0, gs = [0.0, 0.0], gx = [Double](repeating: 0, count: c * h * w)
        for k in 0..<(c * h * w) {
            let channel = k / (h * w)
            value += image[k] * scale[channel] * weights[k]
            gs[channel] += image[k] * weights[k]
            gx[k] = scale[channel] * weights[k]
        }
        try expectEqual(solved.graph.tape.entries[solved.node("y")].shape, .tensor([c, h, w]))
        expectEqual(solved.output, value)
        try expectEqual(solved.gradient("s"), gs)
        try expectEqual(solved.gradient("x"), gx)
    }

    /// (2, 2) over (2, 2, 2) and a row (1, 3) beside a column (2, 1), both expanded.
    @Test func matricesOverTensorsAndRowsBesideColumns() throws {
        let solved = Solved(try load("input a = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]\ninput m = [[1, -1], [2, 0.5]]\n"
            + "input r = [[1, 2, 3]]\ninput c = [[10], [20]]\nL = sum(a * m) + sum((r + c) * (r + c))\noutput L\n"))
        let a = (1...8).map(Double.init), m = [1, -1, 2, 0.5], r = [1.0, 2, 3], c = [10.0, 20]
        var value = 0.0, gm = [0.0, 0, 0, 0], gr = [0.0, 0, 0], gc = [0.0, 0]
        for k in 0..<8 {
            value += a[k] * m[k % 4]
            gm[k % 4] += a[k]
        }
        for i in 0..<2 { for j in 0..<3 {
            let s = r[j] + c[i]
            value += s * s
            gr[j] += 2 * s
            gc[i] += 2 * s
        } }
        expectEqual(solved.output, value)
        try expectEqual(solved.gradient("m"), gm)
        try expectEqual(solved.gradient("a"), (0..<8).map { m[$0 % 4] })
        try expectEqual(solved.gradient("r"), gr)
        try expectEqual(solved.gradient("c"), gc)
    }

    /// The stable softmax written by hand, `exp(x − max(x, axis=1, keepdim=true))` over its
    /// row sum with keepdim, equals softmax; the max's tie-free gradient cancels exactly.
    @Test func keepdimGivesTheRowwiseStableSoftmax() throws {
        let x: [[Double]] = [[1, 2, 3], [4, 6, 5]]
        let text = "input x = \(x)\ne = exp(x - max(x, axis=1, keepdim=true))\np = e / sum(e, axis=1, keepdim=true)\n"
            + "m = mean(x, axis=0, keepdim=true)\nv = var(x, keepdim=true)\nL = sum(p * [[1, 2, 3], [3, 1, 2]])\noutput L\n"
        let solved = Solved(try load(text))
        var softmax: [Double] = []
        for row in x {
            let top = row.max()!, total = row.map { Foundation.exp($0 - top) }.reduce(0, +)
            softmax += row.map { Foundation.exp($0 - top) / total }
        }
        expectClose(try solved.value("p"), softmax, rel: 1e-15)
        try expectEqual(solved.graph.tape.entries[solved.node("e")].shape, .matrix(2, 3))
        try expectEqual(solved.graph.tape.entries[solved.node("m")].shape, .matrix(1, 3))
        try expectEqual(solved.value("m"), [2.5, 4, 4])
        let all = x.flatMap { $0 }, mu = all.reduce(0, +) / 6
        try expectEqual(solved.graph.tape.entries[solved.node("v")].shape, .matrix(1, 1))
        expectClose(try solved.value("v"), [all.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 6], rel: 1e-15)
        // ∂L/∂x = p ⊙ (w − Σ p⊙w) per row, softmax's VJP.
        let weights: [Double] = [1, 2, 3, 3, 1, 2]
        var gradient: [Double] = []
        for row in 0..<2 {
            let p = softmax[row * 3 ..< row * 3 + 3], w = weights[row * 3 ..< row * 3 + 3]
            let dot = zip(p, w).map(*).reduce(0, +)
            gradient += zip(p, w).map { $0 * ($1 - dot) }
        }
        expectClose(try solved.gradient("x"), gradient, rel: 1e-12, abs: 1e-15)
        let results = GradientCheck.check(solved.graph.tape)
        for r in results { expectEqual(GradientCheck.Verdict(r), .pass, "\(r)") }
    }

    @Test(arguments: [
        ("input a = [[1, 2, 3], [4, 5, 6]]\ninput b = [[1, 2], [3, 4]]\ny = sum(a + b)\n", "broadcast.grad:3:11: error: cannot add [2×3] and [2×2]"),
        ("input x = [[1, 2], [3, 4]]\ny = sum(sum(x, axis=1, keepdim=yes))\n", "broadcast.grad:2:32: error: keepdim must be 'true' or 'false'"),
        ("input x = [[1, 2], [3, 4]]\ny = sum(concat(x, x, axis=0, keepdim=true))\n", "error: concat has no keyword 'keepdim'"),
    ])
    func shapesThatDoNotBroadcastAreErrors(_ text: String, _ message: String) {
        var rendered = ""
        if case .failure(let failure) = GraphLoader.load(SourceFile(name: "broadcast.grad", text: text), graphName: "b", mode: .file) {
            rendered = failure.rendered()
        }
        expectContains(rendered, message, "\(rendered)")
        expectContains(rendered, "^", "\(rendered)")
    }

    /// `[[[a, b], [c, d]], …]`: row-major values nested to `dims`.
    static func nested(_ values: [Double], _ dims: [Int]) -> String {
        guard dims.count > 1 else { return "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }
        let step = values.count / dims[0]
        return "[" + (0..<dims[0]).map { nested(Array(values[$0 * step ..< ($0 + 1) * step]), Array(dims.dropFirst())) }.joined(separator: ", ") + "]"
    }
}
