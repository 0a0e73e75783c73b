import GraphCore
import Screen

/// The computation graph: a box per node (label, value, and the tangent or adjoint of the
/// mode), edges drawn with line characters, the current node, done nodes, constants and
/// kinks styled by role. Draws only the boxes and edges that meet the viewport.
enum GraphPane {
    static func draw(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas) {
        canvas.drawBox(rect, style: Style(s.focus == .graph ? .focusBorder : .border),
                       title: title(s))
        let view = rect.inset(by: 1)
        guard !view.isEmpty else { return }
        // In compact mode a graph smaller than the pane is centred.
        let offset = origin(s, view)
        let visible = Rect(x: -offset.x, y: -offset.y, width: view.width, height: view.height)
        let layout = s.layout
        for k in s.index.edges(in: visible) {
            let edge = layout.edges[k]
            let style = edgeStyle(s, edge)
            drawEdge(edge, offset: offset, view: view, style: style, canvas: &canvas)
        }
        for k in s.index.boxes(in: visible) {
            drawNode(s, layout.boxes[k], offset: offset, view: view, canvas: &canvas)
        }
    }

    /// Screen position of layout cell (0, 0).
    static func origin(_ s: ExplorerState, _ view: Rect) -> GraphLayout.Point {
        var x = view.x - s.pan.x, y = view.y - s.pan.y
        if s.compact {
            if s.layout.width < view.width { x = view.x + (view.width - s.layout.width) / 2 }
            if s.layout.height < view.height { y = view.y + (view.height - s.layout.height) / 2 }
        }
        return GraphLayout.Point(x: x, y: y)
    }

    static func title(_ s: ExplorerState) -> String {
        "Graph \(s.graph.name)" + (s.compact ? " (fit)" : "")
    }

    /// The node under a screen cell, for mouse clicks.
    static func node(atX x: Int, y: Int, in rect: Rect, _ s: ExplorerState) -> Int? {
        let view = rect.inset(by: 1)
        guard view.contains(x: x, y: y) else { return nil }
        let o = origin(s, view)
        let lx = x - o.x, ly = y - o.y
        return s.index.boxes(in: Rect(x: lx, y: ly, width: 1, height: 1))
            .map { s.layout.boxes[$0] }
            .first { lx >= $0.x && lx < $0.x + $0.width && ly >= $0.y && ly < $0.y + $0.height }?.node
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
        if let value = valueText(s, i, width: width) {
            canvas.put(value, x: inner.x, y: rect.y + 2, style: Style(.value), clip: clip)
        }
        if let (text, r) = derivativeText(s, i, width: width) {
            canvas.put(text, x: inner.x, y: rect.y + 3, style: Style(r), clip: clip)
        }
    }

    private static func borderRole(_ s: ExplorerState, _ i: Int) -> Role {
        if i == s.stepper.current { return .current }
        if i == s.selection { return .selected }
        if i >= s.tape.firstComputed && s.stepper.isDone(i) { return .done }
        return kindRole(s.tape, i) ?? .border
    }

    private static func headerRole(_ s: ExplorerState, _ i: Int) -> Role {
        kindRole(s.tape, i) ?? .text
    }

    static func kindRole(_ tape: Tape, _ i: Int) -> Role? {
        if i == tape.output { return .output }
        switch tape.entries[i].op {
        case .input: return .input
        case .param: return .param
        case .constant: return .constant
        default: return nil
        }
    }

    static func isKink(_ s: ExplorerState, _ i: Int) -> Bool { s.stepper.explanation.isKink(i) }

    /// The primal value, once this phase has computed it (leaves always have theirs).
    static func valueText(_ s: ExplorerState, _ i: Int, width: Int) -> String? {
        let computed = s.phase == .reverse || i < s.tape.firstComputed || s.stepper.isDone(i)
        guard computed else { return InspectorPane.pending }
        return GraphView.number(s.evaluation.value(i), s.tape.entries[i].shape, width: width)
    }

    /// `v̇ 0.5` in forward mode once computed; `v̄ 1.716` in reverse mode once anything has
    /// arrived.
    static func derivativeText(_ s: ExplorerState, _ i: Int, width: Int) -> (String, Role)? {
        let tape = s.tape
        let e = tape.entries[i]
        guard e.op != .constant else { return nil }
        switch s.phase {
        case .primal: return nil
        case .forward:
            let mark = "v̇ "
            guard i < tape.firstComputed || s.stepper.isDone(i) else { return (mark + InspectorPane.pending, .muted) }
            return (mark + GraphView.number(s.stepper.slice(s.stepper.tangents, i), e.shape, width: width - 2), .tangent)
        case .reverse:
            let mark = "v̄ "
            guard i <= tape.output else { return nil }
            guard s.stepper.hasAdjoint(i) else { return (mark + InspectorPane.pending, .muted) }
            return (mark + GraphView.number(s.stepper.slice(s.stepper.shownAdjoints, i), e.shape, width: width - 2), .adjoint)
        }
    }

    // MARK: - Edges

    private static func edgeStyle(_ s: ExplorerState, _ edge: GraphLayout.Edge) -> Style {
        guard let current = s.stepper.current else { return Style(.edge) }
        switch s.phase {
        case .primal, .forward: return edge.to == current ? Style(.current) : Style(.edge)
        // The terms the current adjoint sums run along the edges to its consumers.
        case .reverse: return edge.from == current ? Style(.adjoint, .bold) : Style(.edge)
        }
    }

    /// Draws a polyline; a slanted segment becomes an elbow (across, down, across), and the
    /// last point gets an arrowhead.
    private static func drawEdge(_ edge: GraphLayout.Edge, offset: GraphLayout.Point, view: Rect,
                                 style: Style, canvas: inout Canvas) {
        let points = edge.points.map { GraphLayout.Point(x: $0.x + offset.x, y: $0.y + offset.y) }
        guard points.count >= 2 else { return }
        for (a, b) in zip(points, points.dropFirst()) {
            if a.y == b.y || a.x == b.x {
                segment(a, b, view: view, style: style, canvas: &canvas)
            } else {
                let mid = (a.x + b.x) / 2
                let m1 = GraphLayout.Point(x: mid, y: a.y), m2 = GraphLayout.Point(x: mid, y: b.y)
                segment(a, m1, view: view, style: style, canvas: &canvas)
                segment(m1, m2, view: view, style: style, canvas: &canvas)
                segment(m2, b, view: view, style: style, canvas: &canvas)
            }
        }
        let end = points[points.count - 1], before = points[points.count - 2]
        let g = canvas.glyphs
        let arrow = end.x > before.x ? g.arrowRight : end.x < before.x ? g.arrowLeft : end.y > before.y ? g.arrowDown : g.arrowUp
        canvas.put(String(arrow), x: end.x, y: end.y, style: style, clip: view)
    }

    /// A horizontal or vertical run of line cells, cut to the viewport first so long edges
    /// cost only their visible part.
    private static func segment(_ a: GraphLayout.Point, _ b: GraphLayout.Point, view: Rect,
                                style: Style, canvas: inout Canvas) {
        if a.y == b.y {
            guard a.y >= view.y && a.y < view.maxY else { return }
            let lo = min(a.x, b.x), hi = max(a.x, b.x)
            let x0 = max(lo, view.x - 1), x1 = min(hi, view.maxX)
            guard x0 <= x1 else { return }
            canvas.horizontalLine(x: x0, y: a.y, length: x1 - x0 + 1, style: style, clip: view)
        } else {
            guard a.x >= view.x && a.x < view.maxX else { return }
            let lo = min(a.y, b.y), hi = max(a.y, b.y)
            let y0 = max(lo, view.y - 1), y1 = min(hi, view.maxY)
            guard y0 <= y1 else { return }
            canvas.verticalLine(x: a.x, y: y0, length: y1 - y0 + 1, style: style, clip: view)
        }
    }
}
