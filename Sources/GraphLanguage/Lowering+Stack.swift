import GraphCore

extension Lowering {
    /// `stack([a, b, …], axis=0)`, as numpy.stack and torch.stack: operands of one shape
    /// joined along a new axis. Each operand is given the new axis with extent 1 and the pieces
    /// are joined by `concat` ops, so the VJP hands each operand its own slice of the adjoint
    /// through ops whose derivatives the engine already checks.
    mutating func lowerStack(_ call: LayerCall, _ positional: [Expr], _ arguments: [Expr]) -> NodeID? {
        let axisExpr = keyword("axis", in: arguments)
        guard case .tensor(let elements) = positional[0].kind, !elements.isEmpty else {
            error("stack takes a list of tensors in brackets", at: positional[0].range,
                  hint: "write stack([a, b], axis=0), every tensor of one shape")
            skipUses(in: [positional[0]] + (axisExpr.map { [$0] } ?? []))
            return nil
        }
        var operands: [NodeID] = []
        for e in elements {
            if let x = lower(e) { operands.append(x) }
        }
        guard operands.count == elements.count else {
            if let axisExpr { skipUses(in: [axisExpr]) }
            return nil
        }
        let shape = builder.shape(of: operands[0])
        for (k, x) in operands.enumerated().dropFirst() where builder.shape(of: x) != shape {
            error("stack needs every tensor of one shape; tensor \(k) is \(builder.shape(of: x)), tensor 0 is \(shape)",
                  at: elements[k].range, hint: "numpy.stack and torch.stack join tensors of equal shape; concat joins along an existing axis")
            if let axisExpr { skipUses(in: [axisExpr]) }
            return nil
        }
        guard shape.rank < 4 else {
            return shapeError("stack of rank-4 tensors would make rank 5; tensors go up to rank 4", call, [operands[0]])
        }
        guard let axis = axis(arguments, rank: shape.rank + 1, fallback: 0, call) else { return nil }
        let at = axis < 0 ? axis + Int(shape.rank) + 1 : axis
        var pieces: [NodeID] = []
        for x in operands {
            guard let piece = withNewAxis(x, at: at, call) else { return nil }
            pieces.append(piece)
        }
        var joined = pieces[0]
        for piece in pieces.dropFirst() {
            guard let next = concatenate(joined, piece, axis: at, call) else { return nil }
            joined = next
        }
        return joined
    }

    /// `x` with a new axis of extent 1 at `at`: one `reshape` op (a scalar becomes [1]).
    mutating func withNewAxis(_ x: NodeID, at: Int, _ call: LayerCall) -> NodeID? {
        var dims = builder.shape(of: x).dims
        dims.insert(1, at: at)
        return reshaped(x, .tensor(dims), call)
    }
}
