import Foundation
@testable import GraphCore
import Testing
import TestSupport

@Suite("h-sweep of finite differences (exercise 14)")
struct DifferenceSweepTests {
    @Test func stepsCoverEveryDecadeFrom1e1To1e15() {
        let steps = DifferenceSweep.standardSteps
        expectTrue(steps.first == 0.1 && steps.last == 1e-15)
        for k in 1...15 {
            expectContains(steps, Double("1e-\(k)")!, "1e-\(k)")
        }
        expectTrue(zip(steps, steps.dropFirst()).allSatisfy { $0 > $1 }, "largest first")
    }

    @Test func quotientsAreTheTextbookFormulas() throws {
        let tape = try scalarTape(1) { b, x in try b.apply(.exp, x) }
        let s = DifferenceSweep(tape, slot: 0, steps: [1e-2])
        expectEqual(s.exact, exp(1))
        expectEqual(s.forward[0], (exp(1 + 1e-2) - exp(1)) / 1e-2)
        expectEqual(s.central[0], (exp(1 + 1e-2) - exp(1 - 1e-2)) / 2e-2)
    }

    @Test func truncationErrorIsOrderHForwardAndHSquaredCentral() throws {
        let tape = try scalarTape(0.5) { b, x in try b.apply(.sin, x) }
        let s = DifferenceSweep(tape, slot: 0, steps: [1e-2, 1e-3])
        let forwardRatio = s.forwardError[0] / s.forwardError[1]
        let centralRatio = s.centralError[0] / s.centralError[1]
        expectTrue(forwardRatio > 8 && forwardRatio < 12, "forward error ∝ h: \(forwardRatio)")
        expectTrue(centralRatio > 80 && centralRatio < 120, "central error ∝ h²: \(centralRatio)")
    }

    /// The V: error falls with h (truncation), then rises (round-off); the central
    /// difference's best step is near ε^(1/3) ≈ 6e-6 on smooth functions.
    @Test func centralErrorIsSmallestBetween1e4And1e7OnSmoothFunctions() throws {
        var tested = 0
        for seed in 0..<60 {
            var gen = SmoothExpressions(rng: SplitMix64(seed: UInt64(seed) &+ 500))
            var rng = SplitMix64(seed: UInt64(seed) &+ 9000)
            let x = Double(rng.next() % 2001) / 1000 - 1
            let tape = try gen.tape(at: x)
            let s = DifferenceSweep(tape, slot: 0)
            // A derivative that is (nearly) zero has no relative scale for the V to show in,
            // and a function whose difference is already exact at h = 0.1 (a quadratic,
            // locally) has no truncation error: only round-off, falling as h grows.
            guard abs(s.exact) > 1e-3, s.centralError[0] > 1e-9 * max(1, abs(s.exact)) else { continue }
            tested += 1
            let best = try #require(s.bestCentral)
            // Round-off can tie a neighbour: accept any step within 2× the best error.
            let errors = s.centralError
            let candidates = s.steps.indices.filter { errors[$0] <= 2 * errors[best] }
            expectTrue(candidates.contains { (1e-7...1e-4).contains(s.steps[$0]) }, "seed \(seed): \(tape.count) nodes, best central h \(s.steps[best]), errors \(errors)")
            expectTrue(errors[0] > errors[best] && errors.last! > errors[best], "seed \(seed): the error falls, then rises")
        }
        expectTrue(tested >= 40, "most random expressions have a V to show: \(tested) of 60")
    }

    @Test(arguments: [("sin", 1.0), ("exp", 0.5), ("tanh", 0.3)])
    func namedSmoothFunctionsHaveTheirBestCentralStepInRange(name: String, x: Double) throws {
        let op = Op.functions[name]!
        let tape = try scalarTape(x) { b, v in try b.apply(op, v) }
        let s = DifferenceSweep(tape, slot: 0)
        let best = try #require(s.bestCentral)
        expectContains((1e-7...1e-4), s.steps[best], "\(name): \(s.steps[best])")
        let bestForward = try #require(s.bestForward)
        expectContains((1e-10...1e-6), s.steps[bestForward], "forward: near √ε, \(s.steps[bestForward])")
        expectTrue(s.centralError[best] < s.forwardError[bestForward], "central beats forward at their best")
    }
}
