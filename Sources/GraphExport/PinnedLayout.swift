import Foundation
import GraphCore

/// Where every node and edge of a picture goes, computed once and handed to Graphviz with each
/// frame so that it only draws (`neato -n2`): the nodes of a stepper never move.
///
/// One layout serves every state and every frame of a graph in one direction. It comes from
/// the picture that needs the most room (every value, tangent or adjoint shown, every edge
/// labelled), so each node's box is big enough in every frame.
public struct PinnedLayout: Sendable, Hashable {
    /// A node's centre and size, in points and inches as Graphviz writes them.
    public struct Box: Sendable, Hashable {
        public var x: String, y: String, width: String, height: String
    }

    /// An edge's spline and the centre of its label, Graphviz's `pos` and `lp`.
    public struct Route: Sendable, Hashable {
        public var pos: String
        public var labelPosition: String?
    }

    /// A cluster's box `x0,y0,x1,y1` and label centre, in points.
    struct Cluster: Sendable, Hashable {
        var bb: String
        var lp: String?
    }

    public var rankdir: DotOptions.RankDir
    /// `x0,y0,x1,y1` in points.
    public var boundingBox: String
    var nodes: [Int: Box]
    var edges: [EdgeKey: Route]
    /// Folded groups' boxes, by group index (DOT ids `g<k>`).
    var groupBoxes: [Int: Box] = [:]
    /// Open groups' frames (`cluster_g<k>`), by group index: Graphviz's `bb` and label
    /// position `lp`. `neato -n2` draws a cluster only where it is told.
    var clusters: [Int: Cluster] = [:]
    /// The layout kept a line under the title for the partial adjoints' legend.
    var legendLine = false
    /// The size of every text the picture draws (Graphviz's text drawing operations), for
    /// its median (`fit`).
    var textSizes: [Double] = []
    /// The height of the title in points: `neato -n2` draws it above the pinned bounding
    /// box, so the picture is that much taller than the box.
    var titleHeight = 0.0
    /// Layers to a row the layout was made with (`DotOptions.wrap`), nil for one a rank.
    var wrap: Int?

    /// The lower left and upper right corners of the bounding box, `x,y`.
    var corners: [String] {
        let v = boundingBox.split(separator: ",")
        guard v.count == 4 else { return [] }
        return ["\(v[0]),\(v[1])", "\(v[2]),\(v[3])"]
    }

    /// Width over height of the whole picture.
    public var aspect: Double {
        let v = boundingBox.split(separator: ",").compactMap { Double($0) }
        guard v.count == 4, v[3] - v[1] > 0 else { return 1 }
        return (v[2] - v[0]) / (v[3] - v[1])
    }

    /// Reads Graphviz's `-Tjson` output of a picture DotWriter wrote; nil when it is not that.
    static func parse(json: Data, rankdir: DotOptions.RankDir) -> PinnedLayout? {
        guard let root = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
              let bb = root["bb"] as? String else { return nil }
        var nodes: [Int: Box] = [:]
        var names: [Int: Int] = [:]
        for object in root["objects"] as? [[String: Any]] ?? [] {
            guard let name = object["name"] as? String, name.hasPrefix("n"), let i = Int(name.dropFirst()),
                  let gvid = object["_gvid"] as? Int, let pos = object["pos"] as? String,
                  let width = object["width"] as? String, let height = object["height"] as? String else { continue }
            let xy = pos.split(separator: ",")
            guard xy.count == 2 else { continue }
            nodes[i] = Box(x: String(xy[0]), y: String(xy[1]), width: width, height: height)
            names[gvid] = i
        }
        var groupBoxes: [Int: Box] = [:]
        for object in root["objects"] as? [[String: Any]] ?? [] {
            guard let name = object["name"] as? String, name.hasPrefix("g"), let k = Int(name.dropFirst()),
                  let pos = object["pos"] as? String, let width = object["width"] as? String,
                  let height = object["height"] as? String else { continue }
            let xy = pos.split(separator: ",")
            guard xy.count == 2 else { continue }
            groupBoxes[k] = Box(x: String(xy[0]), y: String(xy[1]), width: width, height: height)
        }
        var clusters: [Int: Cluster] = [:]
        for object in root["objects"] as? [[String: Any]] ?? [] {
            guard let name = object["name"] as? String, name.hasPrefix("cluster_g"), let k = Int(name.dropFirst(9)),
                  let bb = object["bb"] as? String else { continue }
            clusters[k] = Cluster(bb: bb, lp: object["lp"] as? String)
        }
        var edges: [EdgeKey: Route] = [:]
        for edge in root["edges"] as? [[String: Any]] ?? [] {
            guard let id = edge["id"] as? String, id.hasPrefix("e"), let pos = edge["pos"] as? String else { continue }
            let parts = id.dropFirst().split(separator: "_")
            guard parts.count == 2, let consumer = Int(parts[0]), let position = Int(parts[1]) else { continue }
            edges[EdgeKey(consumer: consumer, position: position)] = Route(pos: pos, labelPosition: edge["lp"] as? String)
        }
        var layout = PinnedLayout(rankdir: rankdir, boundingBox: bb, nodes: nodes, edges: edges, groupBoxes: groupBoxes)
        layout.clusters = clusters
        layout.textSizes = textSizes(root)
        layout.titleHeight = 72 * (Double(root["lheight"] as? String ?? "") ?? 0)
        return layout
    }
}

extension PinnedLayout {
    /// The font size of each text drawn by the label drawing operations (`_ldraw_` and the
    /// like) of the graph, its nodes, clusters and edges: `F` sets the size, `T` draws a text.
    static func textSizes(_ root: [String: Any]) -> [Double] {
        var sizes: [Double] = []
        let items = [root] + (root["objects"] as? [[String: Any]] ?? []) + (root["edges"] as? [[String: Any]] ?? [])
        for item in items {
            for (key, value) in item where key.hasSuffix("ldraw_") {
                var size = 14.0
                for op in value as? [[String: Any]] ?? [] {
                    switch op["op"] as? String {
                    case "F": size = (op["size"] as? Double) ?? size
                    case "T": sizes.append(size)
                    default: continue
                    }
                }
            }
        }
        return sizes
    }
}

extension Scene {
    /// The direction that keeps a picture of `tape` closest to a 16:9 slide, from an estimate
    /// of its size: layers by longest path (a leaf goes just before its first consumer, as
    /// Graphviz places a source with one short edge), boxes by their text.
    static func chooseRankdir(_ tape: Tape, options: DotOptions) -> DotOptions.RankDir {
        let n = tape.count
        guard n > 1 else { return .LR }
        var layer = Array(repeating: 0, count: n)
        for i in tape.firstComputed ..< n {
            layer[i] = (tape.entries[i].operands.map { layer[$0] }.max() ?? -1) + 1
        }
        var firstUse = Array(repeating: Int.max, count: n)
        for i in tape.firstComputed ..< n {
            for a in tape.entries[i].operands { firstUse[a] = Swift.min(firstUse[a], layer[i]) }
        }
        for i in 0 ..< tape.firstComputed where tape.entries[i].op != .input && firstUse[i] != Int.max {
            layer[i] = firstUse[i] - 1
        }
        let low = layer.min() ?? 0
        var width: [Int: Double] = [:], across: [Int: Double] = [:], acrossTB: [Int: Double] = [:], height: [Int: Double] = [:]
        for i in 0 ..< n where !(tape.entries[i].op == .constant && !options.showConstants) {
            let e = tape.entries[i]
            // Characters of the widest line, lines of text.
            let shown = e.count <= DotWriter.smallTensor ? e.count : 4
            let perRow = e.shape.rank == 2 ? Int(e.shape.cols) : shown
            let chars = Double(Swift.max(14, Swift.min(60, 8 + perRow * (options.digits + 4))))
            let rows = Double(3 + (e.shape.rank == 2 && e.count <= DotWriter.smallTensor ? 2 * Int(e.shape.rows) : 2))
            let w = chars * 6.5 + 16, h = rows * 14 + 10
            let l = layer[i] - low
            width[l] = Swift.max(width[l] ?? 0, w)
            height[l] = Swift.max(height[l] ?? 0, h)
            across[l, default: 0] += h + 22
            acrossTB[l, default: 0] += w + 22
        }
        let layers = Double(width.count)
        // Edge labels (two lines of a short term) sit between layers.
        let gapLR = 110.0, gapTB = 60.0
        let lrWidth = width.values.reduce(0, +) + gapLR * (layers - 1)
        let lrHeight = across.values.max() ?? 1
        let tbWidth = acrossTB.values.max() ?? 1
        let tbHeight = height.values.reduce(0, +) + gapTB * (layers - 1)
        func distance(_ w: Double, _ h: Double) -> Double { Swift.abs(Foundation.log(w / h / (16.0 / 9.0))) }
        return distance(lrWidth, lrHeight) <= distance(tbWidth, tbHeight) ? .LR : .TB
    }
}

extension PinnedLayout {
    /// A 16:9 slide's content area, in points.
    static let slide = (width: 900.0, height: 450.0)

    /// How much the picture is scaled to fit a slide's content area (above 1: it fits as drawn).
    public var slideScale: Double {
        let v = boundingBox.split(separator: ",").compactMap { Double($0) }
        guard v.count == 4, v[2] - v[0] > 0, v[3] - v[1] > 0 else { return 1 }
        return Swift.min(Self.slide.width / (v[2] - v[0]), Self.slide.height / (v[3] - v[1]))
    }
}

extension Graphviz {
    /// Lays out the picture `dot(rankdir, wrap)` writes. With `fixed` nil the arrangement is
    /// the one that fits a slide and a page best (`fit`, measured): the direction `estimate`
    /// first, then the other, then top to bottom wrapped two and three layers to a row, then
    /// left to right two layers to a column, each taken only while none fits. Nothing is
    /// stretched: stretching a picture to a slide's shape only adds room, and so shrinks the
    /// text when the picture is fitted.
    ///
    /// Each arrangement has a `dot` run of its own, unless `jointly` (a picture `dot` lays out
    /// in moments: `LayoutChoice.jointBudget`): then the first three share one run
    /// (`oneRun`), since starting `dot` costs more than laying out such a picture and the
    /// first seldom fits. The other two wrapped ones have a run each: Graphviz may crash on a
    /// graph that follows a wrapped one. The joint run has one picture's time limit (such
    /// pictures take milliseconds: a `dot` that hangs wastes no more than that); when it
    /// fails, every arrangement is laid out alone, so a failure is what it was. The
    /// arrangement kept is the same either way.
    func slideLayout(_ dot: (DotOptions.RankDir, Int?) -> String, fixed: DotOptions.RankDir?,
                     estimate: DotOptions.RankDir, jointly: Bool = false, for file: URL) async throws(ExportError) -> PinnedLayout {
        if let fixed { return try await layout(dot(fixed, nil), rankdir: fixed, for: file) }
        let arrangements: [(rankdir: DotOptions.RankDir, wrap: Int?)] = [(estimate, nil), (estimate == .LR ? .TB : .LR, nil), (.TB, 2), (.TB, 3), (.LR, 2)]
        func wrapped(_ layout: PinnedLayout, _ i: Int) -> PinnedLayout { var l = layout; l.wrap = arrangements[i].wrap; return l }
        var best: PinnedLayout?, alone = 0
        if jointly, let three = await oneRun(arrangements.prefix(3).map { (dot($0.rankdir, $0.wrap), $0.rankdir) }, seconds: timeout) {
            best = Self.bestArrangement(first: three[0], others: (1 ..< 3).map { wrapped(three[$0], $0) })
            alone = 3
        }
        for i in alone ..< arrangements.count where (best?.fit ?? 0) < FoldToFit.spare {
            let (rankdir, wrap) = arrangements[i]
            guard let current = best else {
                // The first arrangement's failure is the picture's.
                best = try await layout(dot(rankdir, wrap), rankdir: rankdir, for: file)
                continue
            }
            // A later one's only loses a candidate.
            guard let next = try? await layout(dot(rankdir, wrap), rankdir: rankdir, for: file) else { continue }
            best = Self.bestArrangement(first: current, others: [wrapped(next, i)])
        }
        // The first arrangement was laid out, or its failure thrown.
        return best!
    }

    /// The rule of `slideLayout`: from `first`, each arrangement in order while none fits with
    /// `FoldToFit.spare`, kept when it fits strictly better. (An arrangement that failed is
    /// left out by the caller: only a candidate lost, the one found stands.)
    static func bestArrangement(first: PinnedLayout, others: [PinnedLayout]) -> PinnedLayout {
        var best = first
        for next in others where best.fit < FoldToFit.spare && next.fit > best.fit {
            best = next
        }
        return best
    }
}
