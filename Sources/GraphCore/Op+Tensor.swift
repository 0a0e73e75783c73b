import Foundation

// Shape rules and the tensor kernels: forward, JVP and VJP for every op over slices of flat
// buffers. Elementwise ops reuse the scalar rules in `Op.swift` element by element, broadcasting
// a scalar over a tensor and a vector [c] over the rows of a matrix [r×c] (as numpy does).

// MARK: - Shapes

extension Op {
    /// The shape of `op(operands)`, or an error that names the operands' shapes. A convolution
    /// or pooling op reads its stride, padding or kernel size from `window`; `reshape` keeps
    /// its operand's shape here (`TapeBuilder.reshape` gives the new one), and an axis op
    /// gives its narrowest result (`AxisOp.defaultShape`).
    public func resultShape(_ s: [Shape], window: Window = .none) throws(ShapeError) -> Shape {
        switch kind {
        case .leaf: return s.first ?? .scalar
        case .unary: return s[0]
        case .binary: return try Op.broadcast(s[0], s[1], what: name)
        case .tensor: break
        }
        switch self {
        case .matmul:
            let (l, r) = (s[0], s[1])
            if l.isScalar || r.isScalar {
                throw ShapeError(description: "'@' needs a vector or matrix on both sides, got \(l) @ \(r) (use '*' to scale)")
            }
            if l.rank > 2 || r.rank > 2 {
                throw ShapeError(description: "'@' needs a vector or matrix on both sides, got \(l) @ \(r) (flatten or reshape a tensor of rank 3 or 4 first)")
            }
            let (_, k1, _) = Op.matmulDims(l, r)
            let k2 = Int(r.rows)
            if k1 != k2 {
                throw ShapeError(description: "cannot multiply \(l) @ \(r): inner dimensions \(k1) and \(k2) differ")
            }
            switch (l.rank, r.rank) {
            case (2, 2): return .matrix(Int(l.rows), Int(r.cols))
            case (2, _): return .vector(Int(l.rows))
            case (_, 2): return .vector(Int(r.cols))
            case (_, _): return .scalar  // vector · vector
            }
        case .sum, .mean: return .scalar
        case .transpose:
            if s[0].rank > 2 {
                throw ShapeError(description: "transpose needs a vector or matrix, got \(s[0])")
            }
            return s[0].rank == 2 ? .matrix(Int(s[0].cols), Int(s[0].rows)) : s[0]
        case .softmax, .logSoftmax: return s[0]
        case .logsumexp: return .scalar
        case .crossEntropy:
            if s[0] != s[1] {
                throw ShapeError(description: "cross_entropy needs probabilities and targets of one shape (or N × C logits and N labels), got \(s[0]) and \(s[1])")
            }
            return .scalar
        case .mse:
            _ = try Op.broadcast(s[0], s[1], what: name)
            return .scalar
        case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select,
             .compare, .neg, .unary, .stopGradient:
            return s[0]
        // Convolution and pooling
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d:
            let g = try WindowGeometry.checked(self, x: s[0], weight: arity == 2 ? s[1] : nil, window: window)
            return g.outputShape(of: self, inputRank: s[0].rank)
        case .biasAdd:
            let axis = Int(window.axis)
            guard Int(s[0].rank) > axis + 1 else {
                throw ShapeError(description: "bias_add needs a tensor with channels on axis \(axis), got \(s[0])")
            }
            let channels = s[0].dims[axis]
            guard s[1] == .vector(channels) else {
                throw ShapeError(description: "the bias needs one number per output channel, shape [\(channels)], got \(s[1])")
            }
            return s[0]
        case .reshape:
            return s[0]
        // Layers
        case .batchNorm, .layerNorm: return try Op.normalizationShape(self, s[0], s[1])
        case .dropout: return try Op.broadcast(s[0], s[1], what: name)
        case .gather: return try Op.gatherShape(s[0], s[1])
        case .along(let f): return try f.defaultShape(s, window: window)
        }
    }

    /// The elementwise result shape: equal shapes, a scalar with anything, or a vector [c]
    /// with a matrix [r×c] (added to every row).
    static func broadcast(_ l: Shape, _ r: Shape, what: String) throws(ShapeError) -> Shape {
        if l == r || r.isScalar { return l }
        if l.isScalar { return r }
        if l.rank >= 2 && r.rank == 1 && r.rows == l.cols { return l }
        if r.rank >= 2 && l.rank == 1 && l.rows == r.cols { return r }
        // `what` is an op name; say it as a verb ("cannot subtract", not "cannot sub").
        let verbs = ["add": "add", "sub": "subtract", "mul": "multiply", "div": "divide", "pow": "raise"]
        let verb = verbs[what] ?? "apply \(what) to"
        throw ShapeError(description: "cannot \(verb) \(l) and \(r): shapes must match, or one be a scalar, or a vector match a matrix's rows")
    }

    /// `A @ B` as an (m×k)·(k×n) product: a vector on the left is one row, on the right one column.
    static func matmulDims(_ l: Shape, _ r: Shape) -> (m: Int, k: Int, n: Int) {
        let (m, k) = l.rank == 2 ? (Int(l.rows), Int(l.cols)) : (1, Int(l.rows))
        let n = r.rank == 2 ? Int(r.cols) : 1
        return (m, k, n)
    }
}

// MARK: - Kernels

extension Op {
    /// A partial times a tangent where an exactly zero factor wins over NaN or ∞: a constant
    /// exponent's zero tangent times pow's NaN ∂/∂b, or `select`'s 0 times the NaN tangent of
    /// the branch it drops, stays 0 (torch's undefined tangent, JAX's symbolic zero).
    @inlinable @inline(__always)
    public static func product(_ partial: Double, _ tangent: Double) -> Double {
        partial == 0 || tangent == 0 ? 0 : partial * tangent
    }

    /// The largest of `n` values from `v[at]` (−∞ for none); NaN if any is NaN.
    static func rowMaximum(_ v: Buffer, _ at: Int, _ n: Int) -> Double {
        var top = -Double.infinity
        for k in 0..<n {
            let x = v[at + k]
            if x.isNaN { return .nan }
            top = Swift.max(top, x)
        }
        return top
    }

    /// Σ e^(x − top) over `n` values from `v[at]`: at least 1 when `top` is their maximum, so
    /// its logarithm is finite whatever the gap between them.
    static func shiftedExpSum(_ v: Buffer, _ at: Int, _ n: Int, _ top: Double) -> Double {
        var s = 0.0
        for k in 0..<n { s += Foundation.exp(v[at + k] - top) }
        return s
    }

    /// The partials of one term −xlogy(t, p) = −t·ln p of `cross_entropy(p, t)`: ∂/∂p = −t/p
    /// and ∂/∂t = −ln p, except that a target of 0 gives ∂/∂p = 0, and ∂/∂t = 0 where also
    /// p ≤ 0 (PyTorch's xlogy gradient), matching the primal's 0·ln 0 = 0.
    static func crossEntropyPartials(p: Double, t: Double) -> (Double, Double) {
        guard t == 0 else { return (-t / p, -Foundation.log(p)) }
        return (0, p <= 0 ? 0 : -Foundation.log(p))
    }
}

/// Raw views of the three buffers an evaluator works on.
typealias Buffer = UnsafeMutableBufferPointer<Double>

extension TapeEntry {
    /// `ea @ eb` as an (m×k)·(k×n) product, run through BLAS (MatrixProduct.swift).
    func matrixProduct(_ ea: TapeEntry, _ eb: TapeEntry) -> MatrixProduct {
        let (m, k, n) = Op.matmulDims(ea.shape, eb.shape)
        return MatrixProduct(m: m, k: k, n: n)
    }

    /// Computes this entry's value from its operands' values in `v`.
    func forward(_ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer) {
        let o = Int(offset), n = count
        let pa = Int(ea.offset), na = ea.count, pb = Int(eb.offset), nb = eb.count
        switch op.kind {
        case .leaf: return
        case .unary:
            for k in 0..<n { v[o + k] = op.primal(v[pa + k], 0) }
            return
        case .binary:
            for k in 0..<n { v[o + k] = op.primal(v[pa + k % na], v[pb + k % nb]) }
            return
        case .tensor: break
        }
        switch op {
        case .matmul:
            let vb = v.baseAddress!
            matrixProduct(ea, eb).forward(vb + pa, vb + pb, into: vb + o)
        case .sum, .mean:
            var s = 0.0
            for k in 0..<na { s += v[pa + k] }
            v[o] = op == .sum ? s : s / Double(na)
        case .transpose:
            let r = Int(ea.rows), c = Int(ea.cols)
            for i in 0..<r { for j in 0..<c { v[o + j * r + i] = v[pa + i * c + j] } }
        case .softmax:
            let (rows, width) = softmaxRows
            for row in 0..<rows {
                let base = row * width
                var top = -Double.infinity
                for k in 0..<width { top = Swift.max(top, v[pa + base + k]) }
                var s = 0.0
                for k in 0..<width {
                    let e = Foundation.exp(v[pa + base + k] - top)
                    v[o + base + k] = e
                    s += e
                }
                for k in 0..<width { v[o + base + k] /= s }
            }
        case .logsumexp:
            let top = Op.rowMaximum(v, pa, na)
            v[o] = top.isFinite ? top + Foundation.log(Op.shiftedExpSum(v, pa, na, top)) : top
        case .logSoftmax:
            let (rows, width) = softmaxRows
            for row in 0..<rows {
                let base = row * width, top = Op.rowMaximum(v, pa + base, width)
                let lse = Foundation.log(Op.shiftedExpSum(v, pa + base, width, top))
                for k in 0..<width { v[o + base + k] = (v[pa + base + k] - top) - lse }
            }
        case .crossEntropy:
            // −Σ xlogy(t, p): a target of 0 contributes 0 even where p = 0 (0·ln 0 = 0, as
            // PyTorch's xlogy), so a perfect prediction has loss 0, not NaN.
            var s = 0.0
            for k in 0..<na where v[pb + k] != 0 { s -= v[pb + k] * Foundation.log(v[pa + k]) }
            v[o] = s
        case .mse:
            let width = Swift.max(na, nb)
            var s = 0.0
            for k in 0..<width {
                let d = v[pa + k % na] - v[pb + k % nb]
                s += d * d
            }
            v[o] = s / Double(width)
        case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select,
             .compare, .neg, .unary, .stopGradient:
            return  // handled by the elementwise loops above
        // Convolution and pooling
        case .conv1d, .conv2d:
            for k in 0..<n { v[o + k] = 0 }
            geometry(ea, eb).correlate(v.baseAddress! + pa, v.baseAddress! + pb, into: v.baseAddress! + o)
        case .maxpool2d:
            let g = geometry(ea, eb), x = v.baseAddress! + pa
            g.forEachWindow { k, start in v[o + k] = x[g.argmax(x, start)] }
        case .avgpool2d:
            let g = geometry(ea, eb), x = v.baseAddress! + pa, size = Double(g.kh * g.kw)
            g.forEachWindow { k, start in v[o + k] = g.windowSum(x, start) / size }
        case .biasAdd:
            let (inner, channels) = biasLayout
            for k in 0..<n { v[o + k] = v[pa + k] + v[pb + (k / inner) % channels] }
        case .reshape:
            for k in 0..<n { v[o + k] = v[pa + k] }
        // Layers
        case .dropout: return  // elementwise: h ⊙ mask, in the loops above
        case .batchNorm, .layerNorm: normalizeForward(ea, eb, v)
        case .gather: gatherForward(ea, eb, v)
        case .along(let f): alongForward(f, ea, eb, v.baseAddress!, into: v.baseAddress! + o)
        }
    }

    /// Writes this entry's tangent (JVP) from its operands' tangents in `t`.
    func tangent(_ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer, _ t: Buffer) {
        let o = Int(offset), n = count
        let pa = Int(ea.offset), na = ea.count, pb = Int(eb.offset), nb = eb.count
        switch op.kind {
        case .leaf: return
        case .unary:
            for k in 0..<n { t[o + k] = Op.product(op.partials(v[pa + k], 0, v[o + k]).0, t[pa + k]) }
            return
        case .binary:
            for k in 0..<n {
                let ia = pa + k % na, ib = pb + k % nb
                let (da, db) = op.partials(v[ia], v[ib], v[o + k])
                t[o + k] = Op.product(da, t[ia]) + Op.product(db, t[ib])
            }
            return
        case .tensor: break
        }
        switch op {
        case .matmul:
            let vb = v.baseAddress!, tb = t.baseAddress!
            matrixProduct(ea, eb).tangent(vb + pa, tb + pa, vb + pb, tb + pb, into: tb + o)
        case .sum, .mean:
            var s = 0.0
            for k in 0..<na { s += t[pa + k] }
            t[o] = op == .sum ? s : s / Double(na)
        case .transpose:
            let r = Int(ea.rows), c = Int(ea.cols)
            for i in 0..<r { for j in 0..<c { t[o + j * r + i] = t[pa + i * c + j] } }
        case .softmax:
            let (rows, width) = softmaxRows
            for row in 0..<rows {
                let base = o + row * width, abase = pa + row * width
                var s = 0.0
                for k in 0..<width { s += v[base + k] * t[abase + k] }
                for k in 0..<width { t[base + k] = v[base + k] * (t[abase + k] - s) }
            }
        case .logsumexp:  // ẏ = Σ softmax(x) ⊙ ẋ, softmax(x) = e^(x − y)
            var s = 0.0
            for k in 0..<na { s += Foundation.exp(v[pa + k] - v[o]) * t[pa + k] }
            t[o] = s
        case .logSoftmax:  // ẏ = ẋ − Σ softmax(x) ⊙ ẋ per row, softmax(x) = e^y
            let (rows, width) = softmaxRows
            for row in 0..<rows {
                let base = o + row * width, abase = pa + row * width
                var s = 0.0
                for k in 0..<width { s += Foundation.exp(v[base + k]) * t[abase + k] }
                for k in 0..<width { t[base + k] = t[abase + k] - s }
            }
        case .crossEntropy:
            var s = 0.0
            for k in 0..<na {
                let (dp, dt) = Op.crossEntropyPartials(p: v[pa + k], t: v[pb + k])
                s += dp * t[pa + k] + dt * t[pb + k]
            }
            t[o] = s
        case .mse:
            let width = Swift.max(na, nb)
            var s = 0.0
            for k in 0..<width {
                let ia = pa + k % na, ib = pb + k % nb
                s += 2 * (v[ia] - v[ib]) * (t[ia] - t[ib])
            }
            t[o] = s / Double(width)
        case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select,
             .compare, .neg, .unary, .stopGradient:
            return  // handled by the elementwise loops above
        // Convolution and pooling
        case .conv1d, .conv2d:  // bilinear: ẏ = ẋ ⋆ w + x ⋆ ẇ
            let g = geometry(ea, eb), vb = v.baseAddress!, tb = t.baseAddress!
            for k in 0..<n { t[o + k] = 0 }
            g.correlate(tb + pa, vb + pb, into: tb + o)
            g.correlate(vb + pa, tb + pb, into: tb + o)
        case .maxpool2d:  // the tangent of each window's (first) maximum
            let g = geometry(ea, eb), x = v.baseAddress! + pa
            g.forEachWindow { k, start in t[o + k] = t[pa + g.argmax(x, start)] }
        case .avgpool2d:
            let g = geometry(ea, eb), x = t.baseAddress! + pa, size = Double(g.kh * g.kw)
            g.forEachWindow { k, start in t[o + k] = g.windowSum(x, start) / size }
        case .biasAdd:
            let (inner, channels) = biasLayout
            for k in 0..<n { t[o + k] = t[pa + k] + t[pb + (k / inner) % channels] }
        case .reshape:
            for k in 0..<n { t[o + k] = t[pa + k] }
        // Layers
        case .dropout: return  // elementwise: h ⊙ mask, in the loops above
        case .batchNorm, .layerNorm: normalizeTangent(ea, eb, v, t)
        case .gather: gatherTangent(ea, eb, v, t)
        case .along(let f): alongForward(f, ea, eb, t.baseAddress!, into: t.baseAddress! + o)  // linear
        }
    }

    /// Adds operand `which`'s share of this entry's adjoint (the VJP) into `out`, which points
    /// at that operand's slice: the operand's adjoint buffer, or a scratch buffer when the
    /// stepper records each contribution on its own.
    func adjoint(_ which: Int, _ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer,
                 _ g: UnsafeMutablePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
        let o = Int(offset), n = count
        let pa = Int(ea.offset), na = ea.count, pb = Int(eb.offset), nb = eb.count
        switch op.kind {
        case .leaf: return
        case .unary:
            for k in 0..<n where g[k] != 0 { out[k] += g[k] * op.partials(v[pa + k], 0, v[o + k]).0 }
            return
        case .binary:
            let m = which == 0 ? na : nb
            for k in 0..<n where g[k] != 0 {
                let p = op.partials(v[pa + k % na], v[pb + k % nb], v[o + k])
                out[k % m] += g[k] * (which == 0 ? p.0 : p.1)
            }
            return
        case .tensor: break
        }
        switch op {
        case .matmul:
            let vb = v.baseAddress!
            if which == 0 {
                matrixProduct(ea, eb).adjointA(g, vb + pb, into: out)
            } else {
                matrixProduct(ea, eb).adjointB(vb + pa, g, into: out)
            }
        case .sum, .mean:
            let scale = op == .sum ? g[0] : g[0] / Double(na)
            for k in 0..<na { out[k] += scale }
        case .transpose:
            let r = Int(ea.rows), c = Int(ea.cols)
            for i in 0..<r { for j in 0..<c { out[i * c + j] += g[j * r + i] } }
        case .softmax:
            let (rows, width) = softmaxRows
            for row in 0..<rows {
                let base = row * width
                var s = 0.0
                for k in 0..<width { s += g[base + k] * v[o + base + k] }
                for k in 0..<width { out[base + k] += v[o + base + k] * (g[base + k] - s) }
            }
        case .logsumexp:  // ā = ḡ · softmax(x)
            for k in 0..<na { out[k] += g[0] * Foundation.exp(v[pa + k] - v[o]) }
        case .logSoftmax:  // ā = ḡ − softmax(x) · Σ ḡ per row
            let (rows, width) = softmaxRows
            for row in 0..<rows {
                let base = row * width
                var s = 0.0
                for k in 0..<width { s += g[base + k] }
                for k in 0..<width { out[base + k] += g[base + k] - Foundation.exp(v[o + base + k]) * s }
            }
        case .crossEntropy:
            for k in 0..<na {
                let (dp, dt) = Op.crossEntropyPartials(p: v[pa + k], t: v[pb + k])
                out[k] += g[0] * (which == 0 ? dp : dt)
            }
        case .mse:
            let width = Swift.max(na, nb), m = which == 0 ? na : nb
            let sign: Double = which == 0 ? 2 : -2
            for k in 0..<width {
                out[k % m] += g[0] * sign * (v[pa + k % na] - v[pb + k % nb]) / Double(width)
            }
        case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select,
             .compare, .neg, .unary, .stopGradient:
            return  // handled by the elementwise loops above
        // Convolution and pooling
        case .conv1d, .conv2d:
            let geo = geometry(ea, eb), vb = v.baseAddress!
            if which == 0 {
                geo.correlateBackInput(g, vb + pb, into: out)
            } else {
                geo.correlateBackWeight(g, vb + pa, into: out)
            }
        case .maxpool2d:  // ḡ goes to each window's first maximum
            let geo = geometry(ea, eb), x = v.baseAddress! + pa
            geo.forEachWindow { k, start in out[geo.argmax(x, start)] += g[k] }
        case .avgpool2d:
            let geo = geometry(ea, eb), size = Double(geo.kh * geo.kw)
            geo.forEachWindow { k, start in geo.spread(g[k] / size, into: out, start) }
        case .biasAdd:
            if which == 0 {
                for k in 0..<n { out[k] += g[k] }
            } else {
                let (inner, channels) = biasLayout
                for k in 0..<n { out[(k / inner) % channels] += g[k] }
            }
        case .reshape:
            for k in 0..<n { out[k] += g[k] }
        // Layers
        case .dropout: return  // elementwise: h ⊙ mask, in the loops above
        case .batchNorm, .layerNorm: normalizeAdjoint(which, ea, eb, v, g, out)
        case .gather: if which == 0 { gatherAdjoint(ea, eb, v, g, out) }  // none reaches the indices
        case .along(let f): alongAdjoint(f, which, ea, eb, g, out)
        }
    }

    /// Softmax runs over each row of a matrix (the last axis of a tensor of rank 3 or 4),
    /// over the whole of a vector.
    var softmaxRows: (rows: Int, width: Int) {
        rank >= 2 ? (Int(rows), Int(cols)) : (1, count)
    }
}
