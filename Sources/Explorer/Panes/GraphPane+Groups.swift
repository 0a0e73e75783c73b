import GraphCore
import Screen

// A folded group in the graph pane: one box with the group's name in its top border, its
// output's value and (in forward and reverse mode) tangent or adjoint, like a node's box; its
// border lights up while the sweep steps inside it, and shows it selected when the selection
// is one of its members.

extension GraphPane {
    /// Draws folded group `g`'s box `b` (the layout's box of its representative node).
    static func drawGroup(_ s: ExplorerState, _ g: NodeGroup, _ b: GraphLayout.Box, offset: GraphLayout.Point,
                          view: Rect, canvas: inout Canvas) {
        let rep = b.node
        let rect = Rect(x: b.x + offset.x, y: b.y + offset.y, width: b.width, height: b.height)
        let role = groupRole(s, g)
        let bold: Attributes = role == .current || role == .selected ? .bold : []
        let header = FoldedLayout.header(g)
        if b.height < GraphView.compactHeight {
            let label = header.truncated(toWidth: max(0, b.width - 2), ellipsis: canvas.glyphs.ellipsis)
            canvas.put("[" + label + "]", x: rect.x, y: rect.y, style: Style(role, bold), clip: view)
            return
        }
        canvas.fill(rect.intersection(view))
        canvas.drawBox(rect, style: Style(role, bold), clip: view)
        let inner = rect.inset(dx: 1, dy: 0)
        let clip = view.intersection(inner)
        canvas.put(header.truncated(toWidth: inner.width, ellipsis: canvas.glyphs.ellipsis), x: inner.x, y: rect.y + 1,
                   style: Style(.title, .bold), clip: clip)
        guard b.height >= GraphView.fullHeight else { return }
        let elements = NodeText.elements(of: g)
        if let value = elements.map({ NodeText.valueText(s, elements: $0.nodes, $0.shape, width: inner.width) })
            ?? NodeText.valueText(s, rep, width: inner.width) {
            canvas.put(value, x: inner.x, y: rect.y + 2, style: Style(.value), clip: clip)
        }
        if let progress = progressText(s, g) {
            canvas.put(progress.truncated(toWidth: inner.width, ellipsis: canvas.glyphs.ellipsis), x: inner.x, y: rect.y + 3,
                       style: Style(.current), clip: clip)
        } else if let (text, r) = elements.map({ NodeText.derivativeText(s, elements: $0.nodes, $0.shape, width: inner.width) })
                    ?? NodeText.derivativeText(s, rep, width: inner.width) {
            canvas.put(text, x: inner.x, y: rect.y + 3, style: Style(r), clip: clip)
        }
    }

    /// The box's border: the step is inside; the selection is; every member is done; else
    /// the output's or a plain border.
    static func groupRole(_ s: ExplorerState, _ g: NodeGroup) -> Role {
        if let current = s.stepper.current, g.members.contains(current) { return .current }
        if let selected = s.selection, g.members.contains(selected) { return .selected }
        let visited = g.members.filter { s.stepper.explanation.step(of: $0) != nil }
        if !visited.isEmpty, visited.allSatisfy(s.stepper.isDone) { return .done }
        return g.members.contains(s.tape.output) ? .output : .border
    }

    /// `2 of 3 done` while the sweep is inside the group (some of its steps done, not all).
    static func progressText(_ s: ExplorerState, _ g: NodeGroup) -> String? {
        let visited = g.members.filter { s.stepper.explanation.step(of: $0) != nil }
        let done = visited.filter(s.stepper.isDone).count
        guard done > 0, done < visited.count else { return nil }
        return "\(done) of \(visited.count) done"
    }
}
