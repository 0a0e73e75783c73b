import GraphCore
import Symbolic
import Testing
import TestSupport

/// Each simplification rule on the smallest term that needs it, built directly in a
/// `TermGraph` and compared as printed graph-language text.
@Suite("Simplifier: folding, identities, like terms")
struct SimplifierTests {
    var g = TermGraph()
    lazy var x = g.variable("x")
    lazy var y = g.variable("y")

    mutating func text(_ t: Term) throws -> String { try g.source(t) }

    @Test mutating func constantsFold() throws {
        let two = g.constant(2), three = g.constant(3)
        try expectEqual(text(g.add(two, three)), "5")
        try expectEqual(text(g.mul(g.sub(three, two), g.constant(0.5))), "0.5")
        try expectEqual(text(g.apply(.exp, g.constant(0))), "1")
        try expectEqual(text(g.apply(.sigmoid, g.constant(0))), "0.5")
    }

    @Test mutating func foldingNeverMakesANonFiniteNumber() throws {
        let quotient = g.div(g.constant(1), g.constant(0))
        expectTrue(g.number(quotient) == nil, "1/0 stays a quotient, not ∞")
        try expectEqual(text(g.apply(.ln, g.constant(-1))), "ln(-1)")
    }

    @Test mutating func multiplyingByOneOrAddingZeroChangesNothing() throws {
        let one = g.constant(1), zero = g.constant(0)
        let s = g.apply(.sin, x)
        expectEqual(g.mul(s, one), s)
        expectEqual(g.mul(one, s), s)
        expectEqual(g.add(s, zero), s)
        expectEqual(g.add(zero, s), s)
        expectEqual(g.sub(s, zero), s)
        expectEqual(g.div(s, one), s)
        expectEqual(g.pow(s, 1), s)
    }

    @Test mutating func multiplyingByZeroIsZero() throws {
        let zero = g.constant(0)
        try expectEqual(text(g.mul(g.apply(.cos, x), zero)), "0")
        try expectEqual(text(g.mul(zero, g.add(x, y))), "0")
        try expectEqual(text(g.pow(x, 0)), "1")
    }

    @Test mutating func aTermMinusItselfIsZero() throws {
        let t = g.mul(x, g.apply(.sin, y))
        try expectEqual(text(g.sub(t, t)), "0")
        try expectEqual(text(g.div(t, t)), "1")
        // Built twice, the same expression is the same node (hash-consing).
        expectEqual(g.mul(x, g.apply(.sin, y)), t)
    }

    @Test mutating func likeTermsCombine() throws {
        let twoX = g.mul(g.constant(2), x), threeX = g.mul(g.constant(3), x)
        try expectEqual(text(g.add(twoX, threeX)), "5 * x")
        try expectEqual(text(g.add(g.add(x, y), x)), "2 * x + y")
        try expectEqual(text(g.sub(twoX, threeX)), "-x")
        try expectEqual(text(g.mul(x, x)), "x^2")
        try expectEqual(text(g.mul(g.mul(x, y), g.mul(y, x))), "x^2 * y^2")
        try expectEqual(text(g.div(g.pow(x, 3), x)), "x^2")
        try expectEqual(text(g.mul(y, x)), (try text(g.mul(x, y))), "products are commutative")
    }

    @Test mutating func doubleNegationCancels() throws {
        let s = g.apply(.tanh, x)
        expectEqual(g.neg(g.neg(s)), s)
        try expectEqual(text(g.neg(g.neg(g.neg(s)))), "-tanh(x)")
        try expectEqual(text(g.mul(g.neg(x), g.neg(y))), "x * y")
    }

    @Test mutating func sigmoidAndTanhDerivativesKeepTheirTextbookForm() throws {
        let s = g.apply(.sigmoid, x), t = g.apply(.tanh, x)
        try expectEqual(text(g.derivative(of: s, wrt: "x")), "sigmoid(x) * (1 - sigmoid(x))")
        try expectEqual(text(g.derivative(of: t, wrt: "x")), "1 - tanh(x)^2")
    }

    @Test mutating func nonWholePowersDoNotDistribute() throws {
        // (x·y)^0.5 is real when x and y are both negative; x^0.5 · y^0.5 is not.
        try expectEqual(text(g.pow(g.mul(x, y), 0.5)), "(x * y)^0.5")
        try expectEqual(text(g.pow(g.mul(x, y), 2)), "x^2 * y^2")
    }
}
