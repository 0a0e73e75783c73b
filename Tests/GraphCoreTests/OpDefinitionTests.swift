import Foundation
import GraphCore
import Testing
import TestSupport

// Each elementwise function is defined once (`Ops/UnaryFunctions.swift`): a primal, a
// derivative rule in the op algebra, and two hand-written fast kernels (`primal`, `slope`).
// These tests hold the fast kernels to the rule, and the derived second order and jets to
// finite differences, on random points of each function's domain.

private func domain(_ f: UnaryFunction) -> ClosedRange<Double> {
    switch f {
    case .ln, .sqrt: 0.2...3
    case .atanh: -0.9...0.9
    case .lgamma, .digamma: 0.3...4
    case .tan: -1.2...1.2
    case .sin, .cos, .exp, .tanh, .sigmoid, .relu, .abs, .step, .softplus, .erf: -3...3
    }
}

private func same(_ a: Double, _ b: Double, rel: Double) -> Bool {
    (a.isNaN && b.isNaN) || a == b || Swift.abs(a - b) <= rel * Swift.max(1, Swift.abs(b))
}

@Suite("One definition per op: fast kernels and derived rules agree")
struct OpDefinitionTests {
    /// The evaluators' `slope` is the definition's rule evaluated, to the last bits or nearly.
    @Test(arguments: UnaryFunction.allCases)
    func fastSlopeEqualsTheRule(f: UnaryFunction) {
        var rng = SplitMix64(seed: UInt64(f.rawValue) &+ 7)
        for _ in 0..<200 {
            let x = Double.random(in: domain(f), using: &rng), y = f.primal(x)
            expectTrue(same(f.slope(x, y), f.derivative.evaluate(x: x, y: y), rel: 1e-13), "\(f.name) at \(x)")
            expectEqual(Op.unary(f).partials(x, 0, y).0, f.slope(x, y))
        }
        // At 0 too: the kinks' conventions (relu′(0) = 0, abs′(0) = 0) are the rule's.
        expectTrue(same(f.slope(0, f.primal(0)), f.derivative.evaluate(x: 0, y: f.primal(0)), rel: 1e-13) || f == .ln || f == .lgamma || f == .digamma)
    }

    /// The primal against the rule: a central difference of `primal` is the rule's value.
    @Test(arguments: UnaryFunction.allCases)
    func theRuleIsThePrimalsDerivative(f: UnaryFunction) {
        var rng = SplitMix64(seed: UInt64(f.rawValue) &+ 11)
        let h = 1e-6
        for _ in 0..<50 {
            let x = Double.random(in: domain(f), using: &rng)
            if f.kinkAtZero && Swift.abs(x) < 1e-3 { continue }
            let difference = (f.primal(x + h) - f.primal(x - h)) / (2 * h)
            expectTrue(same(f.derivative.evaluate(x: x, y: f.primal(x)), difference, rel: 1e-6), "\(f.name) at \(x)")
        }
    }

    /// Second order is the rule differentiated: it matches a central difference of `slope`.
    @Test(arguments: UnaryFunction.allCases)
    func secondOrderIsTheRuleDifferentiated(f: UnaryFunction) {
        var rng = SplitMix64(seed: UInt64(f.rawValue) &+ 13)
        let h = 1e-5
        for _ in 0..<50 {
            let x = Double.random(in: domain(f), using: &rng)
            if f.kinkAtZero && Swift.abs(x) < 1e-3 { continue }
            let difference = (f.slope(x + h, f.primal(x + h)) - f.slope(x - h, f.primal(x - h))) / (2 * h)
            expectTrue(same(f.secondDerivative.evaluate(x: x, y: f.primal(x)), difference, rel: 1e-5), "\(f.name) at \(x)")
        }
    }

    /// A jet of x + t carries the Taylor coefficients f, f′, f″/2: the series from the rule.
    @Test(arguments: UnaryFunction.allCases)
    func jetsCarryTheRulesDerivatives(f: UnaryFunction) {
        var rng = SplitMix64(seed: UInt64(f.rawValue) &+ 17)
        for _ in 0..<20 {
            let x = Double.random(in: domain(f), using: &rng), y = f.primal(x)
            let j = f.jet(Jet.variable(x, order: 3))
            expectEqual(j[0], y)
            expectTrue(same(j[1], f.slope(x, y), rel: 1e-12), "\(f.name) at \(x)")
            expectTrue(same(j[2], f.secondDerivative.evaluate(x: x, y: y) / 2, rel: 1e-10), "\(f.name) at \(x)")
        }
        // exp's series is e^x·(1, 1, ½, ⅙).
        let e = UnaryFunction.exp.jet(Jet.variable(0, order: 3))
        expectEqual(e.coefficients, [1, 1, 0.5, 1.0 / 6])
    }

    /// The trace's partials are the rule printed: the textbook forms, written out by hand.
    @Test func partialsPrintAsTheTextbookWritesThem() {
        let expected: [UnaryFunction: String] = [
            .sin: "cos a", .cos: "−sin a", .tan: "1 + y²", .exp: "y", .ln: "1/a", .sqrt: "1/(2·y)",
            .tanh: "1 − y²", .sigmoid: "y·(1 − y)", .relu: "[a > 0]", .abs: "sign a", .step: "0",
            .softplus: "σ(a)", .atanh: "1/(1 − a²)", .lgamma: "ψ(a)", .digamma: "ψ′(a)",
            .erf: "1.1283791670955126·exp(−a²)",
        ]
        for f in UnaryFunction.allCases {
            expectEqual(Op.unary(f).partialFormula(0, ["a"], result: "y"), expected[f], "\(f.name)")
        }
    }

    /// Every function is an op by its name, with one operand.
    @Test func everyFunctionIsCallableByName() {
        for f in UnaryFunction.allCases {
            expectEqual(Op.functions[f.name], .unary(f))
            expectTrue(Op.unary(f).arity == 1 && Op.unary(f).kind == .unary)
        }
    }

    /// A function of a parenthesised operand is written f(…), of a name f a.
    @Test func aRuleNamesFunctionsOfCompoundOperandsWithParentheses() {
        expectEqual(Formula.apply(.exp, .neg(.power(.x, 2))).text(x: "a", y: "y"), "exp(−a²)")
        expectEqual(Formula.apply(.exp, .x).text(x: "a", y: "y"), "exp a")
    }
}
