import Foundation

/// Which kinks can change the derivative. An element of a relu, abs, step, leaky relu, max or
/// min sits on a kink when its operand is at 0 (or its operands tie), but that matters only
/// when the output's one-sided derivatives differ there: the kink's operand must move with
/// the inputs (relu(0·x) sits at 0 for every x and never leaves it), the adjoint reaching the
/// node must be nonzero (a `where` branch not taken, a mask of 0, receives none), and the
/// op's one-sided partials, times the operand's tangent, must differ (step's are both 0, but
/// its value jumps, which breaks the derivative just as well).
extension Explanation {
    /// The elements of each elementwise node whose op is at a non-differentiable point, before
    /// asking whether it matters.
    static func candidateKinks(_ tape: Tape, _ v: [Double]) -> [(node: Int, elements: [Int])] {
        var out: [(node: Int, elements: [Int])] = []
        for i in tape.firstComputed ..< tape.count {
            let e = tape.entries[i]
            guard e.op.kind == .unary || e.op.kind == .binary else { continue }
            let ea = tape.entries[Int(e.a)], eb = tape.entries[Int(e.b)]
            let pa = Int(ea.offset), na = ea.count, pb = Int(eb.offset), nb = eb.count
            var at: [Int] = []
            for k in 0..<e.count where e.op.isKink(v[pa + k % na], v[pb + k % nb]) { at.append(k) }
            if !at.isEmpty { out.append((i, at)) }
        }
        return out
    }

    /// The kinks at the point `v` that can change the derivative of the output seeded with
    /// `seed` along some direction of the differentiable leaves (a fixed, irregular one, so
    /// that no two leaves' tangents cancel by accident).
    static func kinks(_ tape: Tape, _ v: [Double], seed: [Double]) -> [Int: [Int]] {
        let candidates = candidateKinks(tape, v)
        guard !candidates.isEmpty else { return [:] }
        var direction = [Double](repeating: 0, count: tape.valueCount)
        for leaf in tape.differentiableLeaves {
            let e = tape.entries[leaf]
            for k in 0..<e.count {
                let j = Double(Int(e.offset) + k + 1)
                // A Weyl sequence in [0.5, 1.5): nonzero, and no two elements equal.
                direction[Int(e.offset) + k] = 0.5 + (j * 2.0.squareRoot()).truncatingRemainder(dividingBy: 1)
            }
        }
        let adjoints = tape.adjoints(values: v, outputSeed: seed)
        let tangents = tape.tangents(values: v, seed: direction)
        return kinksThatMatter(tape, v, candidates, adjoints: adjoints, tangents: tangents)
    }

    /// Of `candidates`, those where the output's one-sided derivatives along `tangents`
    /// differ: adjoint · (one-sided partials on the + side − on the − side) · operand tangents
    /// is not 0, or the op is a step whose jump reaches the output.
    static func kinksThatMatter(_ tape: Tape, _ v: [Double], _ candidates: [(node: Int, elements: [Int])],
                                adjoints g: [Double], tangents t: [Double]) -> [Int: [Int]] {
        var out: [Int: [Int]] = [:]
        for (i, elements) in candidates {
            let e = tape.entries[i]
            let ea = tape.entries[Int(e.a)], eb = tape.entries[Int(e.b)]
            let binary = e.op.kind == .binary
            var at: [Int] = []
            for k in elements {
                let ia = Int(ea.offset) + k % ea.count, ib = Int(eb.offset) + k % eb.count
                let adjoint = g[Int(e.offset) + k]
                let ta = t[ia], tb = binary ? t[ib] : 0
                let b = v[ib]
                let tie = e.op.kinkSide == .operandsTie
                let moving = tie ? ta - tb : ta
                guard adjoint != 0, moving != 0, adjoint.isFinite else { continue }
                // A step's jump, or a comparison's, breaks the derivative whatever the partials.
                if e.op == .step || e.op.isComparison { at.append(k); continue }
                // The operand just above and just below its kink.
                let (above, below) = tie ? (b.nextUp, b.nextDown) : (0.0.nextUp, 0.0.nextDown)
                let p = e.op.partials(above, b, e.op.primal(above, b))
                let q = e.op.partials(below, b, e.op.primal(below, b))
                let jump = (p.0 - q.0) * ta + (binary ? (p.1 - q.1) * tb : 0)
                if adjoint * jump != 0 { at.append(k) }
            }
            if !at.isEmpty { out[i] = at }
        }
        return out
    }
}
