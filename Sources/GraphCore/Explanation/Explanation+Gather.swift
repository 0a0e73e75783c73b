import Foundation

// What a gather's steps mean, in words with their numbers: which rows the forward step copied
// (`v₂ = rows 2, 0, 2 of C`), and in the reverse sweep which rows of the source received
// which rows of the adjoint, a row gathered twice receiving the sum of both.

extension Explanation {
    /// The sentences about gathers for node `i`: what it copied when it is one, and (reverse
    /// mode) what each of its rows received from the gathers that read it.
    func gatherRemarks(_ i: Int) -> [String] {
        var out: [String] = []
        let e = tape.entries[i]
        if e.op == .gather, let rows = gatheredRows(i) {
            let source = tape.label(Int(e.a))
            let list = rows.map { $0.map(String.init) ?? "?" }.joined(separator: ", ")
            out.append("\(tape.label(i)) copies rows \(list) of \(source), in that order (the index tensor \(tape.label(Int(e.b))))")
        }
        guard phase == .reverse else { return out }
        for c in received(by: i) where c.position == 0 && tape.entries[c.consumer].op == .gather {
            out.append(scatterWords(into: i, from: c.consumer))
        }
        return out
    }

    /// The source row of each result row of gather node `i` (nil for a bad index).
    private func gatheredRows(_ i: Int) -> [Int?]? {
        let e = tape.entries[i]
        guard e.op == .gather else { return nil }
        return e.gatheredRows(tape.entries[Int(e.a)], slice(values, Int(e.b)))
    }

    /// The most shares written out as a sum, and rows listed, in one sentence.
    static let writtenTerms = 4, writtenRows = 8

    /// `C̄ += scatter of v̄₂'s rows: row 0 ← row 1 [3, 4]; row 2 ← rows 0 and 2, [6, 8] + [6, 8]
    /// = [12, 16] (gathered 2 times); row 1 receives nothing`.
    private func scatterWords(into i: Int, from gather: Int) -> String {
        let e = tape.entries[gather], ea = tape.entries[i]
        let rows = gatheredRows(gather) ?? []
        let width = e.gatherLayout(ea).width, total = e.gatherLayout(ea).rows
        let g = slice(adjoints, gather), gLabel = tape.adjointLabel(gather)
        let rowShape: Shape = ea.rank == 1 ? .scalar : .tensor(Array(ea.shape.dims.dropFirst()))
        func row(_ k: Int) -> String {
            let start = g.startIndex + k * width
            return inline(g[start ..< start + width], rowShape)
        }
        var parts: [String] = []
        var untouched: [Int] = []
        for r in 0..<total {
            let from = rows.indices.filter { rows[$0] == r }
            if from.isEmpty {
                untouched.append(r)
                continue
            }
            if from.count == 1 {
                parts.append("row \(r) ← row \(from[0]) of \(gLabel), \(row(from[0]))")
                continue
            }
            var sum = [Double](repeating: 0, count: width)
            for k in from { for j in 0..<width { sum[j] += g[g.startIndex + k * width + j] } }
            // A broadcast copies a row many times: past a few, the sum is named, not written out.
            let few = from.count <= Self.writtenTerms
            let terms = few ? from.map(row).joined(separator: " + ") : "the sum of \(from.count) rows"
            let names = few ? from.dropLast().map(String.init).joined(separator: ", ") + " and \(from.last!)"
                : "\(from[0]), \(from[1]), …, \(from.last!)"
            parts.append("row \(r) ← rows \(names) of \(gLabel), \(terms) = \(inline(sum[...], rowShape)) (copied \(from.count) times: the shares add up)")
        }
        if parts.count > Self.writtenRows {
            let hidden = parts.count - Self.writtenRows
            parts = Array(parts.prefix(Self.writtenRows)) + ["… \(hidden) more row\(hidden == 1 ? "" : "s")"]
        }
        if !untouched.isEmpty {
            var names = untouched.prefix(Self.writtenRows).map(String.init).joined(separator: ", ")
            if untouched.count > Self.writtenRows { names += ", … (\(untouched.count) in all)" }
            parts.append("row\(untouched.count == 1 ? "" : "s") \(names) \(untouched.count == 1 ? "receives" : "receive") nothing (never copied)")
        }
        return "\(tape.label(gather)) = \(tape.label(i))[\(tape.label(Int(e.b)))] scatter-adds \(gLabel)'s rows into the rows of \(tape.adjointLabel(i)) they were copied from: "
            + parts.joined(separator: "; ")
    }
}
