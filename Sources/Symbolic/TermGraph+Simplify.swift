import Foundation
import GraphCore

// The simplifier. Every term is built through `apply`, which simplifies as it builds, so a
// term's operands are already simple and one local pass suffices (no fixpoint loop):
// - constant folding: an op whose operands are all numbers becomes a number (when finite);
// - sums are read as a constant plus coefficient × term pairs, so `x + 0` is `x`, `x − x`
//   is 0, `2x + 3x` is `5x` and `−(−x)` is `x`; a number times a sum is distributed;
// - products are read as a coefficient times bases raised to numeric powers, so `x·1`, `1·x`
//   are `x`, `x·0` is 0, `x·x` is `x^2` and `x/x` is 1 (as every computer-algebra system
//   does, `x/x` and `x − x` ignore that x might be NaN or ∞).
// Nothing else is expanded or factored: σ(x)·(1 − σ(x)), the sigmoid rule, stays as written.
// Flattening a sum or product stops after `flattenBudget` nodes, so building one term costs
// a bounded amount of work however long the sum it extends.

extension TermGraph {
    /// How many nodes one sum or product is flattened through before the rest is kept whole.
    static let flattenBudget = 24

    /// `op` applied to `a` (and `b` for a binary op), simplified. `op` must be elementwise;
    /// tensor ops have no symbolic rule (`SymbolicFunction` refuses them, naming the op).
    public mutating func apply(_ op: Op, _ a: Term, _ b: Term? = nil) -> Term {
        precondition((b == nil) == (op.arity == 1), "\(op.name) takes \(op.arity) operand(s)")
        if let x = number(a), let y = b == nil ? x : number(b!) {
            let folded = op.primal(x, y)
            if folded.isFinite { return constant(folded) }
        }
        switch op {
        case .add, .sub, .neg:
            return sum(op, a, b)
        case .mul, .div:
            return product(op, a, b!)
        case .pow:
            return power(a, b!)
        case .select:
            // A known mask chooses outright: where(1, a, 0) is a, where(0, a, 0) is 0.
            if let m = number(b!) { return m != 0 ? a : constant(0) }
            return intern(.binary(op, a, b!))
        case .max, .min, .leakyRelu, .compare:
            return intern(.binary(op, a, b!))
        case .unary, .stopGradient:
            // lgamma and digamma only ever of a constant (`SymbolicFunction` refuses one of a
            // variable), kept as a call where they have no finite value (a pole).
            return intern(.unary(op, a))
        case .input, .param, .constant, .matmul, .sum, .mean, .transpose, .softmax, .crossEntropy, .mse,
             .logsumexp, .logSoftmax:
            preconditionFailure("\(op.name) is not an elementwise op; it cannot be a term")
        // Convolution and pooling: tensor ops, refused like matmul.
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape:
            preconditionFailure("\(op.name) is not an elementwise op; it cannot be a term")
        // Layers: dropout of scalars is the product with its mask; the normalisations are
        // tensor ops, which `SymbolicFunction` refuses.
        case .dropout:
            return product(.mul, a, b!)
        case .batchNorm, .layerNorm, .gather, .along:
            preconditionFailure("\(op.name) is not an elementwise op; it cannot be a term")
        }
    }

    // MARK: - Shorthands for the derivative rules

    public mutating func add(_ a: Term, _ b: Term) -> Term { apply(.add, a, b) }
    public mutating func sub(_ a: Term, _ b: Term) -> Term { apply(.sub, a, b) }
    public mutating func mul(_ a: Term, _ b: Term) -> Term { apply(.mul, a, b) }
    public mutating func div(_ a: Term, _ b: Term) -> Term { apply(.div, a, b) }
    public mutating func neg(_ a: Term) -> Term { apply(.neg, a) }
    public mutating func pow(_ a: Term, _ k: Double) -> Term { apply(.pow, a, constant(k)) }

    // MARK: - Sums: constant + Σ coefficient · term

    /// A sum read as a constant plus coefficient × term pairs, in order of first appearance.
    struct LinearForm {
        var constant: Double = 0
        /// The terms in order of first appearance; nil marks where the constant first came.
        var order: [Term?] = []
        var coefficients: [Term: Double] = [:]
        var hasConstant = false

        mutating func add(_ c: Double, _ term: Term) {
            if let old = coefficients[term] {
                coefficients[term] = old + c
            } else {
                coefficients[term] = c
                order.append(term)
            }
        }

        mutating func add(constant c: Double) {
            if !hasConstant { order.append(nil) }
            hasConstant = true
            constant += c
        }
    }

    private mutating func sum(_ op: Op, _ a: Term, _ b: Term?) -> Term {
        var form = LinearForm(), budget = Self.flattenBudget
        collect(a, scale: op == .neg ? -1 : 1, into: &form, budget: &budget)
        if let b { collect(b, scale: op == .sub ? -1 : 1, into: &form, budget: &budget) }
        guard form.constant.isFinite, form.coefficients.values.allSatisfy(\.isFinite) else {
            return intern(b.map { .binary(op, a, $0) } ?? .unary(op, a))
        }
        return build(form)
    }

    private mutating func collect(_ t: Term, scale: Double, into form: inout LinearForm, budget: inout Int) {
        if let x = number(t) { return form.add(constant: scale * x) }
        budget -= 1
        if budget > 0 {
            if case let .binary(op, a, b) = self[t], op == .add || op == .sub {
                collect(a, scale: scale, into: &form, budget: &budget)
                return collect(b, scale: op == .sub ? -scale : scale, into: &form, budget: &budget)
            }
            if case let .unary(.neg, a) = self[t] {
                return collect(a, scale: -scale, into: &form, budget: &budget)
            }
        }
        let (c, rest) = splitCoefficient(t)
        // A number times a sum is distributed, so its terms can meet their like terms:
        // 2·(a + b) − a is a + 2b.
        if c != 1, budget > 0, case let .binary(op, _, _) = self[rest], op == .add || op == .sub {
            return collect(rest, scale: scale * c, into: &form, budget: &budget)
        }
        form.add(scale * c, rest)
    }

    /// `t` as coefficient × rest, e.g. `-2 * x * y` as (−2, `x * y`).
    private mutating func splitCoefficient(_ t: Term) -> (Double, Term) {
        var form = ProductForm(), budget = Self.flattenBudget
        collect(t, exponent: 1, into: &form, budget: &budget)
        guard form.coefficient.isFinite, !form.bases.isEmpty else { return (1, t) }
        let c = form.coefficient
        form.coefficient = 1
        return (c, build(form))
    }

    /// Writes the sum back in order of first appearance: `a + 2 * b - c + 1`.
    private mutating func build(_ form: LinearForm) -> Term {
        var result: Term?
        for item in form.order {
            let c = item.map { form.coefficients[$0]! } ?? form.constant
            if c == 0 { continue }
            guard let r = result else {
                result = item.map { scaled(c, $0) } ?? constant(c)
                continue
            }
            let magnitude = item.map { scaled(Swift.abs(c), $0) } ?? constant(Swift.abs(c))
            result = intern(.binary(c < 0 ? .sub : .add, r, magnitude))
        }
        return result ?? constant(0)
    }

    /// `c · t` for a coefficient-free `t`, with the coefficient merged into t's product.
    private mutating func scaled(_ c: Double, _ t: Term) -> Term {
        if c == 1 { return t }
        var form = ProductForm(), budget = Self.flattenBudget
        collect(t, exponent: 1, into: &form, budget: &budget)
        form.coefficient *= c
        return form.coefficient.isFinite ? build(form) : intern(.binary(.mul, constant(c), t))
    }

    // MARK: - Products: coefficient · Π base^exponent

    /// A product read as a coefficient times bases raised to numeric exponents.
    struct ProductForm {
        var coefficient: Double = 1
        var bases: [Term] = []
        var exponents: [Term: Double] = [:]

        mutating func add(_ base: Term, _ exponent: Double) {
            if let old = exponents[base] {
                exponents[base] = old + exponent
            } else {
                exponents[base] = exponent
                bases.append(base)
            }
        }
    }

    private mutating func product(_ op: Op, _ a: Term, _ b: Term) -> Term {
        var form = ProductForm(), budget = Self.flattenBudget
        collect(a, exponent: 1, into: &form, budget: &budget)
        collect(b, exponent: op == .div ? -1 : 1, into: &form, budget: &budget)
        guard form.coefficient.isFinite else { return intern(.binary(op, a, b)) }
        return build(form)
    }

    private mutating func power(_ a: Term, _ b: Term) -> Term {
        guard let k = number(b) else { return intern(.binary(.pow, a, b)) }
        if k == 0 { return constant(1) }
        if k == 1 { return a }
        // Only whole exponents distribute over a product: (x·y)^2 = x^2·y^2, but
        // (x·y)^0.5 is not x^0.5·y^0.5 when both are negative.
        guard k == k.rounded() else { return intern(.binary(.pow, a, b)) }
        var form = ProductForm(), budget = Self.flattenBudget
        collect(a, exponent: k, into: &form, budget: &budget)
        guard form.coefficient.isFinite else { return intern(.binary(.pow, a, b)) }
        return build(form)
    }

    /// Adds `t^exponent` to `form`. `exponent` is always a whole number here, so every step
    /// below is exact algebra: (−a)^e = ±a^e, (a^k)^e = a^(k·e).
    private mutating func collect(_ t: Term, exponent e: Double, into form: inout ProductForm, budget: inout Int) {
        if let x = number(t), !(x == 0 && e < 0) {
            form.coefficient *= Foundation.pow(x, e)
            return
        }
        budget -= 1
        if budget > 0 {
            if case let .binary(op, a, b) = self[t], op == .mul || op == .div {
                collect(a, exponent: e, into: &form, budget: &budget)
                return collect(b, exponent: op == .div ? -e : e, into: &form, budget: &budget)
            }
            if case let .unary(.neg, a) = self[t] {
                if e.truncatingRemainder(dividingBy: 2) != 0 { form.coefficient = -form.coefficient }
                return collect(a, exponent: e, into: &form, budget: &budget)
            }
            if case let .binary(.pow, a, b) = self[t], let k = number(b) {
                if k == k.rounded() { return collect(a, exponent: e * k, into: &form, budget: &budget) }
                return form.add(a, e * k)
            }
        }
        form.add(t, e)
    }

    /// Writes the product back: the coefficient first, then bases in a canonical order (so
    /// `x * y` and `y * x` are one term), negative exponents as a denominator:
    /// `-2 * x^2 * y / z`.
    private mutating func build(_ form: ProductForm) -> Term {
        let c = form.coefficient
        if c == 0 { return constant(0) }
        let bases = form.bases.filter { form.exponents[$0] != 0 }.sorted()
        var numerator: [Term] = [], denominator: [Term] = []
        for base in bases {
            let e = form.exponents[base]!
            let factor = Swift.abs(e) == 1 ? base : intern(.binary(.pow, base, constant(Swift.abs(e))))
            if e > 0 { numerator.append(factor) } else { denominator.append(factor) }
        }
        let negate = c == -1 && !numerator.isEmpty
        if !negate && (c != 1 || numerator.isEmpty) { numerator.insert(constant(c), at: 0) }
        var result = chain(numerator)
        if !denominator.isEmpty { result = intern(.binary(.div, result, chain(denominator))) }
        return negate ? intern(.unary(.neg, result)) : result
    }

    /// `f₁ * f₂ * …`, left to right, for a non-empty list of factors.
    private mutating func chain(_ factors: [Term]) -> Term {
        var result = factors[0]
        for factor in factors.dropFirst() { result = intern(.binary(.mul, result, factor)) }
        return result
    }
}
