import GraphCore

extension Scene {
    /// The drawn boxes (DOT ids) in rows of `wrap` layers each (`Wrap.rows`). Boxes inside an
    /// open group's frame are left out (a node in a rank and a cluster makes dot drop the
    /// cluster).
    func wrapRows(_ wrap: Int, _ options: DotOptions) -> [[String]] {
        var boxes: [String] = [], seen = Set<String>(), input = Set<String>()
        let framed = Set(folding(options).map { f in f.groups.filter { f.isOpen($0.name) }.flatMap(\.members) } ?? [])
        for i in 0 ..< tape.count where !hidden(i, options) && !framed.contains(i) {
            let id = boxID(i, options)
            if seen.insert(id).inserted { boxes.append(id) }
            if tape.entries[i].op == .input && !isFolded(i, options) { input.insert(id) }
        }
        return Wrap.rows(wrap, boxes: boxes, inputs: input, edges: drawnEdges(options).map { ($0.from, $0.to) })
    }
}

/// A long picture wrapped as text is: `wrap` layers side by side in each row (top to bottom,
/// read left to right and then the next row; left to right, in columns read down).
enum Wrap {
    /// `boxes` (DOT ids, in tape order) in rows of `wrap` layers: each row's boxes share a rank,
    /// so the edges inside a row run along it. Layers are longest paths over `edges`; a box
    /// with no incoming edge other than an input (a param, a constant) sits in the layer
    /// before its first consumer.
    static func rows(_ wrap: Int, boxes: [String], inputs: Set<String>, edges: [(from: String, to: String)]) -> [[String]] {
        var layer: [String: Int] = [:]
        // Edges come in tape order, so one pass nearly always settles; folded boxes can make
        // cycles, so the passes and the layers are bounded.
        var changed = true, passes = 0
        while changed && passes < boxes.count {
            changed = false
            passes += 1
            for e in edges where (layer[e.from] ?? 0) + 1 > (layer[e.to] ?? 0) && (layer[e.from] ?? 0) < boxes.count {
                layer[e.to] = (layer[e.from] ?? 0) + 1
                changed = true
            }
        }
        let targets = Set(edges.map(\.to))
        var firstUse: [String: Int] = [:]
        for e in edges { firstUse[e.from] = Swift.min(firstUse[e.from] ?? Int.max, layer[e.to] ?? 0) }
        for id in boxes where !targets.contains(id) && !inputs.contains(id) {
            if let use = firstUse[id] { layer[id] = Swift.max(0, use - 1) }
        }
        var rows: [Int: [String]] = [:]
        for id in boxes { rows[(layer[id] ?? 0) / Swift.max(1, wrap), default: []].append(id) }
        let order = Dictionary(boxes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return rows.keys.sorted().compactMap { rows[$0]?.sorted { ((layer[$0] ?? 0), order[$0] ?? 0) < ((layer[$1] ?? 0), order[$1] ?? 0) } }
    }

    /// The DOT lines of `rows`: one rank per row, and each row starting at the left, under the
    /// one before, as lines of text do (a heavy invisible edge between the rows' first boxes),
    /// not under the previous row's end.
    static func lines(_ rows: [[String]]) -> [String] {
        var out = rows.map { "  { rank=same; " + $0.map { "\($0);" }.joined(separator: " ") + " }" }
        for (above, below) in zip(rows, rows.dropFirst()) {
            if let a = above.first, let b = below.first { out.append("  \(a) -> \(b) [style=invis, weight=20];") }
        }
        return out
    }
}
