import Foundation

/// Every operation a tape can hold: one case each, and one place (this file and
/// `Op+Tensor.swift`) that gives its arity, surface name, primal function, local partials,
/// display formula and label.
///
/// Adding a case without its rules does not compile: every property below is an exhaustive
/// `switch`. Sugar (`sub`, `div`, `neg`) stays visible as its own op so the tape matches what
/// the user wrote.
public enum Op: CaseIterable, Sendable, Hashable {
    // MARK: Leaves
    case input, param, constant
    // MARK: Elementwise, two operands (a scalar broadcasts over a tensor)
    case add, sub, mul, div, pow, max, min, leakyRelu
    /// `where`'s half: the first operand where the second (a 0/1 mask) is nonzero, else 0,
    /// chosen rather than multiplied, so a NaN or ∞ the mask drops reaches neither the value
    /// nor the gradient (the language writes `where(c, a, b)` as select(a, m) + select(b, 1 − m)).
    case select
    /// `<`, `<=`, `>`, `>=`, `==`, `!=`: 1 where the comparison holds, else 0, with zero
    /// partials (`Ops/Comparison.swift`).
    case compare(Comparison)
    // MARK: Elementwise, one operand: negation (sugar for `-x`), and the functions, each
    // defined once in `Ops/UnaryFunctions.swift` (`Op.sin` is `.unary(.sin)`)
    case neg
    case unary(UnaryFunction)
    /// `stop_gradient(x)` (`detach`): the value of x, and no gradient back to it. Its partial
    /// is 0 by definition, not by calculus, so it is not a `UnaryFunction` (whose derivative
    /// must be the primal's): `GradientCheck` holds its value fixed when it moves a leaf.
    case stopGradient
    // MARK: Tensor
    case matmul, sum, mean, transpose, softmax, crossEntropy, mse
    /// ln Σ eˣ over every element, and softmax's logarithm per row, both computed with the
    /// maximum subtracted first (stable for any gap between the entries, as torch and JAX).
    case logsumexp, logSoftmax
    // MARK: Convolution and pooling (images with channels; the window is in the tape entry)
    case conv1d, conv2d, maxpool2d, avgpool2d, biasAdd, reshape
    // MARK: Layers: batch and layer normalisation's ĥ = (h − μ)/√(σ² + ε), ε their second
    // operand (Layers/Normalization.swift); dropout's h ⊙ mask, the scaled mask its second
    case batchNorm, layerNorm, dropout
    // MARK: Indexing with an integer tensor (Gather.swift): the rows of its first operand at
    // the whole numbers of its second, `C[X]`; the VJP scatter-adds into those rows
    case gather
    // MARK: Along one axis (Ops/AxisOps.swift): a slice, concat, the sum along an axis; the
    // axis and a slice's start are in the tape entry's window, the result's shape its own
    case along(AxisOp)

    public static let allCases: [Op] = [.input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min,
        .leakyRelu, .select] + Comparison.allCases.map(Op.compare) + [.neg] + UnaryFunction.allCases.map(Op.unary)
        + [.stopGradient, .matmul, .sum, .mean, .transpose, .softmax, .crossEntropy, .mse, .logsumexp, .logSoftmax,
           .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape, .batchNorm, .layerNorm, .dropout, .gather]
        + AxisOp.allCases.map(Op.along)

    /// Which leaf an op is: input, param or constant; nil for an op that computes.
    public enum Leaf: Sendable { case input, param, constant }

    public var leaf: Leaf? {
        switch self {
        case .input: .input
        case .param: .param
        case .constant: .constant
        case .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare, .neg, .unary, .stopGradient,
             .matmul, .sum, .mean, .transpose, .softmax, .crossEntropy, .mse, .logsumexp, .logSoftmax, .conv1d, .conv2d, .maxpool2d,
             .avgpool2d, .biasAdd, .reshape, .batchNorm, .layerNorm, .dropout, .gather, .along:
            nil
        }
    }

    /// How a convolution or pooling op reads its operands into a `WindowGeometry`; nil for
    /// every other op.
    public enum WindowFamily: Sendable { case conv1d, conv2d, pool }

    public var windowFamily: WindowFamily? {
        switch self {
        case .conv1d: .conv1d
        case .conv2d: .conv2d
        case .maxpool2d, .avgpool2d: .pool
        case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare,
             .neg, .unary, .stopGradient, .matmul, .sum, .mean, .transpose, .softmax, .crossEntropy, .mse, .logsumexp,
             .logSoftmax, .biasAdd, .reshape, .batchNorm, .layerNorm, .dropout, .gather, .along:
            nil
        }
    }

    /// How the op treats its operands' shapes.
    public enum Kind: Sendable { case leaf, unary, binary, tensor }

    public var kind: Kind {
        switch self {
        case .input, .param, .constant: .leaf
        case .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare: .binary
        case .neg, .unary, .stopGradient: .unary
        case .matmul, .sum, .mean, .transpose, .softmax, .crossEntropy, .mse: .tensor
        case .logsumexp, .logSoftmax: .tensor
        // Convolution and pooling
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape: .tensor
        // Layers
        case .batchNorm, .layerNorm: .tensor
        case .dropout: .binary
        case .gather, .along: .tensor
        }
    }

    /// Number of operands.
    public var arity: Int {
        switch self {
        case .input, .param, .constant: 0
        case .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare, .matmul, .crossEntropy, .mse: 2
        case .neg, .unary, .stopGradient, .sum, .mean, .transpose, .softmax, .logsumexp, .logSoftmax: 1
        // Convolution and pooling
        case .conv1d, .conv2d, .biasAdd: 2
        case .maxpool2d, .avgpool2d, .reshape: 1
        // Layers
        case .batchNorm, .layerNorm, .dropout: 2
        case .gather: 2
        case .along(let f): f.arity
        }
    }

    /// The name a user calls it by (`sin(x)`), or the operator's name for infix ops.
    public var name: String {
        switch self {
        case .input: "input"
        case .param: "param"
        case .constant: "const"
        case .add: "add"
        case .sub: "sub"
        case .mul: "mul"
        case .div: "div"
        case .pow: "pow"
        case .max: "max"
        case .min: "min"
        case .leakyRelu: "leaky_relu"
        case .select: "select"
        case .compare(let c): c.name
        case .neg: "neg"
        case .unary(let f): f.name
        case .stopGradient: "stop_gradient"
        case .matmul: "matmul"
        case .sum: "sum"
        case .mean: "mean"
        case .transpose: "transpose"
        case .softmax: "softmax"
        case .crossEntropy: "cross_entropy"
        case .mse: "mse"
        case .logsumexp: "logsumexp"
        case .logSoftmax: "log_softmax"
        // Convolution and pooling
        case .conv1d: "conv1d"
        case .conv2d: "conv2d"
        case .maxpool2d: "maxpool2d"
        case .avgpool2d: "avgpool2d"
        case .biasAdd: "bias_add"
        case .reshape: "reshape"
        // Layers: the names of PyTorch's functional forms (`F.batch_norm` without weight and
        // bias is ĥ); the layers the user calls are `batchnorm`, `layernorm` and `dropout`.
        case .batchNorm: "batch_norm"
        case .layerNorm: "layer_norm"
        case .dropout: "dropout"
        case .gather: "gather"
        case .along(let f): f.name
        }
    }

    /// The formula this op computes, written with its operands' names, as in the trace tables
    /// of Baydin et al. (2018): `ln v₋₁`, `v₋₁ · v₀`, `v₄ − v₃`.
    public func formula(_ x: [String]) -> String {
        let a = x.first ?? "?", b = x.count > 1 ? x[1] : "?"
        switch self {
        case .input, .param, .constant: return a
        case .add: return "\(a) + \(b)"
        case .sub: return "\(a) − \(b)"
        case .mul: return "\(a) · \(b)"
        case .div: return "\(a) / \(b)"
        case .pow: return "\(a) ^ \(b)"
        case .matmul: return "\(a) @ \(b)"
        case .max, .min, .leakyRelu, .crossEntropy, .mse: return "\(name)(\(a), \(b))"
        case .select: return "\(b) ≠ 0 ? \(a) : 0"
        case .compare(let c): return "[\(a) \(c.relation) \(b)]"
        case .neg: return "−\(a)"
        case .stopGradient: return "stop_gradient(\(a))"
        case .sum: return "Σ \(a)"
        case .transpose: return "\(a)ᵀ"
        case .unary(let f): return f.display(a)
        case .mean, .softmax, .logsumexp, .logSoftmax:
            return "\(name) \(a)"
        // Convolution and pooling
        case .conv1d, .conv2d, .biasAdd: return "\(name)(\(a), \(b))"
        case .maxpool2d, .avgpool2d, .reshape: return "\(name)(\(a))"
        // Layers
        case .batchNorm, .layerNorm: return "\(name)(\(a), ε=\(b))"
        case .dropout: return "\(a) ⊙ \(b)"
        case .gather: return "\(a)[\(b)]"
        case .along(let f): return f.formula(a, b)
        }
    }

    /// The local partial ∂y/∂(operand k) as a formula over the operands `x` and the result `y`,
    /// e.g. `cos v₀` for `sin`, or `v₋₁` for the second operand of `·`. For tensor ops it names
    /// the vector-Jacobian product instead, with `ḡ` the incoming adjoint.
    public func partialFormula(_ k: Int, _ x: [String], result y: String) -> String {
        let a = x.first ?? "?", b = x.count > 1 ? x[1] : "?"
        switch self {
        case .input, .param, .constant: return "1"
        case .add: return "1"
        case .sub: return k == 0 ? "1" : "−1"
        case .mul: return k == 0 ? b : a
        case .div: return k == 0 ? "1/\(b)" : "−\(a)/\(b)²"
        case .pow: return k == 0 ? "\(b)·\(a)^(\(b)−1)" : "\(y)·ln \(a)"
        case .max: return k == 0 ? "[\(a) > \(b)]" : "[\(b) > \(a)]"
        case .min: return k == 0 ? "[\(a) < \(b)]" : "[\(b) < \(a)]"
        case .select: return k == 0 ? "[\(b) ≠ 0]" : "0"
        case .compare, .stopGradient: return "0"
        case .leakyRelu: return k == 0 ? "(\(a) > 0 ? 1 : \(b))" : "(\(a) > 0 ? 0 : \(a))"
        case .neg: return "−1"
        case .unary(let f): return f.derivative.text(x: a, y: y)
        case .matmul: return k == 0 ? "ḡ · \(b)ᵀ" : "\(a)ᵀ · ḡ"
        case .sum: return "1"
        case .mean: return "1/n"
        case .transpose: return "ḡᵀ"
        case .softmax: return "\(y) ⊙ (ḡ − Σ ḡ⊙\(y))"
        case .logsumexp: return "ḡ · softmax \(a)"
        case .logSoftmax: return "ḡ − softmax \(a) · Σ ḡ"
        case .crossEntropy: return k == 0 ? "−\(b)/\(a)" : "−ln \(a)"
        case .mse: return k == 0 ? "2(\(a) − \(b))/n" : "−2(\(a) − \(b))/n"
        // Convolution and pooling
        case .conv1d, .conv2d: return k == 0 ? "ḡ ⋆ᵀ \(b)" : "\(a) ⋆ ḡ"
        case .maxpool2d: return "ḡ to each window's first maximum"
        case .avgpool2d: return "ḡ/(kh·kw) over each window"
        case .biasAdd: return k == 0 ? "ḡ" : "Σ ḡ per channel"
        case .reshape: return "ḡ reshaped"
        // Layers: batch norm's VJP as the course writes it, (γ/(Nσ))(N·ȳ − Σȳ − ĥ·Σ(ȳ⊙ĥ)),
        // with γ⊙ȳ arriving as this node's adjoint ḡ; the sums run down each column (batch
        // norm) or along each row (layer norm), σ = √(σ² + ε) per column or row.
        case .batchNorm, .layerNorm: return Op.normalizationVJP(k, result: y, n: "N", sigma: "σ")
        case .dropout: return k == 0 ? b : a
        case .along(let f): return f.partialFormula(k)
        case .gather: return k == 0 ? "ḡ scatter-added into the rows \(b) of \(a)" : "0"
        }
    }

    /// A tensor op's JVP for operand `k` as a formula, with `t` that operand's tangent:
    /// `v̇₀ @ v₁`, `Σ v̇₂`, `v₅ ⊙ (v̇₄ − Σ v̇₄⊙v₅)`. Nil for elementwise ops, whose JVP is the
    /// tangent times the local partial (`partialFormula`).
    public func jvpFormula(_ k: Int, _ x: [String], result y: String, tangent t: String) -> String? {
        let a = x.first ?? "?", b = x.count > 1 ? x[1] : "?"
        switch self {
        case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare,
             .neg, .unary, .stopGradient:
            return nil
        case .matmul: return k == 0 ? "\(t) @ \(b)" : "\(a) @ \(t)"
        case .sum: return "Σ \(t)"
        case .mean: return "mean \(t)"
        case .transpose: return "\(t)ᵀ"
        case .softmax: return "\(y) ⊙ (\(t) − Σ \(t)⊙\(y))"
        case .logsumexp: return "Σ softmax \(a) ⊙ \(t)"
        case .logSoftmax: return "\(t) − Σ softmax \(a) ⊙ \(t)"
        case .crossEntropy: return k == 0 ? "−Σ \(b)⊙\(t)/\(a)" : "−Σ ln \(a)⊙\(t)"
        case .mse: return k == 0 ? "Σ 2(\(a) − \(b))⊙\(t)/n" : "−Σ 2(\(a) − \(b))⊙\(t)/n"
        // Convolution and pooling
        case .conv1d, .conv2d: return k == 0 ? "\(name)(\(t), \(b))" : "\(name)(\(a), \(t))"
        case .maxpool2d: return "\(t) at each window's maximum"
        case .avgpool2d: return "avgpool2d(\(t))"
        case .biasAdd: return k == 0 ? t : "\(t) per channel"
        case .reshape: return "reshape(\(t))"
        // Layers
        case .batchNorm, .layerNorm: return Op.normalizationJVP(k, result: y, tangent: t, sigma: "σ")
        case .dropout: return nil
        case .along(let f): return f.jvpFormula(k, t)
        case .gather: return k == 0 ? "\(t)[\(b)]" : "0"
        }
    }

    /// The surface function names (`sin(x)`, `log(x)`, ...) and the op each one builds;
    /// `gather` is written as a subscript, `C[X]`.
    public static let functions: [String: Op] = {
        var table: [String: Op] = [:]
        for op in Op.allCases where op.kind != .leaf && !infix.contains(op) && !windowed.contains(op) && !layers.contains(op) && op != .gather { table[op.name] = op }
        table["log"] = .ln
        table["pow"] = .pow
        table["detach"] = .stopGradient
        return table
    }()

    /// Ops written with an operator rather than a call.
    static let infix: Set<Op> = Set([.add, .sub, .mul, .div, .pow, .neg, .matmul] + Comparison.allCases.map(Op.compare))

    /// Convolution, pooling, reshaping and the axis ops: called with arguments (stride,
    /// padding, a kernel size, a shape, an axis) that become the tape entry's `Window` or
    /// shape, so the language lowers each call itself instead of calling the op by name.
    public static let windowed: Set<Op> = Set([.conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape]
        + AxisOp.allCases.map(Op.along))
    /// Ops only the layer functions build (`batchnorm(h, gamma, beta)`, `dropout(h, p, seed)`,
    /// `where(c, a, b)`): their second operand (ε, the scaled mask, `where`'s 0/1 mask) is made
    /// by the layer, never written by the user.
    public static let layers: Set<Op> = [.batchNorm, .layerNorm, .dropout, .select]
}

// MARK: - Scalar rules

extension Op {
    /// The primal value of an elementwise op at one element: `y = op(a, b)`.
    /// Unary ops ignore `b`.
    @inlinable @inline(__always)
    public func primal(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .pow: return Foundation.pow(a, b)
        // Unordered (a NaN on either side) falls through to NaN, as torch.maximum/minimum.
        case .max: return a >= b ? a : (b > a ? b : .nan)
        case .min: return a <= b ? a : (b < a ? b : .nan)
        case .select: return b != 0 ? a : 0
        case .compare(let c): return c.holds(a, b) ? 1 : 0
        case .stopGradient: return a
        case .leakyRelu: return a > 0 ? a : b * a
        case .neg: return -a
        case .unary(let f): return f.primal(a)
        case .input, .param, .constant, .matmul, .sum, .mean, .transpose, .softmax,
             .crossEntropy, .mse, .logsumexp, .logSoftmax:
            return .nan
        // Convolution and pooling
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape:
            return .nan
        // Layers
        case .dropout: return a * b
        case .batchNorm, .layerNorm, .gather, .along: return .nan
        }
    }

    /// The local partials `(∂y/∂a, ∂y/∂b)` of an elementwise op at one element, given the
    /// operands and the primal result `y` (reused where the derivative is a function of it).
    ///
    /// At non-differentiable points the conventions follow PyTorch: relu'(0) = 0, abs'(0) = 0,
    /// ties of max/min split the gradient in half; `isKink` marks those points.
    @inlinable @inline(__always)
    public func partials(_ a: Double, _ b: Double, _ y: Double) -> (Double, Double) {
        switch self {
        case .add: return (1, 1)
        case .sub: return (1, -1)
        case .mul: return (b, a)
        case .div: return (1 / b, -a / (b * b))
        case .pow:
            // ∂/∂b = y·ln a, as torch's pow_backward_exponent: 0 where a = 0 and b ≥ 0, NaN
            // for a < 0, −∞ at 0^b with b < 0. A constant exponent's zero tangent still
            // gives 0 (the evaluators skip a product with an exactly zero tangent or adjoint).
            return (b == 0 ? 0 : b * Foundation.pow(a, b - 1), Op.powExponentPartial(a, b, y))
        // As torch.maximum/minimum's backward: a NaN makes the operands unordered (every
        // comparison false) and both get the whole adjoint, whichever side the NaN is on.
        case .max: return a == b ? (0.5, 0.5) : (a > b ? (1, 0) : (b > a ? (0, 1) : (1, 1)))
        case .min: return a == b ? (0.5, 0.5) : (a < b ? (1, 0) : (b < a ? (0, 1) : (1, 1)))
        case .select: return (b != 0 ? 1 : 0, 0)
        case .compare, .stopGradient: return (0, 0)
        case .leakyRelu: return a > 0 ? (1, 0) : (b, a)
        case .neg: return (-1, 0)
        case .unary(let f): return (f.slope(a, y), 0)
        case .input, .param, .constant, .matmul, .sum, .mean, .transpose, .softmax,
             .crossEntropy, .mse, .logsumexp, .logSoftmax:
            return (.nan, .nan)
        // Convolution and pooling
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape:
            return (.nan, .nan)
        // Layers: a kept unit passes its adjoint scaled by the mask's 1/(1 − p), a dropped one none.
        case .dropout: return (b, a)
        case .batchNorm, .layerNorm, .gather, .along: return (.nan, .nan)
        }
    }

    /// True where the op is not differentiable at these operands and a convention was used
    /// (the trace marks these so a teacher can talk about subgradients).
    public func isKink(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .unary(let f): return f.kinkAtZero && a == 0
        case .leakyRelu: return a == 0
        case .max, .min, .compare: return a == b
        case .stopGradient: return false
        case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .neg, .matmul, .sum, .mean, .transpose,
             .softmax, .crossEntropy, .mse, .select, .logsumexp, .logSoftmax:
            return false
        // Convolution and pooling: a max-pool's ties are kinks of the tensor op (see
        // `GradientCheck`), not of one element.
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape:
            return false
        // Layers
        case .batchNorm, .layerNorm, .dropout, .gather, .along:
            return false
        }
    }

    /// pow's ∂y/∂b = y·ln a by torch's rule (`pow_backward_exponent`): 0 where a = 0 and
    /// b ≥ 0, otherwise y·ln a itself, NaN for a < 0 and −∞ at 0^b for b < 0.
    @inlinable @inline(__always)
    public static func powExponentPartial(_ a: Double, _ b: Double, _ y: Double) -> Double {
        a == 0 && b >= 0 ? 0 : y * Foundation.log(a)
    }

    /// The logistic function, written to stay accurate for large |x|.
    @inlinable @inline(__always)
    static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
}
