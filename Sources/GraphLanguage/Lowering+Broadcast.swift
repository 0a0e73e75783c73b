import GraphCore

// NumPy's broadcasting across ranks and `keepdim=true`. The kernels broadcast a scalar over
// anything and a vector over a matrix's rows; any other pair that NumPy accepts (extents
// aligned from the right, each pair equal or one of them 1: a (C, 1, 1) over an image
// (C, H, W), a (2, 2) over a (2, 2, 2), a per-row (N, 1) over (N, C)) is written out here by
// expanding the smaller operand with a gather of its elements, so the broadcast is a node of
// its own and its VJP, a scatter-add, is the broadcast's sum: each element of the small
// operand receives the sum of the adjoints of every copy made of it, and the explanation
// lists them.

extension Lowering {
    /// The operands of `op` expanded to NumPy's broadcast shape, or nil when the shapes do
    /// not broadcast (the caller reports the kernels' error) or the expansion failed.
    mutating func broadcastAcrossRanks(_ op: Op, _ a: NodeID, _ b: NodeID, at range: SourceRange,
                                       whole: SourceRange?) -> (NodeID, NodeID)? {
        let (da, db) = (builder.shape(of: a).dims, builder.shape(of: b).dims)
        guard let target = Self.broadcastDims(da, db) else { return nil }
        let call = LayerCall(name: op.name, nameRange: range, whole: whole ?? range)
        guard let x = expand(a, to: target, call), let y = expand(b, to: target, call) else { return nil }
        return (x, y)
    }

    /// NumPy's broadcast of two shapes: extents aligned from the right, each pair equal or
    /// one of them 1 (a missing extent counts as 1); nil when they do not broadcast.
    static func broadcastDims(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        let pa = Array(repeating: 1, count: rank - a.count) + a, pb = Array(repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            guard x == y || x == 1 || y == 1 else { return nil }
            out.append(Swift.max(x, y))
        }
        return out
    }

    /// `x` copied out to the extents `target` (it broadcasts to them): the same node when it
    /// has them already, else its elements gathered by a constant index tensor of `target`'s
    /// shape whose element k is the position in x that element k of the result copies.
    private mutating func expand(_ x: NodeID, to target: [Int], _ call: LayerCall) -> NodeID? {
        let s = builder.shape(of: x)
        let dims = s.dims
        if dims == target { return x }
        guard fits([.tensor(target)], call) else { return nil }
        let padded = Array(repeating: 1, count: target.count - dims.count) + dims
        // Row-major strides of x, 0 along an axis it is copied along.
        var strides = [Int](repeating: 0, count: target.count), step = 1
        for axis in stride(from: target.count - 1, through: 0, by: -1) {
            strides[axis] = padded[axis] == 1 ? 0 : step
            step *= padded[axis]
        }
        let count = target.reduce(1, *)
        var index = [Double](repeating: 0, count: count)
        for k in 0..<count {
            var rest = k, at = 0
            for axis in stride(from: target.count - 1, through: 0, by: -1) {
                at += (rest % target[axis]) * strides[axis]
                rest /= target[axis]
            }
            index[k] = Double(at)
        }
        guard let flat = s.rank == 1 ? x : reshaped(x, .vector(s.count), call),
              let positions = constant(.tensor(target), index, call) else { return nil }
        return node(.gather, flat, positions, call)
    }

    /// The value of `keepdim=` (`true` or `false`, NumPy's `keepdims=` too); false when absent,
    /// nil after an error.
    mutating func keepsDimension(_ arguments: [Expr]) -> Bool? {
        guard let e = keyword("keepdim", in: arguments) ?? keyword("keepdims", in: arguments) else { return false }
        skipUses(in: [e])
        if case .name(let word) = e.kind, word == "true" || word == "false" { return word == "true" }
        error("keepdim must be 'true' or 'false'", at: e.range, hint: "keepdim=true keeps the reduced axis with extent 1, as PyTorch's keepdim=True")
        return nil
    }

    /// A reduction's result with the reduced axis kept as an extent of 1 (every axis for
    /// `axis` −1, a reduction over all elements), as `keepdim=True`: a reshape.
    mutating func keepingDimension(_ result: NodeID, of input: Shape, axis: Int, _ call: LayerCall) -> NodeID? {
        var dims = input.dims
        if axis == -1 {
            dims = dims.map { _ in 1 }
        } else {
            dims[axis] = 1
        }
        return reshaped(result, .tensor(dims), call)
    }
}
