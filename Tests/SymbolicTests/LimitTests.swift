import Foundation
import GraphCore
import Symbolic
import Testing

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
        #expect(lim.rounds.count == 2)
        #expect(lim.rounds[0].isZeroOverZero)
        guard case .value(let v) = lim.verdict else { Issue.record("\(lim.verdict)"); return }
        #expect(abs(v - 9 * exp(27.0)) <= 1e-12 * 9 * exp(27.0))
    }

    /// (e^{x²} − x − 1)/(3 cos x − x − 3) at 0: one round gives (2xe^{x²} − 1)/(−3 sin x − 1) = −1/−1.
    @Test func courseLimitAtZero() throws {
        let lim = try limit("(exp(x^2) - x - 1) / (3*cos(x) - x - 3)", at: .point(0))
        #expect(lim.rounds.map(\.numeratorValue) == [0, -1])
        #expect(lim.rounds.map(\.denominatorValue) == [0, -1])
        #expect(lim.verdict == .value(1))
    }

    /// (x − ln x)/(x^{1/100} + 4) as x → ∞: the ratio grows without bound, and the samples show it.
    @Test func courseLimitAtInfinity() throws {
        let lim = try limit("(x - ln(x)) / (x^(1/100) + 4)", at: .infinity(sign: 1))
        #expect(lim.verdict == .infinite(sign: 1))
        #expect(lim.samples.count >= 5)
        #expect(lim.samples.first?.x == 10)
        #expect(lim.rounds.count == 2 && lim.rounds.allSatisfy { $0.numeratorValue == nil })
    }

    /// Two rounds for (1 − cos x)/x², each printed as source that `eval` could read.
    @Test func twoRoundsForOneMinusCosine() throws {
        let lim = try limit("(1 - cos(x)) / x^2", at: .point(0))
        #expect(lim.rounds.map(\.numerator) == ["1 - cos(x)", "sin(x)", "cos(x)"])
        #expect(lim.rounds.map(\.denominator) == ["x^2", "2 * x", "2"])
        #expect(lim.verdict == .value(0.5))
    }

    /// A quotient that is not 0/0 is its value; a nonzero number over 0 is ±∞ or no limit.
    @Test func continuousPolesAndOneSidedInfinities() throws {
        #expect(try limit("(x + 1) / (x + 3)", at: .point(1)).verdict == .value(0.5))
        #expect(try limit("1 / x^2", at: .point(0)).verdict == .infinite(sign: 1))
        #expect(try limit("-1 / x^2", at: .point(0)).verdict == .infinite(sign: -1))
        #expect(try limit("1 / x", at: .point(0)).verdict == .oneSidedInfinities)
        #expect(try limit("1 / (x - 2)", at: .point(2)).verdict == .oneSidedInfinities)
    }

    /// At ∞ a ratio that settles is a finite limit: (2x + 1)/(x + 3) → 2; at −∞ too.
    @Test func settlingAtInfinity() throws {
        #expect(try limit("(2*x + 1) / (x + 3)", at: .infinity(sign: 1)).verdict == .value(2))
        #expect(try limit("(2*x + 1) / (x + 3)", at: .infinity(sign: -1)).verdict == .value(2))
        #expect(try limit("x^2 / (x + 3)", at: .infinity(sign: -1)).verdict == .infinite(sign: -1))
    }

    /// 0/0 that never resolves within the rounds allowed is said to be undecided.
    @Test func stillZeroOverZeroIsUndecided() throws {
        let lim = try limit("x^9 / x^8", at: .point(0))
        #expect(lim.rounds.count == Limit.maximumRounds + 1)
        guard case .undecided = lim.verdict else { Issue.record("\(lim.verdict)"); return }
    }

    @Test func notAQuotientIsRefused() throws {
        #expect(throws: Limit.NotAQuotient.self) { try limit("sin(x)", at: .point(0)) }
    }

    @Test func pointsParse() {
        #expect(Limit.Point(parsing: "3") == .point(3))
        #expect(Limit.Point(parsing: "−0.5") == .point(-0.5))
        #expect(Limit.Point(parsing: "inf") == .infinity(sign: 1))
        #expect(Limit.Point(parsing: "-∞") == .infinity(sign: -1))
        #expect(Limit.Point(parsing: "nan") == nil)
        #expect(Limit.Point(parsing: "three") == nil)
    }
}
