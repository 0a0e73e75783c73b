import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Random expressions over a few names, written as text and loaded through the parser and the
/// lowering (`-e` mode, values given as `--set` would): reverse mode, forward mode and central
/// differences must agree. Domains are kept safe by construction: a divisor is 1 + b², exp
/// takes a tanh, so every expression is smooth and finite everywhere.
@Suite("Property: random typed expressions, reverse = forward = central differences")
struct ExpressionPropertyTests {
    /// A point in [−1.5, 1.5], printed so that `--set` reads back the same double.
    static func coordinate(_ rng: inout TestSupport.SplitMix64) -> String {
        let x = Double(rng.next() % 3001) / 1000 - 1.5
        return "\(x)"
    }

    @Test(arguments: 0..<200)
    func modesAgree(seed: Int) throws {
        var generator = ExpressionGenerator(rng: TestSupport.SplitMix64(seed: UInt64(seed)))
        var text = generator.expression(depth: 4, allowLeaf: false)
        while generator.used.isEmpty { text = generator.expression(depth: 4, allowLeaf: false) }
        var rng = TestSupport.SplitMix64(seed: UInt64(seed) &+ 1_000_003)
        let values = generator.used.map { (name: $0, text: Self.coordinate(&rng)) }
        let graph = try loadExpression(text, values: values)
        let tape = graph.tape
        expectEqual(tape.differentiableLeaves.count, generator.used.count, "seed \(seed): \(text)")
        expectEqual(graph.differentiableLeaves.map { $0.name }, generator.used, "free names in order of first use")

        let primal = tape.evaluate()
        let out = Int(tape.entries[tape.output].offset)
        try #require(primal[out].isFinite, "seed \(seed): \(text) = \(primal[out])")
        let adjoints = tape.adjoints(values: primal)
        let checks = GradientCheck.check(tape)
        for leaf in tape.differentiableLeaves {
            let offset = Int(tape.entries[leaf].offset)
            let reverse = adjoints[offset]
            let forward = tape.tangents(values: primal, seed: tape.tangentSeed(leaf: leaf))[out]
            let scale = max(1, abs(reverse), abs(forward))
            expectTrue(abs(reverse - forward) <= 1e-12 * scale, "seed \(seed): ∂/∂\(tape.displayName(leaf)) of \(text): reverse \(reverse), forward \(forward)")
            let numeric = try #require(checks.first { $0.leaf == leaf }).numeric
            expectTrue(abs(reverse - numeric) <= 1e-6 * max(scale, abs(numeric)), "seed \(seed): ∂/∂\(tape.displayName(leaf)) of \(text): reverse \(reverse), central difference \(numeric)")
        }
    }

    @Test func generatorCoversEveryConstruct() {
        var generator = ExpressionGenerator(rng: TestSupport.SplitMix64(seed: 7))
        let all = (0..<200).map { _ in generator.expression(depth: 4) }.joined(separator: " ")
        for piece in ["+", " - ", "*", "/ (1 +", "sin(", "cos(", "tanh(", "exp(tanh(", "sigmoid(", "softplus(", "-(", ")^2"] {
            expectContains(all, piece, "never generated \(piece)")
        }
    }
}
