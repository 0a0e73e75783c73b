/// gradstep's own layout: instant for any size (about linear in nodes and edges).
///
/// ```swift
/// let layout = LayeredLayout.layout(LayoutRequest(operands: [[], [], [0, 1]], widths: [5, 5, 7], height: 3))
/// ```
///
/// 1. **Layers.** Each node goes one layer after its deepest operand (longest path from the
///    leaves); an input with no operands moves up to just before its first consumer, so
///    constants do not pull long edges across the whole graph.
/// 2. **Dummies.** An edge spanning several layers gets a one-cell dummy in each layer it
///    crosses, so it bends around boxes instead of through them. When that would add more than
///    `Options.dummyBudget` dummies (huge random graphs), the longest edges instead go along a
///    track outside the drawing (above it for left-to-right, left of it for top-to-bottom).
/// 3. **Order.** Barycenter sweeps, down and up, keeping the order with the fewest crossings.
/// 4. **Positions.** Each node wants the mean centre of its neighbours in the previous (then
///    next) layer; a layer is placed at the closest positions that keep its order and gaps
///    (pool-adjacent-violators, linear per layer).
/// 5. **Edges.** Orthogonal: out of the middle of the operand's right side (bottom for
///    top-to-bottom), a run along a lane of the gap between layers, into the consumer's left
///    (top) side. A consumer with several operands gets one port each, spread over its side in
///    the order of where the edges come from, so two arrows never merge into one (when the
///    side has room: a box three cells across has one port). Lanes are ordered so that a line
///    leaving a box never runs over a line entering the box beside it, and each gap is as wide
///    as its lanes need.
///
/// `ordered(_:like:)` takes the order of the nodes within each layer from another layout
/// (Graphviz's) and routes the edges as above.
///
/// Guarantees (tested): boxes never overlap; an edge starts in the cell just outside its
/// operand's box and ends in the cell just outside its consumer's; no edge point and no
/// segment passes through a third box; consecutive points share a row or a column.
public enum LayeredLayout {
    public struct Options: Sendable, Hashable {
        /// Barycenter sweep pairs (down, then up). 0 keeps tape order within each layer.
        public var sweeps: Int
        /// Cells between neighbouring boxes (and dummies) in a layer.
        public var nodeGap: Int
        /// At most this many dummies; nil means `2 × nodes + 256`.
        public var dummyBudget: Int?

        public init(sweeps: Int = 4, nodeGap: Int = 1, dummyBudget: Int? = nil) {
            (self.sweeps, self.nodeGap, self.dummyBudget) = (sweeps, nodeGap, dummyBudget)
        }
    }

    /// Fewest cells between layers.
    static let minimumGap = 3

    public static func layout(_ r: LayoutRequest) -> GraphLayout { layout(r, options: Options()) }

    public static func layout(_ r: LayoutRequest, options: Options) -> GraphLayout {
        var builder = Builder(r, options: options)
        return builder.run()
    }

    /// `layout(_:)` that says which stage it has reached (`"ordering layers"`, …) as it goes,
    /// for a progress line while a big graph is laid out in the background.
    public static func layout(_ r: LayoutRequest, progress: @escaping @Sendable (String) -> Void) -> GraphLayout {
        var builder = Builder(r, options: Options())
        builder.progress = progress
        return builder.run()
    }

    /// The layered layout of `r` with the nodes of each layer first ordered as in `other` (by
    /// the centre of their boxes across the flow), kept unless the barycenter sweeps find an
    /// order with fewer crossings. Its engine is `other`'s: Graphviz's order, gradstep's
    /// orthogonal edges, which always start and end beside their boxes.
    public static func ordered(_ r: LayoutRequest, like other: GraphLayout, options: Options = Options()) -> GraphLayout {
        guard other.boxes.count == r.widths.count else { return layout(r, options: options) }
        var builder = Builder(r, options: options)
        builder.hint = other.boxes.map { b in
            r.leftToRight ? Double(b.y) + Double(b.height) / 2 : Double(b.x) + Double(b.width) / 2
        }
        var result = builder.run()
        result.engine = other.engine
        return result
    }
}

// MARK: - The builder

/// Items are the real nodes (0..<n, tape indices) followed by dummies. "Along" is the flow
/// direction (x for left-to-right), "across" the other one; a row in the comments means an
/// across coordinate.
private struct Builder {
    let r: LayoutRequest
    let options: LayoutOptionsView
    let n: Int
    // Edges, one per operand occurrence, in the order of the result.
    // 32-bit (`CompactInts`) where a big graph has one per edge or item.
    var edgeFrom: CompactInts = [], edgeTo: CompactInts = []
    var layer: CompactInts = []
    var layerCount = 0
    // Per edge: first dummy (or -1) when it has a dummy chain; track index (or -1).
    var firstDummy: CompactInts = [], track: CompactInts = []
    // Per item.
    var itemLayer: CompactInts = [], acrossSize: CompactInts = []
    var upStart: CompactInts = [], up: CompactInts = [], downStart: CompactInts = [], down: CompactInts = []
    var layers = LayerLists(layerOf: [], layerCount: 0)
    var pos: CompactInts = []
    var top: [Double] = []
    /// Where each node should go across its layer, from another layout; for items, filled in by
    /// `insertDummies` (a dummy between its edge's ends).
    var hint: [Double]?
    var itemHint: [Double] = []
    /// Per edge: the row (across) where it enters its consumer.
    var port: CompactInts = []
    var progress: (@Sendable (String) -> Void)?

    init(_ r: LayoutRequest, options: LayeredLayout.Options) {
        self.r = r
        self.n = r.widths.count
        self.options = LayoutOptionsView(options: options, nodes: r.widths.count)
    }

    func alongSize(_ i: Int) -> Int { max(1, r.leftToRight ? r.widths[i] : r.height) }
    func centre(_ item: Int) -> Int { Int(top[item].rounded()) + acrossSize[item] / 2 }

    mutating func run() -> GraphLayout {
        guard n > 0 else { return GraphLayout(boxes: [], edges: [], width: 0, height: 0, engine: .layered) }
        progress?("assigning layers")
        collectEdges()
        assignLayers()
        insertDummies()
        buildAdjacency()
        progress?("ordering layers")
        order()
        progress?("placing boxes")
        place()
        progress?("routing edges")
        return route()
    }

    // MARK: Layers

    mutating func collectEdges() {
        edgeFrom.reserveCapacity(r.operands.total)
        edgeTo.reserveCapacity(r.operands.total)
        for i in 0..<min(n, r.operands.count) {
            for a in r.operands[i] where a >= 0 && a < i {
                edgeFrom.append(a)
                edgeTo.append(i)
            }
        }
    }

    mutating func assignLayers() {
        layer = CompactInts(repeating: 0, count: n)
        var hasOperand = [Bool](repeating: false, count: n)
        // Edges come sorted by consumer, and operands precede consumers.
        for e in edgeFrom.indices {
            layer[edgeTo[e]] = max(layer[edgeTo[e]], layer[edgeFrom[e]] + 1)
            hasOperand[edgeTo[e]] = true
        }
        var firstConsumer = [Int](repeating: Int.max, count: n)
        for e in edgeFrom.indices { firstConsumer[edgeFrom[e]] = min(firstConsumer[edgeFrom[e]], layer[edgeTo[e]]) }
        for i in 0..<n where !hasOperand[i] && firstConsumer[i] != Int.max { layer[i] = firstConsumer[i] - 1 }
        layerCount = (layer.max() ?? 0) + 1
    }

    mutating func insertDummies() {
        itemLayer = layer
        acrossSize = CompactInts(repeating: 1, count: n)
        for i in 0..<n { acrossSize[i] = max(1, r.leftToRight ? r.height : r.widths[i]) }
        firstDummy = CompactInts(repeating: -1, count: edgeFrom.count)
        track = CompactInts(repeating: -1, count: edgeFrom.count)
        if let hint { itemHint = hint }
        var long: [(span: Int, edge: Int)] = []
        var total = 0
        for e in edgeFrom.indices {
            let span = layer[edgeTo[e]] - layer[edgeFrom[e]]
            if span > 1 { long.append((span, e)); total += span - 1 }
        }
        if total > options.dummyBudget { long.sort { ($0.span, $0.edge) < ($1.span, $1.edge) } }
        // The dummies within the budget, counted first so the item arrays grow once.
        var used = 0
        for (span, _) in long where used + span - 1 <= options.dummyBudget { used += span - 1 }
        itemLayer.reserveCapacity(n + used)
        acrossSize.reserveCapacity(n + used)
        used = 0
        for (span, e) in long {
            if used + span - 1 > options.dummyBudget { track[e] = 0; continue }
            used += span - 1
            firstDummy[e] = itemLayer.count
            for l in (layer[edgeFrom[e]] + 1)..<layer[edgeTo[e]] {
                itemLayer.append(l)
                acrossSize.append(1)
                if let hint {
                    let t = Double(l - layer[edgeFrom[e]]) / Double(span)
                    itemHint.append(hint[edgeFrom[e]] * (1 - t) + hint[edgeTo[e]] * t)
                }
            }
        }
    }

    /// Up and down neighbours of every item in adjacent layers (compressed rows).
    mutating func buildAdjacency() {
        let m = itemLayer.count
        // One pair per edge not on a track and per dummy, in 32 bits, sized once.
        var pairs: [(Int32, Int32)] = []
        var chained = 0
        for e in edgeFrom.indices where track[e] < 0 { chained += 1 }
        pairs.reserveCapacity(chained + m - n)
        for e in edgeFrom.indices where track[e] < 0 {
            var previous = edgeFrom[e]
            if firstDummy[e] >= 0 {
                for d in firstDummy[e]..<(firstDummy[e] + layer[edgeTo[e]] - layer[edgeFrom[e]] - 1) {
                    pairs.append((Int32(previous), Int32(d)))
                    previous = d
                }
            }
            pairs.append((Int32(previous), Int32(edgeTo[e])))
        }
        func compress(_ key: (Int32, Int32) -> Int32, _ value: (Int32, Int32) -> Int32) -> (CompactInts, CompactInts) {
            var start = CompactInts(repeating: 0, count: m + 1)
            for p in pairs { start[Int(key(p.0, p.1)) + 1] += 1 }
            for i in 0..<m { start[i + 1] += start[i] }
            var fill = start
            var list = CompactInts(repeating: 0, count: pairs.count)
            for p in pairs {
                let k = Int(key(p.0, p.1))
                list[fill[k]] = Int(value(p.0, p.1))
                fill[k] += 1
            }
            return (start, list)
        }
        (downStart, down) = compress({ a, _ in a }, { _, b in b })
        (upStart, up) = compress({ _, b in b }, { a, _ in a })
    }

    // MARK: Order

    mutating func order() {
        layers = LayerLists(layerOf: itemLayer, layerCount: layerCount)
        if itemHint.count == itemLayer.count {
            for l in layers.indices { layers.sortLayer(l) { (itemHint[$0], $0) < (itemHint[$1], $1) } }
        }
        pos = CompactInts(repeating: 0, count: itemLayer.count)
        updatePositions()
        guard options.sweeps > 0, layerCount > 1 else { return }
        var best = layers, fewest = crossings()
        for _ in 0..<options.sweeps {
            for l in 1..<layerCount { sortLayer(l, byUp: true) }
            var c = crossings()
            if c < fewest { (best, fewest) = (layers, c) }
            for l in stride(from: layerCount - 2, through: 0, by: -1) { sortLayer(l, byUp: false) }
            c = crossings()
            if c < fewest { (best, fewest) = (layers, c) }
            if fewest == 0 { break }
        }
        layers = best
        updatePositions()
    }

    mutating func updatePositions() {
        for members in layers { for (k, item) in members.enumerated() { pos[item] = k } }
    }

    mutating func sortLayer(_ l: Int, byUp: Bool) {
        var keyed: [(key: Double, pos: Int, item: Int)] = []
        keyed.reserveCapacity(layers[l].count)
        for item in layers[l] {
            let range = byUp ? upStart[item]..<upStart[item + 1] : downStart[item]..<downStart[item + 1]
            var key = Double(pos[item])
            if !range.isEmpty {
                var sum = 0
                for k in range { sum += pos[byUp ? up[k] : down[k]] }
                key = Double(sum) / Double(range.count)
            }
            keyed.append((key, pos[item], item))
        }
        keyed.sort { ($0.key, $0.pos) < ($1.key, $1.pos) }
        for (k, entry) in keyed.enumerated() {
            layers.setItem(l, k, entry.item)
            pos[entry.item] = k
        }
    }

    /// Crossings between adjacent layers for the current order (Barth, Jünger, Mutzel:
    /// inversions counted with a Fenwick tree).
    func crossings() -> Int {
        var total = 0
        var tree = [Int](repeating: 0, count: (layers.map(\.count).max() ?? 0) + 1)
        var targets: [Int] = []
        for l in 0..<(layerCount - 1) {
            let width = layers[l + 1].count
            var inserted = 0
            for item in layers[l] {
                targets.removeAll(keepingCapacity: true)
                for k in downStart[item]..<downStart[item + 1] { targets.append(pos[down[k]]) }
                targets.sort()
                for t in targets {
                    // Already inserted with a larger target position: they cross.
                    var i = t + 1, atMost = 0
                    while i > 0 { atMost += tree[i]; i -= i & -i }
                    total += inserted - atMost
                    i = t + 1
                    while i <= width { tree[i] += 1; i += i & -i }
                    inserted += 1
                }
            }
            for i in 0...width { tree[i] = 0 }
        }
        return total
    }

    // MARK: Positions

    mutating func place() {
        top = [Double](repeating: 0, count: itemLayer.count)
        for members in layers {
            var at = 0
            for item in members {
                top[item] = Double(at)
                at += acrossSize[item] + options.nodeGap
            }
        }
        guard layerCount > 1 else { return round() }
        for _ in 0..<3 {
            for l in 1..<layerCount { align(l, up: true, down: false) }
            for l in stride(from: layerCount - 2, through: 0, by: -1) { align(l, up: false, down: true) }
        }
        for l in 0..<layerCount { align(l, up: true, down: true) }
        round()
    }

    /// Moves layer `l` as close as its order and gaps allow to the mean centres of its
    /// neighbours (those above with `up`, below with `down`).
    mutating func align(_ l: Int, up useUp: Bool, down useDown: Bool) {
        let members = layers[l]
        guard !members.isEmpty else { return }
        // Isotonic regression: with offsets o_k (sizes and gaps before item k), positions
        // top_k = y_k + o_k keep order and gaps exactly when y is non-decreasing.
        var blocks: [(sum: Double, count: Double, end: Int)] = []
        blocks.reserveCapacity(members.count)
        var offset = 0
        var offsets = [Int](repeating: 0, count: members.count)
        for (k, item) in members.enumerated() {
            offsets[k] = offset
            offset += acrossSize[item] + options.nodeGap
            var sum = 0.0, count = 0
            if useUp {
                for j in upStart[item]..<upStart[item + 1] {
                    sum += top[up[j]] + Double(acrossSize[up[j]] / 2)
                    count += 1
                }
            }
            if useDown {
                for j in downStart[item]..<downStart[item + 1] {
                    sum += top[down[j]] + Double(acrossSize[down[j]] / 2)
                    count += 1
                }
            }
            let wanted = count == 0 ? top[item] : sum / Double(count) - Double(acrossSize[item] / 2)
            var block = (sum: wanted - Double(offsets[k]), count: 1.0, end: k)
            while let last = blocks.last, last.sum / last.count >= block.sum / block.count {
                blocks.removeLast()
                block = (last.sum + block.sum, last.count + block.count, k)
            }
            blocks.append(block)
        }
        var k = 0
        for block in blocks {
            let y = block.sum / block.count
            while k <= block.end {
                top[layers.item(l, k)] = y + Double(offsets[k])
                k += 1
            }
        }
    }

    /// Whole cells, keeping the gaps.
    mutating func round() {
        for members in layers {
            var next = Int.min
            for item in members {
                let t = max(Int(top[item].rounded()), next)
                top[item] = Double(t)
                next = t + acrossSize[item] + options.nodeGap
            }
        }
    }

    // MARK: Edges

    mutating func route() -> GraphLayout {
        let m = itemLayer.count
        // What ordering and placing needed, freed before the edges take their room.
        (up, down, upStart, downStart, pos, itemHint) = ([], [], [], [], [], [])
        // Along: where each layer starts, its thickness, and the gap after it.
        var thickness = CompactInts(repeating: 1, count: layerCount)
        for i in 0..<n { thickness[layer[i]] = max(thickness[layer[i]], alongSize(i)) }

        // Tracks for the long edges without dummies: interval colouring over gaps.
        var lowest = Int.max
        for item in 0..<m { lowest = min(lowest, Int(top[item])) }
        let trackEdges = edgeFrom.indices.filter { track[$0] >= 0 }
            .sorted { (layer[edgeFrom[$0]], $0) < (layer[edgeFrom[$1]], $1) }
        var trackEnds = MinHeap()
        var trackCount = 0
        for e in trackEdges {
            let first = layer[edgeFrom[e]], last = layer[edgeTo[e]] - 1
            if let free = trackEnds.min, free.end < first {
                trackEnds.removeMin()
                track[e] = free.track
            } else {
                track[e] = trackCount
                trackCount += 1
            }
            trackEnds.insert((last, track[e]))
        }
        func trackRow(_ t: Int) -> Int { lowest - 2 - t }

        assignPorts(trackRow: trackRow)

        // The rows each item's lines leave for, in edge order, as compressed rows (an array
        // per item would cost a heap block for each of a big graph's items): item i's are
        // `outRows[outStart[i] ..< outStart[i + 1]]`, counted into `outStart[i + 2]` first
        // and then filled with `outStart[i + 1]` as the cursor, which leaves it at the end.
        func eachOutRow(_ visit: (_ item: Int, _ row: Int) -> Void) {
            for e in edgeFrom.indices where track[e] < 0 {
                var previous = edgeFrom[e]
                if firstDummy[e] >= 0 {
                    for d in firstDummy[e]..<(firstDummy[e] + layer[edgeTo[e]] - layer[edgeFrom[e]] - 1) {
                        visit(previous, centre(d))
                        previous = d
                    }
                }
                visit(previous, port[e])
            }
            for e in trackEdges { visit(edgeFrom[e], trackRow(track[e])) }
        }
        var outStart = CompactInts(repeating: 0, count: m + 2)
        eachOutRow { item, _ in outStart[item + 2] += 1 }
        for i in 1 ..< m + 2 { outStart[i] += outStart[i - 1] }
        var outRows = CompactInts(repeating: 0, count: outStart[m + 1])
        eachOutRow { item, row in
            outRows[outStart[item + 1]] = row
            outStart[item + 1] += 1
        }
        // Track landings grouped by the gap they land in, in `trackEdges` order within a gap.
        let landings = trackEdges.indices
            .sorted { (layer[edgeTo[trackEdges[$0]]], $0) < (layer[edgeTo[trackEdges[$1]]], $1) }
            .map { trackEdges[$0] }

        // Nets: in gap g, one per item of layer g with lines leaving it, one per track landing
        // in layer g + 1, made and given lanes one gap at a time. The lane of an item's net is
        // `laneOfItem`, of a landing `landingLane`.
        var laneOfItem = CompactInts(repeating: 0, count: m)
        var landingLane = [Int: Int]()
        var layerStart = CompactInts(repeating: 0, count: layerCount)
        var along = 0
        var nets: [Net] = []
        var nextLanding = 0
        for l in 0..<layerCount {
            layerStart[l] = along
            along += thickness[l]
            nets.removeAll(keepingCapacity: true)
            for item in layers[l] where outStart[item] < outStart[item + 1] {
                nets.append(Net(owner: item, left: centre(item), rights: Array(outRows[outStart[item] ..< outStart[item + 1]])))
            }
            while nextLanding < landings.count, layer[edgeTo[landings[nextLanding]]] - 1 == l {
                let e = landings[nextLanding]
                nets.append(Net(owner: -1 - e, left: trackRow(track[e]), rights: [port[e]]))
                nextLanding += 1
            }
            let (lanes, used) = assignLanes(nets)
            for (net, lane) in zip(nets, lanes) {
                if net.owner >= 0 { laneOfItem[net.owner] = along + 1 + lane } else { landingLane[-1 - net.owner] = along + 1 + lane }
            }
            along += max(LayeredLayout.minimumGap, used + 2)
        }
        (outStart, outRows, nets) = ([], [], [])

        // Boxes and polylines in (along, across), then flipped to (x, y).
        var shift = -min(lowest, trackCount > 0 ? trackRow(trackCount - 1) : lowest)
        if shift < 0 { shift = 0 }
        // Each edge's polyline, simplified into `polyline`.
        var points: [(Int, Int)] = []
        var polyline: [GraphLayout.Point] = []
        func trace(_ e: Int) {
            let a = edgeFrom[e], b = edgeTo[e]
            points.removeAll(keepingCapacity: true)
            points.append((layerStart[layer[a]] + alongSize(a), centre(a)))
            var lane = laneOfItem[a]
            points.append((lane, centre(a)))
            if track[e] >= 0 {
                let row = trackRow(track[e])
                points.append((lane, row))
                lane = landingLane[e] ?? lane
                points.append((lane, row))
            } else if firstDummy[e] >= 0 {
                for d in firstDummy[e]..<(firstDummy[e] + layer[b] - layer[a] - 1) {
                    points.append((lane, centre(d)))
                    lane = laneOfItem[d]
                    points.append((lane, centre(d)))
                }
            }
            points.append((lane, port[e]))
            points.append((layerStart[layer[b]] - 1, port[e]))
            simplify(points, shift: shift, into: &polyline)
        }
        // Traced twice, counting and then keeping: the points' buffer is sized once, not
        // doubled as it fills (which held both copies, the largest block of a 10⁶-node layout).
        var pointCount = 0
        for e in edgeFrom.indices {
            trace(e)
            pointCount += polyline.count
        }
        var edges = GraphLayout.Edges()
        edges.reserveCapacity(edges: edgeFrom.count, points: pointCount)
        for e in edgeFrom.indices {
            trace(e)
            edges.append(from: edgeFrom[e], to: edgeTo[e], points: polyline)
        }
        var boxes: [GraphLayout.Box] = []
        boxes.reserveCapacity(n)
        var width = 0, height = 0
        for i in 0..<n {
            let alongAt = layerStart[layer[i]], acrossAt = Int(top[i]) + shift
            let box = r.leftToRight
                ? GraphLayout.Box(node: i, x: alongAt, y: acrossAt, width: alongSize(i), height: acrossSize[i])
                : GraphLayout.Box(node: i, x: acrossAt, y: alongAt, width: acrossSize[i], height: alongSize(i))
            boxes.append(box)
            width = max(width, box.x + box.width)
            height = max(height, box.y + box.height)
        }
        for p in edges.everyPoint {
            width = max(width, p.x + 1)
            height = max(height, p.y + 1)
        }
        return GraphLayout(boxes: boxes, edges: edges, width: width, height: height, engine: .layered)
    }

    /// Gives every edge the row where it enters its consumer: the consumer's centre when it is
    /// the only edge in, else one row each, spread over the inside of the side (not its
    /// corners), in the order of the rows the edges arrive from, so they do not cross there.
    mutating func assignPorts(trackRow: (Int) -> Int) {
        port = CompactInts(repeating: 0, count: edgeTo.count)
        for e in edgeTo.indices { port[e] = centre(edgeTo[e]) }
        // Edges come sorted by consumer (`collectEdges`): a box's incoming edges are one run.
        var runStart = 0
        while runStart < edgeTo.count {
            let b = edgeTo[runStart]
            var runEnd = runStart + 1
            while runEnd < edgeTo.count && edgeTo[runEnd] == b { runEnd += 1 }
            let incoming = runStart ..< runEnd
            runStart = runEnd
            let inside = acrossSize[b] - 2
            guard incoming.count > 1, inside > 1 else { continue }
            // The row each edge arrives from: its last dummy, its track, or its operand.
            func from(_ e: Int) -> Int {
                if track[e] >= 0 { return trackRow(track[e]) }
                if firstDummy[e] >= 0 { return centre(firstDummy[e] + layer[b] - layer[edgeFrom[e]] - 2) }
                return centre(edgeFrom[e])
            }
            let edges = incoming.sorted { (x: Int, y: Int) -> Bool in (from(x), x) < (from(y), y) }
            let first = Int(top[b].rounded()) + 1
            let count = edges.count
            for (k, e) in edges.enumerated() {
                let offset: Int
                if count > inside {
                    offset = k * inside / count
                } else if count == 1 {
                    offset = inside / 2
                } else {
                    let spread: Double = Double(k * (inside - 1)) / Double(count - 1)
                    offset = Int(spread.rounded())
                }
                port[e] = first + offset
            }
        }
    }

    /// Drops repeated and collinear points; maps (along, across) to (x, y), into `out` (one
    /// buffer reused for every edge).
    func simplify(_ points: [(Int, Int)], shift: Int, into out: inout [GraphLayout.Point]) {
        out.removeAll(keepingCapacity: true)
        for (along, across) in points {
            let p = r.leftToRight ? GraphLayout.Point(x: along, y: across + shift) : GraphLayout.Point(x: across + shift, y: along)
            if let last = out.last, last == p { continue }
            if out.count >= 2 {
                let a = out[out.count - 2], b = out[out.count - 1]
                if (a.x == b.x && b.x == p.x) || (a.y == b.y && b.y == p.y) { out.removeLast() }
            }
            out.append(p)
        }
    }
}

/// The options with defaults resolved.
private struct LayoutOptionsView {
    var sweeps: Int, nodeGap: Int, dummyBudget: Int
    init(options: LayeredLayout.Options, nodes: Int) {
        sweeps = max(0, options.sweeps)
        nodeGap = max(0, options.nodeGap)
        dummyBudget = max(0, options.dummyBudget ?? 2 * nodes + 256)
    }
}
