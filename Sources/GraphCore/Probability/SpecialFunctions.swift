import Foundation

/// The gamma function's logarithm and its derivatives, the polygamma functions
/// ψ⁽ⁿ⁾(x) = dⁿ⁺¹/dxⁿ⁺¹ ln Γ(x): what `lgamma`'s and `digamma`'s partials, second-order rules
/// and Taylor jets are made of.
///
/// ψ⁽ⁿ⁾ is computed as the textbooks do (Abramowitz and Stegun 6.3.18, 6.4.11): the
/// recurrence ψ⁽ⁿ⁾(x + 1) = ψ⁽ⁿ⁾(x) + (−1)ⁿ n!/xⁿ⁺¹ moves x up past a threshold, where the
/// asymptotic series in Bernoulli numbers is accurate to round-off; ψ = ψ⁽⁰⁾ below 0 uses the
/// reflection ψ(1 − x) − ψ(x) = π cot(πx). At the poles (x = 0, −1, −2, …) the result is NaN,
/// as for `ln 0`-style errors elsewhere in the engine.
///
///     SpecialFunctions.digamma(1)          // −γ = −0.5772156649015329
///     SpecialFunctions.polygamma(1, 1)     // π²/6
public enum SpecialFunctions {
    /// ln |Γ(x)|, the C library's `lgamma` (PyTorch's `torch.lgamma`): +∞ at the poles.
    @inlinable
    public static func lgamma(_ x: Double) -> Double { Foundation.lgamma(x) }

    /// ψ(x) = Γ′(x)/Γ(x), the derivative of `lgamma`.
    public static func digamma(_ x: Double) -> Double { polygamma(0, x) }

    /// ψ⁽ⁿ⁾(x) for a whole n ≥ 0; at a pole +∞ for odd n, NaN for even n; NaN for NaN. At
    /// most about 15 + n steps of the recurrence, wherever x is.
    public static func polygamma(_ n: Int, _ x: Double) -> Double {
        guard n >= 0, !x.isNaN, x != -.infinity else { return .nan }
        if x == .infinity { return n == 0 ? .infinity : 0 }
        // At a pole ψ⁽ⁿ⁾(x) ≈ (−1)ⁿ⁺¹ n!/(x − pole)ⁿ⁺¹: +∞ from both sides for odd n (trigamma
        // at 0 is +∞, as SciPy and JAX), a sign change (NaN) for even n.
        if x <= 0, x == x.rounded() { return n % 2 == 1 ? .infinity : .nan }
        if x < 0 {
            // The reflection ψ(1 − x) − ψ(x) = π cot(πx), differentiated n times:
            // ψ⁽ⁿ⁾(x) = (−1)ⁿ ψ⁽ⁿ⁾(1 − x) − π dⁿ/dxⁿ cot(πx). It keeps ψ accurate far left of 0
            // and the work bounded: 1 − x > 1 needs at most 15 + n steps of the recurrence.
            let mirrored = polygamma(n, 1 - x)
            return (n % 2 == 0 ? mirrored : -mirrored) - Double.pi * cotDerivative(n, x)
        }
        let sign: Double = n % 2 == 0 ? -1 : 1          // (−1)ⁿ⁺¹
        let nFactorial = factorial(n)
        var x = x, shift = 0.0
        let threshold = 15 + Double(n)
        while x < threshold {
            // ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁾(x + 1) − (−1)ⁿ n!/xⁿ⁺¹ = ψ⁽ⁿ⁾(x + 1) + (−1)ⁿ⁺¹ n!/xⁿ⁺¹.
            shift += sign * nFactorial / Foundation.pow(x, Double(n + 1))
            x += 1
        }
        return shift + asymptotic(n, x)
    }

    /// B₂, B₄, …, B₂₀.
    private static let bernoulli: [Double] = [1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66,
                                               -691.0 / 2730, 7.0 / 6, -3617.0 / 510, 43867.0 / 798,
                                               -174611.0 / 330]

    /// The asymptotic series for large x:
    /// ψ(x) ~ ln x − 1/(2x) − Σ B₂ₖ/(2k·x²ᵏ), and for n ≥ 1
    /// ψ⁽ⁿ⁾(x) ~ (−1)ⁿ⁺¹ [(n − 1)!/xⁿ + n!/(2xⁿ⁺¹) + Σ B₂ₖ (2k + n − 1)!/((2k)! x²ᵏ⁺ⁿ)].
    private static func asymptotic(_ n: Int, _ x: Double) -> Double {
        if n == 0 {
            var s = Foundation.log(x) - 0.5 / x, x2k = 1.0
            for (i, b) in bernoulli.enumerated() {
                let k = Double(i + 1)
                x2k *= x * x
                s -= b / (2 * k * x2k)
            }
            return s
        }
        let sign: Double = n % 2 == 0 ? -1 : 1
        var s = factorial(n - 1) / Foundation.pow(x, Double(n)) + factorial(n) / (2 * Foundation.pow(x, Double(n + 1)))
        for (i, b) in bernoulli.enumerated() {
            let k = i + 1
            // (2k + n − 1)!/(2k)!, as a product so large n does not overflow first.
            var ratio = 1.0
            for m in stride(from: 2 * k + 1, through: 2 * k + n - 1, by: 1) { ratio *= Double(m) }
            s += b * ratio / Foundation.pow(x, Double(2 * k + n))
        }
        return sign * s
    }

    /// dⁿ/dxⁿ cot(πx), as a polynomial in c = cot(πx): P₀ = c and P_{k+1} = −π·P_k′(c)·(1 + c²),
    /// since d/dx cot(πx) = −π(1 + c²).
    static func cotDerivative(_ n: Int, _ x: Double) -> Double {
        var p: [Double] = [0, 1]
        for _ in stride(from: 0, to: n, by: 1) {
            var q = [Double](repeating: 0, count: p.count + 1)
            for i in 1..<p.count {
                let d = Double(i) * p[i] * -Double.pi   // the term c^(i−1) of −π·P′
                q[i - 1] += d
                q[i + 1] += d
            }
            p = q
        }
        let c = Foundation.cos(Double.pi * x) / Foundation.sin(Double.pi * x)
        return p.reversed().reduce(0) { $0 * c + $1 }
    }

    /// n! as a double (exact up to 22!).
    static func factorial(_ n: Int) -> Double {
        n <= 1 ? 1 : (2...n).reduce(1.0) { $0 * Double($1) }
    }
}
