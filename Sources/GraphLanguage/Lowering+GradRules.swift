import GraphCore

// The vector-Jacobian product of every op written as nodes of ordinary ops, for the inner
// sweep of `grad(expr, x)` (Lowering+Grad.swift). The engine's evaluators compute the same
// products as numbers (`TapeEntry.adjoint`); here each is built from ops, so the outer sweep
// can differentiate through it again. An elementwise function's partial is its one
// definition, `UnaryFunction.derivative`, turned into nodes (`formulaNodes`); the other ops
// follow their kernels' rules, conventions at undefined points included (ties of max and min
// split, relu′(0) = 0, pow's ∂/∂b = 0 at a = 0, 0·ln 0 = 0 in cross-entropy), and
// `GradTests` checks every op's rule against the engine's adjoints.

/// Why the inner sweep stopped: an op whose VJP is not written in ops (named in the error),
/// or a node that could not be added (its error already reported).
enum GradFailure: Error {
    case unsupported(Op, because: String)
    case failed
}

/// An adjoint of the inner sweep: the seed 1 of the expression (which products skip and a
/// sum passes on, so it is written as a node only where a rule needs it), or a node.
enum Adjoint {
    case one
    case node(NodeID)
}

/// What one `grad` call's sweep keeps while it writes nodes: the scalar constants made so
/// far, one node each.
struct GradSweep {
    var constants: [Double: NodeID] = [:]
    let call: LayerCall
}

extension Lowering {
    /// Operand `k`'s share of the adjoint `g` of node `i`, as a node of the operand's shape;
    /// nil when the op sends it none (a comparison, stop_gradient, an index tensor).
    mutating func vjp(_ k: Int, of i: NodeID, _ adjoint: Adjoint, _ s: inout GradSweep) throws(GradFailure) -> NodeID? {
        // The seed becomes a node only where a rule needs it as an operand.
        func g() throws(GradFailure) -> NodeID { try value(adjoint, &s) }
        let op = builder.op(of: i), operands = builder.operands(of: i)
        let a = operands[0], b = operands.count > 1 ? operands[1] : operands[0], target = operands[k]
        switch op {
        case .input, .param, .constant, .compare, .stopGradient:
            return nil
        case .add:
            return try reduced(g(), to: target, &s)
        case .sub:
            return try reduced(k == 0 ? g() : n(.neg, g(), nil, s), to: target, &s)
        case .mul, .dropout:
            return try reduced(times(adjoint, k == 0 ? b : a, s), to: target, &s)
        case .div:
            // ∂/∂a = 1/b; ∂/∂b = −a/b² = −y/b.
            if k == 0 { return try reduced(n(.div, g(), b, s), to: target, &s) }
            return try reduced(n(.neg, n(.div, times(adjoint, i, s), b, s), nil, s), to: target, &s)
        case .pow:
            return try reduced(times(adjoint, k == 0 ? powBasePartial(a, b, &s) : powExponentPartial(a, b, i, &s), s), to: target, &s)
        case .max, .min:
            // 1 to the operand that wins, half to each at a tie (torch.maximum's backward).
            let (mine, other) = k == 0 ? (a, b) : (b, a)
            let wins = try n(.compare(op == .max ? .greater : .less), mine, other, s)
            let tie = try n(.mul, n(.compare(.equal), a, b, s), constant(0.5, &s), s)
            return try reduced(times(adjoint, n(.add, wins, tie, s), s), to: target, &s)
        case .leakyRelu:
            // a > 0: (1, 0); otherwise (the slope b, a).
            let positive = try n(.compare(.greater), a, constant(0, &s), s)
            let rest = try n(.sub, constant(1, &s), positive, s)
            let partial = k == 0 ? try n(.add, positive, n(.mul, rest, b, s), s) : try n(.mul, rest, a, s)
            return try reduced(times(adjoint, partial, s), to: target, &s)
        case .select:
            return k == 0 ? try reduced(n(.select, g(), b, s), to: target, &s) : nil
        case .neg:
            return try n(.neg, g(), nil, s)
        case .unary(let f):
            if f.derivative == .number(0) { return nil }
            return try times(adjoint, formulaNodes(f.derivative, of: f, x: a, y: i, &s), s)
        case .matmul:
            return try matmulVJP(k, a, b, adjoint, &s)
        case .sum, .mean:
            let shape = builder.shape(of: a)
            let share = op == .sum ? try g() : try n(.mul, g(), constant(1 / Double(shape.count), &s), s)
            return shape.isScalar ? share : try n(.mul, ones(shape, &s), share, s)
        case .transpose:
            return try n(.transpose, g(), nil, s)
        case .softmax:
            // y ⊙ (ḡ − Σ ḡ⊙y), the sum along each row.
            return try n(.mul, i, n(.sub, g(), rowSums(n(.mul, g(), i, s), &s), s), s)
        case .logsumexp:
            // ḡ · softmax(a), softmax over every element being e^(a − y).
            return try times(adjoint, n(.exp, n(.sub, a, i, s), nil, s), s)
        case .logSoftmax:
            // ḡ − softmax(a) · Σ ḡ per row, softmax(a) = e^y.
            return try n(.sub, g(), n(.mul, n(.exp, i, nil, s), rowSums(g(), &s), s), s)
        case .crossEntropy:
            return try crossEntropyVJP(k, p: a, t: b, adjoint, &s)
        case .mse:
            // ±2(a − b)/n, n the broadcast count.
            let count = Swift.max(builder.shape(of: a).count, builder.shape(of: b).count)
            let scale = try times(adjoint, constant((k == 0 ? 2 : -2) / Double(count), &s), s)
            return try reduced(n(.mul, n(.sub, a, b, s), scale, s), to: target, &s)
        case .reshape:
            guard let back = try reshaped(g(), builder.shape(of: a), s.call) else { throw .failed }
            return back
        case .gather:
            return k == 0 ? try gatherVJP(a, b, g(), &s) : nil
        case .along(let f):
            return try alongVJP(f, k, of: i, g(), &s)
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .batchNorm, .layerNorm:
            throw .unsupported(op, because: "its VJP is not written in ops yet")
        }
    }

    // MARK: - Rules that need more than one line

    /// pow's ∂/∂a = b·a^(b−1), 0 where b = 0 (as the engine's rule, so 0⁰'s slope is 0).
    /// A constant exponent is written out: x^2 gives 2·x, x^3 gives 3·x^2.
    private mutating func powBasePartial(_ a: NodeID, _ b: NodeID, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        if builder.isConstant(b), builder.shape(of: b).isScalar, let c = builder.leafValues(of: b)?.first {
            if c == 0 { return try constant(0, &s) }
            if c == 1 { return try constant(1, &s) }
            if c == 2 { return try n(.mul, constant(2, &s), a, s) }
            return try n(.mul, b, n(.pow, a, constant(c - 1, &s), s), s)
        }
        let slope = try n(.mul, b, n(.pow, a, n(.sub, b, constant(1, &s), s), s), s)
        return try n(.select, slope, n(.compare(.notEqual), b, constant(0, &s), s), s)
    }

    /// pow's ∂/∂b = y·ln a by torch's rule: 0 where a = 0 and b ≥ 0. The select drops the
    /// −∞ of ln 0 there rather than multiplying it by 0.
    private mutating func powExponentPartial(_ a: NodeID, _ b: NodeID, _ y: NodeID, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        let zero = try constant(0, &s)
        let keep = try n(.max, n(.compare(.notEqual), a, zero, s), n(.compare(.less), b, zero, s), s)
        return try n(.select, n(.mul, y, n(.ln, a, nil, s), s), keep, s)
    }

    /// Ā += Ḡ·Bᵀ and B̄ += Aᵀ·Ḡ, a vector being one row on the left and one column on the right.
    private mutating func matmulVJP(_ k: Int, _ a: NodeID, _ b: NodeID, _ adjoint: Adjoint, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        let shapes = (builder.shape(of: a).rank, builder.shape(of: b).rank)
        // vector · vector: ḡ is a scalar, each side gets ḡ times the other.
        if shapes.0 < 2 && shapes.1 < 2 { return try times(adjoint, k == 0 ? b : a, s) }
        let g = try value(adjoint, &s)
        if shapes.0 == 2 && shapes.1 == 2 {
            return k == 0 ? try n(.matmul, g, n(.transpose, b, nil, s), s) : try n(.matmul, n(.transpose, a, nil, s), g, s)
        }
        if shapes.0 == 2 {  // matrix · vector
            return k == 0 ? try outer(g, b, &s) : try n(.matmul, n(.transpose, a, nil, s), g, s)
        }
        return k == 0 ? try n(.matmul, b, g, s) : try outer(a, g, &s)  // vector · matrix
    }

    /// −Σ xlogy(t, p): ∂/∂p = −t/p, 0 where t = 0; ∂/∂t = −ln p, 0 where t = 0 and p ≤ 0
    /// (PyTorch's xlogy gradient). Selects drop the NaN and ∞ of those places.
    private mutating func crossEntropyVJP(_ k: Int, p: NodeID, t: NodeID, _ g: Adjoint, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        let zero = try constant(0, &s)
        let targeted = try n(.compare(.notEqual), t, zero, s)
        let partial: NodeID
        if k == 0 {
            partial = try n(.select, n(.div, t, p, s), targeted, s)
        } else {
            partial = try n(.select, n(.ln, p, nil, s), n(.max, targeted, n(.compare(.greater), p, zero, s), s), s)
        }
        return try n(.neg, times(g, partial, s), nil, s)
    }

    /// `C[X]`'s VJP as a product: C̄ = Sᵀ @ Ḡ with S the one-hot rows of X, so a row picked
    /// twice receives both. Written for a vector of indices known when the graph is built.
    private mutating func gatherVJP(_ c: NodeID, _ x: NodeID, _ g: NodeID, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        let shape = builder.shape(of: c), rows = shape.dims.first ?? 1
        guard builder.shape(of: x).rank == 1, shape.rank <= 2, let indices = builder.leafValues(of: x) else {
            throw .unsupported(.gather, because: "its VJP is written in ops only for a vector of constant indices into a vector or matrix")
        }
        let count = indices.count
        guard fits([.matrix(rows, count)], s.call) else { throw .failed }
        var picks = [Double](repeating: 0, count: rows * count)
        for (j, value) in indices.enumerated() {
            guard let r = Op.gatherRow(value, rows: rows) else { throw .failed }
            picks[r * count + j] = 1
        }
        guard let spread = constant(.matrix(rows, count), picks, s.call) else { throw .failed }
        return try n(.matmul, spread, g, s)
    }

    /// The elementwise partial `formula` of `f` (over its operand x and result y) as nodes.
    private mutating func formulaNodes(_ formula: Formula, of f: UnaryFunction, x: NodeID, y: NodeID,
                                       _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        func sub(_ e: Formula) throws(GradFailure) -> NodeID { try formulaNodes(e, of: f, x: x, y: y, &s) }
        switch formula {
        case .x: return x
        case .y: return y
        case .number(let c): return try constant(c, &s)
        case .add(let l, let r): return try n(.add, sub(l), sub(r), s)
        case .sub(let l, let r): return try n(.sub, sub(l), sub(r), s)
        case .mul(let l, let r): return try n(.mul, sub(l), sub(r), s)
        case .div(let l, let r): return try n(.div, sub(l), sub(r), s)
        case .neg(let e): return try n(.neg, sub(e), nil, s)
        case .power(let e, let k): return try n(.pow, sub(e), constant(Double(k), &s), s)
        case .apply(let h, let e): return try n(.unary(h), sub(e), nil, s)
        case .positive(let e): return try n(.compare(.greater), sub(e), constant(0, &s), s)
        case .sign(let e):
            let v = try sub(e), zero = try constant(0, &s)
            return try n(.sub, n(.compare(.greater), v, zero, s), n(.compare(.less), v, zero, s), s)
        case .polygamma(0, let e): return try n(.digamma, sub(e), nil, s)
        case .polygamma:
            throw .unsupported(.unary(f), because: "its derivative, a polygamma function, is not an op of the language")
        }
    }

    // MARK: - Building blocks

    /// `op(a, b)` as a node; `.failed` when the lowering refused it (its error is reported).
    mutating func n(_ op: Op, _ a: NodeID, _ b: NodeID?, _ s: GradSweep) throws(GradFailure) -> NodeID {
        guard let node = node(op, a, b, s.call) else { throw .failed }
        return node
    }

    /// ḡ times a partial, skipping the product when ḡ is the seed 1.
    mutating func times(_ g: Adjoint, _ partial: NodeID, _ s: GradSweep) throws(GradFailure) -> NodeID {
        switch g {
        case .one: partial
        case .node(let node): try n(.mul, node, partial, s)
        }
    }

    /// An adjoint as a node: the seed as the constant 1.
    mutating func value(_ g: Adjoint, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        switch g {
        case .one: try constant(1, &s)
        case .node(let node): node
        }
    }

    /// One scalar constant node per value in a sweep.
    mutating func constant(_ value: Double, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        if let known = s.constants[value] { return known }
        guard let node = scalar(value, s.call) else { throw .failed }
        s.constants[value] = node
        return node
    }

    mutating func ones(_ shape: Shape, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        guard fits([shape], s.call), let node = constant(shape, [Double](repeating: 1, count: shape.count), s.call) else { throw .failed }
        return node
    }

    /// A broadcast elementwise op's share summed back to the operand's shape: over every
    /// element for a scalar operand, down the rows for a vector added to each row.
    private mutating func reduced(_ t: NodeID, to operand: NodeID, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        let from = builder.shape(of: t), to = builder.shape(of: operand)
        if from == to { return t }
        if to.isScalar { return try n(.sum, t, nil, s) }
        let rows = Int(from.rows), cols = Int(from.cols)
        guard to.rank == 1, from.rank >= 2, Int(to.rows) == cols else { throw .failed }
        var matrix = t
        if from.rank > 2 {
            guard let m = reshaped(t, .matrix(rows, cols), s.call) else { throw .failed }
            matrix = m
        }
        return try n(.matmul, ones(.vector(rows), &s), matrix, s)
    }

    /// Each row's sum repeated along the row (a vector's sum as a scalar), as softmax's VJP
    /// needs it: t @ 1 (c × c), through a matrix view for a tensor of rank 3 or 4.
    private mutating func rowSums(_ t: NodeID, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        let shape = builder.shape(of: t), rows = Int(shape.rows), cols = Int(shape.cols)
        switch shape.rank {
        case 0: return t
        case 1: return try n(.sum, t, nil, s)
        case 2: return try n(.matmul, t, ones(.matrix(cols, cols), &s), s)
        default:
            guard let m = reshaped(t, .matrix(rows, cols), s.call) else { throw .failed }
            let summed = try n(.matmul, m, ones(.matrix(cols, cols), &s), s)
            guard let back = reshaped(summed, shape, s.call) else { throw .failed }
            return back
        }
    }

    /// u vᵀ for vectors u [m] and v [k]: the rows of 1 (k × m) ⊙ u, transposed, times v.
    private mutating func outer(_ u: NodeID, _ v: NodeID, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        let m = Int(builder.shape(of: u).rows), k = Int(builder.shape(of: v).rows)
        let columns = try n(.transpose, n(.mul, ones(.matrix(k, m), &s), u, s), nil, s)
        return try n(.mul, columns, v, s)
    }
}
