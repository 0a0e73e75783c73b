import Foundation
import GraphCore
import Symbolic
import Testing
import TestSupport

/// L'Hôpital's rule, round by round: the course's three limits (A11) and the cases a quotient
/// can fall into.
@Suite("Limits by L'Hôpital's rule")
struct LimitTests {
    func limit(_ text: String, at point: Limit.Point) throws -> Limit {
        try Limit(tape: loadExpression(text).tape, variable: "x", at: point)
    }

    /// (e^{x³} − e²⁷)/(3x − 9) at 3 is 0/0; one round gives 3x²e^{x³}/3, which is 9e²⁷ at 3.
    @Test func courseLimitAtThree() throws {
        let lim = try limit("(exp(x^3) - exp(27)) / (3*x - 9)", at: .point(3))
        expectEqual(lim.rounds.count, 2)
        expectTrue(lim.rounds[0].isZeroOverZero)
        guard case .value(let v) = lim.verdict else { Issue.record("\(lim.verdict)"); return }
        expectTrue(abs(v - 9 * exp(27.0)) <= 1e-12 * 9 * exp(27.0))
    }

    /// (e^{x²} − x − 1)/(3 cos x − x − 3) at 0: one round gives (2xe^{x²} − 1)/(−3 sin x − 1) = −1/−1.
    @Test func courseLimitAtZero() throws {
        let lim = try limit("(exp(x^2) - x - 1) / (3*cos(x) - x - 3)", at: .point(0))
        expectEqual(lim.rounds.map(\.numeratorValue), [0, -1])
        expectEqual(lim.rounds.map(\.denominatorValue), [0, -1])
        expectEqual(lim.verdict, .value(1))
    }

    /// (x − ln x)/(x^{1/100} + 4) as x → ∞: the ratio grows without bound, and the samples show it.
    @Test func courseLimitAtInfinity() throws {
        let lim = try limit("(x - ln(x)) / (x^(1/100) + 4)", at: .infinity(sign: 1))
        expectEqual(lim.verdict, .infinite(sign: 1))
        expectTrue(lim.samples.count >= 5)
        expectEqual(lim.samples.first?.x, 10)
        expectTrue(lim.rounds.count == 2 && lim.rounds.allSatisfy { $0.numeratorValue == nil })
    }

    /// exp(−1/x²)/x at 0 is 0/0, and f′ = 2 exp(−1/x²)/x³ is 0·∞ there, NaN: the rule gives no
    /// value, yet the limit exists (it is 0). That was "limit = undefined" with the verdict
    /// "value"; now it is no verdict, saying which derivative is not a number.
    @Test func aDerivativeThatIsNaNAtThePointGivesNoVerdict() throws {
        let lim = try limit("exp(-1/x^2) / x", at: .point(0))
        expectEqual(lim.rounds.count, 2)
        expectEqual(lim.rounds[1].numeratorValue?.isNaN, true)
        expectEqual(lim.verdict, .undecided("f′(0) is not a number (NaN), so L'Hôpital's rule gives no value here; the limit may exist all the same"))
    }

    /// Two rounds for (1 − cos x)/x², each printed as source that `eval` could read.
    @Test func twoRoundsForOneMinusCosine() throws {
        let lim = try limit("(1 - cos(x)) / x^2", at: .point(0))
        expectEqual(lim.rounds.map(\.numerator), ["1 - cos(x)", "sin(x)", "cos(x)"])
        expectEqual(lim.rounds.map(\.denominator), ["x^2", "2 * x", "2"])
        expectEqual(lim.verdict, .value(0.5))
    }

    /// A quotient that is not 0/0 is its value; a nonzero number over 0 is ±∞ or no limit.
    @Test func continuousPolesAndOneSidedInfinities() throws {
        try expectEqual(limit("(x + 1) / (x + 3)", at: .point(1)).verdict, .value(0.5))
        try expectEqual(limit("1 / x^2", at: .point(0)).verdict, .infinite(sign: 1))
        try expectEqual(limit("-1 / x^2", at: .point(0)).verdict, .infinite(sign: -1))
        try expectEqual(limit("1 / x", at: .point(0)).verdict, .oneSidedInfinities)
        try expectEqual(limit("1 / (x - 2)", at: .point(2)).verdict, .oneSidedInfinities)
    }

    /// At ∞ a ratio that settles is a finite limit: (2x + 1)/(x + 3) → 2; at −∞ too.
    @Test func settlingAtInfinity() throws {
        try expectEqual(limit("(2*x + 1) / (x + 3)", at: .infinity(sign: 1)).verdict, .value(2))
        try expectEqual(limit("(2*x + 1) / (x + 3)", at: .infinity(sign: -1)).verdict, .value(2))
        try expectEqual(limit("x^2 / (x + 3)", at: .infinity(sign: -1)).verdict, .infinite(sign: -1))
    }

    /// 0/0 that never resolves within the rounds allowed is said to be undecided.
    @Test func stillZeroOverZeroIsUndecided() throws {
        let lim = try limit("x^9 / x^8", at: .point(0))
        expectEqual(lim.rounds.count, Limit.maximumRounds + 1)
        guard case .undecided = lim.verdict else { Issue.record("\(lim.verdict)"); return }
    }

    @Test func notAQuotientIsRefused() throws {
        #expect(throws: Limit.NotAQuotient.self) { try limit("sin(x)", at: .point(0)) }
    }

    @Test func pointsParse() {
        expectEqual(Limit.Point(parsing: "3"), .point(3))
        expectEqual(Limit.Point(parsing: "−0.5"), .point(-0.5))
        expectEqual(Limit.Point(parsing: "inf"), .infinity(sign: 1))
        expectEqual(Limit.Point(parsing: "-∞"), .infinity(sign: -1))
        expectTrue(Limit.Point(parsing: "nan") == nil)
        expectTrue(Limit.Point(parsing: "three") == nil)
    }
}

/// At a kink L'Hôpital's derivatives are a convention (abs′(0) = 0, relu′(0) = 0, a tie of max
/// splits 0.5), not a limit: both one-sided limits are taken, and differing sides are no limit.
@Suite("Limits at kinks: both sides")
struct OneSidedLimitTests {
    func limit(_ text: String, at point: Limit.Point = .point(0)) throws -> Limit {
        try Limit(tape: loadExpression(text).tape, variable: "x", at: point)
    }

    /// abs(x)/x is −1 left of 0 and 1 right of it; relu(x)/x and max(x, 0)/x are 0 and 1.
    @Test(arguments: [("abs(x) / x", -1.0, 1.0), ("relu(x) / x", 0, 1), ("max(x, 0) / x", 0, 1), ("x / abs(x)", -1, 1)])
    func differingSidesAreNoLimit(text: String, left: Double, right: Double) throws {
        let lim = try limit(text)
        guard case .oneSidedValues(let l, let r) = lim.verdict else { Issue.record("\(text): \(lim.verdict)"); return }
        expectTrue(abs(l - left) < 1e-9 && abs(r - right) < 1e-9, "\(text): \(l), \(r)")
    }

    /// abs(x)²/x² is 1 on both sides; the second round's value at 0 itself is 0 (sign(0)² = 0 by
    /// the convention), so the sides overrule the point.
    @Test func agreeingSidesOverruleAConventionAtThePoint() throws {
        let lim = try limit("abs(x)^2 / x^2")
        expectEqual(lim.rounds.last?.numeratorValue, 0)
        expectEqual(lim.verdict, .value(1))
        expectTrue(lim.sidesOverruleThePoint)
    }

    /// Smooth quotients keep the exact value at the point, even where the ratio is steep.
    @Test func smoothQuotientsKeepTheirExactValue() throws {
        try expectEqual(limit("sin(x) / x").verdict, .value(1))
        try expectEqual(limit("(x + 1) / (x + 3)", at: .point(1)).verdict, .value(0.5))
        let steep = try limit("(exp(x^3) - exp(27)) / (3*x - 9)", at: .point(3))
        guard case .value(let v) = steep.verdict else { Issue.record("\(steep.verdict)"); return }
        expectTrue(abs(v - 9 * exp(27.0)) <= 1e-12 * 9 * exp(27.0))
        expectTrue(!steep.sidesOverruleThePoint)
    }
}
