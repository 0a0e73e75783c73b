import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Issue 18, checkpointing made visible: the reverse sweep holding only every K-th value,
/// recomputing the rest, gives the plain sweep's gradients bit for bit, and its counts are
/// those of a hand count.
@Suite struct CheckpointingTests {
    /// x, then twelve computed nodes in a chain: v₁ = sin x, vₖ = sin vₖ₋₁, output v₁₂.
    static let chain = "input x = 0.7; " + (1...12).map { "v\($0) = sin(\($0 == 1 ? "x" : "v\($0 - 1)"))" }.joined(separator: "; ")
        + "; output v12"

    func tape(_ source: String) throws -> Tape { try GraphLoader.load(expression: source).get().tape }

    func seed(_ tape: Tape) -> [Double] { [Double](repeating: 1, count: tape.entries[tape.output].count) }

    func expectBitwiseEqual(_ a: [Double], _ b: [Double], _ what: String) {
        expectEqual(a.count, b.count, "\(what): buffer sizes")
        let differ = zip(a, b).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }
        expectTrue(differ.isEmpty, "\(what): \(differ.count) adjoints differ, first at \(differ.first.map { "\($0.offset): \($0.element)" } ?? "")")
    }

    @Test func aChainOfTwelveCheckpointedEveryFourMatchesAHandCount() throws {
        let t = try tape(Self.chain)
        expectEqual(t.sweptComputedCount, 12)
        let s = t.checkpointedSweep(every: 4, outputSeed: seed(t))
        // Kept: v₄, v₈ and v₁₂ (the output). The forward pass holds at most v₄, v₈, v₁₁ and
        // v₁₂ at once (v₁₁ is dropped once v₁₂ has read it). Reverse: segment v₉…v₁₂
        // recomputes v₉, v₁₀, v₁₁ from v₈, holding v₄, v₈, v₁₂ and those three: 6 values;
        // segments v₅…v₈ and v₁…v₄ recompute three each, holding 5 and 4.
        let first = t.firstComputed
        expectEqual(s.checkpoints, [3, 7, 11].map { first + $0 })
        expectEqual(s.plain, .init(heldAtMost: 12, elementsHeldAtMost: 12, evaluations: 12))
        expectEqual(s.checkpointed, .init(heldAtMost: 6, elementsHeldAtMost: 6, evaluations: 21))
        expectEqual(s.recomputations, 9)
        // Each segment's recomputation comes just before the step of its last node.
        expectEqual(s.recomputedBefore, [first + 11: [8, 9, 10].map { first + $0 },
                                       first + 7: [4, 5, 6].map { first + $0 },
                                       first + 3: [0, 1, 2].map { first + $0 }])
        // The gradient by hand: d/dx of sin¹²(x) = Π cos vₖ₋₁ with v₀ = x.
        var v = 0.7, d = 1.0
        for _ in 1...12 { d *= cos(v); v = sin(v) }
        let x = t.differentiableLeaves[0]
        expectTrue(abs(s.adjoints[Int(t.entries[x].offset)] - d) <= 1e-15)
        expectBitwiseEqual(s.adjoints, t.adjoints(values: t.evaluate()), "chain, K = 4")
    }

    @Test func oneCheckpointPerNodeIsThePlainTape() throws {
        let t = try tape(Self.chain)
        let s = t.checkpointedSweep(every: 1, outputSeed: seed(t))
        expectEqual(s.checkpointed, s.plain)
        expectTrue(s.recomputations == 0 && s.recomputedBefore.isEmpty)
        expectBitwiseEqual(s.adjoints, t.adjoints(values: t.evaluate()), "chain, K = 1")
    }

    @Test func oneCheckpointForTheWholeChainRecomputesEverythingOnce() throws {
        let t = try tape(Self.chain)
        let s = t.checkpointedSweep(every: 12, outputSeed: seed(t))
        // Only the output is kept; the single segment recomputes v₁ … v₁₁ from x and holds
        // them with v₁₂: 12 values, 12 + 11 evaluations. The forward pass holds two at most.
        expectEqual(s.checkpointed, .init(heldAtMost: 12, elementsHeldAtMost: 12, evaluations: 23))
        expectBitwiseEqual(s.adjoints, t.adjoints(values: t.evaluate()), "chain, K = 12")
    }

    /// A node read far down the tape: u = x·x is in the first segment and read by the last,
    /// so the forward pass holds it to the end, and the last segment recomputes it.
    @Test func aValueReadByALaterSegmentIsRecomputedThere() throws {
        let t = try tape("input x = 1.5; u = x * x; a = sin(u); b = cos(a); c = exp(b); d = c * u; output d")
        // Computed: u, a, b, c, d (v₁ … v₅); K = 2 keeps a (v₂), c (v₄) and d (the output).
        let s = t.checkpointedSweep(every: 2, outputSeed: seed(t))
        let first = t.firstComputed
        // Forward: u lives until d reads it: at d, u, a, c and d are held (b dropped after c).
        // Reverse: segment {d} reads c and u; u is gone, recomputed from x (1). Segment {b, c}
        // reads a, b, c: b is recomputed (1). Segment {u, a} reads x, u, a: u again (1).
        expectEqual(s.recomputedBefore, [first + 4: [first], first + 3: [first + 2], first + 1: [first]])
        expectEqual(s.checkpointed.evaluations, 5 + 3)
        expectEqual(s.checkpointed.heldAtMost, 4)
        // d = exp(cos(sin x²))·x²: its derivative by hand.
        let x = 1.5, u = x * x, a = sin(u), b = cos(a), c = exp(b)
        let du = c * (-sin(a)) * cos(u) * u + c
        let xi = t.differentiableLeaves[0]
        expectTrue(isClose(s.adjoints[Int(t.entries[xi].offset)], du * 2 * x, rel: 1e-14))
        expectBitwiseEqual(s.adjoints, t.adjoints(values: t.evaluate()), "far read")
    }

    /// Every example graph, tensors and convolutions included, for several K: the gradients
    /// are those of the plain tape, bit for bit, although every value the sweep did not hold
    /// was NaN while it ran.
    @Test(arguments: graphFiles().map(\.lastPathComponent))
    func everyExampleGraphGivesThePlainGradientsBitForBit(file: String) throws {
        let t = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path).get().tape
        let plain = t.adjoints(values: t.evaluate())
        let n = t.sweptComputedCount
        for k in Set([1, 2, 3, 5, max(1, n / 2), max(1, n)]).sorted() {
            let s = t.checkpointedSweep(every: k, outputSeed: seed(t))
            expectBitwiseEqual(s.adjoints, plain, "\(file), K = \(k)")
            expectTrue(s.checkpointed.evaluations >= s.plain.evaluations)
            expectTrue(s.checkpointed.heldAtMost <= s.plain.heldAtMost)
            if k == 1 { expectEqual(s.checkpointed, s.plain, "\(file): K = 1 is the plain tape") }
        }
    }

    /// A tensor seed (a vector-Jacobian product) goes through the same sweep.
    @Test func aTensorSeedGivesThePlainVectorJacobianProduct() throws {
        let t = try tape("input W = [[1, 2], [3, 4]]; input x = [0.5, -1]; h = tanh(W @ x); y = exp(h) * h")
        let seed = [0.25, -2.0]
        let s = t.checkpointedSweep(every: 2, outputSeed: seed)
        expectBitwiseEqual(s.adjoints, t.adjoints(values: t.evaluate(), outputSeed: seed), "tensor seed")
        expectTrue(s.recomputations > 0)
    }
}
