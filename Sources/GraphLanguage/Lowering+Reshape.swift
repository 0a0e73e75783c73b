import GraphCore

extension Lowering {
    /// `flatten(X)`: a matrix's elements in row-major order as a vector [r·c], written as
    /// onesᵀ @ ((X @ Q) ⊙ M): Q (c × n) copies column k mod c to position k, M (r × n) keeps
    /// position k in row k / c only, and the ones add the rows up. A vector stays as it is; a
    /// tensor of rank 3 or 4 becomes one `reshape` op (its buffer is already in that order).
    mutating func flatten(_ x: NodeID, _ call: LayerCall) -> NodeID? {
        let s = builder.shape(of: x)
        switch s.rank {
        case 0:
            // A scalar is one element, as PyTorch reshapes a 0-d tensor to [1]: x · [1].
            guard let one = constant(.vector(1), [1], call) else { return nil }
            return node(.mul, x, one, call)
        case 1:
            guard let one = constant(.scalar, [1], call) else { return nil }
            return node(.mul, x, one, call)
        case 2:
            let (r, c) = (Int(s.rows), Int(s.cols)), n = r * c
            guard fits([.matrix(c, n), .matrix(r, n)], call) else { return nil }
            var q = [Double](repeating: 0, count: c * n), m = [Double](repeating: 0, count: r * n)
            for k in 0..<n {
                q[(k % c) * n + k] = 1
                m[(k / c) * n + k] = 1
            }
            guard let qNode = constant(.matrix(c, n), q, call), let mNode = constant(.matrix(r, n), m, call),
                  let ones = constant(.vector(r), Array(repeating: 1, count: r), call),
                  let spread = node(.matmul, x, qNode, call), let kept = node(.mul, spread, mNode, call) else { return nil }
            return node(.matmul, ones, kept, call)
        case 3, 4:
            return reshaped(x, .vector(s.count), call)
        default:
            return shapeError("\(call.name) needs a vector, a matrix or a tensor of rank 3 or 4", call, [x])
        }
    }

    /// `reshape(x, [r, c])` or `reshape(x, [n])`, row-major as NumPy and PyTorch (one size may
    /// be −1: whatever the element count leaves). A vector v becomes a matrix as
    /// (v ⊙ M) @ P, with M (r × n) keeping row i's c elements and P (n × c) moving element k
    /// to column k mod c. To or from rank 3 or 4 (`reshape(x, [1, 3, 32, 32])`) it is one
    /// `reshape` op.
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
        if dims.count > 2 || builder.shape(of: x).rank > 2 {
            guard fits([.tensor(dims)], call) else { return nil }
            return reshaped(x, .tensor(dims), call)
        }
        guard let v = flatten(x, call) else { return nil }
        guard dims.count == 2 else { return v }
        let (r, c) = (dims[0], dims[1])
        guard fits([.matrix(r, n), .matrix(n, c)], call) else { return nil }
        var m = [Double](repeating: 0, count: r * n), p = [Double](repeating: 0, count: n * c)
        for k in 0..<n {
            m[(k / c) * n + k] = 1
            p[k * c + k % c] = 1
        }
        guard let mNode = constant(.matrix(r, n), m, call), let pNode = constant(.matrix(n, c), p, call),
              let kept = node(.mul, v, mNode, call) else { return nil }
        return node(.matmul, kept, pNode, call)
    }
}
