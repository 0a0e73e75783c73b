import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// Batch norm over channels (BatchNorm2d on images, BatchNorm1d on sequences): values against
// the per-channel formula computed here, gradients against central differences, the errors.

private func load(_ text: String) throws -> Graph {
    switch GraphLoader.load(SourceFile(name: "bn2d.grad", text: text), graphName: "bn2d", mode: .file) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

private func failure(_ text: String) -> String {
    switch GraphLoader.load(SourceFile(name: "bn2d.grad", text: text), graphName: "bn2d", mode: .file) {
    case .success: return ""
    case .failure(let failure): return failure.rendered()
    }
}

@Suite("Batch norm per channel (BatchNorm2d, BatchNorm1d)")
struct ChannelBatchnormTests {
    /// (N, C, H, W) or (N, C, L) normalised per channel over every image's pixels, then γ, β
    /// per channel, as PyTorch's formula written out here.
    @Test(arguments: [[2, 3, 2, 2], [1, 3, 4, 4], [3, 2, 5], [2, 1, 1, 3]])
    func everyChannelIsNormalisedOverTheBatchAndItsPixels(dims: [Int]) throws {
        let (n, c) = (dims[0], dims[1]), inner = dims[2...].reduce(1, *)
        var rng = SplitMix64(seed: UInt64(dims.reduce(7, *)))
        let x = (0..<(n * c * inner)).map { _ in Double.random(in: -2...2, using: &rng) }
        let gamma = (0..<c).map { Double($0) + 0.5 }, beta = (0..<c).map { 0.25 - Double($0) }
        let graph = try load("""
            input x = randn(\(dims), 1)
            param g = \(gamma)
            param b = \(beta)
            y = batchnorm(x, g, b)
            L = sum(y * y * x)
            output L
            """)
        var tape = graph.tape
        let xNode = try #require(graph.node(named: "x"))
        tape.setLeafValues(xNode, x)
        let values = tape.evaluate()
        let yNode = try #require(graph.node(named: "y"))
        expectEqual(tape[yNode].shape.dims, dims)
        let y = Array(values[Int(tape[yNode].offset) ..< Int(tape[yNode].offset) + x.count])
        for ch in 0..<c {
            let indices = (0..<n).flatMap { image in (0..<inner).map { (image * c + ch) * inner + $0 } }
            let group = indices.map { x[$0] }
            let mu = group.reduce(0, +) / Double(group.count)
            let variance = group.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(group.count)
            for i in indices {
                let expected = (x[i] - mu) / (variance + 1e-5).squareRoot() * gamma[ch] + beta[ch]
                expectTrue(abs(y[i] - expected) <= 1e-12 * max(1, abs(expected)), "channel \(ch), element \(i)")
            }
        }
        // Gradients of every leaf against central differences.
        let adjoints = tape.adjoints(values: values)
        for leaf in tape.differentiableLeaves {
            let e = tape[leaf], base = Array(tape.leafValues(leaf))
            for k in 0..<e.count {
                var plus = base, minus = base
                plus[k] += 1e-6
                minus[k] -= 1e-6
                tape.setLeafValues(leaf, plus)
                let fPlus = tape.evaluate()[Int(tape[tape.output].offset)]
                tape.setLeafValues(leaf, minus)
                let fMinus = tape.evaluate()[Int(tape[tape.output].offset)]
                tape.setLeafValues(leaf, base)
                let numeric = (fPlus - fMinus) / 2e-6, analytic = adjoints[Int(e.offset) + k]
                expectTrue(abs(numeric - analytic) <= 1e-5 * max(1, abs(analytic)), "\(graph.tape.displayName(leaf))[\(k)]")
            }
        }
    }

    /// Eval mode: (x − running_mean[c])/√(running_var[c] + ε)·γ[c] + β[c].
    @Test func evalModeUsesEachChannelsRunningStatistics() throws {
        let graph = try load("""
            input x = [[[[1, 3]], [[2, 6]]], [[[5, 7]], [[0, 2]]]]
            y = batchnorm(x, [2, 1], [0, 1], mode=eval, running_mean=[1, 2], running_var=[4, 16], eps=0)
            """)
        let values = graph.tape.evaluate()
        let out = graph.tape[graph.tape.output]
        let y = Array(values[Int(out.offset) ..< Int(out.offset) + out.count])
        // Channel 0: (x − 1)/2·2; channel 1: (x − 2)/4 + 1.
        expectEqual(y, [0, 2, 1, 2, 4, 6, 0.5, 1])
    }

    @Test func wrongChannelCountsAndOneValuePerChannelAreClearErrors() {
        let shapes = failure("input x = randn([2, 64, 3, 3], 1)\ny = batchnorm(x, ones([32]), zeros([32]))\n")
        expectContains(shapes, "batchnorm's gamma needs one number per channel, shape [64]")
        expectContains(shapes, "bn2d.grad:2:5")
        let single = failure("input x = randn([1, 3, 1, 1], 1)\ny = batchnorm(x, ones([3]), zeros([3]))\n")
        expectContains(single, "needs more than one value per channel")
    }
}
