import Foundation

// `gather`: the rows of a tensor at the positions an integer tensor holds, `C[X]` (an
// embedding lookup, `torch.index_select` on axis 0, NumPy's `C[X]`). The index tensor is the
// second operand, a tensor of whole numbers of any shape; the result has the index tensor's
// extents followed by a row's (`C` (V × D) at `X` (N) gives (N × D)). The op is linear in
// its first operand, so its JVP gathers the tangent's rows and its VJP scatter-adds the
// adjoint's rows back into the rows they came from: a row picked twice receives the sum of
// both, as torch's `index_add_`. The indices are positions, not values of the function: no
// adjoint reaches them.

extension Op {
    /// The shape of `a[b]` with `b` a tensor of indices into `a`'s first axis: `b`'s extents
    /// then the rest of `a`'s.
    static func gatherShape(_ a: Shape, _ b: Shape) throws(ShapeError) -> Shape {
        guard !a.isScalar else {
            throw ShapeError(description: "a scalar cannot be indexed")
        }
        let dims = b.dims + a.dims.dropFirst()
        guard dims.count <= 4 else {
            throw ShapeError(description: "indexing \(a) with an index tensor \(b) would give a tensor of rank \(dims.count); the most is 4")
        }
        return .tensor(dims)
    }

    /// The row an index value names among `rows`, or nil when it is not a whole number in
    /// −rows ..< rows (negative positions count from the end, as NumPy's).
    @inlinable
    public static func gatherRow(_ x: Double, rows: Int) -> Int? {
        guard x == x.rounded(), x >= -Double(rows), x < Double(rows) else { return nil }
        let k = Int(x)
        return k < 0 ? k + rows : k
    }
}

extension TapeEntry {
    /// The first operand's number of rows (extent of axis 0) and the elements per row.
    public func gatherLayout(_ ea: TapeEntry) -> (rows: Int, width: Int) {
        let rows = ea.shape.dims.first ?? 1
        return (rows, ea.count / Swift.max(rows, 1))
    }

    /// Copies row `X[i]` of the source into result row i; a bad index (not whole, out of
    /// range: the language reports those it can see) gives a row of NaN rather than a read
    /// outside the buffer.
    func gatherForward(_ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer) {
        let (rows, width) = gatherLayout(ea)
        let o = Int(offset), pa = Int(ea.offset), pb = Int(eb.offset)
        for i in 0..<eb.count {
            guard let r = Op.gatherRow(v[pb + i], rows: rows) else {
                for j in 0..<width { v[o + i * width + j] = .nan }
                continue
            }
            for j in 0..<width { v[o + i * width + j] = v[pa + r * width + j] }
        }
    }

    /// The tangent's rows at the same positions (the indices have no tangent that matters).
    func gatherTangent(_ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer, _ t: Buffer) {
        let (rows, width) = gatherLayout(ea)
        let o = Int(offset), pa = Int(ea.offset), pb = Int(eb.offset)
        for i in 0..<eb.count {
            let r = Op.gatherRow(v[pb + i], rows: rows)
            for j in 0..<width { t[o + i * width + j] = r.map { t[pa + $0 * width + j] } ?? .nan }
        }
    }

    /// Scatter-adds adjoint row i into source row X[i]: a row gathered k times receives the
    /// sum of k adjoint rows, a row never gathered nothing.
    func gatherAdjoint(_ ea: TapeEntry, _ eb: TapeEntry, _ v: Buffer,
                       _ g: UnsafeMutablePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
        let (rows, width) = gatherLayout(ea)
        let pb = Int(eb.offset)
        for i in 0..<eb.count {
            guard let r = Op.gatherRow(v[pb + i], rows: rows) else { continue }
            for j in 0..<width { out[r * width + j] += g[i * width + j] }
        }
    }

    /// Which source row each result row came from (nil for a bad index), in the result's order:
    /// what the explanation lists.
    public func gatheredRows(_ ea: TapeEntry, _ indices: ArraySlice<Double>) -> [Int?] {
        let rows = gatherLayout(ea).rows
        return indices.map { Op.gatherRow($0, rows: rows) }
    }
}

extension TapeBuilder {
    /// The numbers of `node` when only constants reach it (a data file's label column,
    /// `D @ [0, 0, 1]`), computed now from the graph built so far, so that the language can
    /// check an index tensor's positions before any command runs; nil when an input or param
    /// reaches it, a leaf was read for its shape only, or the graph holds more than `limit`
    /// values (the check is then left to the kernels, which give NaN for a bad index).
    public func constantValues(of node: NodeID, limit: Int = 1_000_000) -> [Double]? {
        guard !shapesOnly, valueCount <= limit else { return nil }
        var stack = [node.raw], seen = Set<Int>()
        while let k = stack.popLast() {
            guard seen.insert(k).inserted else { continue }
            let n = nodes[k]
            switch n.op.leaf {
            case .input, .param: return nil
            case .constant: if n.leafStart < 0 { return nil }
            case nil:
                stack.append(Int(n.a))
                stack.append(Int(n.b))
            }
        }
        let (tape, order) = finish(output: node)
        let values = tape.evaluate(), e = tape.entries[order[node.raw]]
        return Array(values[Int(e.offset) ..< Int(e.offset) + e.count])
    }
}
