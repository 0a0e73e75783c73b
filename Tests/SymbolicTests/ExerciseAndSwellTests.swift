import Foundation
import GraphCore
import GraphLanguage
import Symbolic
import Testing
import TestSupport

@Suite("Exercise 16: symbolic differentiation and expression swell")
struct ExerciseAndSwellTests {
    /// EXERCISES.md 16: d/dx σ(x) = σ(x)(1 − σ(x)); at x = 0 it is 0.25 (and, exercise 5,
    /// σ'(1) = 0.19661193324148185). The course's document 003 writes dσ/dz as
    /// ln σ·ln(1 − σ) in its two-layer derivation; that is an error in the course material
    /// (EXERCISES.md), and the symbolic derivative shows the right form.
    @Test func sigmoidsDerivativeIsSigmaTimesOneMinusSigma() throws {
        var f = try function("sigmoid(x)")
        let d = f.derivative(wrt: "x")
        try expectEqual(f.terms.source(d), "sigmoid(x) * (1 - sigmoid(x))")
        expectEqual(f.terms.evaluate(d, ["x": 0]), 0.25)
        expectTrue(close(f.terms.evaluate(d, ["x": 1]), 0.19661193324148185))
    }

    /// Exercise 1 (Baydin et al.): ∂/∂x1 (ln x1 + x1·x2 − sin x2) = 1/x1 + x2, which is 5.5 at
    /// (2, 5), and ∂/∂x2 = x1 − cos x2 = 1.7163378145367738.
    @Test func baydinsPartialsAreTheTextbookOnes() throws {
        let tape = try loadExpression("ln(x1) + x1*x2 - sin(x2)", values: ["x1": 2, "x2": 5]).tape
        var f = try SymbolicFunction(tape: tape)
        let d1 = f.derivative(wrt: "x1"), d2 = f.derivative(wrt: "x2")
        try expectEqual(f.terms.source(d1), "1 / x1 + x2")
        try expectEqual(f.terms.source(d2), "x1 - cos(x2)")
        expectTrue(close(f.terms.evaluate(d1, ["x1": 2, "x2": 5]), 5.5))
        expectTrue(close(f.terms.evaluate(d2, ["x1": 2, "x2": 5]), 1.7163378145367738))
    }

    /// The tape of f∘f∘…∘f grows by the same number of nodes per composition (linearly); the
    /// derivative's DAG grows linearly too; written out as a tree it grows faster than
    /// linearly, so its size per tape node keeps rising.
    @Test(arguments: ["x * sin(x)", "sigmoid(x)", "exp(x) * cos(x)", "x^2 + tanh(x)"])
    func treeSwellsWhileTapeAndDAGGrowLinearly(text: String) throws {
        let rows = try Swell.table(for: loadExpression(text).tape, wrt: "x", compositions: 6)
        try #require(rows.map(\.compositions) == Array(1...6))
        func steps(_ v: [Int]) -> [Int] { zip(v.dropFirst(), v).map { $0 - $1 } }
        let tapeSteps = steps(rows.map(\.tapeNodes))
        expectTrue(Set(tapeSteps).count == 1 && tapeSteps[0] > 0, "the tape grows linearly: \(rows)")
        let dagSteps = steps(rows.map(\.dagNodes))
        expectTrue(dagSteps.allSatisfy { $0 > 0 && $0 <= dagSteps[0] + tapeSteps[0] }, "the DAG grows at most linearly: \(rows)")
        let treeSteps = steps(rows.map(\.treeNodes))
        expectTrue(zip(treeSteps.dropFirst(), treeSteps).allSatisfy { $0 > $1 }, "the tree grows faster than linearly: \(rows)")
        let ratios = rows.map { Double($0.treeNodes) / Double($0.tapeNodes) }
        expectTrue(zip(ratios.dropFirst(), ratios).allSatisfy { $0 > $1 }, "tree nodes per tape node keep rising: \(ratios)")
        expectTrue(rows.allSatisfy { $0.dagNodes <= $0.treeNodes })
    }

    /// The product rule copies both factors, so for x·sin(x) the tree more than doubles with
    /// every composition.
    @Test func productRuleSwellIsExponential() throws {
        let rows = try Swell.table(for: loadExpression("x * sin(x)").tape, wrt: "x", compositions: 8)
        expectTrue(zip(rows.dropFirst(), rows).allSatisfy { $0.treeNodes > 2 * $1.treeNodes })
        expectEqual(rows.last!.tapeNodes, 1 + 8 * (rows[0].tapeNodes - 1))
    }

    /// Composition needs one scalar input; with two, only f's own row is measured.
    @Test func compositionNeedsASingleInput() throws {
        let tape = try loadExpression("x * y").tape
        expectTrue(tape.composed(2) == nil)
        let rows = try Swell.table(for: tape, wrt: "x", compositions: 4)
        expectEqual(rows.count, 1)
        expectEqual(rows[0].tapeNodes, tape.count)
    }

    /// f∘f is f applied to f: the composed tape's value is f(f(x)).
    @Test func composedTapeComputesTheComposition() throws {
        let tape = try loadExpression("x * sin(x) + 0.5", values: ["x": 0.3]).tape
        let composed = try #require(tape.composed(3))
        func f(_ x: Double) -> Double { x * sin(x) + 0.5 }
        let value = composed.evaluate()[Int(composed.entries[composed.output].offset)]
        expectTrue(close(value, f(f(f(0.3)))))
    }

    /// Sizes counted by hand: σ(x)·(1 − σ(x)) is mul, σ, x, −, 1, σ, x written out (7) and
    /// mul, σ, x, −, 1 with σ(x) shared (5).
    @Test func treeAndDAGSizesCountSharedSubexpressionsOnceInTheDAG() throws {
        var f = try function("sigmoid(x)")
        let d = f.derivative(wrt: "x")
        expectEqual(f.terms.treeSize(d), 7)
        expectEqual(f.terms.dagSize(d), 5)
        expectEqual(f.tapeNodes, 2)
    }
}
