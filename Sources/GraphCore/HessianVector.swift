import Foundation

// Hessian-vector products by forward-over-reverse: the reverse sweep is differentiated in
// forward mode along a direction u. Each node carries its adjoint ḡ and the adjoint's tangent
// ġ (the directional derivative of ḡ along u); at the leaves ġ is H·u. One tangent sweep and
// one reverse sweep, the cost of about two gradients, and no Hessian is ever formed.
//
// Per operand, the reverse rule ḡₐ += ḡᵢ·∂yᵢ/∂a differentiates (product rule) into
//     ġₐ += ġᵢ·∂yᵢ/∂a + ḡᵢ·(∂yᵢ/∂a)˙
// where (∂yᵢ/∂a)˙ is the tangent of the local partial: its own derivative along the operands'
// tangents. `Op.partialTangents` gives that second-order rule for every elementwise op, and
// `TapeEntry.adjointTangent` the tensor ops' rules, each in one exhaustive switch.

extension Op {
    /// The tangents of the local partials of an elementwise op, `((∂y/∂a)˙, (∂y/∂b)˙)`, given
    /// the operands `a`, `b`, the result `y` and their tangents `ta`, `tb`, `ty`: the
    /// second-order rule that forward-over-reverse needs. Piecewise-linear ops (relu, abs,
    /// max, ...) have zero second derivatives away from their kinks, and zero at them too
    /// (PyTorch's convention for the first derivative, differentiated).
    @inlinable @inline(__always)
    public func partialTangents(_ a: Double, _ b: Double, _ y: Double,
                                _ ta: Double, _ tb: Double, _ ty: Double) -> (Double, Double) {
        switch self {
        case .add, .sub, .max, .min, .select, .compare, .neg, .stopGradient:
            return (0, 0)
        case .unary(let f):  // f″(a)·ȧ, the function's rule differentiated
            return (Op.product(f.secondDerivative.evaluate(x: a, y: y), ta), 0)
        case .mul:  // ∂/∂a = b, ∂/∂b = a
            return (tb, ta)
        case .div:  // ∂/∂a = 1/b, ∂/∂b = −a/b²
            return (-tb / (b * b), -ta / (b * b) + 2 * a * tb / (b * b * b))
        case .pow:
            // ∂/∂a = b·a^(b−1) (0 when b = 0), ∂/∂b = y·ln a (torch's rule, as in `partials`:
            // 0 where a = 0 and b ≥ 0, NaN for a < 0). A constant exponent (tb = 0) adds
            // nothing, however undefined its mixed partial.
            let daa = b == 0 ? 0 : b * (b - 1) * Foundation.pow(a, b - 2)
            let atZero = a == 0 && b >= 0
            let dab = atZero ? 0 : Foundation.pow(a, b - 1) * (1 + b * Foundation.log(a))
            let dbb = atZero ? 0 : Op.product(Foundation.log(a), ty) + Op.product(y / a, ta)
            return (Op.product(daa, ta) + Op.product(dab, tb), dbb)
        case .leakyRelu:  // a > 0: (1, 0); else (slope b, a)
            return a > 0 ? (0, 0) : (tb, ta)
        case .input, .param, .constant, .matmul, .sum, .mean, .transpose, .softmax,
             .crossEntropy, .mse, .logsumexp, .logSoftmax:
            return (.nan, .nan)
        // Convolution and pooling
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape:
            return (.nan, .nan)
        // Layers
        case .dropout:  // ∂/∂h = mask, ∂/∂mask = h, as for `mul`
            return (tb, ta)
        case .batchNorm, .layerNorm, .gather, .along:
            return (.nan, .nan)
        }
    }
}

extension Tape {
    /// The Hessian-vector product H·u of the output (a scalar) with respect to every leaf, at
    /// the primal values `values`, along `direction`: a tangent seed buffer of `valueCount`
    /// numbers, zero except on the leaves that move (see `tangentSeed`).
    ///
    /// Returns the adjoints ḡ (the gradient, as `adjoints` gives) and their tangents ġ; a
    /// leaf's slice of ġ is its block of H·u.
    ///
    /// ```swift
    /// let v = tape.evaluate()
    /// let (g, hu) = tape.hessianVectorProduct(values: v, direction: tape.tangentSeed(leaf: 0))
    /// // hu[offset of leaf j] = ∂²y/∂x₀∂xⱼ
    /// ```
    public func hessianVectorProduct(values: [Double], direction: [Double]) -> (adjoints: [Double], adjointTangents: [Double]) {
        let t = tangents(values: values, seed: direction)
        var g = [Double](repeating: 0, count: valueCount)
        var h = [Double](repeating: 0, count: valueCount)
        let out = entries[output]
        for k in 0..<out.count { g[Int(out.offset) + k] = 1 }
        guard output >= firstComputed else { return (g, h) }
        var v = values, tt = t
        v.withUnsafeMutableBufferPointer { v in
            tt.withUnsafeMutableBufferPointer { t in
                g.withUnsafeMutableBufferPointer { g in
                    h.withUnsafeMutableBufferPointer { h in
                        for i in stride(from: output, through: firstComputed, by: -1) {
                            let e = entries[i]
                            e.adjointTangent(entries[Int(e.a)], entries[Int(e.b)], v, t, g, h)
                        }
                    }
                }
            }
        }
        return (g, h)
    }
}

extension TapeEntry {
    /// One step of the differentiated reverse sweep: adds this entry's share to its operands'
    /// adjoints `g` (the ordinary VJP) and to their adjoint tangents `h` (the VJP's tangent),
    /// from the primals `v` and tangents `t` of the forward passes.
    func adjointTangent(_ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer, _ t: Buffer, _ g: Buffer, _ h: Buffer) {
        let o = Int(offset), n = count
        let pa = Int(ea.offset), na = ea.count, pb = Int(eb.offset), nb = eb.count
        switch op {
        case .input, .param, .constant:
            return
        case .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare, .neg, .unary, .stopGradient:
            elementwiseAdjointTangent(ea, eb, v, t, g, h)
        case .matmul:
            // Ā += Ḡ·Bᵀ and B̄ += Aᵀ·Ḡ are bilinear, so their tangents are
            // Ā˙ += Ġ·Bᵀ + Ḡ·Ḃᵀ and B̄˙ += Ȧᵀ·Ḡ + Aᵀ·Ġ.
            // Through the same BLAS kernels as the plain reverse sweep, so Ā and B̄ here are
            // bit for bit the ordinary gradient.
            let p = matrixProduct(ea, eb)
            bilinearAdjointTangent(ea, eb, v, t, g, h,
                                   backA: { p.adjointA($0, $1, into: $2) }, backB: { p.adjointB($1, $0, into: $2) })
        case .sum, .mean:
            let scale = op == .sum ? 1 : 1 / Double(na)
            for k in 0..<na {
                g[pa + k] += g[o] * scale
                h[pa + k] += h[o] * scale
            }
        case .transpose:
            let r = Int(ea.rows), c = Int(ea.cols)
            for i in 0..<r {
                for j in 0..<c {
                    g[pa + i * c + j] += g[o + j * r + i]
                    h[pa + i * c + j] += h[o + j * r + i]
                }
            }
        case .softmax:
            // ā += y ⊙ (ḡ − s) with s = Σ ḡ⊙y; its tangent is
            // ẏ ⊙ (ḡ − s) + y ⊙ (ġ − ṡ) with ṡ = Σ (ġ⊙y + ḡ⊙ẏ).
            let (rows, width) = softmaxRows
            for row in 0..<rows {
                let base = o + row * width, abase = pa + row * width
                var s = 0.0, sDot = 0.0
                for k in 0..<width {
                    s += g[base + k] * v[base + k]
                    sDot += h[base + k] * v[base + k] + g[base + k] * t[base + k]
                }
                for k in 0..<width {
                    g[abase + k] += v[base + k] * (g[base + k] - s)
                    h[abase + k] += t[base + k] * (g[base + k] - s) + v[base + k] * (h[base + k] - sDot)
                }
            }
        case .logsumexp:
            // ā = ḡ·s with s = e^(x − y) = softmax(x); ṡ = s ⊙ (ẋ − ẏ).
            for k in 0..<na {
                let s = Foundation.exp(v[pa + k] - v[o]), sDot = s * (t[pa + k] - t[o])
                g[pa + k] += g[o] * s
                h[pa + k] += h[o] * s + g[o] * sDot
            }
        case .logSoftmax:
            // ā = ḡ − s·Σḡ per row with s = e^y; its tangent ġ − ṡ·Σḡ − s·Σġ, ṡ = s ⊙ ẏ.
            let (rows, width) = softmaxRows
            for row in 0..<rows {
                let base = o + row * width, abase = pa + row * width
                var sg = 0.0, sh = 0.0
                for k in 0..<width {
                    sg += g[base + k]
                    sh += h[base + k]
                }
                for k in 0..<width {
                    let s = Foundation.exp(v[base + k])
                    g[abase + k] += g[base + k] - s * sg
                    h[abase + k] += h[base + k] - s * t[base + k] * sg - s * sh
                }
            }
        case .crossEntropy:
            // L = −Σ t·ln p: p̄ = −ḡ·t/p, t̄ = −ḡ·ln p, and their tangents by the product rule.
            for k in 0..<na {
                let p = v[pa + k], target = v[pb + k], pDot = t[pa + k], targetDot = t[pb + k]
                g[pa + k] += -g[o] * target / p
                h[pa + k] += -h[o] * target / p - g[o] * (targetDot / p - target * pDot / (p * p))
                g[pb + k] += -g[o] * Foundation.log(p)
                h[pb + k] += -h[o] * Foundation.log(p) - g[o] * pDot / p
            }
        case .mse:
            // ā = ḡ·2(a − b)/n, b̄ = −ā (summed over broadcast copies).
            let width = Swift.max(na, nb)
            for k in 0..<width {
                let ia = pa + k % na, ib = pb + k % nb
                let d = v[ia] - v[ib], dDot = t[ia] - t[ib]
                let ga = g[o] * 2 * d / Double(width)
                let ha = (h[o] * 2 * d + g[o] * 2 * dDot) / Double(width)
                g[ia] += ga
                h[ia] += ha
                g[ib] -= ga
                h[ib] -= ha
            }
        // Convolution and pooling
        case .conv1d, .conv2d:
            // Bilinear like matmul: x̄ = ḡ ⋆ᵀ w and w̄ = x ⋆ ḡ, so
            // x̄˙ = ġ ⋆ᵀ w + ḡ ⋆ᵀ ẇ and w̄˙ = x ⋆ ġ + ẋ ⋆ ḡ.
            let geo = geometry(ea, eb)
            bilinearAdjointTangent(ea, eb, v, t, g, h, backA: { geo.correlateBackInput($0, $1, into: $2) },
                                   backB: { geo.correlateBackWeight($0, $1, into: $2) })
        case .maxpool2d:
            // Piecewise linear: the adjoint and its tangent both go to each window's first
            // maximum, which does not move with the direction (zero second derivative).
            let geo = geometry(ea, eb), x = v.baseAddress! + pa
            geo.forEachWindow { k, start in
                let at = pa + geo.argmax(x, start)
                g[at] += g[o + k]
                h[at] += h[o + k]
            }
        case .avgpool2d:
            // Linear: the tangent of the adjoint is spread like the adjoint.
            let geo = geometry(ea, eb), size = Double(geo.kh * geo.kw)
            geo.forEachWindow { k, start in
                geo.spread(g[o + k] / size, into: g.baseAddress! + pa, start)
                geo.spread(h[o + k] / size, into: h.baseAddress! + pa, start)
            }
        case .biasAdd:
            let (inner, channels) = biasLayout
            for k in 0..<n {
                g[pa + k] += g[o + k]
                h[pa + k] += h[o + k]
                g[pb + (k / inner) % channels] += g[o + k]
                h[pb + (k / inner) % channels] += h[o + k]
            }
        case .reshape:
            for k in 0..<n {
                g[pa + k] += g[o + k]
                h[pa + k] += h[o + k]
            }
        // Layers
        case .dropout:
            elementwiseAdjointTangent(ea, eb, v, t, g, h)
        case .batchNorm, .layerNorm:
            normalizeAdjointTangent(ea, eb, v, t, g, h)
        case .gather:
            // Linear in the source: the adjoint's tangent is scatter-added like the adjoint.
            gatherAdjoint(ea, eb, v, g.baseAddress! + o, g.baseAddress! + pa)
            gatherAdjoint(ea, eb, v, h.baseAddress! + o, h.baseAddress! + pa)
        case .along(let f):
            // Linear: the adjoint's tangent goes back along the axis as the adjoint does.
            for (which, operand) in [(0, ea), (1, eb)].prefix(f.arity) {
                let at = Int(operand.offset)
                alongAdjoint(f, which, ea, eb, g.baseAddress! + o, g.baseAddress! + at)
                alongAdjoint(f, which, ea, eb, h.baseAddress! + o, h.baseAddress! + at)
            }
        }
    }

    /// The step for an elementwise op: each element's partials (`Op.partials`) and their
    /// tangents (`Op.partialTangents`), summed back over a broadcast operand.
    private func elementwiseAdjointTangent(_ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer, _ t: Buffer, _ g: Buffer, _ h: Buffer) {
        let o = Int(offset), n = count
        let pa = Int(ea.offset), na = ea.count, pb = Int(eb.offset), nb = eb.count
        let binary = op.arity == 2
        for k in 0..<n {
            let ia = pa + k % na, ib = binary ? pb + k % nb : ia
            let a = v[ia], b = binary ? v[ib] : 0, y = v[o + k]
            let (da, db) = op.partials(a, b, y)
            let (dda, ddb) = op.partialTangents(a, b, y, t[ia], binary ? t[ib] : 0, t[o + k])
            let gi = g[o + k], hi = h[o + k]
            // A zero adjoint and tangent send nothing (see `Tape.adjoints`).
            if gi == 0 && hi == 0 { continue }
            g[ia] += gi * da
            h[ia] += hi * da + gi * dda
            if binary {
                g[ib] += gi * db
                h[ib] += hi * db + gi * ddb
            }
        }
    }

    typealias Pointer = UnsafeMutablePointer<Double>

    /// The adjoint tangent of a bilinear op y = f(a, b) (a product, a convolution) from its two
    /// VJPs, each `back(ȳ, the other operand, into:)` adding into its operand's slice:
    /// ā += backA(ȳ, b) with ā˙ += backA(ẏ̄, b) + backA(ȳ, ḃ), and likewise for b.
    func bilinearAdjointTangent(_ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer, _ t: Buffer, _ g: Buffer, _ h: Buffer,
                                backA: (Pointer, Pointer, Pointer) -> Void,
                                backB: (Pointer, Pointer, Pointer) -> Void) {
        let o = Int(offset), pa = Int(ea.offset), pb = Int(eb.offset)
        let (vb, tb, gb, hb) = (v.baseAddress!, t.baseAddress!, g.baseAddress!, h.baseAddress!)
        backA(gb + o, vb + pb, gb + pa)
        backA(hb + o, vb + pb, hb + pa)
        backA(gb + o, tb + pb, hb + pa)
        backB(gb + o, vb + pa, gb + pb)
        backB(hb + o, vb + pa, hb + pb)
        backB(gb + o, tb + pa, hb + pb)
    }
}
