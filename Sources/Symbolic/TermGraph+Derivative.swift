import GraphCore

// Symbolic differentiation: the chain rule applied to terms instead of numbers. The rules are
// one exhaustive switch over GraphCore's `Op` (a new op without a symbolic rule does not
// compile), and each is the symbolic twin of `Op.partials`: the same formula, written with
// terms, so that evaluating a symbolic derivative gives what forward and reverse mode give.
// At kinks the conventions are PyTorch's, as in the engine: relu'(0) = 0, abs'(0) = 0,
// a max/min tie splits the derivative in half.

extension TermGraph {
    /// The derivative of `root` with respect to the variable `name`, simplified.
    ///
    /// Walks the nodes under `root` in topological order, as forward mode walks a tape, and
    /// gives each node its derivative as a new term: ẏ = ∂y/∂a · ȧ + ∂y/∂b · ḃ. A shared
    /// subexpression is differentiated once (hash-consing makes the result a DAG), which is
    /// why `dagSize` of a derivative stays small while its `treeSize`, the expression a
    /// person would write out, swells.
    public mutating func derivative(of root: Term, wrt name: String) -> Term {
        let used = reachable(from: root)
        let zero = constant(0)
        var tangent = [Term](repeating: zero, count: used.count)
        for i in used.indices where used[i] {
            switch nodes[i] {
            case .constant:
                tangent[i] = zero
            case let .variable(v):
                tangent[i] = constant(v == name ? 1 : 0)
            case let .unary(op, a):
                tangent[i] = rule(op, a, a, result: Term(id: Int32(i)), tangent[Int(a.id)], zero)
            case let .binary(op, a, b):
                tangent[i] = rule(op, a, b, result: Term(id: Int32(i)), tangent[Int(a.id)], tangent[Int(b.id)])
            }
        }
        return tangent[Int(root.id)]
    }

    /// The `k`-th derivative of `root` (the 0th is `root` itself), by differentiating `k` times.
    public mutating func derivative(of root: Term, wrt name: String, order k: Int) -> Term {
        var d = root
        for _ in 0..<max(0, k) { d = derivative(of: d, wrt: name) }
        return d
    }

    /// The tangent of y = op(a, b) from the tangents `da`, `db` of its operands (`b` and `db`
    /// are ignored for a unary op): the symbolic form of `Op.partials`.
    private mutating func rule(_ op: Op, _ a: Term, _ b: Term, result y: Term, _ da: Term, _ db: Term) -> Term {
        // A node that does not depend on the variable: no partial is built at all.
        if isZero(da) && isZero(db) { return da }
        let one = constant(1)
        switch op {
        case .add:
            return add(da, db)
        case .sub:
            return sub(da, db)
        case .mul:
            return add(times(da, b), times(db, a))
        case .div:
            // (a/b)' = ȧ/b − a·ḃ/b²
            let partialA = isZero(da) ? da : div(da, b)
            return sub(partialA, isZero(db) ? db : div(mul(a, db), pow(b, 2)))
        case .pow:
            // (a^k)' = k·a^(k−1)·ȧ for a numeric k; otherwise also y·ln a·ḃ, which torch takes
            // as 0 where a = 0 and b ≥ 0 (NaN for a < 0): where(1 − [a = 0]·[b ≥ 0], y·ln a, 0).
            if let k = number(b) { return k == 0 || isZero(da) ? constant(0) : times(da, mul(constant(k), pow(a, k - 1))) }
            let partialA = isZero(da) ? da : times(da, mul(b, apply(.pow, a, sub(b, one))))
            guard !isZero(db) else { return partialA }
            let atZero = mul(sub(one, apply(.step, apply(.abs, a))), sub(one, apply(.step, neg(b))))
            return add(partialA, times(db, apply(.select, mul(y, apply(.ln, a)), sub(one, atZero))))
        case .max:
            return add(times(da, share(beaten: sub(b, a), beating: sub(a, b), a, b)),
                       times(db, share(beaten: sub(a, b), beating: sub(b, a), a, b)))
        case .min:
            return add(times(da, share(beaten: sub(a, b), beating: sub(b, a), a, b)),
                       times(db, share(beaten: sub(b, a), beating: sub(a, b), a, b)))
        case .select:
            // The mask is a 0/1 constant of the condition (its derivative is 0): the tangent is
            // the kept operand's, chosen, never multiplied.
            return isZero(da) ? da : apply(.select, da, b)
        case .leakyRelu:
            // a > 0 ? a : b·a, so ∂/∂a = step(a) + b·(1 − step(a)) and ∂/∂b = a·(1 − step(a)).
            let below = sub(one, apply(.step, a))
            return add(times(da, add(apply(.step, a), mul(b, below))), times(db, mul(a, below)))
        case .neg:
            return neg(da)
        // Flat on both sides of the jump (a comparison), or cut by definition (stop_gradient).
        case .compare, .stopGradient:
            return constant(0)
        case .unary(let f):
            return chain(f, a, y, da)
        case .input, .param, .constant, .matmul, .sum, .mean, .transpose, .softmax, .crossEntropy, .mse,
             .logsumexp, .logSoftmax:
            // `apply` never builds these, so no term holds one; `SymbolicFunction` refuses a
            // tape with a tensor op, naming it, before any term is made.
            preconditionFailure("\(op.name) cannot occur in a term")
        // Convolution and pooling: tensor ops, refused like matmul.
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape:
            preconditionFailure("\(op.name) cannot occur in a term")
        // Layers: `apply` turns dropout into `mul` and never builds the tensor ops, so no term
        // holds one; the rules are the product's and none.
        case .dropout:
            return add(times(da, b), times(db, a))
        case .batchNorm, .layerNorm, .gather, .along:
            preconditionFailure("\(op.name) cannot occur in a term")
        }
    }

    /// ȧ·f′(a), f′ the function's own rule (`UnaryFunction.derivative`) written with terms.
    /// A rule 1/e is built as ȧ/e and −e as −(ȧ·e), the textbook forms (`ȧ/a` for ln).
    private mutating func chain(_ f: UnaryFunction, _ a: Term, _ y: Term, _ da: Term) -> Term {
        if isZero(da) { return da }
        switch f.derivative {
        case .div(.number(1), let e): return div(da, term(e, a, y))
        case .neg(let e): return neg(times(da, term(e, a, y)))
        case .number(0): return constant(0)
        case let rule: return times(da, term(rule, a, y))
        }
    }

    /// A rule of the op algebra as a term, with its operand `x` and result `y`.
    private mutating func term(_ f: Formula, _ x: Term, _ y: Term) -> Term {
        switch f {
        case .x: return x
        case .y: return y
        case .number(let c): return constant(c)
        case .add(let a, let b): return add(term(a, x, y), term(b, x, y))
        case .sub(let a, let b): return sub(term(a, x, y), term(b, x, y))
        case .mul(let a, let b): return mul(term(a, x, y), term(b, x, y))
        case .div(let a, let b): return div(term(a, x, y), term(b, x, y))
        case .neg(let a): return neg(term(a, x, y))
        case .power(let a, let n): return pow(term(a, x, y), Double(n))
        case .apply(let g, let a): return apply(.unary(g), term(a, x, y))
        case .positive(let a): return apply(.step, term(a, x, y))
        case .sign(let a):
            let t = term(a, x, y)
            return sub(apply(.step, t), apply(.step, neg(t)))
        case .polygamma(let n, let a):
            // ψ itself is an op; its derivatives are not, and `SymbolicFunction` refuses
            // digamma of a variable before any term is made.
            guard n == 0 else { preconditionFailure("ψ⁽\(n)⁾ cannot occur in a term") }
            return apply(.digamma, term(a, x, y))
        }
    }

    private func isZero(_ t: Term) -> Bool { number(t) == 0 }

    /// `partial · tangent`, where the partial is put second so that the tangent 1 of the
    /// variable itself leaves the textbook form: σ(x)·(1 − σ(x)), not 1·σ(x)·(1 − σ(x)).
    private mutating func times(_ tangent: Term, _ partial: Term) -> Term {
        isZero(tangent) ? tangent : mul(partial, tangent)
    }

    /// An operand's share of the adjoint of max(a, b) or min(a, b), as torch.maximum's
    /// backward gives it: 0 where it is beaten (`beaten` > 0), ½ at a tie, 1 where it wins, and
    /// 1 also when a NaN leaves the two unordered. step(NaN) is 0, as step(0) is, so a tie is
    /// told from a NaN by step(|a| + |b| + 1), which is 1 unless a or b is NaN:
    /// 1 − step(beaten) − ½·(1 − step(beaten) − step(beating))·step(|a| + |b| + 1).
    private mutating func share(beaten: Term, beating: Term, _ a: Term, _ b: Term) -> Term {
        let one = constant(1)
        let lost = apply(.step, beaten)
        let ordered = apply(.step, add(add(apply(.abs, a), apply(.abs, b)), one))
        let tie = mul(sub(sub(one, lost), apply(.step, beating)), ordered)
        return sub(sub(one, lost), div(tie, constant(2)))
    }
}
