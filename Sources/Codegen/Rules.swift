import GraphCore

/// One tape entry in the code's terms: its operands `a` and `b` (unary ops repeat `a`), its
/// result `y` and the result's adjoint `g` (the `dy` of the reverse sweep).
struct Operands {
    var a: ArrayExpr
    var b: ArrayExpr
    var y: ArrayExpr
    var g: ArrayExpr
    /// The tape entry and its two operands' entries: the geometry of a convolution or pooling
    /// entry comes from their shapes and its window.
    var entries: (entry: TapeEntry, a: TapeEntry, b: TapeEntry)
}

/// What one op contributes to the generated program: the forward formula, and for each
/// operand the vector-Jacobian product that is added to its adjoint.
struct CodeRule {
    var forward: ArrayExpr
    /// `vjp[k]`: operand k's share of `g`, before any sum that undoes a broadcast (the writers
    /// add that sum where the operand's form is smaller than the term's).
    var vjp: [ArrayExpr]
}

extension Op {
    /// True for an elementwise op whose VJP can turn a zero adjoint into NaN (0·∞, 0/0):
    /// a partial that is not a fixed finite number. The engine skips a zero adjoint of these
    /// (`Tape.adjoints`); the sums, negation, max, min and `select` pass 0 on as 0, and the
    /// tensor ops multiply as written in the engine too.
    var mayTurnAZeroAdjointIntoNaN: Bool {
        (kind == .unary || kind == .binary) && ![.add, .sub, .neg, .max, .min, .select].contains(self)
    }

    /// The forward formula and the VJPs of this op, written so that the generated code
    /// computes what the engine computes (`Op.primal`, `Op.partials`, `TapeEntry.adjoint`),
    /// with PyTorch's conventions at kinks: relu'(0) = 0, abs'(0) = 0, a tie of max or min
    /// splits the adjoint in half, step' = 0.
    func codeRule(_ x: Operands) -> CodeRule {
        let (a, b, y, g) = (x.a, x.b, x.y, x.g)
        switch self {
        case .input, .param, .constant:
            return CodeRule(forward: a, vjp: [])
        case .add:
            return CodeRule(forward: a + b, vjp: [g, g])
        case .sub:
            return CodeRule(forward: a - b, vjp: [g, -g])
        case .mul:
            return CodeRule(forward: a * b, vjp: [g * b, g * a])
        case .div:
            return CodeRule(forward: a / b, vjp: [g / b, -g * a / b ** 2])
        case .pow:
            // b·a^(b−1), taken as 0 when b = 0 (so 0^0 has slope 0, as in the engine); the
            // exponent's partial y·ln a by torch's rule (`Op.powExponentPartial`): NaN for
            // a < 0, 0 at a = 0 with b ≥ 0, −∞ at a = 0 with b < 0 (y = ∞ times ln 0), written
            // without calling log at a ≤ 0 (Python's math.log raises there).
            let slope: ArrayExpr
            if case .number(let n) = b, n != 0 { slope = b * a ** (b - 1) } else {
                slope = .select(b, .equal, 0, 0, b * a ** (b - 1))
            }
            let atZero = ArrayExpr.select(b, .greaterOrEqual, 0, 0, .number(-.infinity))
            let exponent = ArrayExpr.select(a, .greater, 0, y * .call(.log, a), .select(a, .less, 0, .number(.nan), atZero))
            return CodeRule(forward: a ** b, vjp: [g * slope, g * exponent])
        // Unordered operands (a NaN) fall to a + b, which is NaN, as `Op.primal`.
        // The partials as torch.maximum's backward: 0 to the losing side, ½ each at a tie, and
        // the whole of g to both sides when a NaN makes them unordered (every comparison false).
        case .max:
            return CodeRule(forward: .select(a, .greaterOrEqual, b, a, .select(b, .greater, a, b, a + b)),
                            vjp: [g * .select(a, .less, b, 0, .select(a, .equal, b, 0.5, 1)),
                                  g * .select(a, .greater, b, 0, .select(a, .equal, b, 0.5, 1))])
        case .min:
            return CodeRule(forward: .select(a, .lessOrEqual, b, a, .select(b, .less, a, b, a + b)),
                            vjp: [g * .select(a, .greater, b, 0, .select(a, .equal, b, 0.5, 1)),
                                  g * .select(a, .less, b, 0, .select(a, .equal, b, 0.5, 1))])
        case .select:
            // Chosen, not multiplied: the dropped operand's NaN stays out.
            return CodeRule(forward: .select(b, .equal, 0, 0, a), vjp: [.select(b, .equal, 0, 0, g), 0 * g])
        case .leakyRelu:
            return CodeRule(forward: .select(a, .greater, 0, a, b * a),
                            vjp: [g * .select(a, .greater, 0, 1, b), g * .select(a, .greater, 0, 0, a)])
        case .compare(let c):
            // 1 or 0, chosen (a bare comparison would print True in Python); no gradient.
            let forward: ArrayExpr = switch c {
            case .less: .select(a, .less, b, 1, 0)
            case .lessOrEqual: .select(a, .lessOrEqual, b, 1, 0)
            case .greater: .select(a, .greater, b, 1, 0)
            case .greaterOrEqual: .select(a, .greaterOrEqual, b, 1, 0)
            case .equal: .select(a, .equal, b, 1, 0)
            case .notEqual: .select(a, .equal, b, 0, 1)
            }
            return CodeRule(forward: forward, vjp: [0 * g, 0 * g])
        case .stopGradient:
            return CodeRule(forward: a, vjp: [0 * g])
        case .neg:
            return CodeRule(forward: -a, vjp: [-g])
        case .unary(let f):
            return CodeRule(forward: .call(.op(f), a), vjp: [Op.chain(f, g, a, y)])
        case .matmul:
            // Ā = Ḡ Bᵀ and B̄ = Aᵀ Ḡ, with a vector on the left read as a row and on the
            // right as a column: a matrix's adjoint from a vector product is an outer product.
            switch (a.form, b.form) {
            case (.matrix, .matrix):
                return CodeRule(forward: .matmul(a, b), vjp: [.matmul(g, .transpose(b)), .matmul(.transpose(a), g)])
            case (.matrix, _):
                return CodeRule(forward: .matmul(a, b), vjp: [.outer(g, b), .matmul(.transpose(a), g)])
            case (_, .matrix):
                return CodeRule(forward: .matmul(a, b), vjp: [.matmul(b, g), .outer(a, g)])
            default:
                return CodeRule(forward: .matmul(a, b), vjp: [g * b, g * a])
            }
        case .sum:
            return CodeRule(forward: .total(a), vjp: [.spread(g, like: a.variable, a.form)])
        case .mean:
            let n = ArrayExpr.number(Double(a.form.count))
            return CodeRule(forward: .total(a) / n, vjp: [.spread(g / n, like: a.variable, a.form)])
        case .transpose:
            return CodeRule(forward: .transpose(a), vjp: [.transpose(g)])
        case .softmax:
            // ā = y ⊙ (ḡ − Σ ḡ⊙y), the sum taken over each row.
            return CodeRule(forward: .softmax(a), vjp: [y * (g - .rowTotal(g * y))])
        case .logsumexp:
            // max x + ln Σ e^(x − max x); ā = ḡ·e^(x − y), softmax.
            let top = ArrayExpr.maximum(a, rows: false)
            return CodeRule(forward: top + .call(.log, .total(.call(.exp, a - top))), vjp: [g * .call(.exp, a - y)])
        case .logSoftmax:
            // Per row (x − max) − ln Σ e^(x − max); ā = ḡ − e^y·Σ ḡ.
            let top = ArrayExpr.maximum(a, rows: true)
            return CodeRule(forward: (a - top) - .call(.log, .rowTotal(.call(.exp, a - top))),
                            vjp: [g - .call(.exp, y) * .rowTotal(g)])
        case .crossEntropy:
            return CodeRule(forward: -.total(b * .call(.log, a)), vjp: [-g * b / a, -g * .call(.log, a)])
        case .mse:
            let n = ArrayExpr.number(Double(Swift.max(a.form.count, b.form.count)))
            return CodeRule(forward: .total((a - b) ** 2) / n,
                            vjp: [g * 2 * (a - b) / n, -g * 2 * (a - b) / n])
        // Convolution and pooling: calls of the programs' loop helpers (WindowCode.swift).
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape, .gather, .along:
            return windowRule(x, entry: x.entries.entry, x.entries.a, x.entries.b)
        // Layers
        case .dropout:
            return CodeRule(forward: a * b, vjp: [g * b, g * a])
        case .batchNorm, .layerNorm:
            return normalizationRule(x)
        }
    }

    /// ḡ·f′(a) from the function's own rule (`UnaryFunction.derivative`), in the textbook
    /// forms ḡ/e for a rule 1/e and −ḡ·e for −e.
    static func chain(_ f: UnaryFunction, _ g: ArrayExpr, _ a: ArrayExpr, _ y: ArrayExpr) -> ArrayExpr {
        switch f.derivative {
        case .div(.number(1), let e): return g / term(e, a, y)
        case .neg(let e): return -g * term(e, a, y)
        case .number(0): return 0 * g
        case let rule: return g * term(rule, a, y)
        }
    }

    /// A rule of the op algebra as code, with its operand `x` and result `y`.
    static func term(_ f: Formula, _ x: ArrayExpr, _ y: ArrayExpr) -> ArrayExpr {
        switch f {
        case .x: return x
        case .y: return y
        case .number(let c): return .number(c)
        case .add(let a, let b): return term(a, x, y) + term(b, x, y)
        case .sub(let a, let b): return term(a, x, y) - term(b, x, y)
        case .mul(let a, let b): return term(a, x, y) * term(b, x, y)
        case .div(let a, let b): return term(a, x, y) / term(b, x, y)
        case .neg(let a): return -term(a, x, y)
        case .power(let a, let n): return term(a, x, y) ** .number(Double(n))
        case .apply(let g, let a): return .call(.op(g), term(a, x, y))
        case .positive(let a): return .indicator(term(a, x, y), .greater, 0)
        case .sign(let a): return .call(.sign, term(a, x, y))
        case .polygamma(let n, let a):
            // Only ψ (an op) and ψ′ (a helper every program with ψ defines) occur in a
            // first-order rule.
            precondition(n <= 1, "generated code has ψ and ψ′ only")
            return .call(n == 0 ? .op(.digamma) : .trigamma, term(a, x, y))
        }
    }

    /// Batch norm's (per column) or layer norm's (per row) ĥ = (a − μ)/σ with σ = √(σ² + ε),
    /// ε the operand `b`, and its VJPs (`Layers/Normalization.swift`):
    /// ā = (ḡ − mean ḡ − ĥ⊙mean(ḡ⊙ĥ))/σ and ε̄ = −Σ ḡ⊙ĥ/(2σ²).
    private func normalizationRule(_ x: Operands) -> CodeRule {
        let (a, b, y, g) = (x.a, x.b, x.y, x.g)
        let mean: (ArrayExpr) -> ArrayExpr
        if self == .batchNorm, case .matrix(let r, _) = a.form {
            mean = { .columnTotal($0) / .number(Double(r)) }
        } else if case .matrix(_, let c) = a.form {
            mean = { .rowTotal($0) / .number(Double(c)) }
        } else {
            mean = { .rowTotal($0) / .number(Double(a.form.count)) }
        }
        let centred = a - mean(a)
        let sigma = ArrayExpr.call(.sqrt, mean(centred ** 2) + b)
        return CodeRule(forward: centred / sigma,
                        vjp: [(g - mean(g) - y * mean(g * y)) / sigma, -.total(g * y / (2 * sigma ** 2))])
    }
}

extension ArrayExpr {
    /// The variable's name, for terms that are one.
    var variable: String {
        if case .name(let s, _) = self { return s }
        return ""
    }
}
