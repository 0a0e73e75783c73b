import Foundation

// Batch and layer normalisation's standardising step as one op each, with its forward, JVP,
// VJP and second-order (forward-over-reverse) kernels over flat buffers:
//
//     ĥ = (h − μ)/σ,   μ = mean h,   σ = √(σ² + ε),   σ² = mean (h − μ)²  (biased, as PyTorch)
//
// taken over each *group* of N numbers: the N rows of each column for `batch_norm` (one
// feature over the batch, `nn.BatchNorm1d` in training), the N features of each row (or of a
// vector) for `layer_norm` (`nn.LayerNorm`). The second operand is the scalar ε. The layers'
// γ ⊙ ĥ + β follows as the ordinary broadcast ops `mul` and `add`.
//
// With ḡ the adjoint of ĥ (γ ⊙ ȳ when the layer's scale follows), per group:
//
//     h̄ = (N·ḡ − Σḡ − ĥ·Σ(ḡ⊙ĥ)) / (N·σ)          the course's (γ/(Nσ))(N·ȳ − Σȳ − ĥ·Σ(ȳ⊙ĥ))
//     ε̄ = −Σ(ḡ⊙ĥ) / (2σ²)                         summed over the groups
//     ĥ̇ = (ḣ − mean ḣ − ĥ·σ̇) / σ,   σ̇ = mean(ĥ⊙ḣ) + ε̇/(2σ)
//
// The −Σḡ term is the path through μ and the −ĥ·Σ(ḡ⊙ĥ) term the path through σ²: the two
// terms a derivation that treats ∂ĥ/∂h as elementwise (1/σ) loses.

// MARK: - Shapes

extension Op {
    /// The shape of `batch_norm(h, ε)` or `layer_norm(h, ε)`: h's, once h is a shape the op
    /// normalises and ε a scalar.
    ///
    /// Batch norm in training needs at least two rows: with one sample, each column's variance
    /// is 0 and ĥ is 0 whatever h is, so PyTorch refuses ("Expected more than 1 value per
    /// channel when training") and so does gradstep.
    static func normalizationShape(_ op: Op, _ h: Shape, _ eps: Shape) throws(ShapeError) -> Shape {
        guard eps.isScalar else {
            throw ShapeError(description: "\(op.name)'s ε must be a scalar, got \(eps)")
        }
        if op == .batchNorm {
            guard h.rank == 2 else {
                throw ShapeError(description: "batch norm normalises each column of a matrix (batch × features), got \(h)")
            }
            guard h.rows >= 2 else {
                throw ShapeError(description: "batch norm in training needs more than one sample per feature (as PyTorch), got a batch of 1, \(h)")
            }
            return h
        }
        guard h.rank == 1 || h.rank == 2 else {
            throw ShapeError(description: "layer norm normalises a vector or each row of a matrix, got \(h)")
        }
        return h
    }
}

// MARK: - Groups

/// One normalisation op's groups in a row-major slice: group `g`'s element `k` sits at
/// `g·groupStep + k·elementStep`.
struct NormalizationGroups {
    var count: Int
    /// N, the numbers each mean runs over.
    var length: Int
    var groupStep: Int
    var elementStep: Int

    @inline(__always) func index(_ g: Int, _ k: Int) -> Int { g * groupStep + k * elementStep }
}

extension TapeEntry {
    /// Batch norm's groups are the columns (each of `rows` numbers, `cols` apart), layer
    /// norm's the rows (each of `cols` adjacent numbers); a vector is one row.
    var normalizationGroups: NormalizationGroups {
        let r = rank == 2 ? Int(rows) : 1, c = rank == 2 ? Int(cols) : count
        return op == .batchNorm
            ? NormalizationGroups(count: c, length: r, groupStep: 1, elementStep: c)
            : NormalizationGroups(count: r, length: c, groupStep: c, elementStep: 1)
    }

    /// Group `g`'s mean μ and σ = √(σ² + ε) of the numbers at `base` in `v` (two passes, so
    /// the variance does not lose digits to cancellation).
    @inline(__always)
    func moments(_ groups: NormalizationGroups, _ g: Int, _ v: Buffer, _ base: Int, _ eps: Double) -> (mu: Double, sigma: Double) {
        let n = Double(groups.length)
        var mu = 0.0
        for k in 0..<groups.length { mu += v[base + groups.index(g, k)] }
        mu /= n
        var variance = 0.0
        for k in 0..<groups.length {
            let d = v[base + groups.index(g, k)] - mu
            variance += d * d
        }
        return (mu, (variance / n + eps).squareRoot())
    }

    /// ĥ = (h − μ)/σ per group.
    func normalizeForward(_ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer) {
        let groups = normalizationGroups, o = Int(offset), pa = Int(ea.offset), eps = v[Int(eb.offset)]
        for g in 0..<groups.count {
            let (mu, sigma) = moments(groups, g, v, pa, eps)
            for k in 0..<groups.length {
                let i = groups.index(g, k)
                v[o + i] = (v[pa + i] - mu) / sigma
            }
        }
    }

    /// The JVP: ĥ̇ = (ḣ − mean ḣ − ĥ·σ̇)/σ with σ̇ = mean(ĥ⊙ḣ) + ε̇/(2σ).
    func normalizeTangent(_ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer, _ t: Buffer) {
        let groups = normalizationGroups, o = Int(offset), pa = Int(ea.offset)
        let eps = v[Int(eb.offset)], epsDot = t[Int(eb.offset)], n = Double(groups.length)
        for g in 0..<groups.count {
            let sigma = moments(groups, g, v, pa, eps).sigma
            var meanDot = 0.0, meanHatDot = 0.0
            for k in 0..<groups.length {
                let i = groups.index(g, k)
                meanDot += t[pa + i]
                meanHatDot += v[o + i] * t[pa + i]
            }
            let sigmaDot = meanHatDot / n + epsDot / (2 * sigma)
            meanDot /= n
            for k in 0..<groups.length {
                let i = groups.index(g, k)
                t[o + i] = (t[pa + i] - meanDot - v[o + i] * sigmaDot) / sigma
            }
        }
    }

    /// The VJP into `out` (operand `which`'s slice), with `g` this entry's adjoint slice:
    /// h̄ += (ḡ − mean ḡ − ĥ·mean(ḡ⊙ĥ))/σ, or ε̄ += −Σ(ḡ⊙ĥ)/(2σ²) over every group.
    func normalizeAdjoint(_ which: Int, _ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer,
                          _ g: UnsafeMutablePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
        let groups = normalizationGroups, o = Int(offset), pa = Int(ea.offset), eps = v[Int(eb.offset)]
        let n = Double(groups.length)
        for grp in 0..<groups.count {
            let sigma = moments(groups, grp, v, pa, eps).sigma
            var total = 0.0, totalHat = 0.0
            for k in 0..<groups.length {
                let i = groups.index(grp, k)
                total += g[i]
                totalHat += g[i] * v[o + i]
            }
            if which == 1 {
                out[0] -= totalHat / (2 * sigma * sigma)
                continue
            }
            for k in 0..<groups.length {
                let i = groups.index(grp, k)
                out[i] += (n * g[i] - total - v[o + i] * totalHat) / (n * sigma)
            }
        }
    }

    /// One step of the differentiated reverse sweep (see `HessianVector.swift`): the VJPs
    /// into `g` (the same numbers `normalizeAdjoint` gives) and their tangents into `h`, from
    /// the primals `v` and tangents `t`. With A = mean ḡ, B = mean(ḡ⊙ĥ) per group,
    /// h̄ = (ḡ − A − ĥ·B)/σ has the tangent (ġ − Ȧ − ĥ̇·B − ĥ·Ḃ)/σ − h̄·σ̇/σ, and
    /// ε̄ = −N·B/(2σ²) the tangent −N·Ḃ/(2σ²) + N·B·σ̇/σ³.
    func normalizeAdjointTangent(_ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer, _ t: Buffer, _ g: Buffer, _ h: Buffer) {
        let groups = normalizationGroups, o = Int(offset), pa = Int(ea.offset), pb = Int(eb.offset)
        let eps = v[pb], epsDot = t[pb], n = Double(groups.length)
        for grp in 0..<groups.count {
            let sigma = moments(groups, grp, v, pa, eps).sigma
            var total = 0.0, totalHat = 0.0, aDot = 0.0, bDot = 0.0, meanHatDot = 0.0
            for k in 0..<groups.length {
                let i = groups.index(grp, k)
                let hat = v[o + i], hatDot = t[o + i]
                total += g[o + i]
                totalHat += g[o + i] * hat
                aDot += h[o + i]
                bDot += h[o + i] * hat + g[o + i] * hatDot
                meanHatDot += hat * t[pa + i]
            }
            let b = totalHat / n
            aDot /= n
            bDot /= n
            let sigmaDot = meanHatDot / n + epsDot / (2 * sigma)
            for k in 0..<groups.length {
                let i = groups.index(grp, k)
                let hat = v[o + i], hatDot = t[o + i]
                let bar = (n * g[o + i] - total - hat * totalHat) / (n * sigma)
                g[pa + i] += bar
                h[pa + i] += (h[o + i] - aDot - hatDot * b - hat * bDot) / sigma - bar * sigmaDot / sigma
            }
            g[pb] -= totalHat / (2 * sigma * sigma)
            h[pb] += -n * bDot / (2 * sigma * sigma) + n * b * sigmaDot / (sigma * sigma * sigma)
        }
    }
}

// MARK: - Formulas and statistics for the explanation

extension Op {
    /// Batch or layer norm's VJP for operand `k` (h, then ε) with ḡ the node's adjoint, `y`
    /// its result ĥ, and N and σ written as given: the symbols in `partialFormula`, numbers in
    /// a sentence. σ is one number per group, so the sum for ε takes it inside.
    public static func normalizationVJP(_ k: Int, result y: String, n: String, sigma: String) -> String {
        k == 0 ? "(\(n)·ḡ − Σḡ − \(y)⊙Σ(ḡ⊙\(y)))/(\(n)·\(sigma))" : "−Σ(ḡ⊙\(y)/(2·\(sigma)²))"
    }

    /// The JVP for operand `k` with `t` its tangent: (ḣ − mean ḣ − ĥ⊙mean(ĥ⊙ḣ))/σ for h,
    /// −ĥ·ε̇/(2σ²) for ε.
    public static func normalizationJVP(_ k: Int, result y: String, tangent t: String, sigma: String) -> String {
        k == 0 ? "(\(t) − mean \(t) − \(y)⊙mean(\(y)⊙\(t)))/\(sigma)" : "−\(y)·\(t)/(2·\(sigma)²)"
    }
}

extension Tape {
    /// The statistics behind normalisation node `i`, for sentences that write its VJP in
    /// numbers: N and each group's σ = √(σ² + ε) (one per column for batch norm, per row for
    /// layer norm), from the primal values `v`. Nil for any other op.
    public func normalizationStatistics(_ i: Int, values v: [Double]) -> (n: Int, sigma: [Double])? {
        let e = entries[i]
        guard e.op == .batchNorm || e.op == .layerNorm else { return nil }
        let groups = e.normalizationGroups, ea = entries[Int(e.a)], eps = v[Int(entries[Int(e.b)].offset)]
        return v.withUnsafeBufferPointer { buffer in
            // `moments` only reads.
            let v = Buffer(mutating: buffer)
            return (groups.length, (0..<groups.count).map { e.moments(groups, $0, v, Int(ea.offset), eps).sigma })
        }
    }
}
