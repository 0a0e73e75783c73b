import Foundation
import GraphCore
import GraphLanguage
import Screen

// MARK: - Selection and view: which node is selected, what the graph pane shows of it, and the
// layout that the pane pans over (the reducer's part of the graph pane; the pane only draws).
extension ExplorerState {

    mutating func followStep() {
        selection = stepper.current
        inspectorScroll = 0
        // Before the first step, where the sweep starts.
        if let node = selection ?? stepper.order.first { showNeighbourhood(node) }
    }

    /// Pans so that the step's node is in view with its operands and consumers (the terms of
    /// its equation): the node and all of them when they fit, else the node and its operands
    /// (what the equation reads), else the node alone, centred. A view that already shows
    /// them stays where it is, so stepping along a chain does not jump.
    mutating func showNeighbourhood(_ node: Int) {
        let view = graphViewport
        guard node < layout.boxes.count, !view.isEmpty else { return }
        func box(_ i: Int) -> Rect? {
            let b = layout.boxes[shownNode(i)]
            return b.width == 0 ? nil : Rect(x: b.x, y: b.y, width: b.width, height: b.height)
        }
        func union(_ nodes: [Int]) -> Rect? {
            let boxes = nodes.compactMap(box)
            guard let first = boxes.first else { return nil }
            return boxes.dropFirst().reduce(first) { a, c in
                let x = min(a.x, c.x), y = min(a.y, c.y)
                return Rect(x: x, y: y, width: max(a.maxX, c.maxX) - x, height: max(a.maxY, c.maxY) - y)
            }
        }
        let operands = tape.entries[node].operands
        // A consumer comes after its operand on the tape; a few nearest are enough to place it.
        let entries = tape.entries
        let consumers = Array((node + 1 ..< entries.count).lazy.filter { entries[$0].operands.contains(node) }.prefix(4))
        guard let b = box(node) else { return }
        let shown = Rect(x: pan.x, y: pan.y, width: view.width, height: view.height)
        for group in [[node] + operands + consumers, [node] + operands] {
            guard let u = union(group), u.width <= view.width && u.height <= view.height else { continue }
            if shown.intersection(u) != u {
                pan = GraphLayout.Point(x: u.x + u.width / 2 - view.width / 2, y: u.y + u.height / 2 - view.height / 2)
                clampPan()
            }
            return
        }
        // Too much for the pane: the node whole, and as much of its operands as fits beside it.
        let near = union([node] + operands) ?? b
        let x = near.x + near.width / 2 - view.width / 2, y = near.y + near.height / 2 - view.height / 2
        pan = GraphLayout.Point(x: max(b.maxX - view.width, min(b.x, x)), y: max(b.maxY - view.height, min(b.y, y)))
        clampPan()
    }

    mutating func select(_ node: Int) {
        guard node >= 0 && node < tape.count else { return }
        selection = node
        inspectorScroll = 0
        reveal(node)
    }

    /// Scrolls the inspector by `delta` lines, within its content.
    mutating func scrollInspector(_ delta: Int) {
        let screen = ScreenLayout(width: size.width, height: size.height)
        inspectorScroll = max(0, min(inspectorScroll + delta, inspectorMaxScroll(in: screen.inspector)))
    }

    mutating func moveTraceSelection(_ delta: Int) {
        let rows = traceRows
        guard !rows.isEmpty else { return }
        let at = inspected.flatMap { rows.firstIndex(of: $0) } ?? (delta > 0 ? -1 : rows.count)
        select(rows[max(0, min(rows.count - 1, at + delta))])
    }

    /// The graph pane's inside, where the layout shows.
    var graphViewport: Rect {
        ScreenLayout(width: size.width, height: size.height).graph.inset(by: 1)
    }

    /// Pans just enough for node's box to be in view (centring it when it was outside).
    mutating func reveal(_ node: Int) {
        let view = graphViewport
        guard node < layout.boxes.count, !view.isEmpty else { return }
        let b = layout.boxes[node]
        let inside = b.x >= pan.x && b.y >= pan.y && b.x + b.width <= pan.x + view.width && b.y + b.height <= pan.y + view.height
        if !inside { centre(on: node) }
    }

    mutating func centre(on node: Int) {
        let view = graphViewport
        guard node < layout.boxes.count else { return }
        let b = layout.boxes[node]
        pan = GraphLayout.Point(x: b.x + b.width / 2 - view.width / 2, y: b.y + b.height / 2 - view.height / 2)
        clampPan()
    }

    mutating func pan(dx: Int, dy: Int) {
        pan = GraphLayout.Point(x: pan.x + dx, y: pan.y + dy)
        clampPan()
    }

    mutating func clampPan() {
        let view = graphViewport
        pan.x = max(0, min(pan.x, layout.width - view.width))
        pan.y = max(0, min(pan.y, layout.height - view.height))
    }

    /// Computes a pending layout on the spot, however big the graph (benchmarks, tests: where
    /// waiting is the point).
    public mutating func layOutNow() {
        guard layoutPending else { return }
        layouts[compact] = CachedLayout(layout: FoldedLayout.layout(tape, folding: folding, compact: compact) { LayeredLayout.layout($0) })
        relayout()
    }

    /// Takes the cached layout for the current box style, computing it the first time, on the
    /// spot for graphs up to `inlineLayoutLimit` nodes. A larger graph waits for `.layoutArrived`
    /// (`layoutPending`), keeping the other box style's layout on screen meanwhile if it has one.
    mutating func relayout() {
        if layouts[compact] == nil, tape.count <= Self.inlineLayoutLimit {
            let view = graphViewport
            layouts[compact] = CachedLayout(layout: freshLayout(view))
        }
        if let cached = layouts[compact] ?? layouts[!compact] {
            layout = cached.layout
            index = cached.index
        } else {
            layout = GraphLayout(boxes: [], edges: [], width: 0, height: 0, engine: .layered)
            index = LayoutIndex(layout)
        }
        layoutPending = layouts[compact] == nil
        clampPan()
        askLayout()
    }

    /// Asks for the background layout of this structure and box style, once: the layered one
    /// while it is pending, Graphviz's where it may replace the layered one.
    mutating func askLayout() {
        let key = [generation, compact ? 1 : 0]
        guard key != layoutAsked else { return }
        layoutAsked = key
        let job = LayoutJob(generation: generation, compact: compact, layered: layoutPending,
                            graphviz: !compact && folding.isFlat, tape: tape, folding: folding)
        if job.layered || job.graphviz { outbox.append(.layout(job)) }
    }
}
