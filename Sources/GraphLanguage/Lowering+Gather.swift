import GraphCore

// Integer index tensors, as NumPy and PyTorch read them: `C[X]` gathers the rows of C at the
// positions X holds (an embedding lookup), `P[I, J]` the elements (I[k], J[k]) (with
// `arange(N)` and labels y, one element per row: `P[arange(N), y]`), `P[:, J]` columns;
// `one_hot(y, C)` gathers rows of the identity, and `cross_entropy(logits, y)` with integer
// labels is F.cross_entropy's −mean(log_softmax(logits)[arange(N), y]). Each is the `gather`
// op (GraphCore/Gather.swift), whose VJP scatter-adds into the rows it copied.

extension Lowering {
    /// True for a subscript that is an index tensor (a name, a literal `[2, 0, 2]`, a call)
    /// rather than a position written out (`2`, `-1`) or a slice.
    static func isIndexTensor(_ e: Expr) -> Bool {
        switch e.kind {
        case .number, .slice, .keyword: return false
        case .unary(_, let inner):
            if case .number = inner.kind { return false }
            return true
        case .name, .binary, .call, .tensor, .index: return true
        }
    }

    /// `x[X]`, `P[I, J]`, `P[X, :]`, `P[:, J]` with integer tensors: gathers.
    mutating func lowerGather(_ base: Expr, _ subscripts: [Expr], whole: SourceRange) -> NodeID? {
        guard let x = lower(base) else {
            skipUses(in: subscripts)
            return nil
        }
        let call = LayerCall(name: "[]", nameRange: whole, whole: whole)
        let s = builder.shape(of: x)
        guard !s.isScalar else {
            skipUses(in: subscripts)
            return shapeError("a scalar cannot be indexed", call, [x])
        }
        if subscripts.count == 1 {
            guard let index = indexTensor(subscripts[0], extent: s.dims[0], axis: "axis 0") else { return nil }
            return node(.gather, x, index, call)
        }
        guard subscripts.count == 2, s.rank == 2 else {
            error("an index tensor with \(subscripts.count) subscripts on a tensor of shape \(s)", at: whole,
                  hint: "index tensors go in x[X] (rows of any tensor) or P[I, J], P[X, :], P[:, J] on a matrix")
            skipUses(in: subscripts)
            return nil
        }
        let (rows, cols) = (Int(s.rows), Int(s.cols))
        if Self.isWholeSlice(subscripts[1]) {  // P[X, :] is P[X]
            guard let index = indexTensor(subscripts[0], extent: rows, axis: "axis 0") else { return nil }
            return node(.gather, x, index, call)
        }
        if Self.isWholeSlice(subscripts[0]) {  // P[:, J]: the columns, as rows of Pᵀ, turned back
            guard let index = indexTensor(subscripts[1], extent: cols, axis: "axis 1") else { return nil }
            guard builder.shape(of: index).rank <= 1 else {
                error("P[:, J] takes a vector or a number J", at: subscripts[1].range, hint: "shape of J: \(builder.shape(of: index))")
                return nil
            }
            guard let t = node(.transpose, x, nil, call), let picked = node(.gather, t, index, call) else { return nil }
            return builder.shape(of: picked).rank == 2 ? node(.transpose, picked, nil, call) : picked
        }
        for (k, e) in subscripts.enumerated() where e.kind.isSlice {
            error("a slice beside an index tensor", at: e.range,
                  hint: "write P[I, J] with two index tensors (or numbers), P[X, :] or P[:, J]; slice the result afterwards")
            skipUses(in: Array(subscripts[(k + 1)...]))
            return nil
        }
        // Elements (I[k], J[k]): position I·cols + J of P read as one row of rows·cols.
        guard let i = indexTensor(subscripts[0], extent: rows, axis: "axis 0") else {
            skipUses(in: [subscripts[1]])
            return nil
        }
        guard let j = indexTensor(subscripts[1], extent: cols, axis: "axis 1") else { return nil }
        let (si, sj) = (builder.shape(of: i), builder.shape(of: j))
        guard si == sj || si.isScalar || sj.isScalar else {
            error("the index tensors of P[I, J] have shapes \(si) and \(sj)", at: whole,
                  hint: "I and J pick elements pairwise: give them one shape (or one a number)")
            return nil
        }
        guard let i0 = nonnegative(i, extent: rows, call), let j0 = nonnegative(j, extent: cols, call),
              let width = scalar(Double(cols), call), let scaled = node(.mul, i0, width, call),
              let flat = node(.add, scaled, j0, call),
              let line = reshaped(x, .vector(rows * cols), call) else { return nil }
        return node(.gather, line, flat, call)
    }

    /// An index tensor for an axis of `extent` positions: its positions are checked now when
    /// its numbers are known (a literal, a const, an input's value, a data file's column).
    mutating func indexTensor(_ e: Expr, extent: Int, axis: String) -> NodeID? {
        guard let index = lower(e) else { return nil }
        if let values = builder.leafValues(of: index).map(Array.init) ?? builder.constantValues(of: index) {
            for v in values where Op.gatherRow(v, rows: extent) == nil {
                let hint = "positions on \(axis) run from 0 to \(extent - 1), or from −\(extent) counting from the end"
                if v.isNaN || v != v.rounded() {
                    error("an index tensor holds \(Format.short(v)), which is not a whole number", at: e.range,
                          hint: "index tensors hold positions, whole numbers such as [2, 0, 2]")
                } else {
                    error("index \(Format.short(v)) is out of range for \(axis), of \(extent) elements", at: e.range, hint: hint)
                }
                return nil
            }
        }
        return index
    }

    /// The index tensor with negative positions counted from the end, for `P[I, J]`'s flat
    /// position I·cols + J: the same node when its numbers are known to be ≥ 0 (or unknown).
    private mutating func nonnegative(_ index: NodeID, extent: Int, _ call: LayerCall) -> NodeID? {
        guard let values = builder.leafValues(of: index), values.contains(where: { $0 < 0 }) else { return index }
        let s = builder.shape(of: index)
        return constant(s, values.map { $0 < 0 ? $0 + Double(extent) : $0 }, call)
    }

    static func isWholeSlice(_ e: Expr) -> Bool {
        if case .slice(nil, nil) = e.kind { return true }
        return false
    }

    /// `one_hot(y, C)`: row y[k] of the C × C identity for each label, as
    /// `F.one_hot(y, num_classes=C)` (in floats): y's extents then C.
    mutating func lowerOneHot(_ arguments: [Expr], nameRange: SourceRange, whole: SourceRange) -> NodeID? {
        let call = LayerCall(name: "one_hot", nameRange: nameRange, whole: whole)
        guard arguments.count == 2, !arguments.contains(where: \.isKeyword) else {
            error("one_hot takes the labels and the number of classes, got \(arguments.count) argument\(arguments.count == 1 ? "" : "s")", at: whole,
                  hint: "write one_hot(y, C), e.g. one_hot([2, 0], 3)")
            skipUses(in: arguments)
            return nil
        }
        guard let classes = number(arguments[1], "the number of classes") else {
            skipUses(in: [arguments[0]])
            return nil
        }
        guard classes >= 1, classes == classes.rounded(), classes <= 4096 else {
            error("the number of classes must be a whole number from 1 to 4096", at: arguments[1].range)
            skipUses(in: [arguments[0]])
            return nil
        }
        let c = Int(classes)
        guard fits([.matrix(c, c)], call) else {
            skipUses(in: [arguments[0]])
            return nil
        }
        var identity = [Double](repeating: 0, count: c * c)
        for k in 0..<c { identity[k * c + k] = 1 }
        guard let labels = indexTensor(arguments[0], extent: c, axis: "the classes"),
              let eye = constant(.matrix(c, c), identity, call) else { return nil }
        return node(.gather, eye, labels, call)
    }

    /// True when `cross_entropy(a, b)` has integer labels: `b` one rank below `a` with
    /// `a`'s leading extents, (N × C) logits with N labels or C logits with one label.
    func hasLabels(_ logits: NodeID, _ labels: NodeID) -> Bool {
        let (a, b) = (builder.shape(of: logits), builder.shape(of: labels))
        return (a.rank == 1 || a.rank == 2) && b.dims == Array(a.dims.dropLast())
    }

    /// `cross_entropy(logits, y)` with integer labels, as `F.cross_entropy`: the log-softmax of
    /// each row, the entry of each row's label picked, their mean over the batch, negated.
    mutating func crossEntropyWithLabels(_ logits: NodeID, _ labels: NodeID, _ e: Expr,
                                         nameRange: SourceRange, whole: SourceRange) -> NodeID? {
        let call = LayerCall(name: "cross_entropy", nameRange: nameRange, whole: whole)
        let s = builder.shape(of: logits)
        let classes = s.dims.last ?? 1, batch = s.rank == 2 ? Int(s.rows) : 1
        if let values = builder.leafValues(of: labels).map(Array.init) ?? builder.constantValues(of: labels) {
            for v in values where v != v.rounded() || v < 0 || v >= Double(classes) {
                error("a label of cross_entropy is \(Format.short(v)); labels are classes 0 to \(classes - 1)", at: e.range,
                      hint: "cross_entropy(logits, y) takes (N × C) logits and N whole-number labels; for probabilities give targets of the logits' shape")
                return nil
            }
        }
        guard let logProbabilities = node(.logSoftmax, logits, nil, call) else { return nil }
        let picked: NodeID?
        if batch == 1 && s.rank == 1 {
            picked = node(.gather, logProbabilities, labels, call)
        } else {
            let rows = (0..<batch).map { Double($0 * classes) }
            guard let starts = constant(.vector(batch), rows, call), let flat = node(.add, starts, labels, call),
                  let line = reshaped(logProbabilities, .vector(batch * classes), call) else { return nil }
            picked = node(.gather, line, flat, call)
        }
        guard let picked, let average = node(.mean, picked, nil, call) else { return nil }
        return node(.neg, average, nil, call)
    }
}

extension Expr.Kind {
    var isSlice: Bool {
        if case .slice = self { return true }
        return false
    }
}
