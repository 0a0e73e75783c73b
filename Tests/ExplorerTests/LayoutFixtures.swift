import Explorer
import TestSupport

/// Graphs and checks shared by the layout tests.
enum LayoutFixtures {
    /// Baydin et al.'s f(x1, x2) = ln(x1) + x1·x2 − sin(x2): v1 = ln x1, v2 = x1·x2,
    /// v3 = sin x2, v4 = v1 + v2, v5 = v4 − v3.
    static func baydin(leftToRight: Bool = true) -> LayoutRequest {
        LayoutRequest(operands: [[], [], [0], [0, 1], [1], [2, 3], [5, 4]],
                      widths: [6, 6, 9, 11, 9, 9, 9], height: 3, leftToRight: leftToRight)
    }

    /// A random fan-in-2 DAG like the benchmark's: 8 inputs; node i reads node i − 1 and, half
    /// the time, one 2–32 back, else any earlier node; some nodes are unary.
    static func randomDAG(nodes: Int, seed: UInt64, leftToRight: Bool = true) -> LayoutRequest {
        var random = SplitMix64(seed: seed)
        var operands: [[Int]] = []
        var widths: [Int] = []
        for i in 0..<nodes {
            widths.append(Int.random(in: 3...14, using: &random))
            if i < min(8, nodes) { operands.append([]); continue }
            var ops = [i - 1]
            if Bool.random(using: &random) {
                let other = Bool.random(using: &random)
                    ? i - Int.random(in: 2...min(32, i), using: &random)
                    : Int.random(in: 0..<i, using: &random)
                if Int.random(in: 0..<4, using: &random) > 0 { ops.append(other) }
            }
            operands.append(ops.shuffled(using: &random))
        }
        return LayoutRequest(operands: operands, widths: widths, height: 3, leftToRight: leftToRight)
    }

    /// A wide random DAG: inputs in the first tenth, every other node reads two random
    /// earlier nodes (so layers are wide and edges long).
    static func wideDAG(nodes: Int, seed: UInt64, leftToRight: Bool = true) -> LayoutRequest {
        var random = SplitMix64(seed: seed)
        var operands: [[Int]] = []
        let inputs = max(1, nodes / 10)
        for i in 0..<nodes {
            if i < inputs { operands.append([]); continue }
            operands.append([Int.random(in: 0..<i, using: &random), Int.random(in: 0..<i, using: &random)])
        }
        let widths = (0..<nodes).map { _ in Int.random(in: 3...10, using: &random) }
        return LayoutRequest(operands: operands, widths: widths, height: 3, leftToRight: leftToRight)
    }

    /// Everything wrong with `layout` for `request`, as readable lines (empty when it is sound).
    /// `throughBoxes`: also check that no edge segment crosses a box other than its endpoints'.
    static func problems(_ layout: GraphLayout, _ request: LayoutRequest, throughBoxes: Bool = true) -> [String] {
        var found: [String] = []
        let n = request.widths.count
        guard layout.boxes.count == n else { return ["\(layout.boxes.count) boxes for \(n) nodes"] }
        for (i, b) in layout.boxes.enumerated() {
            if b.node != i { found.append("boxes[\(i)].node == \(b.node)") }
            if b.x < 0 || b.y < 0 || b.x + b.width > layout.width || b.y + b.height > layout.height {
                found.append("box \(i) \(b) outside \(layout.width)×\(layout.height)")
            }
            let (w, h) = (request.widths[i], request.height)
            if b.width != w || b.height != h { found.append("box \(i) is \(b.width)×\(b.height), wanted \(w)×\(h)") }
        }
        // Overlaps: sweep over boxes sorted by x.
        let byX = layout.boxes.sorted { $0.x < $1.x }
        for (k, a) in byX.enumerated() {
            var j = k + 1
            while j < byX.count, byX[j].x < a.x + a.width {
                let b = byX[j]
                if b.y < a.y + a.height && a.y < b.y + b.height { found.append("boxes \(a.node) and \(b.node) overlap") }
                j += 1
            }
        }
        let expected = (0..<n).flatMap { i in request.operands[i].map { (from: $0, to: i) } }
        if layout.edges.count != expected.count { found.append("\(layout.edges.count) edges, wanted \(expected.count)") }
        let grid = BoxGrid(layout)
        for (k, edge) in layout.edges.enumerated() {
            if k < expected.count, (edge.from, edge.to) != expected[k] {
                found.append("edge \(k) is \(edge.from)→\(edge.to), wanted \(expected[k])")
            }
            guard let first = edge.points.first, let last = edge.points.last else {
                found.append("edge \(edge.from)→\(edge.to) has no points")
                continue
            }
            if !adjacent(first, layout.boxes[edge.from]) { found.append("edge \(edge.from)→\(edge.to) starts at \(first), not next to its operand") }
            if !adjacent(last, layout.boxes[edge.to]) { found.append("edge \(edge.from)→\(edge.to) ends at \(last), not next to its consumer") }
            for p in edge.points where p.x < 0 || p.y < 0 || p.x >= layout.width || p.y >= layout.height {
                found.append("edge \(edge.from)→\(edge.to) point \(p) outside the layout")
            }
            for (a, b) in zip(edge.points, edge.points.dropFirst()) where a.x != b.x && a.y != b.y {
                found.append("edge \(edge.from)→\(edge.to) has a diagonal segment \(a)–\(b)")
            }
            if throughBoxes {
                func check(_ c: GraphLayout.Point) {
                    if let hit = grid.box(at: c) { found.append("edge \(edge.from)→\(edge.to) passes through box \(hit) at \(c)") }
                }
                if edge.points.count == 1 { check(first) }
                // Cell by cell along each segment (both ends included, as `cellsBetween` lists
                // them), without building the list: this check is most of the random-DAG tests.
                for (a, b) in zip(edge.points, edge.points.dropFirst()) {
                    if a.x == b.x {
                        for y in min(a.y, b.y)...max(a.y, b.y) { check(.init(x: a.x, y: y)) }
                    } else if a.y == b.y {
                        for x in min(a.x, b.x)...max(a.x, b.x) { check(.init(x: x, y: a.y)) }
                    } else {
                        check(a)
                        check(b)
                    }
                }
            }
            if found.count > 20 { break }
        }
        return found
    }

    static func adjacent(_ p: GraphLayout.Point, _ b: GraphLayout.Box) -> Bool {
        let besideX = (p.x == b.x - 1 || p.x == b.x + b.width) && p.y >= b.y && p.y < b.y + b.height
        let besideY = (p.y == b.y - 1 || p.y == b.y + b.height) && p.x >= b.x && p.x < b.x + b.width
        return besideX || besideY
    }

    /// The cells of an axis-aligned segment (both ends included).
    static func cellsBetween(_ a: GraphLayout.Point, _ b: GraphLayout.Point) -> [GraphLayout.Point] {
        if a.x == b.x { return stride(from: min(a.y, b.y), through: max(a.y, b.y), by: 1).map { .init(x: a.x, y: $0) } }
        if a.y == b.y { return stride(from: min(a.x, b.x), through: max(a.x, b.x), by: 1).map { .init(x: $0, y: a.y) } }
        return [a, b]
    }

    /// Crossings between the orthogonal segments of edges that share no endpoint node.
    static func crossings(_ layout: GraphLayout) -> Int {
        typealias Segment = (edge: Int, a: GraphLayout.Point, b: GraphLayout.Point)
        var horizontal: [Segment] = [], vertical: [Segment] = []
        for (k, e) in layout.edges.enumerated() {
            for (a, b) in zip(e.points, e.points.dropFirst()) {
                if a.y == b.y { horizontal.append((k, a, b)) } else { vertical.append((k, a, b)) }
            }
        }
        var count = 0
        for h in horizontal {
            for v in vertical {
                let e1 = layout.edges[h.edge], e2 = layout.edges[v.edge]
                if e1.from == e2.from || e1.to == e2.to { continue }
                let x = v.a.x, y = h.a.y
                if x > min(h.a.x, h.b.x), x < max(h.a.x, h.b.x), y > min(v.a.y, v.b.y), y < max(v.a.y, v.b.y) { count += 1 }
            }
        }
        return count
    }

    /// A picture of the layout: boxes as `+--+` frames with the node number, edges as `.`.
    static func picture(_ layout: GraphLayout) -> String {
        var rows = [[Character]](repeating: [Character](repeating: " ", count: layout.width), count: layout.height)
        for e in layout.edges {
            for (a, b) in zip(e.points, e.points.dropFirst()) {
                for c in cellsBetween(a, b) { rows[c.y][c.x] = a.x == b.x ? "|" : (rows[c.y][c.x] == "|" ? "+" : "-") }
            }
        }
        for b in layout.boxes {
            for y in b.y..<(b.y + b.height) {
                for x in b.x..<(b.x + b.width) {
                    let edgeX = x == b.x || x == b.x + b.width - 1, edgeY = y == b.y || y == b.y + b.height - 1
                    rows[y][x] = edgeX && edgeY ? "+" : edgeY ? "=" : edgeX ? "#" : " "
                }
            }
            let label = Array(String(b.node))
            for (k, ch) in label.enumerated() where b.width > 2 + k && b.height > 2 { rows[b.y + b.height / 2][b.x + 1 + k] = ch }
        }
        return rows.map { String(String($0).reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
    }
}

/// Which box covers a cell, via a hash of cells (fine for test sizes).
struct BoxGrid {
    /// The node whose box covers each cell of the layout, row by row; -1 where none does. A
    /// flat array, not a dictionary of points: the tests look up every cell of every edge.
    private var owner: [Int]
    private let width: Int, height: Int
    init(_ layout: GraphLayout) {
        width = layout.width
        height = layout.height
        owner = Array(repeating: -1, count: layout.width * layout.height)
        // Only the cells inside the layout (`problems` reports a box outside it on its own).
        for b in layout.boxes {
            for y in stride(from: max(0, b.y), to: min(height, b.y + b.height), by: 1) {
                for x in stride(from: max(0, b.x), to: min(width, b.x + b.width), by: 1) { owner[y * width + x] = b.node }
            }
        }
    }
    func box(at p: GraphLayout.Point) -> Int? {
        guard p.x >= 0, p.x < width, p.y >= 0, p.y < height else { return nil }
        let node = owner[p.y * width + p.x]
        return node < 0 ? nil : node
    }
}
