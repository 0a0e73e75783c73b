import Foundation

/// A derivative rule written in the op algebra: an expression over an op's operand `x` and
/// its result `y`, built from numbers, arithmetic and the elementwise functions themselves
/// (as JAX writes a JVP rule in differentiable primitives). One formula per op is the whole
/// of its calculus: the evaluators evaluate it, second order differentiates it, Taylor mode
/// evaluates it on jets, and `diff`, codegen and the trace's partials print it.
///
///     UnaryFunction.tanh.derivative                   // 1 − y²
///     UnaryFunction.tanh.derivative.text(x: "v₀", y: "v₁")   // "1 − v₁²"
public indirect enum Formula: Sendable, Hashable {
    case x, y
    case number(Double)
    case add(Formula, Formula)
    case sub(Formula, Formula)
    case mul(Formula, Formula)
    case div(Formula, Formula)
    case neg(Formula)
    /// e raised to a whole power.
    case power(Formula, Int)
    /// An elementwise function of the algebra applied to e.
    case apply(UnaryFunction, Formula)
    /// [e > 0]: 1 where e is positive, else 0 (relu's slope); its derivative is 0.
    case positive(Formula)
    /// sign e: −1, 0 or 1 (abs's slope); its derivative is 0.
    case sign(Formula)
    /// ψ⁽ⁿ⁾(e), the polygamma functions: ln Γ's derivatives.
    case polygamma(Int, Formula)

    // MARK: - Evaluating

    /// The formula's value with the operand `x` and the result `y`.
    public func evaluate(x: Double, y: Double) -> Double {
        switch self {
        case .x: x
        case .y: y
        case .number(let c): c
        case .add(let a, let b): a.evaluate(x: x, y: y) + b.evaluate(x: x, y: y)
        case .sub(let a, let b): a.evaluate(x: x, y: y) - b.evaluate(x: x, y: y)
        case .mul(let a, let b): a.evaluate(x: x, y: y) * b.evaluate(x: x, y: y)
        case .div(let a, let b): a.evaluate(x: x, y: y) / b.evaluate(x: x, y: y)
        case .neg(let a): -a.evaluate(x: x, y: y)
        case .power(let a, let n): Foundation.pow(a.evaluate(x: x, y: y), Double(n))
        case .apply(let f, let a): f.primal(a.evaluate(x: x, y: y))
        case .positive(let a): a.evaluate(x: x, y: y) > 0 ? 1 : 0
        case .sign(let a): Formula.sign(a.evaluate(x: x, y: y))
        case .polygamma(let n, let a): SpecialFunctions.polygamma(n, a.evaluate(x: x, y: y))
        }
    }

    static func sign(_ v: Double) -> Double { v > 0 ? 1 : (v < 0 ? -1 : 0) }

    // MARK: - Differentiating

    /// d/dx of this formula, where y = f(x) (so y′ is f's own rule): second order by
    /// differentiating the first-order rule.
    public func derivative(along f: UnaryFunction) -> Formula {
        switch self {
        case .x: return .number(1)
        case .y: return f.derivative
        case .number, .positive, .sign: return .number(0)
        case .add(let a, let b): return Formula.sum(a.derivative(along: f), b.derivative(along: f))
        case .sub(let a, let b): return Formula.difference(a.derivative(along: f), b.derivative(along: f))
        case .mul(let a, let b):
            return Formula.sum(Formula.product(a.derivative(along: f), b), Formula.product(a, b.derivative(along: f)))
        case .div(let a, let b):
            // (a/b)′ = a′/b − a·b′/b²
            let left = Formula.quotient(a.derivative(along: f), b)
            return Formula.difference(left, Formula.quotient(Formula.product(a, b.derivative(along: f)), .power(b, 2)))
        case .neg(let a): return Formula.negated(a.derivative(along: f))
        case .power(let a, let n):
            let inner = n == 2 ? a : Formula.power(a, n - 1)
            return Formula.product(Formula.product(.number(Double(n)), inner), a.derivative(along: f))
        case .apply(let g, let a):
            let outer = g.derivative.substituting(x: a, y: self)
            return Formula.product(outer, a.derivative(along: f))
        case .polygamma(let n, let a):
            return Formula.product(.polygamma(n + 1, a), a.derivative(along: f))
        }
    }

    /// This formula with `x` and `y` replaced.
    public func substituting(x: Formula, y: Formula) -> Formula {
        switch self {
        case .x: x
        case .y: y
        case .number: self
        case .add(let a, let b): .add(a.substituting(x: x, y: y), b.substituting(x: x, y: y))
        case .sub(let a, let b): .sub(a.substituting(x: x, y: y), b.substituting(x: x, y: y))
        case .mul(let a, let b): .mul(a.substituting(x: x, y: y), b.substituting(x: x, y: y))
        case .div(let a, let b): .div(a.substituting(x: x, y: y), b.substituting(x: x, y: y))
        case .neg(let a): .neg(a.substituting(x: x, y: y))
        case .power(let a, let n): .power(a.substituting(x: x, y: y), n)
        case .apply(let f, let a): .apply(f, a.substituting(x: x, y: y))
        case .positive(let a): .positive(a.substituting(x: x, y: y))
        case .sign(let a): .sign(a.substituting(x: x, y: y))
        case .polygamma(let n, let a): .polygamma(n, a.substituting(x: x, y: y))
        }
    }

    // Smart constructors: drop the zeros and ones the product rule makes.
    static func sum(_ a: Formula, _ b: Formula) -> Formula {
        if a == .number(0) { return b }
        if b == .number(0) { return a }
        return .add(a, b)
    }

    static func difference(_ a: Formula, _ b: Formula) -> Formula {
        if b == .number(0) { return a }
        if a == .number(0) { return negated(b) }
        return .sub(a, b)
    }

    static func product(_ a: Formula, _ b: Formula) -> Formula {
        if a == .number(0) || b == .number(0) { return .number(0) }
        if a == .number(1) { return b }
        if b == .number(1) { return a }
        return .mul(a, b)
    }

    static func quotient(_ a: Formula, _ b: Formula) -> Formula {
        a == .number(0) ? .number(0) : .div(a, b)
    }

    static func negated(_ a: Formula) -> Formula {
        if case .number(let c) = a { return .number(-c) }
        if case .neg(let inner) = a { return inner }
        return .neg(a)
    }

    // MARK: - Jets

    /// The formula evaluated on truncated power series: `x` and `y` are jets of one order.
    /// Subformulas without `y` are kept in `cache`, so the Taylor recurrence, which evaluates
    /// the rule once per coefficient with y known that far, computes them once.
    func jet(x: Jet, y: Jet, cache: inout [Formula: Jet]) -> Jet {
        if let known = cache[self] { return known }
        let order = x.order
        let result: Jet
        switch self {
        case .x: return x
        case .y: return y
        case .number(let c): return Jet.constant(c, order: order)
        case .add(let a, let b): result = a.jet(x: x, y: y, cache: &cache) + b.jet(x: x, y: y, cache: &cache)
        case .sub(let a, let b): result = a.jet(x: x, y: y, cache: &cache) - b.jet(x: x, y: y, cache: &cache)
        case .mul(let a, let b): result = a.jet(x: x, y: y, cache: &cache) * b.jet(x: x, y: y, cache: &cache)
        case .div(let a, let b): result = a.jet(x: x, y: y, cache: &cache) / b.jet(x: x, y: y, cache: &cache)
        case .neg(let a): result = -a.jet(x: x, y: y, cache: &cache)
        case .power(let a, let n): result = a.jet(x: x, y: y, cache: &cache).power(n)
        case .apply(let f, let a): result = f.jet(a.jet(x: x, y: y, cache: &cache))
        case .positive(let a): result = Jet.constant(a.jet(x: x, y: y, cache: &cache).value > 0 ? 1 : 0, order: order)
        case .sign(let a): result = Jet.constant(Formula.sign(a.jet(x: x, y: y, cache: &cache).value), order: order)
        case .polygamma(let n, let a):
            let inner = a.jet(x: x, y: y, cache: &cache), a0 = inner.value
            result = inner.composed(value: SpecialFunctions.polygamma(n, a0)) { SpecialFunctions.polygamma(n + $0, a0) }
        }
        if !mentionsY { cache[self] = result }
        return result
    }

    var mentionsY: Bool {
        switch self {
        case .y: true
        case .x, .number: false
        case .add(let a, let b), .sub(let a, let b), .mul(let a, let b), .div(let a, let b): a.mentionsY || b.mentionsY
        case .neg(let a), .power(let a, _), .apply(_, let a), .positive(let a), .sign(let a), .polygamma(_, let a): a.mentionsY
        }
    }

    // MARK: - Text

    /// The formula as the trace writes a partial, with the operand and result named:
    /// `1 − v₁²`, `y·(1 − y)`, `1/(2·y)`, `[v₀ > 0]`, `σ(v₀)`.
    public func text(x: String, y: String) -> String { printed(x, y).text }

    private func printed(_ x: String, _ y: String) -> (text: String, level: Int) {
        // Levels: 1 a sum, 2 a product or quotient, 3 a negation, 4 an atom.
        func at(_ f: Formula, _ level: Int) -> String {
            let p = f.printed(x, y)
            return p.level < level ? "(\(p.text))" : p.text
        }
        switch self {
        case .x: return (x, 4)
        case .y: return (y, 4)
        case .number(let c): return (c == c.rounded() && Swift.abs(c) < 1e15 ? String(Int64(c)) : "\(c)", c < 0 ? 3 : 4)
        case .add(let a, let b): return ("\(at(a, 1)) + \(at(b, 2))", 1)
        case .sub(let a, let b): return ("\(at(a, 1)) − \(at(b, 2))", 1)
        case .mul(let a, let b): return ("\(at(a, 2))·\(at(b, 3))", 2)
        case .div(let a, let b): return ("\(at(a, 2))/\(at(b, 4))", 2)
        case .neg(let a): return ("−\(at(a, 3))", 3)
        case .power(let a, let n):
            let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
            let exponent = (0...9).contains(n) ? String(superscripts[n]) : "^\(n)"
            return (at(a, 4) + exponent, 4)
        case .apply(let f, let a): return (f.display(at(a, 4)), 3)
        case .positive(let a): return ("[\(a.printed(x, y).text) > 0]", 4)
        case .sign(let a): return ("sign \(at(a, 4))", 3)
        case .polygamma(let n, let a):
            let primes = n == 0 ? "" : n <= 3 ? String(repeating: "′", count: n) : "⁽\(n)⁾"
            return ("ψ\(primes)(\(a.printed(x, y).text))", 4)
        }
    }
}

// MARK: - What the definitions give, derived

extension UnaryFunction {
    /// f(a) on a truncated power series, from the rule alone: y′ = f′(a, y)·a′ solved one
    /// coefficient at a time (the rule evaluated on the series known so far).
    public func jet(_ a: Jet) -> Jet {
        let order = a.order, y0 = primal(a.value)
        guard order >= 1 else { return Jet.constant(y0, order: 0) }
        let rule = derivative, lower = Jet(Array(a.coefficients[0..<order]))
        var cache: [Formula: Jet] = [:]
        return Jet.solving(y0, along: a) { y, _, k in
            guard k < order else { return 0 }  // the last coefficient of f′ is never used
            let known = Jet(Array(y) + [Double](repeating: 0, count: order - 1 - k))
            return rule.jet(x: lower, y: known, cache: &cache)[k]
        }
    }

    /// f″ over x and y: the rule differentiated (second order, for Hessian-vector products).
    public var secondDerivative: Formula { Self.secondDerivatives[Int(rawValue)] }

    private static let secondDerivatives: [Formula] = allCases.map { $0.derivative.derivative(along: $0) }
}
