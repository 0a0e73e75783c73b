import GraphCore

// Numbers as a reader needs them: rounding noise where the lesson is "exactly zero" shown as
// 0 (the tooltip keeps the exact value), matrix columns apart, and a small rank-3/4 tensor as
// its labelled 2-D slices, side by side.

extension Scene {
    enum Quantity { case value, tangent, adjoint }

    /// A number at most this times the scale of what it was computed from is rounding noise.
    static let roundingZero = 1e-12
    /// Rank-3/4 tensors of at most this many elements (slices at most `sliceColumns` wide) are
    /// drawn whole, as slices; bigger ones as their shape and first entries.
    static let sliceLimit = 48, sliceColumns = 8
    /// Slices side by side in one band.
    static let slicesPerBand = 4

    /// Ops whose value is a sum of signed terms, so that a true zero comes out as rounding
    /// noise (batch norm's centred inputs, `a − a`); any other op's tiny value is real
    /// (`exp(−40)`).
    static let cancelling: Set<Op> = [.add, .sub, .sum, .mean, .matmul, .conv1d, .conv2d, .biasAdd, .batchNorm, .layerNorm]

    /// Node `i`'s numbers of `q` as drawn: an entry whose magnitude is at most `roundingZero`
    /// times the largest magnitude it was summed from (the operands of a cancelling op; the
    /// terms a tangent or adjoint received) is 0.
    func readable(_ q: Quantity, _ i: Int) -> [Double] {
        let buffer: [Double]
        switch q {
        case .value: buffer = values
        case .tangent: buffer = tangents ?? values
        case .adjoint: buffer = adjoints ?? values
        }
        let v = slice(buffer, i)
        var scale = 0.0
        switch q {
        case .value:
            guard Scene.cancelling.contains(tape.entries[i].op) else { return Array(v) }
            for a in tape.entries[i].operands { scale = Swift.max(scale, slice(values, a).reduce(0) { Swift.max($0, Swift.abs($1)) }) }
        case .tangent, .adjoint:
            func largest(_ v: ArraySlice<Double>) -> Double { v.reduce(0) { Swift.max($0, Swift.abs($1)) } }
            for c in explanation.received(by: i) {
                scale = Swift.max(scale, largest(explanation.values(of: c)))
                // A sum-like consumer's term sums the gradient it passes on (a bias's Σ ḡ), scaled
                // by its other operand (a matrix product's Bᵀ): that is the term's scale.
                let consumer = tape.entries[c.consumer]
                let adjoints = explanation.adjoints
                guard q == .adjoint, Scene.cancelling.contains(consumer.op), adjoints.count == tape.valueCount else { continue }
                let other = consumer.operands.filter { $0 != c.operand }.map { largest(slice(values, $0)) }.max() ?? 1
                scale = Swift.max(scale, largest(slice(adjoints, c.consumer)) * Swift.max(1, other))
            }
        }
        guard scale > 0, scale.isFinite else { return Array(v) }
        let tiny = Scene.roundingZero * scale
        return v.map { Swift.abs($0) <= tiny ? 0 : $0 }
    }

    /// A tensor drawn whole as table cells: a matrix of at most `DotWriter.smallTensor`
    /// entries, or a rank-3/4 tensor that fits as slices; nil for anything else.
    static func drawsAsTable(_ shape: Shape) -> Bool {
        switch shape.rank {
        case 2: return shape.count <= DotWriter.smallTensor
        case 3, 4: return shape.count <= sliceLimit && Int(shape.cols) <= sliceColumns
        default: return false
        }
    }

    /// Table rows of a tensor's numbers, one `<TD>` string per cell: a matrix row by row; a
    /// rank-3/4 tensor as its 2-D slices (`[0]`, `[1]` or `[0,1]` …) side by side, at most
    /// `slicesPerBand` to a band. Numbers are right-aligned cells with a spacer cell between
    /// them, so no two run together. `prefix` (`=`, `v̄ =`) heads the first row; `dim` draws
    /// an entry muted (an adjoint entry that received no gradient).
    static func tableRows(_ v: [Double], _ shape: Shape, prefix: String, colour: String, muted: String,
                          digits: Int, dim: (Double) -> Bool = { _ in false }) -> [[String]] {
        func font(_ c: String, _ text: String) -> String { "<FONT COLOR=\(DotWriter.quoted(c))>\(text)</FONT>" }
        let gap = "<TD WIDTH=\"6\"></TD>", sliceGap = "<TD WIDTH=\"14\"></TD>"
        let dims = shape.dims
        let cols = Int(shape.cols), rows = dims.count >= 2 ? dims[dims.count - 2] : 1
        let sliceCount = Swift.max(1, v.count / Swift.max(1, rows * cols))
        func number(_ x: Double) -> String {
            "<TD ALIGN=\"RIGHT\">" + font(dim(x) ? muted : colour, DotWriter.escape(Format.short(x, digits: digits))) + "</TD>"
        }
        func sliceName(_ s: Int) -> String {
            dims.count == 4 ? "[\(s / dims[1]),\(s % dims[1])]" : "[\(s)]"
        }
        var out: [[String]] = []
        var first = true
        for band in stride(from: 0, to: sliceCount, by: shape.rank >= 3 ? slicesPerBand : 1) {
            let slices = Array(band ..< Swift.min(sliceCount, band + (shape.rank >= 3 ? slicesPerBand : 1)))
            if shape.rank >= 3 {
                var header = ["<TD></TD>"]
                for (k, s) in slices.enumerated() {
                    if k > 0 { header.append(sliceGap) }
                    header.append("<TD COLSPAN=\"\(2 * cols - 1)\" ALIGN=\"CENTER\">" + font(muted, DotWriter.escape(sliceName(s))) + "</TD>")
                }
                out.append(header)
            }
            for r in 0..<rows {
                var row = ["<TD ALIGN=\"LEFT\">" + (first ? font(colour, DotWriter.escape(prefix)) : "") + "</TD>"]
                first = false
                for (k, s) in slices.enumerated() {
                    if k > 0 { row.append(sliceGap) }
                    let start = (s * rows + r) * cols
                    for c in 0..<cols {
                        if c > 0 { row.append(gap) }
                        row.append(number(v[start + c]))
                    }
                }
                out.append(row)
            }
        }
        return out
    }
}
