import GraphCore

// The axis ops' VJPs written in ops, for `grad(expr, x)` (Lowering+GradRules.swift): each is
// the engine's rule (AxisOps.swift) as nodes, so the outer sweep differentiates through it.
extension Lowering {
    /// Operand `k`'s share of ḡ at the axis op `i`: a slice puts ḡ back between zeros (a
    /// concat along the axis), a concat hands each operand its slice of ḡ, a sum along an axis
    /// repeats ḡ along it (a broadcast product with ones).
    mutating func alongVJP(_ f: AxisOp, _ k: Int, of i: NodeID, _ g: NodeID, _ s: inout GradSweep) throws(GradFailure) -> NodeID {
        let window = builder.window(of: i)
        let axis = Int(window.axis)
        let operands = builder.operands(of: i)
        let input = builder.shape(of: operands[k]).dims, result = builder.shape(of: i).dims
        func shape(_ extent: Int) -> Shape {
            var dims = input
            dims[axis] = extent
            return .tensor(dims)
        }
        switch f {
        case .sum:
            guard let kept = reshaped(g, shape(1), s.call) else { throw .failed }
            return try n(.mul, ones(.tensor(input), &s), kept, s)
        case .concat:
            let start = k == 0 ? 0 : builder.shape(of: operands[0]).dims[axis]
            guard let part = along(.slice, g, nil, .along(axis: axis, start: start), .tensor(input), s.call) else { throw .failed }
            return part
        case .slice:
            let start = window.start
            // x[i] drops the axis; the piece keeps it with extent 1.
            let length = result.count == input.count ? result[axis] : 1
            guard var piece = result.count == input.count ? g : reshaped(g, shape(length), s.call) else { throw .failed }
            if start > 0 {
                let zeros = try n(.mul, ones(shape(start), &s), constant(0, &s), s)
                guard let joined = along(.concat, zeros, piece, .along(axis: axis), shape(start + length), s.call) else { throw .failed }
                piece = joined
            }
            let after = input[axis] - start - length
            if after > 0 {
                let zeros = try n(.mul, ones(shape(after), &s), constant(0, &s), s)
                guard let joined = along(.concat, piece, zeros, .along(axis: axis), .tensor(input), s.call) else { throw .failed }
                piece = joined
            }
            return piece
        }
    }
}
