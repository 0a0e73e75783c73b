import GraphCore

// Indexing and slicing, `x[0]`, `W[:, 1]`, `W[1, :]`, `x[1:3]`, as NumPy reads them (an
// integer drops its axis, a slice keeps it; negative positions count from the end), written
// out as products with 0/1 selection matrices: the adjoint of a selection scatters back to
// the selected elements and leaves the others zero.

extension Lowering {
    /// What one subscript selects along its axis: one position (the axis is dropped) or a
    /// range (kept).
    enum Selection {
        case position(Int)
        case range(Range<Int>)

    }

    mutating func lowerIndex(_ base: Expr, _ subscripts: [Expr], whole: SourceRange) -> NodeID? {
        guard let x = lower(base) else {
            skipUses(in: subscripts)
            return nil
        }
        let call = LayerCall(name: "[]", nameRange: whole, whole: whole)
        let s = builder.shape(of: x)
        let extents = s.rank == 2 ? [Int(s.rows), Int(s.cols)] : [Int(s.rows)]
        guard !s.isScalar else {
            skipUses(in: subscripts)
            return shapeError("a scalar cannot be indexed", call, [x])
        }
        if s.rank > 2 { return indexTensor(x, s, subscripts, call) }
        guard subscripts.count <= extents.count else {
            error("\(subscripts.count) subscripts for a tensor of rank \(s.rank)", at: whole,
                  hint: "shape: \(s); a vector takes x[i], a matrix W[i, j]")
            skipUses(in: subscripts)
            return nil
        }
        var selections: [Selection] = []
        for (axis, e) in subscripts.enumerated() {
            guard let selection = selection(e, extent: extents[axis]) else {
                skipUses(in: Array(subscripts[(axis + 1)...]))
                return nil
            }
            selections.append(selection)
        }
        // Rows (axis 0): R @ x, with R a one-hot vector (a position) or a matrix (a range).
        var y = x
        if let rows = selections.first, !isWhole(rows, extents[0]) {
            guard let r = selector(rows, extent: extents[0], call), let picked = node(.matmul, r, y, call) else { return nil }
            y = picked
        }
        // Columns (axis 1) of a matrix: y @ C, on the row or rows picked above, with C a
        // one-hot vector or the (extent × count) matrix that places the kept columns.
        if selections.count == 2, !isWhole(selections[1], extents[1]) {
            let columns: NodeID?
            switch selections[1] {
            case .position: columns = selector(selections[1], extent: extents[1], call)
            case .range(let r): columns = placement(rows: extents[1], cols: r.count, offset: r.lowerBound, call)
            }
            guard let columns, let picked = node(.matmul, y, columns, call) else { return nil }
            y = picked
        }
        // `x[:]` or `W[:, :]` selects everything: still a node of its own.
        if y == x, let one = constant(.scalar, [1], call) { return node(.mul, x, one, call) }
        return y
    }

    /// Subscripts of a tensor of rank 3 or 4, NumPy's way (`x[0]`, `x[:, 1]`, `x[0, :, 1:3]`),
    /// one axis at a time. With x seen as (P, D, Q) around the axis, a selection of D′ of its
    /// D positions is a 0/1 matrix product: B (P·D′ × P·D) on the left of x as (P·D × Q), or
    /// C (D·Q × D′·Q) on the right of x as (P × D·Q), whichever is smaller. A position drops
    /// the axis; a range keeps it.
    private mutating func indexTensor(_ x: NodeID, _ s: Shape, _ subscripts: [Expr], _ call: LayerCall) -> NodeID? {
        var dims = s.dims
        guard subscripts.count <= dims.count else {
            error("\(subscripts.count) subscripts for a tensor of rank \(s.rank)", at: call.whole, hint: "shape: \(s)")
            skipUses(in: subscripts)
            return nil
        }
        var y = x, axis = 0, changed = false
        for (k, e) in subscripts.enumerated() {
            guard let selection = selection(e, extent: dims[axis]) else {
                skipUses(in: Array(subscripts[(k + 1)...]))
                return nil
            }
            let picks: [Int]
            switch selection {
            case .position(let i): picks = [i]
            case .range(let r):
                if r == 0..<dims[axis] { axis += 1; continue }
                picks = Array(r)
            }
            let drop: Bool
            if case .position = selection { drop = true } else { drop = false }
            guard let (picked, shape) = select(y, dims: dims, axis: axis, picks: picks, drop: drop, call) else { return nil }
            y = picked
            dims = shape
            if !drop { axis += 1 }
            changed = true
        }
        // `x[:]` or `x[:, :, :]` selects everything: still a node of its own.
        if !changed, let one = constant(.scalar, [1], call) { return node(.mul, x, one, call) }
        return y
    }

    /// The positions `picks` of axis `axis` of y (of extents `dims`), the axis dropped when
    /// `drop` (one position) or kept with `picks.count` positions: with y seen as (P, D, Q), a
    /// 0/1 product, B (P·D′ × P·D) on the left of y as (P·D × Q) or C (D·Q × D′·Q) on the right
    /// of y as (P × D·Q), whichever is smaller. Returns the node and its extents.
    mutating func select(_ y: NodeID, dims: [Int], axis: Int, picks: [Int], drop: Bool,
                         _ call: LayerCall) -> (NodeID, [Int])? {
        let d = dims[axis], kept = picks.count
        let p = dims[..<axis].reduce(1, *), q = dims[(axis + 1)...].reduce(1, *)
        let picked: NodeID?
        if p * p * d * kept <= d * kept * q * q {
            guard fits([.matrix(p * kept, p * d)], call) else { return nil }
            var b = [Double](repeating: 0, count: p * kept * p * d)
            for row in 0..<p { for (j, i) in picks.enumerated() { b[(row * kept + j) * (p * d) + row * d + i] = 1 } }
            guard let m = constant(.matrix(p * kept, p * d), b, call), let v = reshaped(y, .matrix(p * d, q), call) else { return nil }
            picked = node(.matmul, m, v, call)
        } else {
            guard fits([.matrix(d * q, kept * q)], call) else { return nil }
            var c = [Double](repeating: 0, count: d * q * kept * q)
            for (j, i) in picks.enumerated() { for col in 0..<q { c[(i * q + col) * (kept * q) + j * q + col] = 1 } }
            guard let m = constant(.matrix(d * q, kept * q), c, call), let v = reshaped(y, .matrix(p, d * q), call) else { return nil }
            picked = node(.matmul, v, m, call)
        }
        guard let picked else { return nil }
        var shape = dims
        if drop { shape.remove(at: axis) } else { shape[axis] = kept }
        if shape.isEmpty { return node(.sum, picked, nil, call).map { ($0, shape) } }
        if builder.shape(of: picked) == .tensor(shape) { return (picked, shape) }
        return reshaped(picked, .tensor(shape), call).map { ($0, shape) }
    }

    private func isWhole(_ s: Selection, _ extent: Int) -> Bool {
        if case .range(let r) = s { return r == 0..<extent }
        return false
    }

    /// A one-hot vector for a position; for a range, the (count × extent) matrix whose row k
    /// picks position start + k.
    private mutating func selector(_ s: Selection, extent: Int, _ call: LayerCall) -> NodeID? {
        switch s {
        case .position(let k):
            var e = [Double](repeating: 0, count: extent)
            e[k] = 1
            return constant(.vector(extent), e, call)
        case .range(let r):
            return placement(rows: extent, cols: r.count, offset: r.lowerBound, call).flatMap { node(.transpose, $0, nil, call) }
        }
    }

    /// The selection a subscript makes on an axis of `extent` elements, or nil with an error.
    private mutating func selection(_ e: Expr, extent: Int) -> Selection? {
        if case .slice(let start, let stop) = e.kind {
            var bounds: [Int?] = [nil, nil]
            for (k, bound) in [start, stop].enumerated() {
                guard let bound else { continue }
                guard let x = integer(bound) else {
                    if k == 0, let stop { skipUses(in: [stop]) }
                    return nil
                }
                // Python clamps a slice's bounds to the axis.
                let b = x < 0 ? x + extent : x
                bounds[k] = Swift.min(Swift.max(b, 0), extent)
            }
            let lower = bounds[0] ?? 0, upper = bounds[1] ?? extent
            guard lower < upper else {
                error("the slice \(e) of an axis of \(extent) elements is empty", at: e.range,
                      hint: "a slice a:b takes positions a … b − 1")
                return nil
            }
            return .range(lower..<upper)
        }
        guard let x = integer(e) else { return nil }
        guard x >= -extent, x < extent else {
            error("index \(x) is out of range for an axis of \(extent) elements", at: e.range,
                  hint: "positions run from 0 to \(extent - 1), or from −\(extent) counting from the end")
            return nil
        }
        return .position(x < 0 ? x + extent : x)
    }

    /// A whole number written in the subscript, or nil with an error.
    private mutating func integer(_ e: Expr) -> Int? {
        guard let x = number(e, "a subscript") else { return nil }
        guard x == x.rounded(), Swift.abs(x) < 1e9 else {
            error("a subscript must be a whole number", at: e.range)
            return nil
        }
        return Int(x)
    }
}
