import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Issue 24: the explanation marks a kink only where the output's one-sided derivatives
/// differ: the kink's operand moves with the inputs, the adjoint reaching the node is not 0,
/// and the op's partials differ on its two sides.
@Suite struct KinkRuleTests {
    func kinks(_ source: String, _ phase: Phase = .primal) throws -> [String] {
        let tape = try GraphLoader.load(expression: source).get().tape
        let x = Explanation(tape: tape, values: tape.evaluate(), phase: phase)
        return x.kinks.keys.sorted().map { tape.entries[$0].op.name }
    }

    @Test func aTieOfTwoInputsIsAKinkButATieOfOneInputWithItselfIsNot() throws {
        // max(x, y) at x = y: the slope is ∂/∂x on one side and ∂/∂y on the other.
        try expectEqual(kinks("input x = 1; input y = 1; m = max(x, y)"), ["max"])
        // max(x, x) = x: the operands move together and never untie.
        try expectTrue(kinks("input x = 1; m = max(x, x)").isEmpty)
    }

    @Test func aKinkWhoseAdjointIsZeroIsNoKink() throws {
        // relu(x) at 0 times 0: the output does not depend on it.
        try expectTrue(kinks("input x = 0; y = 0 * relu(x)").isEmpty)
        try expectEqual(kinks("input x = 0; y = 2 * relu(x)"), ["relu"])
        // abs(x) at 0 in the branch a `where` does not take.
        try expectTrue(kinks("input x = 0; y = where(step(1 - abs(x)), x^2, abs(x))", .reverse).isEmpty)
        try expectEqual(kinks("input x = 0; y = where(step(abs(x) - 1), x^2, abs(x))", .reverse), ["abs"])
    }

    @Test func aKinkWhoseOperandCannotMoveIsNoKink() throws {
        try expectTrue(kinks("input x = 2; y = x + relu(0*x)").isEmpty)
        try expectTrue(kinks("input x = 2; y = x + abs(x - x)").isEmpty)
    }
}
