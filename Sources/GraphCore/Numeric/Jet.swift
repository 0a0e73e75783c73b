import Foundation

/// A truncated power series a₀ + a₁·t + a₂·t² + … + a_K·t^K: the value of a node and its
/// first K derivatives along t, scaled as Taylor coefficients (a_k = f⁽ᵏ⁾ / k!). Dual numbers
/// a + bε are jets of order 1; Taylor mode pushes jets of any order through the op table
/// the way forward mode pushes tangents.
///
///     let x = Jet.variable(0, order: 4)   // 0 + t
///     Op.exp.jet(x, x).jet.coefficients   // [1, 1, 0.5, 0.16666…, 0.041666…]
public struct Jet: Hashable, Sendable {
    public var coefficients: [Double]

    public init(_ coefficients: [Double]) {
        precondition(!coefficients.isEmpty, "a jet has at least its value")
        self.coefficients = coefficients
    }

    /// A constant c: c + 0·t + ….
    public static func constant(_ c: Double, order: Int) -> Jet {
        Jet([c] + [Double](repeating: 0, count: order))
    }

    /// The variable itself around x: x + 1·t.
    public static func variable(_ x: Double, order: Int) -> Jet {
        var j = constant(x, order: order)
        if order >= 1 { j.coefficients[1] = 1 }
        return j
    }

    /// K, the highest power kept.
    public var order: Int { coefficients.count - 1 }
    public var value: Double { coefficients[0] }
    public subscript(k: Int) -> Double { coefficients[k] }

    /// True when every coefficient after the value is zero.
    public var isConstant: Bool { coefficients.dropFirst().allSatisfy { $0 == 0 } }

    // MARK: - Arithmetic

    public static func + (a: Jet, b: Jet) -> Jet { Jet(zip(a.coefficients, b.coefficients).map(+)) }
    public static func - (a: Jet, b: Jet) -> Jet { Jet(zip(a.coefficients, b.coefficients).map(-)) }
    public static prefix func - (a: Jet) -> Jet { Jet(a.coefficients.map { -$0 }) }
    public static func * (s: Double, a: Jet) -> Jet { Jet(a.coefficients.map { s * $0 }) }

    /// The Cauchy product, truncated: (ab)_k = Σ_{j=0…k} a_j b_{k−j}.
    public static func * (a: Jet, b: Jet) -> Jet {
        Jet((0...a.order).map { k in (0...k).reduce(0) { $0 + a[$1] * b[k - $1] } })
    }

    /// c = a / b from c·b = a: c_k = (a_k − Σ_{j=1…k} b_j c_{k−j}) / b₀.
    public static func / (a: Jet, b: Jet) -> Jet {
        var c: [Double] = []
        for k in 0...a.order {
            var s = a[k]
            for j in stride(from: 1, through: k, by: 1) { s -= b[j] * c[k - j] }
            c.append(s / b[0])
        }
        return Jet(c)
    }

    /// y with y(0) = y₀ and y′ = u·a′ (the chain rule for y = f(a) with f′(a) = u), where
    /// `u(y, u, k)` gives u's k-th coefficient once y₀…y_k and u₀…u_{k−1} are known:
    /// y_k = (1/k) Σ_{j=1…k} j·a_j·u_{k−j}. Every elementwise function below is one of these.
    static func solving(_ y0: Double, along a: Jet, _ u: (_ y: [Double], _ u: [Double], _ k: Int) -> Double) -> Jet {
        var y = [y0], us: [Double] = []
        us.append(u(y, us, 0))
        for k in stride(from: 1, through: a.order, by: 1) {
            var s = 0.0
            for j in 1...k { s += Double(j) * a[j] * us[k - j] }
            y.append(s / Double(k))
            us.append(u(y, us, k))
        }
        return Jet(y)
    }

    /// Σ_{i=0…k} y_i·y_{k−i}: the k-th coefficient of y².
    static func square(_ y: [Double], _ k: Int) -> Double {
        (0...k).reduce(0) { $0 + y[$1] * y[k - $1] }
    }

    /// aⁿ for a whole n ≥ 0, by repeated squaring: exact at a₀ = 0 too.
    func power(_ n: Int) -> Jet {
        var result = Jet.constant(1, order: order), base = self, n = n
        while n > 0 {
            if n & 1 == 1 { result = result * base }
            base = base * base
            n >>= 1
        }
        return result
    }

    /// a^r for a constant r from a·y′ = r·a′·y:
    /// y_k = (1/(k·a₀)) Σ_{j=1…k} (r·j − (k − j))·a_j·y_{k−j}. Needs a₀ ≠ 0.
    func power(real r: Double) -> Jet {
        var y = [Foundation.pow(self[0], r)]
        for k in stride(from: 1, through: order, by: 1) {
            var s = 0.0
            for j in 1...k { s += (r * Double(j) - Double(k - j)) * self[j] * y[k - j] }
            y.append(s / (Double(k) * self[0]))
        }
        return Jet(y)
    }
}

extension Jet {
    /// f(a) for a function f whose derivatives at a₀ are known, `derivative(k)` = f⁽ᵏ⁾(a₀) for
    /// k ≥ 1: the Taylor series f(a₀) + Σₖ f⁽ᵏ⁾(a₀)/k!·(a − a₀)ᵏ, truncated at the jet's order.
    func composed(value: Double, derivative: (Int) -> Double) -> Jet {
        var delta = self
        delta.coefficients[0] = 0
        var result = Jet.constant(value, order: order), power = Jet.constant(1, order: order)
        var factorial = 1.0
        for k in stride(from: 1, through: order, by: 1) {
            power = power * delta
            factorial *= Double(k)
            result = result + (derivative(k) / factorial) * power
        }
        return result
    }
}

// MARK: - The op table's Taylor rules

/// Why Taylor mode cannot run on a tape.
public enum TaylorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A tensor op (matmul, softmax, …): Taylor mode here covers the elementwise ops only.
    case unsupported(Op)

    public var description: String {
        switch self {
        case .unsupported(let op):
            return "'\(op.name)' is not supported for taylor: Taylor mode covers the elementwise ops (+ − · / ^, sin, exp, relu, …), not tensor ops"
        }
    }
}

extension Op {
    /// The Taylor-mode rule of an elementwise op: the jet of op(a, b) (unary ops ignore `b`),
    /// and whether a₀ sits on a kink (relu or abs at 0, a max tie, step's jump), where the
    /// function has no power series and PyTorch's convention (relu′(0) = 0, ties split in
    /// half) is used for the coefficients instead.
    public func jet(_ a: Jet, _ b: Jet) throws(TaylorError) -> (jet: Jet, kink: Bool) {
        let a0 = a.value, b0 = b.value, order = a.order
        let zero = Jet.constant(0, order: order)
        switch self {
        case .add: return (a + b, false)
        case .sub: return (a - b, false)
        case .mul: return (a * b, false)
        case .div: return (a / b, false)
        case .pow:
            if b.isConstant {
                if b0 >= 0, b0 <= 64, b0 == b0.rounded() { return (a.power(Int(b0)), false) }
                return (a.power(real: b0), false)
            }
            // A fixed base 0 with b ≥ 0: 0^b is 0 for every b > 0, so its series in b is
            // constant (torch's ∂/∂b = 0 there); b = 0 is where it jumps from 1.
            if a.isConstant, a0 == 0, b0 >= 0 { return (Jet.constant(Foundation.pow(0, b0), order: order), b0 == 0) }
            // a^b = exp(b·ln a) when the exponent moves too.
            return (try Op.exp.jet(b * Op.ln.jet(a, a).jet, zero).jet, false)
        case .max, .min:
            // Unordered (a NaN): as torch.maximum's backward, both operands get the whole
            // adjoint, so each coefficient is the sum of both series' (the value a₀ + b₀ is
            // NaN, as `Op.primal` gives).
            if a0.isNaN || b0.isNaN { return (a + b, false) }
            if a0 == b0 { return (0.5 * (a + b), true) }
            return ((a0 > b0) == (self == .max) ? a : b, false)
        case .leakyRelu:
            return (a0 > 0 ? a : b * a, a0 == 0)
        case .select:
            return (b0 != 0 ? a : zero, false)
        case .neg: return (-a, false)
        // A comparison is constant on either side of its jump at a = b; stop_gradient's
        // series is its operand's value alone (no derivative flows through it).
        case .compare(let c): return (Jet.constant(c.holds(a0, b0) ? 1 : 0, order: order), a0 == b0)
        case .stopGradient: return (Jet.constant(a0, order: order), false)
        case .unary(let f):
            // The function's rule y′ = f′(a, y)·a′, solved on the series; at a kink (relu or abs
            // at 0, step's jump) it gives PyTorch's convention's coefficients.
            return (f.jet(a), f.kinkAtZero && a0 == 0)
        case .input, .param, .constant, .matmul, .sum, .mean, .transpose, .softmax, .crossEntropy, .mse,
             .logsumexp, .logSoftmax:
            throw .unsupported(self)
        // Convolution and pooling
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape:
            throw .unsupported(self)
        // Layers: dropout multiplies by its mask; the normalisations are tensor ops.
        case .dropout: return (a * b, false)
        case .batchNorm, .layerNorm, .gather, .along: throw .unsupported(self)
        }
    }

}
