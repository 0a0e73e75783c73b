import GraphCore

extension Lowering {
    /// `flatten(X)`: every element in row-major order as a vector [n], one `reshape` op (a
    /// copy of the operand's buffer, which is already in that order; its VJP reshapes the
    /// adjoint back), O(n) in time and memory at every rank. A scalar becomes [1], as PyTorch
    /// reshapes a 0-d tensor; a vector stays as it is (x · 1, a node of its own).
    mutating func flatten(_ x: NodeID, _ call: LayerCall) -> NodeID? {
        let s = builder.shape(of: x)
        guard s.rank == 1 else { return reshaped(x, .vector(s.count), call) }
        guard let one = constant(.scalar, [1], call) else { return nil }
        return node(.mul, x, one, call)
    }

    /// `reshape(x, [r, c])` or `reshape(x, [n])`, row-major as NumPy and PyTorch (one size may
    /// be −1: whatever the element count leaves), at any rank (a scalar to [1] or [1, 1], as
    /// PyTorch allows) one `reshape` op: the same numbers in a new shape, O(n).
    mutating func lowerReshape(_ call: LayerCall, _ positional: [Expr]) -> NodeID? {
        let x = lower(positional[0])
        guard case .tensor(let sizes) = positional[1].kind, (1...4).contains(sizes.count) else {
            error("reshape's shape is a list of one to four sizes, like [2, 3] or [1, 3, 4, 4]", at: positional[1].range)
            skipUses(in: [positional[1]])
            return nil
        }
        var dims: [Int] = []
        for (k, e) in sizes.enumerated() {
            guard let d = number(e, "a size") else {
                skipUses(in: Array(sizes[(k + 1)...]))
                return nil
            }
            guard d == d.rounded(), d == -1 || d >= 1, d < 1e9 else {
                error("a size must be a whole number ≥ 1 (or −1 for the rest)", at: e.range)
                return nil
            }
            dims.append(Int(d))
        }
        guard let x else { return nil }
        let n = builder.shape(of: x).count
        if dims.filter({ $0 == -1 }).count > 1 {
            error("only one size may be −1", at: positional[1].range)
            return nil
        }
        if let k = dims.firstIndex(of: -1) {
            let rest = Limits.product(dims.filter { $0 != -1 }) ?? 0
            if rest > 0, n % rest == 0 { dims[k] = n / rest }
        }
        guard Limits.product(dims) == n, !dims.contains(-1) else {
            return shapeError("cannot reshape \(n) elements to [\(dims.map(String.init).joined(separator: "×"))]", call, [x])
        }
        return reshaped(x, .tensor(dims), call)
    }
}
