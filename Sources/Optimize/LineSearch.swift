/// How the step length along a descent direction d is chosen, instead of the fixed rate η.
public enum LineSearch: String, CaseIterable, Sendable {
    /// Armijo backtracking: start at α = η and halve (ρ = 0.5) until
    /// φ(α) ≤ φ(0) + c·α·∇Lᵀd with c = 1e-4.
    case backtracking
    /// The α ≥ 0 that minimises φ(α) = L(θ + αd): for a quadratic the closed form
    /// α = −∇Lᵀd / dᵀHd (α = gᵀg / gᵀHg for d = −g, with Hd by a Hessian-vector product),
    /// otherwise a 1-D minimisation along the ray (bracketing, then golden-section search).
    case exact

    /// Armijo's sufficient-decrease constant.
    public static let armijoC = 1e-4
    /// The backtracking factor.
    public static let rho = 0.5

    /// Armijo backtracking along a direction with slope `slope` = ∇Lᵀd < 0 from φ(0) = `f0`,
    /// starting at `start`. Returns nil when 60 halvings find no sufficient decrease.
    public static func backtrack(_ phi: (Double) -> Double, f0: Double, slope: Double, start: Double) -> Double? {
        var alpha = start
        for _ in 0..<60 {
            let f = phi(alpha)
            if f.isFinite && f <= f0 + armijoC * alpha * slope { return alpha }
            alpha *= rho
        }
        return nil
    }

    /// The exact step: the quadratic model's minimiser α = −slope/curvature when φ is a
    /// quadratic along the ray (checked at two points against the model), otherwise a
    /// numerical minimisation starting from that step or `start`. Nil when no α > 0 lowers φ.
    public static func exact(_ phi: (Double) -> Double, f0: Double, slope: Double, curvature: Double,
                             start: Double) -> Double? {
        if curvature > 0 && slope < 0 {
            let alpha = -slope / curvature
            func model(_ a: Double) -> Double { f0 + a * slope + 0.5 * a * a * curvature }
            let scale = Swift.max(Swift.abs(f0), Swift.abs(alpha * slope), 1e-300)
            let isQuadratic = [alpha, alpha / 2].allSatisfy { a in
                let f = phi(a)
                return f.isFinite && Swift.abs(f - model(a)) <= 1e-9 * scale
            }
            if isQuadratic { return alpha }
            return minimise(phi, f0: f0, start: alpha)
        }
        return minimise(phi, f0: f0, start: start)
    }

    /// Minimises φ over α > 0: brackets a minimum by doubling (or halving, when the first
    /// trial already rises), then narrows it by golden-section search.
    static func minimise(_ phi: (Double) -> Double, f0: Double, start: Double) -> Double? {
        func f(_ a: Double) -> Double { let y = phi(a); return y.isNaN ? .infinity : y }
        var lo = 0.0, mid = start > 0 && start.isFinite ? start : 1, fMid = f(mid)
        var hi: Double
        if fMid < f0 {
            hi = 2 * mid
            var fHi = f(hi)
            var grown = 0
            while fHi < fMid && grown < 60 {
                (lo, mid, fMid) = (mid, hi, fHi)
                hi *= 2
                fHi = f(hi)
                grown += 1
            }
        } else {
            hi = mid
            var shrunk = 0
            repeat {
                mid /= 2
                fMid = f(mid)
                shrunk += 1
            } while fMid >= f0 && shrunk < 60
            if fMid >= f0 { return nil }
        }
        // Golden-section search on [lo, hi], which holds a point (mid) below both ends.
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = lo, b = hi
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = f(c), fd = f(d)
        for _ in 0..<200 where b - a > 1e-13 * Swift.max(1, Swift.abs(c)) {
            if fc < fd {
                (b, d, fd) = (d, c, fc)
                c = b - ratio * (b - a)
                fc = f(c)
            } else {
                (a, c, fc) = (c, d, fd)
                d = a + ratio * (b - a)
                fd = f(d)
            }
        }
        let best = [(mid, fMid), (c, fc), (d, fd)].min { $0.1 < $1.1 }!
        return best.1 < f0 ? best.0 : nil
    }
}
