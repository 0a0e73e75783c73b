import GraphCore

// Sums, means, variances and maxima along an axis: the sum one `sum_axis` op (O(n), its VJP
// repeats the adjoint along the axis), the others written with it, with slices and with
// elementwise ops (ties of a maximum split the gradient evenly).
extension Lowering {
    /// Σ along `axis`: the whole of a vector (`sum`), one `sum_axis` op for a matrix or a
    /// tensor of rank 3 or 4, the axis dropped (`sum(x, axis=1)` of (N, C, H, W) is (N, H, W)).
    mutating func sum(_ x: NodeID, axis: Int, _ call: LayerCall) -> NodeID? {
        let s = builder.shape(of: x)
        if s.rank == 1 { return node(.sum, x, nil, call) }
        return along(.sum, x, nil, .along(axis: axis), AxisOp.reducedShape(s, axis: axis, keep: false), call)
    }

    /// `max`, `var` or `std` along an axis (of any rank for `max`, rank 3 or 4 for the others),
    /// over its D slices along the axis (each a `slice` op): the maximum as a chain of elementwise `max` (a
    /// tie splits the adjoint, as for matrices); the biased variance in two passes,
    /// Σ (slice − μ)² / D with μ the mean along the axis.
    mutating func reduceTensorBySlices(_ f: LayerFunction, _ x: NodeID, axis: Int, _ call: LayerCall) -> NodeID? {
        let dims = builder.shape(of: x).dims, d = dims[axis]
        var slices: [NodeID] = []
        for i in 0..<d {
            guard let (slice, _) = select(x, dims: dims, axis: axis, range: i ..< i + 1, drop: true, call) else { return nil }
            slices.append(slice)
        }
        if f == .max {
            var best = slices[0]
            for slice in slices.dropFirst() {
                guard let m = node(.max, best, slice, call) else { return nil }
                best = m
            }
            return splittingTies(best, slices, call)
        }
        guard let mu = mean(x, axis: axis, call) else { return nil }
        var total: NodeID?
        for slice in slices {
            guard let diff = node(.sub, slice, mu, call), let square = node(.mul, diff, diff, call) else { return nil }
            if let t = total {
                guard let sum = node(.add, t, square, call) else { return nil }
                total = sum
            } else {
                total = square
            }
        }
        guard let total, let n = scalar(Double(d), call), let variance = node(.div, total, n, call) else { return nil }
        return f == .std ? node(.sqrt, variance, nil, call) : variance
    }

    /// The number of elements each sum along `axis` adds.
    func length(_ x: NodeID, axis: Int) -> Int {
        let s = builder.shape(of: x)
        if s.rank >= 3 { return s.dims[axis] }
        return s.rank == 2 && axis == 1 ? Int(s.cols) : Int(s.rows)
    }

    mutating func mean(_ x: NodeID, axis: Int, _ call: LayerCall) -> NodeID? {
        guard let total = sum(x, axis: axis, call), let n = scalar(Double(length(x, axis: axis)), call) else { return nil }
        return node(.div, total, n, call)
    }

    /// The biased variance (divided by n, PyTorch's `unbiased=False`) along axis 0 of a
    /// matrix (per column) or over a vector; axis 1 is taken on the transpose.
    mutating func variance(_ x: NodeID, axis: Int, _ call: LayerCall) -> NodeID? {
        var x = x
        if builder.shape(of: x).rank == 2 && axis == 1 {
            guard let t = node(.transpose, x, nil, call) else { return nil }
            x = t
        }
        guard let mu = mean(x, axis: 0, call), let d = node(.sub, x, mu, call),
              let d2 = node(.mul, d, d, call) else { return nil }
        return mean(d2, axis: 0, call)
    }

    /// `best`, the maximum of `slices` by a chain of elementwise `max`, plus Σ dᵢ·onᵢ / Σ onᵢ
    /// with dᵢ = sliceᵢ − best and onᵢ = 1 − step(|dᵢ|) (1 where slice i ties the maximum): a
    /// term that is exactly 0 (each dᵢ·onᵢ is 0) but whose gradient sends each tied slice
    /// 1/k of the adjoint and takes the chain's uneven shares back, as torch's `amax` and JAX
    /// split a tie (the chain alone gives [¼, ¼, ½] for three equal entries). The onᵢ are
    /// steps, whose derivative is 0.
    mutating func splittingTies(_ best: NodeID, _ slices: [NodeID], _ call: LayerCall) -> NodeID? {
        guard slices.count > 1, let one = scalar(1, call) else { return best }
        var count: NodeID?, weighted: NodeID?
        for slice in slices {
            guard let d = node(.sub, slice, best, call), let size = node(.abs, d, nil, call),
                  let off = node(.step, size, nil, call), let on = node(.sub, one, off, call),
                  let term = node(.mul, d, on, call) else { return nil }
            guard let c = count.map({ node(.add, $0, on, call) }) ?? on,
                  let w = weighted.map({ node(.add, $0, term, call) }) ?? term else { return nil }
            count = c
            weighted = w
        }
        guard let count, let weighted, let share = node(.div, weighted, count, call) else { return nil }
        return node(.add, best, share, call)
    }

    mutating func lowerReduction(_ f: LayerFunction, _ call: LayerCall, _ positional: [Expr], _ arguments: [Expr]) -> NodeID? {
        guard let x = lower(positional[0]) else {
            if let e = keyword("axis", in: arguments) { skipUses(in: [e]) }
            if let e = keyword("keepdim", in: arguments) ?? keyword("keepdims", in: arguments) { skipUses(in: [e]) }
            if let e = keyword("unbiased", in: arguments) { skipUses(in: [e]) }
            return nil
        }
        let s = builder.shape(of: x)
        // var and std without an axis take every element (−1 here); sum, mean and max are
        // here only with a keyword, so a missing axis= is reported.
        let whole = f == .variance || f == .std ? -1 : nil
        guard let axis = axis(arguments, rank: s.rank, fallback: whole, call) else {
            if let e = keyword("keepdim", in: arguments) ?? keyword("keepdims", in: arguments) { skipUses(in: [e]) }
            if let e = keyword("unbiased", in: arguments) { skipUses(in: [e]) }
            return nil
        }
        guard let keep = keepsDimension(arguments), let corrected = isUnbiased(arguments) else { return nil }
        if s.isScalar { return shapeError("\(f.rawValue) along an axis needs a vector or a matrix", call, [x]) }
        guard var r = reduce(f, x, s, axis: axis, call) else { return nil }
        if corrected {
            guard let u = unbiased(r, f, count: axis == -1 ? s.count : s.dims[axis], call) else { return nil }
            r = u
        }
        return keep ? keepingDimension(r, of: s, axis: axis, call) : r
    }

    /// `f` along `axis` of x (of shape s), or over every element for axis −1 (var and std).
    private mutating func reduce(_ f: LayerFunction, _ x: NodeID, _ s: Shape, axis: Int, _ call: LayerCall) -> NodeID? {
        if s.rank >= 3, f != .sum, f != .mean, f != .logsumexp, axis != -1 {
            return reduceTensorBySlices(f, x, axis: axis, call)
        }
        switch f {
        case .sum: return sum(x, axis: axis, call)
        case .mean: return mean(x, axis: axis, call)
        case .max: return reduceTensorBySlices(.max, x, axis: axis, call)
        case .logsumexp: return logSumExp(x, axis: axis, call)
        case .variance, .std:
            let v: NodeID?
            if axis == -1 {
                // Over every element: mean((x − mean x)²).
                guard let mu = node(.mean, x, nil, call), let d = node(.sub, x, mu, call),
                      let d2 = node(.mul, d, d, call) else { return nil }
                v = node(.mean, d2, nil, call)
            } else {
                v = variance(x, axis: axis, call)
            }
            guard let v else { return nil }
            return f == .std ? node(.sqrt, v, nil, call) : v
        case .linear, .batchnorm, .layernorm, .dropout, .select, .concat, .stack, .prod, .reshape, .flatten, .clip:
            return nil
        }
    }

    /// logsumexp along `axis`: m + ln Σᵢ e^(xᵢ − m), m the maximum along the axis, so no
    /// exponential overflows and a gap of any size stays finite (torch.logsumexp's form). Its
    /// gradient is the softmax along the axis; what reaches m cancels (1 − Σ softmax = 0), so
    /// m is a plain chain of `max` (a tie needs no even split here). A vector's only axis is
    /// the `logsumexp` op; otherwise the slices along the axis (each a `slice` op) are taken
    /// one by one.
    mutating func logSumExp(_ x: NodeID, axis: Int, _ call: LayerCall) -> NodeID? {
        let dims = builder.shape(of: x).dims
        if dims.count == 1 { return node(.logsumexp, x, nil, call) }
        var slices: [NodeID] = []
        for i in 0..<dims[axis] {
            guard let (slice, _) = select(x, dims: dims, axis: axis, range: i ..< i + 1, drop: true, call) else { return nil }
            slices.append(slice)
        }
        var top = slices[0]
        for slice in slices.dropFirst() {
            guard let m = node(.max, top, slice, call) else { return nil }
            top = m
        }
        var total: NodeID?
        for slice in slices {
            guard let d = node(.sub, slice, top, call), let e = node(.exp, d, nil, call),
                  let t = total.map({ node(.add, $0, e, call) }) ?? e else { return nil }
            total = t
        }
        guard let total, let l = node(.ln, total, nil, call) else { return nil }
        return node(.add, top, l, call)
    }
}
