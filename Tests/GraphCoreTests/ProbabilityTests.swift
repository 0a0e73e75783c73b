import Foundation
import GraphCore
import Testing
import TestSupport

/// ln Γ, ψ and ψ⁽ⁿ⁾ against values known in closed form, and the seeded initialisers.
@Suite("Special functions and initialisers")
struct ProbabilityTests {
    static let eulerGamma = 0.57721566490153286
    static let zeta3 = 1.2020569031595942

    @Test func polygammaMatchesClosedForms() {
        // ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, ψ(n + 1) = −γ + Hₙ, ψ′(1) = π²/6, ψ′(½) = π²/2,
        // ψ″(1) = −2ζ(3), ψ‴(1) = π⁴/15.
        expectTrue(isClose(SpecialFunctions.digamma(1), -Self.eulerGamma, rel: 1e-14))
        expectTrue(isClose(SpecialFunctions.digamma(0.5), -Self.eulerGamma - 2 * log(2), rel: 1e-14))
        expectTrue(isClose(SpecialFunctions.digamma(5), -Self.eulerGamma + 1 + 1.0 / 2 + 1.0 / 3 + 1.0 / 4, rel: 1e-14))
        expectTrue(isClose(SpecialFunctions.digamma(1e6), log(1e6) - 0.5e-6, rel: 1e-14))
        expectTrue(isClose(SpecialFunctions.polygamma(1, 1), Double.pi * Double.pi / 6, rel: 1e-13))
        expectTrue(isClose(SpecialFunctions.polygamma(1, 0.5), Double.pi * Double.pi / 2, rel: 1e-13))
        expectTrue(isClose(SpecialFunctions.polygamma(2, 1), -2 * Self.zeta3, rel: 1e-13))
        expectTrue(isClose(SpecialFunctions.polygamma(3, 1), pow(Double.pi, 4) / 15, rel: 1e-12))
    }

    @Test func digammaLeftOfZeroFollowsTheRecurrenceAndPolesAreNaNOrInfinite() {
        // ψ(x + 1) = ψ(x) + 1/x, across 0: ψ(−½) = ψ(½) + 2, ψ(−1.5) = ψ(−½) + 1/1.5.
        expectTrue(isClose(SpecialFunctions.digamma(-0.5), SpecialFunctions.digamma(0.5) + 2, rel: 1e-13))
        expectTrue(isClose(SpecialFunctions.digamma(-1.5), SpecialFunctions.digamma(-0.5) + 1 / 1.5, rel: 1e-13))
        expectTrue(isClose(SpecialFunctions.polygamma(1, -0.5), SpecialFunctions.polygamma(1, 0.5) + 4, rel: 1e-13))
        for pole in [0.0, -1, -7] {
            expectTrue(SpecialFunctions.digamma(pole).isNaN)
            expectTrue(SpecialFunctions.polygamma(2, pole).isNaN)
        }
        // −1e300 is a whole number, so a pole: ψ′ there is +∞ (see ConventionTests).
        expectEqual(SpecialFunctions.polygamma(1, -1e300), .infinity)
        // Far left of 0, by the reflection ψ′(x) + ψ′(1 − x) = π²/sin²(πx) (not a million steps
        // of the recurrence): at x = −99999.5, sin² = 1 and ψ′(100000.5) ≈ 1/y + 1/(2y²).
        let y = 100_000.5
        expectTrue(isClose(SpecialFunctions.polygamma(1, -99_999.5), Double.pi * Double.pi - (1 / y + 1 / (2 * y * y)), rel: 1e-9))
        expectTrue(isClose(SpecialFunctions.polygamma(2, -0.5), SpecialFunctions.polygamma(2, 0.5) + 2 * 8, rel: 1e-12))
        expectEqual(SpecialFunctions.digamma(.infinity), .infinity)
    }

    @Test func eachPolygammaIsTheDerivativeOfTheOneBefore() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<50 {
            let x = Double.random(in: -3.9...30, using: &rng)
            guard abs(x - x.rounded()) > 0.05 else { continue }
            let h = 1e-5
            let dLgamma = (lgamma(x + h) - lgamma(x - h)) / (2 * h)
            expectTrue(isClose(SpecialFunctions.digamma(x), dLgamma, rel: 1e-6, abs: 1e-7), "ψ(\(x))")
            for n in 1...4 {
                let d = (SpecialFunctions.polygamma(n - 1, x + h) - SpecialFunctions.polygamma(n - 1, x - h)) / (2 * h)
                expectTrue(isClose(SpecialFunctions.polygamma(n, x), d, rel: 1e-5, abs: 1e-6), "ψ⁽\(n)⁾(\(x))")
            }
        }
    }

    @Test func lgammaJetIsTheSeriesOfLnGammaAroundOne() throws {
        // ln Γ(1 + t) = −γt + Σ_{k≥2} (−1)ᵏ ζ(k)/k · tᵏ.
        let zeta: [Int: Double] = [2: Double.pi * Double.pi / 6, 3: Self.zeta3, 4: pow(Double.pi, 4) / 90]
        let jet = try Op.lgamma.jet(Jet.variable(1, order: 4), Jet.variable(1, order: 4)).jet
        expectTrue(abs(jet[0]) < 1e-15)
        expectTrue(isClose(jet[1], -Self.eulerGamma, rel: 1e-13))
        for k in 2...4 {
            expectTrue(isClose(jet[k], (k % 2 == 0 ? 1 : -1) * zeta[k]! / Double(k), rel: 1e-11), "coefficient \(k)")
        }
        // ψ's jet is ln Γ's, shifted: coefficient k of ψ is (k + 1)·coefficient k + 1 of ln Γ.
        let psi = try Op.digamma.jet(Jet.variable(1, order: 3), Jet.variable(1, order: 3)).jet
        for k in 0...3 { expectTrue(isClose(psi[k], Double(k + 1) * jet[k + 1], rel: 1e-11)) }
    }

    // MARK: - Initialisers

    @Test func initialisersAreSeededAndReproducible() {
        let a = Initialiser.randn.values(count: 35, fanIn: 5, fanOut: 7, seed: 1)
        expectEqual(a, Initialiser.randn.values(count: 35, fanIn: 5, fanOut: 7, seed: 1))
        expectTrue(a != Initialiser.randn.values(count: 35, fanIn: 5, fanOut: 7, seed: 2))
        expectEqual(a.count, 35)
        expectEqual(Initialiser.zeros.values(count: 6, fanIn: 3, fanOut: 2, seed: 0), [Double](repeating: 0, count: 6))
        expectEqual(Initialiser.ones.values(count: 6, fanIn: 3, fanOut: 2, seed: 9), [Double](repeating: 1, count: 6))
        // SplitMix64's published first output for seed 0.
        var g = SeededGenerator(seed: 0)
        expectEqual(g.next(), 0xE220_A839_7B1D_CDAF)
    }

    /// Mean and variance of a large draw: within five standard errors of the distribution's.
    func expectMoments(_ v: [Double], mean: Double, variance: Double, _ what: String) {
        let n = Double(v.count)
        let m = v.reduce(0, +) / n
        let s2 = v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        expectTrue(abs(m - mean) < 5 * (variance / n).squareRoot(), "\(what): mean \(m)")
        // The variance of s² is about 2σ⁴/n for a normal, less for a uniform.
        expectTrue(abs(s2 - variance) < 5 * variance * (2 / n).squareRoot(), "\(what): variance \(s2)")
    }

    @Test func drawsHaveTheDocumentedDistributions() {
        let n = 200_000
        expectMoments(Initialiser.randn.values(count: n, fanIn: 5, fanOut: 7, seed: 11), mean: 0, variance: 1, "randn")
        // kaiming_normal_: σ² = 2/fan_in.
        expectMoments(Initialiser.kaiming.values(count: n, fanIn: 8, fanOut: 3, seed: 12), mean: 0, variance: 2.0 / 8, "kaiming")
        // xavier_uniform_: U(−a, a) with a² = 6/(fan_in + fan_out), variance a²/3.
        let a = (6.0 / (5 + 7)).squareRoot()
        let x = Initialiser.xavier.values(count: n, fanIn: 5, fanOut: 7, seed: 13)
        expectMoments(x, mean: 0, variance: a * a / 3, "xavier")
        expectTrue(x.allSatisfy { -a <= $0 && $0 < a })
        expectTrue(x.min()! < -0.99 * a && x.max()! > 0.99 * a)
    }
}
