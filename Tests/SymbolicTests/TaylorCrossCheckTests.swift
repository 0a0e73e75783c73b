import Foundation
import GraphCore
import GraphLanguage
import Symbolic
import Testing
import TestSupport

/// Taylor coefficients two ways that share nothing but the op table's primal functions:
/// Taylor mode (GraphCore's jets, nested forward mode in one sweep) and repeated symbolic
/// differentiation (`SymbolicFunction.taylorCoefficients`, each derivative evaluated).
@Suite("Taylor coefficients: jets = repeated symbolic differentiation")
struct TaylorCrossCheckTests {
    /// Both methods' coefficients of `tape`'s output in `name` at the tape's point.
    static func bothWays(_ tape: Tape, _ name: String, point: [String: Double], order: Int) throws -> (jets: [Double], symbolic: [Double]) {
        let leaf = try #require(tape.differentiableLeaves.first { tape.displayName($0) == name })
        let jets = try TaylorMode(tape, slot: Int(tape.entries[leaf].offset), order: order).coefficients
        var f = try SymbolicFunction(tape: tape)
        let symbolic = f.taylorCoefficients(wrt: name, at: point[name] ?? 1, order: order, values: point)
        return (jets, symbolic)
    }

    /// Random smooth expressions (the generator the language's and the symbolic property
    /// tests use), a random point and variable each, orders 0 … 4.
    @Test(arguments: 0..<120)
    func jetsAgreeWithRepeatedSymbolicDifferentiation(seed: Int) throws {
        var generator = ExpressionGenerator(rng: SplitMix64(seed: UInt64(seed) &+ 31_337))
        var text = generator.expression(depth: 3, allowLeaf: false)
        while generator.used.isEmpty { text = generator.expression(depth: 3, allowLeaf: false) }
        var rng = SplitMix64(seed: UInt64(seed) &+ 9_000_011)
        var point: [String: Double] = [:]
        for name in generator.used { point[name] = Double(rng.next() % 2001) / 1000 - 1 }
        let name = generator.used[Int(rng.next() % UInt64(generator.used.count))]
        let tape = try loadExpression(text, values: point).tape
        let (jets, symbolic) = try Self.bothWays(tape, name, point: point, order: 4)
        expectTrue(jets.count == 5 && symbolic.count == 5)
        let scale = max(1, jets.map(Swift.abs).max() ?? 1)
        for k in 0..<min(jets.count, symbolic.count) {
            expectTrue(close(jets[k], symbolic[k], rel: 1e-9, abs: 1e-11 * scale), "seed \(seed): coefficient \(k) of \(text) in \(name) at \(point): jets \(jets[k]), symbolic \(symbolic[k])")
        }
    }

    /// The course's series at 0 (A08): eˣ, sin, cos and 1/(1 − x), to order 8, both ways
    /// and against the known coefficients 1/k!, ±1/k! on odd or even k, and 1.
    @Test(arguments: ["exp(x)", "sin(x)", "cos(x)", "1 / (1 - x)"])
    func knownSeriesAtZeroBothWays(text: String) throws {
        let tape = try loadExpression(text, values: ["x": 0]).tape
        let (jets, symbolic) = try Self.bothWays(tape, "x", point: ["x": 0], order: 8)
        for k in 0...8 {
            let known = TaylorTests.known(text, k)
            expectTrue(close(jets[k], symbolic[k], rel: 1e-12, abs: 1e-15), "\(text): coefficient \(k): jets \(jets[k]), symbolic \(symbolic[k])")
            expectTrue(close(jets[k], known, rel: 1e-12, abs: 1e-15), "\(text): coefficient \(k) by jets is \(jets[k]), not \(known)")
        }
    }
}
