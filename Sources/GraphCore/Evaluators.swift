// The three interpreters over one tape, each a loop over plain data (as in JAX's Autodidax):
// `forward` computes primals, `tangents` pushes a tangent seed forward (JVP, dual numbers),
// `adjoints` pulls an output seed backward (VJP, backpropagation). An all-scalar tape takes a
// fast path in which value offsets equal tape indices.

extension Tape {
    /// A value buffer with every leaf's data loaded and every computed node evaluated.
    public func evaluate() -> [Double] {
        var v = [Double](repeating: 0, count: valueCount)
        loadLeaves(into: &v)
        forward(&v)
        return v
    }

    /// Copies each leaf's stored data into its slice of `v`.
    public func loadLeaves(into v: inout [Double]) {
        for i in 0..<firstComputed {
            let e = entries[i]
            let start = Int(e.b), o = Int(e.offset)
            for k in 0..<e.count { v[o + k] = leafData[start + k] }
        }
    }

    /// Evaluates entries `range` (default: every computed entry) in tape order, reading their
    /// operands from `v` and writing their values into it.
    public func forward(_ v: inout [Double], range: Range<Int>? = nil) {
        let range = range ?? firstComputed ..< count
        entries.withUnsafeBufferPointer { e in
            v.withUnsafeMutableBufferPointer { v in
                if isAllScalar {
                    for i in range {
                        let t = e[i]
                        v[i] = t.op.primal(v[Int(t.a)], v[Int(t.b)])
                    }
                } else {
                    for i in range {
                        let t = e[i]
                        if t.flags & TapeEntry.Flags.scalar != 0 {
                            v[Int(t.offset)] = t.op.primal(v[Int(e[Int(t.a)].offset)], v[Int(e[Int(t.b)].offset)])
                        } else {
                            t.forward(e[Int(t.a)], e[Int(t.b)], v)
                        }
                    }
                }
            }
        }
    }

    /// Forward mode: the tangent of every node, given the primal values `v` and a tangent seed
    /// for the leaves (`seed[offset of leaf]`, zero elsewhere). With the seed ẋᵢ = 1 on one
    /// input, the output's tangent is ∂y/∂xᵢ; with a direction, the directional derivative.
    public func tangents(values v: [Double], seed: [Double]) -> [Double] {
        var t = seed
        tangents(values: v, into: &t)
        return t
    }

    /// Forward mode in place: `t` holds the leaves' tangent seed on entry and every node's
    /// tangent on return. Reusing `t` across calls avoids allocating.
    public func tangents(values v: [Double], into t: inout [Double]) {
        entries.withUnsafeBufferPointer { e in
            v.withUnsafeBufferPointer { v in
                // The kernels take mutable views for uniformity; they only read primals here.
                let v = Buffer(mutating: v)
                t.withUnsafeMutableBufferPointer { t in
                    if isAllScalar {
                        for i in firstComputed ..< count {
                            let x = e[i], a = Int(x.a), b = Int(x.b)
                            let (da, db) = x.op.partials(v[a], v[b], v[i])
                            t[i] = x.flags & TapeEntry.Flags.binary != 0
                                ? Op.product(da, t[a]) + Op.product(db, t[b]) : Op.product(da, t[a])
                        }
                    } else {
                        for i in firstComputed ..< count {
                            let x = e[i]
                            x.tangent(e[Int(x.a)], e[Int(x.b)], v, t)
                        }
                    }
                }
            }
        }
    }

    /// A tangent seed buffer: 1 on every element of leaf `leaf` (or `direction` when given).
    public func tangentSeed(leaf: Int, direction: [Double]? = nil) -> [Double] {
        var seed = [Double](repeating: 0, count: valueCount)
        let e = entries[leaf]
        for k in 0..<e.count { seed[Int(e.offset) + k] = direction?[k] ?? 1 }
        return seed
    }

    /// Reverse mode: the adjoint (∂output/∂node, scaled by `seed`) of every node, from the
    /// primal values `v` of a forward pass (never re-run here). Contributions from several
    /// consumers of one node add up.
    public func adjoints(values v: [Double], seed: Double = 1) -> [Double] {
        var g = [Double](repeating: 0, count: valueCount)
        adjoints(values: v, seed: seed, into: &g)
        return g
    }

    /// Reverse mode into an existing buffer of `valueCount` adjoints (cleared first), so
    /// repeated gradients allocate nothing.
    public func adjoints(values v: [Double], seed: Double = 1, into g: inout [Double]) {
        g.withUnsafeMutableBufferPointer { g in g.update(repeating: 0) }
        let out = entries[output]
        for k in 0..<out.count { g[Int(out.offset) + k] = seed }
        backpropagate(values: v, into: &g)
    }

    /// Reverse mode seeded with a tensor of the output's shape (`outputSeed.count` elements):
    /// every adjoint is then the vector-Jacobian product outputSeedᵀ·∂output/∂node, and a
    /// one-hot seed gives one output element's gradient. The scalar seed above is the
    /// all-equal case (all ones: the gradient of the sum of the outputs).
    public func adjoints(values v: [Double], outputSeed: [Double]) -> [Double] {
        let out = entries[output]
        precondition(outputSeed.count == out.count, "the seed must have the output's \(out.count) elements")
        var g = [Double](repeating: 0, count: valueCount)
        for k in 0..<out.count { g[Int(out.offset) + k] = outputSeed[k] }
        backpropagate(values: v, into: &g)
        return g
    }

    /// Pushes the output's seeded adjoint in `g` back through the tape, or through the
    /// entries `top` down to `bottom` only (a checkpointed sweep runs it segment by segment).
    func backpropagate(values v: [Double], into g: inout [Double], from top: Int? = nil, downTo bottom: Int? = nil) {
        let top = top ?? output, bottom = bottom ?? firstComputed
        guard top >= bottom, bottom >= firstComputed else { return }
        entries.withUnsafeBufferPointer { e in
            v.withUnsafeBufferPointer { v in
                let v = Buffer(mutating: v)
                g.withUnsafeMutableBufferPointer { g in
                    if isAllScalar {
                        for i in stride(from: top, through: bottom, by: -1) {
                            let x = e[i], a = Int(x.a), b = Int(x.b), gi = g[i]
                            // A zero adjoint sends nothing, not 0·∞ = NaN: the branch `where`
                            // drops gets exactly 0 and stays out of the gradient.
                            // No operand needs a gradient (only constants reach it): nothing to send.
                            if gi == 0 || x.flags & TapeEntry.Flags.needsGradient == 0 { continue }
                            let (da, db) = x.op.partials(v[a], v[b], v[i])
                            if x.flags & TapeEntry.Flags.firstNeedsGradient != 0 { g[a] += gi * da }
                            if x.flags & TapeEntry.Flags.secondNeedsGradient != 0 { g[b] += gi * db }
                        }
                    } else {
                        let base = g.baseAddress!
                        for i in stride(from: top, through: bottom, by: -1) {
                            let x = e[i], ea = e[Int(x.a)], eb = e[Int(x.b)]
                            // A VJP only for an operand that needs a gradient: `const X @ W`
                            // computes W̄ and never X̄.
                            guard x.flags & TapeEntry.Flags.needsGradient != 0 else { continue }
                            let gi = base + Int(x.offset)
                            if x.flags & TapeEntry.Flags.firstNeedsGradient != 0 { x.adjoint(0, ea, eb, v, gi, base + Int(ea.offset)) }
                            if x.flags & TapeEntry.Flags.secondNeedsGradient != 0 { x.adjoint(1, ea, eb, v, gi, base + Int(eb.offset)) }
                        }
                    }
                }
            }
        }
    }
}
