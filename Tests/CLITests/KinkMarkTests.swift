import Foundation
import Testing
import TestSupport

/// Issue 24: a kink is marked only where the output's one-sided derivatives differ, in `plot`
/// and in `trace`'s `(kink)`; a relu that cannot move, a `where`'s own selector and a branch
/// not taken are not kinks of the function.
@Suite struct KinkMarkTests {
    struct Samples: Decodable {
        var x: [Double], derivative: [Double?], kinks: [Double]
    }

    func samples(_ expression: String, from: String = "-3", to: String = "3") async throws -> Samples {
        let r = try await gradstep("plot", "-e", expression, "--wrt", "x", "--from", from, "--to", to, "--format", "json")
        expectEqual(r.status, 0, "\(r.stderr)")
        return try JSONDecoder().decode(Samples.self, from: Data(r.stdout.utf8))
    }

    /// f(x) = x + relu(0·x) = x: relu's operand is 0 for every x and never crosses its kink.
    @Test func aReluThatCannotMoveIsNoKink() async throws {
        let s = try await samples("x + relu(0*x)")
        expectTrue(s.kinks.isEmpty)
        expectTrue(s.derivative.allSatisfy { $0 == 1 })
        let text = try await gradstep("plot", "-e", "x + relu(0*x)", "--wrt", "x", "--from", "-3", "--to", "3")
        expectNotContains(text.stdout, "kink", "\(text.stdout)")
    }

    /// The Huber loss (δ = 1) written with `where`: ½x² inside, |x| − ½ outside. Its slope x
    /// or sign(x) meets at ±1, so it has no kink: not at 0 (abs's branch is not taken there),
    /// not at ±1, and not wherever the `where`'s condition is false.
    @Test func theHuberLossIsSmooth() async throws {
        let s = try await samples("where(step(1 - abs(x)), 0.5*x^2, abs(x) - 0.5)")
        expectTrue(s.kinks.isEmpty, "\(s.kinks)")
    }

    /// where(step(x), x², −x): slope −1 on the left, 0 on the right of 0: one kink, at 0.
    @Test func aWhereWhoseSlopesDifferHasOneKinkWhereItsConditionFlips() async throws {
        let s = try await samples("where(step(x), x^2, -x)", from: "-1", to: "1.3")
        expectEqual(s.kinks.count, 1, "\(s.kinks)")
        expectTrue(abs(s.kinks[0]) < 1e-9)
        let relu = try await samples("relu(x)", from: "-3", to: "3")
        expectEqual(relu.kinks, [0])
    }

    /// trace's (kink) mark follows the same rule.
    @Test func traceMarksOnlyKinksThatChangeTheDerivative() async throws {
        let none = try await gradstep("trace", "-e", "x + relu(0*x)", "--set", "x=1")
        expectTrue(none.status == 0 && !none.stdout.contains("(kink)"), "\(none.stdout)")
        let huber = try await gradstep("trace", "-e", "where(step(1 - abs(x)), 0.5*x^2, abs(x) - 0.5)", "--set", "x=0", "--mode", "reverse")
        expectNotContains(huber.stdout, "(kink)", "\(huber.stdout)")
        let real = try await gradstep("trace", "-e", "relu(x)", "--set", "x=0")
        expectContains(real.stdout, "(kink)", "\(real.stdout)")
    }
}
