import GraphCore
import Screen

/// The computation graph: a box per node (label, value, and the tangent or adjoint of the
/// mode), edges drawn with line characters, the current node, done nodes, constants and
/// kinks styled by role. Draws only the boxes and edges that meet the viewport.
enum GraphPane: Pane {
    static func draw(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas) {
        canvas.drawBox(rect, style: Style(s.focus == .graph ? .focusBorder : .border),
                       title: title(s))
        let view = rect.inset(by: 1)
        guard !view.isEmpty else { return }
        if s.layoutPending && s.layout.boxes.isEmpty {
            let lines = ["laying out \(s.tape.count) nodes…", "(the trace and inspector work meanwhile)"]
            for (k, line) in lines.enumerated() {
                let text = line.truncated(toWidth: view.width, ellipsis: canvas.glyphs.ellipsis)
                canvas.put(text, x: view.x + max(0, (view.width - text.displayWidth) / 2),
                           y: view.y + max(0, view.height / 2 - 1) + k, style: Style(k == 0 ? .info : .muted), clip: view)
            }
            return
        }
        // In compact mode a graph smaller than the pane is centred.
        let offset = s.graphOrigin(view)
        let visible = Rect(x: -offset.x, y: -offset.y, width: view.width, height: view.height)
        let layout = s.layout
        drawEdges(s, s.index.edges(in: visible), offset: offset, view: view, canvas: &canvas)
        let boxes = s.index.boxes(in: visible)
        if s.phase == .reverse, s.quiz == nil, boxes.contains(where: { NodeText.partial(s, layout.boxes[$0].node) != nil }) {
            canvas.put(" \(legend) ".truncated(toWidth: max(0, rect.width - 4), ellipsis: canvas.glyphs.ellipsis),
                       x: rect.x + 2, y: rect.maxY - 1, style: Style(.partial), clip: rect)
        }
        for k in boxes {
            let b = layout.boxes[k]
            // A folded group's members have empty boxes; the group is drawn at its output's.
            if b.width == 0 { continue }
            if let g = s.foldedGroup(of: b.node) {
                drawGroup(s, g, b, offset: offset, view: view, canvas: &canvas)
                continue
            }
            if b.height < GraphView.compactHeight {
                drawOneLineNode(s, b, offset: offset, view: view, canvas: &canvas)
            } else {
                drawNode(s, b, offset: offset, view: view, canvas: &canvas)
            }
        }
    }

    static func title(_ s: ExplorerState) -> String {
        "Graph \(s.graph.name)" + (s.compact ? " (fit)" : "")
    }

    // MARK: - Nodes

    private static func drawNode(_ s: ExplorerState, _ b: GraphLayout.Box, offset: GraphLayout.Point,
                                 view: Rect, canvas: inout Canvas) {
        let i = b.node
        let tape = s.tape
        guard i < tape.count else { return }
        let rect = Rect(x: b.x + offset.x, y: b.y + offset.y, width: b.width, height: b.height)
        canvas.fill(rect.intersection(view))
        let role = borderRole(s, i)
        let bold: Attributes = (i == s.stepper.current || i == s.selection) ? .bold : []
        canvas.drawBox(rect, style: Style(role, bold), clip: view)
        let inner = rect.inset(dx: 1, dy: 0)
        let width = inner.width
        var headerStyle = Style(headerRole(s, i))
        if isKink(s, i) { headerStyle = Style(.kink) }
        canvas.put(GraphView.header(tape, i).truncated(toWidth: width, ellipsis: canvas.glyphs.ellipsis),
                   x: inner.x, y: rect.y + 1, style: headerStyle, clip: view.intersection(inner))
        guard b.height >= GraphView.fullHeight else { return }
        let clip = view.intersection(inner)
        if let value = NodeText.valueText(s, i, width: width) {
            canvas.put(value, x: inner.x, y: rect.y + 2, style: Style(.value), clip: clip)
        }
        if let (text, r) = NodeText.derivativeText(s, i, width: width) {
            canvas.put(text, x: inner.x, y: rect.y + 3, style: Style(r), clip: clip)
        }
    }

    private static func borderRole(_ s: ExplorerState, _ i: Int) -> Role {
        if i == s.stepper.current { return .current }
        if i == s.selection { return .selected }
        if i >= s.tape.firstComputed && s.stepper.isDone(i) { return .done }
        return NodeText.kindRole(s.tape, i) ?? .border
    }

    static func isKink(_ s: ExplorerState, _ i: Int) -> Bool { s.stepper.explanation.isKink(i) }

    private static func headerRole(_ s: ExplorerState, _ i: Int) -> Role {
        NodeText.kindRole(s.tape, i) ?? .text
    }

    /// The key to the partial style, on the pane's bottom border while a box shows one.
    static let legend = "k/n: a partial sum, k of its n terms so far"

    /// A node of the `z` fit layout when only one-line nodes fit: `[z1]`, brackets in the
    /// border's role (current, selected, done, input, ...).
    private static func drawOneLineNode(_ s: ExplorerState, _ b: GraphLayout.Box, offset: GraphLayout.Point,
                                        view: Rect, canvas: inout Canvas) {
        guard b.node < s.tape.count else { return }
        let x = b.x + offset.x, y = b.y + offset.y
        let bold: Attributes = (b.node == s.stepper.current || b.node == s.selection) ? .bold : []
        let border = Style(borderRole(s, b.node), bold)
        let label = GraphView.shortHeader(s.tape, b.node).truncated(toWidth: max(0, b.width - 2), ellipsis: canvas.glyphs.ellipsis)
        canvas.put("[", x: x, y: y, style: border, clip: view)
        canvas.put(label, x: x + 1, y: y, style: isKink(s, b.node) ? Style(.kink) : Style(headerRole(s, b.node), bold), clip: view)
        canvas.put("]", x: x + b.width - 1, y: y, style: border, clip: view)
    }

    // MARK: - Edges

    private static func edgeStyle(_ s: ExplorerState, _ edge: GraphLayout.Edge) -> Style {
        guard let current = s.stepper.current.map(s.shownNode) else { return Style(.edge) }
        switch s.phase {
        case .primal, .forward: return edge.to == current ? Style(.current) : Style(.edge)
        // The terms the current adjoint sums run along the edges to its consumers.
        case .reverse: return edge.from == current ? Style(.adjoint, .bold) : Style(.edge)
        }
    }

    /// Which ways a line leaves a cell.
    struct Arms: OptionSet, Hashable {
        let rawValue: UInt8
        static let up = Arms(rawValue: 1), down = Arms(rawValue: 2), left = Arms(rawValue: 4), right = Arms(rawValue: 8)
        static let horizontal: Arms = [.left, .right], vertical: Arms = [.up, .down]

        func glyph(_ g: Glyphs) -> Character {
            switch self {
            case [.left, .right], [.left], [.right]: g.horizontal
            case [.up, .down], [.up], [.down]: g.vertical
            case [.down, .right]: g.topLeft
            case [.down, .left]: g.topRight
            case [.up, .right]: g.bottomLeft
            case [.up, .left]: g.bottomRight
            case [.up, .down, .right]: g.teeRight
            case [.up, .down, .left]: g.teeLeft
            case [.down, .left, .right]: g.teeDown
            case [.up, .left, .right]: g.teeUp
            default: g.cross
            }
        }
    }

    /// What the edges put in one cell: the arms of each net (the edges leaving one node, which
    /// branch off each other), the style to draw with, and an arrowhead if an edge ends here.
    struct EdgeCell {
        var nets: [(from: Int, arms: Arms)] = []
        var style = Style(.edge)
        var arrow: Character?

        mutating func add(_ arms: Arms, from: Int, style: Style) {
            if let k = nets.firstIndex(where: { $0.from == from }) { nets[k].arms.formUnion(arms) } else { nets.append((from, arms)) }
            if style != Style(.edge) { self.style = style }
        }

        /// A junction where lines of one node branch (`┬ ├ ┼`); where lines of different nodes
        /// only cross, the horizontal one is drawn through (`─`), so a crossing never reads as
        /// a junction.
        func glyph(_ g: Glyphs) -> Character {
            if let arrow { return arrow }
            let straight = nets.allSatisfy { $0.arms == .horizontal || $0.arms == .vertical }
            if nets.count > 1, straight, nets.contains(where: { $0.arms == .horizontal }) { return g.horizontal }
            return nets.reduce(Arms()) { $0.union($1.arms) }.glyph(g)
        }
    }

    /// Draws the edges that meet the viewport: each polyline's cells are collected first, so
    /// that branches of one net join and lines of different nets cross without a junction.
    /// A slanted segment becomes an elbow (across, down, across); the last point of an edge,
    /// beside its consumer's box, gets an arrowhead.
    private static func drawEdges(_ s: ExplorerState, _ edges: [Int], offset: GraphLayout.Point, view: Rect,
                                  canvas: inout Canvas) {
        var cells: [GraphLayout.Point: EdgeCell] = [:]
        let g = canvas.glyphs
        for k in edges {
            let edge = s.layout.edges[k]
            let style = edgeStyle(s, edge)
            var points = edge.points.map { GraphLayout.Point(x: $0.x + offset.x, y: $0.y + offset.y) }
            guard points.count >= 2 else { continue }
            points = orthogonal(points)
            for (a, b) in zip(points, points.dropFirst()) {
                mark(a, b, from: edge.from, style: style, view: view, cells: &cells)
            }
            let end = points[points.count - 1], before = points[points.count - 2]
            if view.contains(x: end.x, y: end.y) {
                cells[end, default: EdgeCell()].arrow = end.x > before.x ? g.arrowRight : end.x < before.x ? g.arrowLeft
                    : end.y > before.y ? g.arrowDown : g.arrowUp
                cells[end]!.style = style
            }
        }
        for (p, cell) in cells {
            canvas.put(String(cell.glyph(g)), x: p.x, y: p.y, style: cell.style, clip: view)
        }
    }

    /// The polyline with each slanted segment made an elbow.
    static func orthogonal(_ points: [GraphLayout.Point]) -> [GraphLayout.Point] {
        var out = [points[0]]
        for b in points.dropFirst() {
            let a = out[out.count - 1]
            if a.x != b.x && a.y != b.y {
                let mid = (a.x + b.x) / 2
                out.append(GraphLayout.Point(x: mid, y: a.y))
                out.append(GraphLayout.Point(x: mid, y: b.y))
            }
            out.append(b)
        }
        return out
    }

    /// Adds the arms of a horizontal or vertical run to the cells it covers, cut to the
    /// viewport first so long edges cost only their visible part.
    private static func mark(_ a: GraphLayout.Point, _ b: GraphLayout.Point, from: Int, style: Style, view: Rect,
                             cells: inout [GraphLayout.Point: EdgeCell]) {
        if a == b { return }
        if a.y == b.y {
            guard a.y >= view.y && a.y < view.maxY else { return }
            let lo = min(a.x, b.x), hi = max(a.x, b.x)
            let x0 = max(lo, view.x), x1 = min(hi, view.maxX - 1)
            guard x0 <= x1 else { return }
            for x in x0...x1 {
                var arms: Arms = []
                if x > lo { arms.insert(.left) }
                if x < hi { arms.insert(.right) }
                cells[GraphLayout.Point(x: x, y: a.y), default: EdgeCell()].add(arms, from: from, style: style)
            }
        } else {
            guard a.x >= view.x && a.x < view.maxX else { return }
            let lo = min(a.y, b.y), hi = max(a.y, b.y)
            let y0 = max(lo, view.y), y1 = min(hi, view.maxY - 1)
            guard y0 <= y1 else { return }
            for y in y0...y1 {
                var arms: Arms = []
                if y > lo { arms.insert(.up) }
                if y < hi { arms.insert(.down) }
                cells[GraphLayout.Point(x: a.x, y: y), default: EdgeCell()].add(arms, from: from, style: style)
            }
        }
    }
}
