import Foundation
import GraphExport

/// Why Graphviz gave no layout. `description` is the status line the explorer shows.
public enum LayoutFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// No `dot` program on PATH (or none at the given path).
    case graphvizMissing
    /// `dot` ran past the time limit and was stopped.
    case timedOut(seconds: Double)
    /// `dot` exited with an error; `stderr` is what it said.
    case failed(status: Int32, stderr: String)
    /// `dot` succeeded but its `-Tplain` output could not be read.
    case unreadableOutput

    public var description: String {
        switch self {
        case .graphvizMissing:
            return "Graphviz not installed: keeping gradstep's own layout (apt-get install graphviz)"
        case let .timedOut(seconds):
            return "Graphviz layout timed out after \(Self.format(seconds)) s: keeping gradstep's own layout"
        case let .failed(status, stderr):
            let said = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "Graphviz layout failed (exit status \(status))" + (said.isEmpty ? "" : ": " + said)
        case .unreadableOutput:
            return "Graphviz layout failed: unreadable -Tplain output"
        }
    }

    static func format(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(format: "%g", s)
    }
}

/// Graphviz's `dot` as the layout engine: boxes sized in character cells (1 cell = 0.125 in
/// wide × 0.25 in tall), laid out by `dot -Tplain`, read back as cells. `run` gives the
/// explorer Graphviz's order of the nodes with gradstep's orthogonal edges
/// (`LayeredLayout.ordered`): Graphviz's curves, drawn in cells, would leave boxes at their
/// corners and end beside them.
///
/// ```swift
/// switch await GraphvizLayout.run(request, timeout: 5) {
/// case .success(let layout): show(layout)
/// case .failure(let why): status(why.description)
/// }
/// ```
///
/// Edges come back as 4-connected cell paths reduced to their corners (consecutive points
/// share a row or a column, as with `LayeredLayout`), so the same box-drawing code draws both:
/// the Bézier curves are sampled and rasterised, and the cells inside the end boxes trimmed.
public enum GraphvizLayout {
    /// Inches per cell.
    static let cellWidth = 0.125, cellHeight = 0.25
    /// Above this many nodes `dot` runs with `-Gnslimit=0.2 -Gmclimit=0.2` (about 6× faster at
    /// 1,000 random nodes, TERMINAL.md).
    public static let quickOptionsAbove = 300

    /// The DOT text for `r`: node `n<i>` is tape index i.
    public static func dotSource(_ r: LayoutRequest) -> String {
        var lines = [
            "digraph gradstep {",
            "  graph [rankdir=\(r.leftToRight ? "LR" : "TB"), nodesep=0.25, ranksep=0.5];",
            "  node [shape=box, fixedsize=true, label=\"\", height=\(inches(Double(max(1, r.height)) * cellHeight))];",
            "  edge [arrowhead=none];",
        ]
        for (i, w) in r.widths.enumerated() {
            lines.append("  n\(i) [width=\(inches(Double(max(1, w)) * cellWidth))];")
        }
        for i in r.widths.indices where i < r.operands.count {
            for a in r.operands[i] where a >= 0 && a < i { lines.append("  n\(a) -> n\(i);") }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func inches(_ x: Double) -> String {
        var s = String(format: "%.4f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    // MARK: - Reading -Tplain

    /// Reads `dot -Tplain` output for `request` into cells; nil when it is malformed or does not
    /// match the request (a node or an edge missing, a number unreadable).
    public static func parsePlain(_ text: String, request: LayoutRequest) -> GraphLayout? {
        let n = request.widths.count
        var graphHeight: Double?
        var centres = [(x: Double, y: Double)?](repeating: nil, count: n)
        var splines: [String: [[(x: Double, y: Double)]]] = [:]  // "a b" → control points, in order
        var stopped = false
        for line in text.split(whereSeparator: \.isNewline) {
            let t = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let kind = t.first else { continue }
            switch kind {
            case "graph":
                guard t.count >= 4, let h = Double(t[3]), h.isFinite, h >= 0 else { return nil }
                graphHeight = h
            case "node":
                guard t.count >= 6, let i = nodeIndex(t[1]), i < n, centres[i] == nil,
                      let x = Double(t[2]), let y = Double(t[3]), x.isFinite, y.isFinite else { return nil }
                centres[i] = (x, y)
            case "edge":
                guard t.count >= 4, nodeIndex(t[1]) != nil, nodeIndex(t[2]) != nil,
                      let count = Int(t[3]), count >= 1, t.count >= 4 + 2 * count else { return nil }
                var points: [(x: Double, y: Double)] = []
                for k in 0..<count {
                    guard let x = Double(t[4 + 2 * k]), let y = Double(t[5 + 2 * k]), x.isFinite, y.isFinite else { return nil }
                    points.append((x, y))
                }
                splines["\(t[1]) \(t[2])", default: []].append(points)
            case "stop":
                stopped = true
            default:
                return nil
            }
        }
        guard stopped, let graphHeight else { return nil }
        let h = max(1, request.height)
        var boxes: [GraphLayout.Box] = []
        for i in 0..<n {
            guard let c = centres[i] else { return nil }
            let w = max(1, request.widths[i])
            let col = Int(((c.x - Double(w) * cellWidth / 2) / cellWidth).rounded())
            let row = Int(((graphHeight - c.y - Double(h) * cellHeight / 2) / cellHeight).rounded())
            boxes.append(GraphLayout.Box(node: i, x: col, y: row, width: w, height: h))
        }
        var edges: [GraphLayout.Edge] = []
        var used: [String: Int] = [:]
        for i in 0..<min(n, request.operands.count) {
            for a in request.operands[i] where a >= 0 && a < i {
                let key = "n\(a) n\(i)"
                let k = used[key, default: 0]
                guard let list = splines[key], k < list.count else { return nil }
                used[key] = k + 1
                let cells = rasterise(list[k], graphHeight: graphHeight)
                edges.append(GraphLayout.Edge(from: a, to: i, points: trimmed(cells, from: boxes[a], to: boxes[i], leftToRight: request.leftToRight)))
            }
        }
        // Graphviz's drawing starts at 0 up to rounding; make sure nothing is negative.
        let minX = min(boxes.map(\.x).min() ?? 0, edges.flatMap(\.points).map(\.x).min() ?? 0)
        let minY = min(boxes.map(\.y).min() ?? 0, edges.flatMap(\.points).map(\.y).min() ?? 0)
        if minX < 0 || minY < 0 {
            let dx = -min(minX, 0), dy = -min(minY, 0)
            for k in boxes.indices { boxes[k].x += dx; boxes[k].y += dy }
            for k in edges.indices { edges[k].points = edges[k].points.map { .init(x: $0.x + dx, y: $0.y + dy) } }
        }
        var width = 0, height = 0
        for b in boxes { width = max(width, b.x + b.width); height = max(height, b.y + b.height) }
        for e in edges { for p in e.points { width = max(width, p.x + 1); height = max(height, p.y + 1) } }
        return GraphLayout(boxes: boxes, edges: edges, width: width, height: height, engine: .graphviz)
    }

    static func nodeIndex(_ name: Substring) -> Int? {
        guard name.first == "n", let i = Int(name.dropFirst()), i >= 0 else { return nil }
        return i
    }

    /// The cells a B-spline's cubic segments pass through, as a 4-connected path.
    static func rasterise(_ control: [(x: Double, y: Double)], graphHeight: Double) -> [GraphLayout.Point] {
        func cell(_ p: (x: Double, y: Double)) -> GraphLayout.Point {
            GraphLayout.Point(x: Int((p.x / cellWidth).rounded(.down)), y: Int(((graphHeight - p.y) / cellHeight).rounded(.down)))
        }
        var samples: [GraphLayout.Point] = [cell(control[0])]
        var k = 0
        while k + 3 < control.count {
            let (p0, p1, p2, p3) = (control[k], control[k + 1], control[k + 2], control[k + 3])
            let chord = abs(p3.x - p0.x) / cellWidth + abs(p3.y - p0.y) / cellHeight
            let steps = max(4, min(256, Int(chord * 2)))
            for s in 1...steps {
                let t = Double(s) / Double(steps), u = 1 - t
                let a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t
                samples.append(cell((a * p0.x + b * p1.x + c * p2.x + d * p3.x, a * p0.y + b * p1.y + c * p2.y + d * p3.y)))
            }
            k += 3
        }
        var path: [GraphLayout.Point] = []
        for target in samples {
            guard var p = path.last else { path.append(target); continue }
            // Step one cell at a time, along the axis that is further behind.
            let dx = target.x - p.x, dy = target.y - p.y
            var movedX = 0, movedY = 0
            while p != target {
                let needX = abs(dx) - movedX, needY = abs(dy) - movedY
                if needX > 0 && (needY == 0 || movedX * abs(dy) <= movedY * abs(dx)) {
                    p.x += dx.signum()
                    movedX += 1
                } else {
                    p.y += dy.signum()
                    movedY += 1
                }
                path.append(p)
            }
        }
        return path
    }

    /// The path without its cells inside the two end boxes, reduced to its corners; a straight
    /// side-to-side line when nothing is left (boxes touching).
    static func trimmed(_ path: [GraphLayout.Point], from a: GraphLayout.Box, to b: GraphLayout.Box,
                        leftToRight: Bool) -> [GraphLayout.Point] {
        func inside(_ p: GraphLayout.Point, _ box: GraphLayout.Box) -> Bool {
            p.x >= box.x && p.x < box.x + box.width && p.y >= box.y && p.y < box.y + box.height
        }
        var first = 0, last = path.count - 1
        // The last cell inside the operand's box, the first inside the consumer's.
        if let k = path.lastIndex(where: { inside($0, a) }) { first = k + 1 }
        if let k = path[min(first, path.count)...].firstIndex(where: { inside($0, b) }) { last = k - 1 }
        guard first <= last else {
            let start = leftToRight ? GraphLayout.Point(x: a.x + a.width, y: a.y + a.height / 2)
                                    : GraphLayout.Point(x: a.x + a.width / 2, y: a.y + a.height)
            return [start]
        }
        var cells = Array(path[first...last])
        if let start = cells.first, !isBeside(start, a) { cells.insert(contentsOf: lPath(from: beside(a, near: start), to: start).dropLast(), at: 0) }
        if let end = cells.last, !isBeside(end, b) { cells.append(contentsOf: lPath(from: end, to: beside(b, near: end)).dropFirst()) }
        var out: [GraphLayout.Point] = []
        for p in cells {
            if out.count >= 2 {
                let u = out[out.count - 2], v = out[out.count - 1]
                if (u.x == v.x && v.x == p.x) || (u.y == v.y && v.y == p.y) { out.removeLast() }
            }
            out.append(p)
        }
        return out
    }

    static func isBeside(_ p: GraphLayout.Point, _ b: GraphLayout.Box) -> Bool {
        let besideX = (p.x == b.x - 1 || p.x == b.x + b.width) && p.y >= b.y && p.y < b.y + b.height
        let besideY = (p.y == b.y - 1 || p.y == b.y + b.height) && p.x >= b.x && p.x < b.x + b.width
        return besideX || besideY
    }

    /// The cell beside `b`'s sides nearest to `p` (for a path that stops short of its box).
    static func beside(_ b: GraphLayout.Box, near p: GraphLayout.Point) -> GraphLayout.Point {
        var q = GraphLayout.Point(x: min(max(p.x, b.x - 1), b.x + b.width), y: min(max(p.y, b.y - 1), b.y + b.height))
        let outX = q.x < b.x || q.x >= b.x + b.width, outY = q.y < b.y || q.y >= b.y + b.height
        if outX && outY { q.y = min(max(q.y, b.y), b.y + b.height - 1) }
        if !outX && !outY { q.x = b.x - 1 }
        return q
    }

    /// Cells from `p` to `q`, first along x then along y.
    static func lPath(from p: GraphLayout.Point, to q: GraphLayout.Point) -> [GraphLayout.Point] {
        var cells = [p], c = p
        while c.x != q.x { c.x += (q.x - c.x).signum(); cells.append(c) }
        while c.y != q.y { c.y += (q.y - c.y).signum(); cells.append(c) }
        return cells
    }

    // MARK: - Running dot

    /// Lays out `r` in Graphviz's order (`dot -Tplain`, found on PATH unless `dotPath` is given)
    /// with gradstep's edges (see the type's description), stopping `dot`
    /// after `timeout` seconds (SIGTERM, then SIGKILL a second later). Never blocks a thread of
    /// the caller's task pool: `Subprocess` waits on a thread of its own.
    public static func run(_ r: LayoutRequest, dotPath: String? = nil, timeout: Double) async -> Result<GraphLayout, LayoutFailure> {
        guard let dot = locate(dotPath) else { return .failure(.graphvizMissing) }
        let arguments = ["-Tplain"] + (r.widths.count > quickOptionsAbove ? ["-Gnslimit=0.2", "-Gmclimit=0.2"] : [])
        switch await Subprocess.run(dot, arguments, input: Data(dotSource(r).utf8), captureOutput: true,
                                    timeout: max(0, timeout)) {
        case .failedToStart:
            return .failure(.graphvizMissing)
        case .timedOut:
            return .failure(.timedOut(seconds: timeout))
        case let .exited(status, _, stderr) where status != 0:
            return .failure(.failed(status: status, stderr: stderr))
        case let .exited(_, output, _):
            guard let placed = parsePlain(String(decoding: output, as: UTF8.self), request: r) else {
                return .failure(.unreadableOutput)
            }
            return .success(LayeredLayout.ordered(r, like: placed))
        }
    }

    /// The `dot` program: `dotPath` if executable, else the first `dot` on PATH.
    static func locate(_ dotPath: String?) -> URL? {
        if let dotPath {
            return FileManager.default.isExecutableFile(atPath: dotPath) ? URL(fileURLWithPath: dotPath) : nil
        }
        return (try? Graphviz.locate())?.executable
    }
}
