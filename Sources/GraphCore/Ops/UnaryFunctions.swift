import Foundation

/// The elementwise functions of one operand, each defined once, here: its name, how the trace
/// writes it, its primal, its derivative as a `Formula` in the op algebra, where it has a kink,
/// and how generated code spells it. Everything else is derived from these: forward and
/// reverse mode (`Op.partials`), second order (`secondDerivative`, the rule differentiated),
/// Taylor jets (`jet`, the rule evaluated on series), `diff`'s symbolic derivative, the
/// generated code and the trace's partial formulas. `docs/adding-an-op.md` walks through
/// adding one.
///
/// `primal` and `slope` are the hand-written fast kernels the evaluators call on every
/// element; `OpDefinitionTests` checks each against the rule it must equal.
public enum UnaryFunction: UInt8, CaseIterable, Sendable, Hashable {
    case sin, cos, tan, exp, ln, sqrt, tanh, sigmoid, relu, abs, step, softplus, atanh
    case lgamma, digamma
    /// The error function, erf x = 2/√π ∫₀ˣ e^(−t²) dt.
    case erf

    /// The name a user calls it by: `sin(x)`.
    public var name: String { "\(self)" }

    /// The formula this function computes of an operand written `a`, as the trace prints it.
    public func display(_ a: String) -> String {
        switch self {
        case .sigmoid: "σ(\(a))"
        case .lgamma: "ln Γ(\(a))"
        case .digamma: "ψ(\(a))"
        // A parenthesised operand (a rule's `exp(−a²)`) follows the name directly.
        case .sin, .cos, .tan, .exp, .ln, .sqrt, .tanh, .relu, .abs, .step, .softplus, .atanh, .erf:
            a.hasPrefix("(") ? "\(name)\(a)" : "\(name) \(a)"
        }
    }

    /// The primal value at one element (the fast kernel).
    @inlinable @inline(__always)
    public func primal(_ x: Double) -> Double {
        switch self {
        case .sin: Foundation.sin(x)
        case .cos: Foundation.cos(x)
        case .tan: Foundation.tan(x)
        case .exp: Foundation.exp(x)
        case .ln: Foundation.log(x)
        case .sqrt: x.squareRoot()
        case .tanh: Foundation.tanh(x)
        case .sigmoid: Op.sigmoid(x)
        // NaN goes through (torch.relu(nan) is nan).
        case .relu: x > 0 || x.isNaN ? x : 0
        case .abs: Swift.abs(x)
        case .step: x > 0 ? 1 : 0
        // max(x, 0) + ln(1 + e^−|x|): exact for large |x|.
        case .softplus: Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
        case .atanh: Foundation.atanh(x)
        case .lgamma: SpecialFunctions.lgamma(x)
        case .digamma: SpecialFunctions.digamma(x)
        case .erf: Foundation.erf(x)
        }
    }

    /// The derivative in the op algebra, over the operand `x` and the result `y`. At kinks
    /// PyTorch's conventions: relu′(0) = 0, abs′(0) = 0, step′ = 0.
    public var derivative: Formula {
        switch self {
        case .sin: .apply(.cos, .x)
        case .cos: .neg(.apply(.sin, .x))
        case .tan: .add(.number(1), .power(.y, 2))
        case .exp: .y
        case .ln: .div(.number(1), .x)
        case .sqrt: .div(.number(1), .mul(.number(2), .y))
        case .tanh: .sub(.number(1), .power(.y, 2))
        case .sigmoid: .mul(.y, .sub(.number(1), .y))
        case .relu: .positive(.x)
        case .abs: .sign(.x)
        case .step: .number(0)
        case .softplus: .apply(.sigmoid, .x)
        case .atanh: .div(.number(1), .sub(.number(1), .power(.x, 2)))
        case .lgamma: .apply(.digamma, .x)
        case .digamma: .polygamma(1, .x)
        case .erf: .mul(.number(2 / Double.pi.squareRoot()), .apply(.exp, .neg(.power(.x, 2))))
        }
    }

    /// The derivative at one element given the result y (the fast kernel for `derivative`).
    @inlinable @inline(__always)
    public func slope(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .sin: Foundation.cos(x)
        case .cos: -Foundation.sin(x)
        case .tan: 1 + y * y
        case .exp: y
        case .ln: 1 / x
        case .sqrt: 1 / (2 * y)
        case .tanh: 1 - y * y
        case .sigmoid: y * (1 - y)
        case .relu: x > 0 ? 1 : 0
        case .abs: x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .step: 0
        case .softplus: Op.sigmoid(x)
        case .atanh: 1 / (1 - x * x)
        case .lgamma: SpecialFunctions.digamma(x)
        case .digamma: SpecialFunctions.polygamma(1, x)
        case .erf: 2 / Double.pi.squareRoot() * Foundation.exp(-Foundation.pow(x, 2))
        }
    }

    /// True for the functions with a kink at 0 (where the convention above is used).
    public var kinkAtZero: Bool {
        switch self {
        case .relu, .abs, .step: true
        case .sin, .cos, .tan, .exp, .ln, .sqrt, .tanh, .sigmoid, .softplus, .atanh, .lgamma, .digamma, .erf: false
        }
    }

    /// How generated code writes it, `$` standing for the operand.
    public var code: CodeSpelling {
        switch self {
        case .sin: CodeSpelling(python: "math.sin($)", numpy: "np.sin($)", c: "sin($)", latex: "\\sin($)")
        case .cos: CodeSpelling(python: "math.cos($)", numpy: "np.cos($)", c: "cos($)", latex: "\\cos($)")
        case .tan: CodeSpelling(python: "math.tan($)", numpy: "np.tan($)", c: "tan($)", latex: "\\tan($)")
        case .exp: CodeSpelling(python: "math.exp($)", numpy: "np.exp($)", c: "exp($)", latex: "e^{$}")
        case .ln: CodeSpelling(python: "math.log($)", numpy: "np.log($)", c: "log($)", latex: "\\ln($)")
        case .sqrt: CodeSpelling(python: "math.sqrt($)", numpy: "np.sqrt($)", c: "sqrt($)", latex: "\\sqrt{$}")
        case .tanh: CodeSpelling(python: "math.tanh($)", numpy: "np.tanh($)", c: "tanh($)", latex: "\\tanh($)")
        case .sigmoid: CodeSpelling(python: "sigmoid($)", numpy: "sigmoid($)", c: "sigmoid($)", latex: "\\sigma($)")
        // NaN goes through, as in the engine (C's fmax would drop it).
        case .relu: CodeSpelling(python: "max($, 0.0)", numpy: "np.maximum($, 0)", c: "(isnan($) ? $ : fmax($, 0.0))", latex: "\\max($, 0)")
        case .abs: CodeSpelling(python: "abs($)", numpy: "np.abs($)", c: "fabs($)", latex: "\\lvert $ \\rvert")
        case .step: CodeSpelling(python: "(1.0 if $ > 0 else 0.0)", numpy: "np.where($ > 0, 1.0, 0.0)", c: "($ > 0 ? 1.0 : 0.0)", latex: "[$ > 0]")
        case .softplus:
            CodeSpelling(python: "(max($, 0.0) + math.log1p(math.exp(-abs($))))", numpy: "np.logaddexp(0, $)",
                         c: "(fmax($, 0.0) + log1p(exp(-fabs($))))", latex: "\\ln(1 + e^{$})")
        case .atanh: CodeSpelling(python: "math.atanh($)", numpy: "np.arctanh($)", c: "atanh($)", latex: "\\operatorname{artanh}($)")
        case .lgamma: CodeSpelling(python: "math.lgamma($)", numpy: "lgamma($)", c: "lgamma($)", latex: "\\ln\\Gamma($)")
        case .digamma: CodeSpelling(python: "digamma($)", numpy: "psi($)", c: "digamma($)", latex: "\\psi($)")
        // NumPy has no erf of its own (SciPy's is not a dependency): Python's, element by element.
        case .erf: CodeSpelling(python: "math.erf($)", numpy: "np.vectorize(math.erf, otypes=[float])($)", c: "erf($)",
                                latex: "\\operatorname{erf}($)")
        }
    }
}

/// An op's spelling in each language `codegen` writes, with `$` for the operand.
public struct CodeSpelling: Sendable, Hashable {
    public var python, numpy, c, latex: String
}

extension Op {
    // The elementwise functions by name, so `.sin` reads as before wherever an op is named.
    public static let sin = Op.unary(.sin), cos = Op.unary(.cos), tan = Op.unary(.tan)
    public static let exp = Op.unary(.exp), ln = Op.unary(.ln), sqrt = Op.unary(.sqrt)
    public static let tanh = Op.unary(.tanh), sigmoid = Op.unary(.sigmoid), relu = Op.unary(.relu)
    public static let abs = Op.unary(.abs), step = Op.unary(.step), softplus = Op.unary(.softplus)
    public static let atanh = Op.unary(.atanh), lgamma = Op.unary(.lgamma), digamma = Op.unary(.digamma)
    public static let erf = Op.unary(.erf)
}
