import GraphCore
import Screen

/// How the graph pane sizes and labels node boxes, and the one place that asks for a layout.
public enum GraphView {
    /// Box height: border, label, value, tangent or adjoint, border.
    static let fullHeight = 5
    /// Compact boxes: border, label, border.
    static let compactHeight = 3
    /// Room inside a full box for numbers such as `−0.958924` with a `v̄ ` in front.
    static let minimumInside = 11

    /// The layout of `tape`'s graph. Computed once per graph structure (and per box style), never
    /// per keystroke. Today gradstep's own layered layout; a background Graphviz layout arrives
    /// later as `Action.layoutArrived`.
    public static func layout(_ tape: Tape, compact: Bool) -> GraphLayout {
        LayeredLayout.layout(request(tape, compact: compact))
    }

    /// Room a small tensor's numbers need inside a box (`v̄ [−0.2857, 0.2857]`), so boxes show
    /// numbers rather than shapes; larger tensors keep the narrow box and show their shape.
    static func tensorInside(_ shape: Shape) -> Int {
        guard !shape.isScalar, shape.count <= 4 else { return 0 }
        return min(30, 4 + shape.count * 8 + (shape.rank == 2 ? 2 * Int(shape.rows) : 0))
    }

    /// What a layout engine needs: each node's operands and box size.
    public static func request(_ tape: Tape, compact: Bool) -> LayoutRequest {
        let widths = (0..<tape.count).map { i in
            let label = header(tape, i).displayWidth
            return (compact ? label : max(label, minimumInside, tensorInside(tape.entries[i].shape))) + 2
        }
        // Read entry by entry into one buffer: no array per node stays behind.
        var operands = LayoutRequest.Operands()
        operands.reserveCapacity(nodes: tape.count, operands: 2 * tape.count)
        for e in tape.entries { operands.append(e.operands) }
        return LayoutRequest(operands: operands, widths: widths, height: compact ? compactHeight : fullHeight)
    }

    /// The `z` layout: the graph in as little room as it takes to fit `width` × `height` cells.
    /// Tried in turn, the first that fits wins: compact boxes (label only) left to right, then
    /// top to bottom, then one-line nodes (`[z1]`, `[tanh]`) left to right, then one-line nodes
    /// with their labels cut to `labelCaps` cells and an ellipsis (the inspector names the selected
    /// one whole), left to right and top to bottom. When none fits, the one that fits the width
    /// and is shortest (the pane then pans up and down only), else the one that overflows least.
    public static func fitLayout(_ tape: Tape, width: Int, height: Int) -> GraphLayout {
        let compact = request(tape, compact: true)
        let oneLine = (0..<tape.count).map { shortHeader(tape, $0).displayWidth + 2 }
        return fitLayout(operands: compact.operands, compactWidths: compact.widths, oneLineWidths: oneLine,
                         width: width, height: height)
    }

    /// The label lengths the last `z` candidates cut one-line nodes to, longest first.
    static let labelCaps = [8, 4]

    /// `fitLayout(_:width:height:)` of any boxes: their operands, and their widths as compact
    /// boxes and as one-line nodes (`FoldedLayout` passes a folded group as one box).
    static func fitLayout(operands: LayoutRequest.Operands, compactWidths: [Int], oneLineWidths oneLine: [Int],
                          width: Int, height: Int) -> GraphLayout {
        var best: (layout: GraphLayout, overflow: Double)?
        var widthFitting: GraphLayout?
        let compact = LayoutRequest(operands: operands, widths: compactWidths, height: compactHeight)
        var requests = [compact, LayoutRequest(operands: operands, widths: compact.widths, height: compactHeight, leftToRight: false),
                        LayoutRequest(operands: operands, widths: oneLine, height: 1)]
        for cap in labelCaps {
            let cut = oneLine.map { min($0, cap + 2) }
            requests += [LayoutRequest(operands: operands, widths: cut, height: 1),
                         LayoutRequest(operands: operands, widths: cut, height: 1, leftToRight: false)]
        }
        for r in requests {
            let layout = LayeredLayout.layout(r)
            if layout.width <= width && layout.height <= height { return layout }
            if layout.width <= width, widthFitting.map({ layout.height < $0.height }) ?? true { widthFitting = layout }
            let overflow = max(Double(layout.width) / Double(max(1, width)), Double(layout.height) / Double(max(1, height)))
            if best == nil || overflow < best!.overflow { best = (layout, overflow) }
        }
        return widthFitting ?? best?.layout ?? LayeredLayout.layout(compact)
    }

    /// A one-line node's label: the user's name, else the op (`+`, `tanh`); a constant's value.
    static func shortHeader(_ tape: Tape, _ i: Int) -> String {
        let e = tape.entries[i]
        if e.op == .constant { return tape.label(i) }
        return tape.names[i] ?? symbol(e.op)
    }

    /// A box's first line: `v₃ sin`, `v₋₁ x1`, `v₅ y` (the user's name for named nodes, the op
    /// otherwise); a constant's value or name.
    public static func header(_ tape: Tape, _ i: Int) -> String {
        let e = tape.entries[i]
        if e.op == .constant { return tape.label(i) }
        if let name = tape.names[i] { return "\(tape.label(i)) \(name)" }
        return "\(tape.label(i)) \(symbol(e.op))"
    }

    /// The op as a short symbol: `+`, `·`, `sin`.
    static func symbol(_ op: Op) -> String {
        switch op {
        case .add: "+"
        case .sub: "−"
        case .mul: "·"
        case .div: "/"
        case .pow: "^"
        case .neg: "−"
        case .matmul: "@"
        case .unary(let f): f == .sigmoid ? "σ" : f.name
        case .sum: "Σ"
        case .transpose: "ᵀ"
        case .compare(let c): c.symbol
        case .input, .param, .constant, .max, .min, .leakyRelu, .mean, .softmax, .crossEntropy, .mse, .select,
             .logsumexp, .logSoftmax, .stopGradient:
            op.name
        // Convolution and pooling
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape:
            op.name
        // Layers: the normalised ĥ, as network diagrams abbreviate the layers
        case .batchNorm: "BN ĥ"
        case .layerNorm: "LN ĥ"
        case .dropout: op.name
        case .gather: "[ ]"
        // Along one axis: a slice as a subscript, concat by name, the sum as the whole sum's Σ
        case .along(let f): f == .slice ? "[:]" : f == .sum ? "Σ" : f.name
        }
    }

    /// A number or tensor in at most `width` cells, with every digit that fits: `−0.958924`,
    /// `−7.1897e−6` rather than a cut `−7.1897e−`, `[0.9, 0.7]`; a tensor falls back to its
    /// shape (`[2×3]`) only when even two digits per element do not fit.
    static func number(_ values: ArraySlice<Double>, _ shape: Shape, width: Int) -> String {
        if !shape.isScalar {
            for digits in [6, 4, 3, 2] {
                let text = Format.tensor(values, shape) { Format.short($0, digits: digits) }
                if text.displayWidth <= width { return text }
            }
            return shape.description
        }
        guard let x = values.first else { return "" }
        for digits in stride(from: 6, through: 1, by: -1) {
            let text = Format.short(x, digits: digits)
            if text.displayWidth <= width { return text }
        }
        return Format.short(x, digits: 1)
    }
}

/// A grid over a layout's boxes, and the bounding box of each edge, so the graph pane draws
/// only what meets the viewport: a 2,000-node graph costs what the visible part costs.
///
/// Edges are not put in the grid: a long edge would sit in hundreds of cells. Testing the
/// viewport against each edge's bounding box is a few thousand comparisons per frame.
///
/// Kept small for a million nodes: the grid is one sorted list of (cell, box) pairs rather than
/// an array per cell, and a bounding box is four 32-bit numbers (about 40 bytes a node in all,
/// where a dictionary of arrays and `Rect`s took over 100).
public struct LayoutIndex: Sendable {
    static let cellWidth = 48, cellHeight = 24
    /// The grid cells each box meets, sorted, and the box for each (`boxOfCell[k]` is in `cell[k]`).
    private var cell: [Int] = []
    private var boxOfCell: [Int32] = []
    /// Edge k's bounding box: x0, y0, x1, y1 (inclusive) at `4k …`.
    private var edgeBounds: [Int32] = []

    public init(_ layout: GraphLayout) {
        var pairs: [(cell: Int, box: Int32)] = []
        pairs.reserveCapacity(layout.boxes.count + layout.boxes.count / 2)
        for (k, b) in layout.boxes.enumerated() {
            for key in Self.keys(x0: b.x, y0: b.y, x1: b.x + b.width - 1, y1: b.y + b.height - 1) {
                pairs.append((key, Int32(k)))
            }
        }
        pairs.sort { ($0.cell, $0.box) < ($1.cell, $1.box) }
        cell = pairs.map(\.cell)
        boxOfCell = pairs.map(\.box)
        pairs = []
        edgeBounds.reserveCapacity(4 * layout.edges.count)
        for k in layout.edges.indices {
            let points = layout.edges.points(k)
            guard let first = points.first else { edgeBounds += [.max, .max, .min, .min]; continue }  // meets nothing
            var x0 = first.x, x1 = first.x, y0 = first.y, y1 = first.y
            for p in points { x0 = min(x0, p.x); x1 = max(x1, p.x); y0 = min(y0, p.y); y1 = max(y1, p.y) }
            edgeBounds += [Int32(clamping: x0), Int32(clamping: y0), Int32(clamping: x1), Int32(clamping: y1)]
        }
    }

    /// Indices into `layout.boxes` of boxes that may meet `rect` (layout coordinates), sorted.
    public func boxes(in rect: Rect) -> [Int] {
        guard !rect.isEmpty else { return [] }
        var found = Set<Int32>()
        for key in Self.keys(x0: rect.x, y0: rect.y, x1: rect.maxX - 1, y1: rect.maxY - 1) {
            var k = firstIndex(atLeast: key)
            while k < cell.count && cell[k] == key { found.insert(boxOfCell[k]); k += 1 }
        }
        return found.map(Int.init).sorted()
    }

    /// Indices into `layout.edges` of edges that may meet `rect`, sorted.
    public func edges(in rect: Rect) -> [Int] {
        // Elbows run through the middle column between the ends, inside the bounding box.
        guard !rect.isEmpty else { return [] }
        let (rx0, ry0, rx1, ry1) = (rect.x, rect.y, rect.maxX - 1, rect.maxY - 1)
        return (0 ..< edgeBounds.count / 4).filter { k in
            let b = 4 * k
            return Int(edgeBounds[b]) <= rx1 && Int(edgeBounds[b + 2]) >= rx0
                && Int(edgeBounds[b + 1]) <= ry1 && Int(edgeBounds[b + 3]) >= ry0
        }
    }

    /// The first position in `cell` whose cell is `key` or after it (binary search).
    private func firstIndex(atLeast key: Int) -> Int {
        var (lo, hi) = (0, cell.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if cell[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private static func keys(x0: Int, y0: Int, x1: Int, y1: Int) -> [Int] {
        let cx0 = floorDiv(x0, cellWidth), cx1 = floorDiv(x1, cellWidth)
        let cy0 = floorDiv(y0, cellHeight), cy1 = floorDiv(y1, cellHeight)
        var keys: [Int] = []
        for cy in cy0...max(cy0, cy1) { for cx in cx0...max(cx0, cx1) { keys.append(cy &* 1_000_003 &+ cx) } }
        return keys
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
