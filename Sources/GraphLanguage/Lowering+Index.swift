import GraphCore

// Indexing and slicing, `x[0]`, `W[:, 1]`, `W[1, :]`, `x[1:3]`, as NumPy reads them (an
// integer drops its axis, a slice keeps it; negative positions count from the end), each axis
// one `slice` op (Ops/AxisOps.swift): the adjoint of a selection scatters back to the selected
// elements and leaves the others zero.

extension Lowering {
    /// What one subscript selects along its axis: one position (the axis is dropped) or a
    /// range (kept).
    enum Selection {
        case position(Int)
        case range(Range<Int>)

    }

    /// Subscripts of a tensor of any rank, NumPy's way (`x[0]`, `W[:, 1]`, `x[0, :, 1:3]`),
    /// one axis at a time, each a `slice` op (a copy of the selected positions, O(n); its VJP
    /// puts the adjoint back in them and 0 elsewhere). A position drops its axis; a range
    /// keeps it; a whole axis (`:`) is no op.
    mutating func lowerIndex(_ base: Expr, _ subscripts: [Expr], whole: SourceRange) -> NodeID? {
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
        var dims = s.dims
        guard subscripts.count <= dims.count else {
            error("\(subscripts.count) subscripts for a tensor of rank \(s.rank)", at: whole,
                  hint: s.rank <= 2 ? "shape: \(s); a vector takes x[i], a matrix W[i, j]" : "shape: \(s)")
            skipUses(in: subscripts)
            return nil
        }
        var y = x, axis = 0, changed = false
        for (k, e) in subscripts.enumerated() {
            guard let selection = selection(e, extent: dims[axis]) else {
                skipUses(in: Array(subscripts[(k + 1)...]))
                return nil
            }
            let range: Range<Int>, drop: Bool
            switch selection {
            case .position(let i): (range, drop) = (i ..< i + 1, true)
            case .range(let r):
                if r == 0..<dims[axis] { axis += 1; continue }
                (range, drop) = (r, false)
            }
            guard let (picked, shape) = select(y, dims: dims, axis: axis, range: range, drop: drop, call) else { return nil }
            y = picked
            dims = shape
            if !drop { axis += 1 }
            changed = true
        }
        // `x[:]` or `x[:, :, :]` selects everything: still a node of its own.
        if !changed, let one = constant(.scalar, [1], call) { return node(.mul, x, one, call) }
        return y
    }

    /// The positions `range` of axis `axis` of y (of extents `dims`), the axis dropped when
    /// `drop` (one position) or kept: one `slice` op. Returns the node and its extents.
    mutating func select(_ y: NodeID, dims: [Int], axis: Int, range: Range<Int>, drop: Bool,
                         _ call: LayerCall) -> (NodeID, [Int])? {
        let shape = AxisOp.sliceShape(.tensor(dims), axis: axis, range: range, drop: drop)
        return along(.slice, y, nil, .along(axis: axis, start: range.lowerBound), shape, call).map { ($0, shape.dims) }
    }

    /// The axis op `f` on `a` (and `b`) giving `shape`, or nil with the error at the call.
    mutating func along(_ f: AxisOp, _ a: NodeID, _ b: NodeID?, _ window: Window, _ shape: Shape,
                        _ call: LayerCall) -> NodeID? {
        do {
            let node = try builder.apply(.along(f), a, b, window: window, shape: shape)
            ranges.append(call.whole)
            return node
        } catch {
            return shapeError(error.description, call, b.map { [a, $0] } ?? [a])
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
