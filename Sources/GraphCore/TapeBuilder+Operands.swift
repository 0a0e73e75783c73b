extension TapeBuilder {
    /// The operands of a node being built, in order (none for a leaf): what the language's
    /// `grad(expr, x)` walks to write the reverse sweep of a subexpression as nodes.
    public func operands(of node: NodeID) -> [NodeID] {
        let n = nodes[node.raw]
        switch n.op.arity {
        case 0: return []
        case 1: return [NodeID(raw: Int(n.a))]
        default: return [NodeID(raw: Int(n.a)), NodeID(raw: Int(n.b))]
        }
    }

    /// Whether a node is a constant (written, or folded from constants): nothing computed
    /// from it remembers it, so no derivative can be taken with respect to it.
    public func isConstant(_ node: NodeID) -> Bool { nodes[node.raw].op == .constant }

    /// The node added `index`-th (ids are in building order, operands first).
    public func node(at index: Int) -> NodeID {
        precondition(nodes.indices.contains(index))
        return NodeID(raw: index)
    }
}
