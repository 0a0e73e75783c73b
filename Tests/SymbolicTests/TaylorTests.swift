import Foundation
import Symbolic
import Testing
import TestSupport

/// Taylor coefficients at 0 by repeated symbolic differentiation, against the known series:
/// eˣ = Σ xᵏ/k!, sin x = x − x³/3! + x⁵/5! − …, cos x = 1 − x²/2! + x⁴/4! − …,
/// 1/(1 − x) = Σ xᵏ.
@Suite("Taylor coefficients by repeated symbolic differentiation")
struct TaylorTests {
    static func factorial(_ k: Int) -> Double { (1...max(1, k)).reduce(1.0) { $0 * Double($1) } }

    /// The k-th coefficient at 0 of each function, from its known series.
    static func known(_ text: String, _ k: Int) -> Double {
        switch text {
        case "exp(x)": 1 / factorial(k)
        case "sin(x)": k % 2 == 0 ? 0 : (k % 4 == 1 ? 1 : -1) / factorial(k)
        case "cos(x)": k % 2 == 1 ? 0 : (k % 4 == 0 ? 1 : -1) / factorial(k)
        default: 1  // 1/(1 − x) = 1 + x + x² + …
        }
    }

    @Test(arguments: ["exp(x)", "sin(x)", "cos(x)", "1 / (1 - x)"])
    func coefficientsAtZeroMatchTheKnownSeries(text: String) throws {
        var f = try function(text)
        let got = f.taylorCoefficients(wrt: "x", at: 0, order: 8)
        expectEqual(got.count, 9)
        for (k, c) in got.enumerated() {
            expectTrue(close(c, Self.known(text, k), rel: 1e-12, abs: 1e-15), "\(text): coefficient \(k) is \(c), not \(Self.known(text, k))")
        }
    }

    /// Away from 0: the coefficients of eˣ at a are eᵃ/k!, and of 1/(1 − x) at a, 1/(1 − a)^(k+1).
    @Test func coefficientsAwayFromZero() throws {
        var e = try function("exp(x)")
        for (k, c) in e.taylorCoefficients(wrt: "x", at: 0.5, order: 5).enumerated() {
            expectTrue(close(c, Foundation.exp(0.5) / Self.factorial(k), rel: 1e-12))
        }
        var g = try function("1 / (1 - x)")
        for (k, c) in g.taylorCoefficients(wrt: "x", at: 0.5, order: 5).enumerated() {
            expectTrue(close(c, Foundation.pow(2, Double(k + 1)), rel: 1e-12))
        }
    }
}
