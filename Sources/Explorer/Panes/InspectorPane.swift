import Foundation
import GraphCore
import Screen

/// The inspected node (the selection, else the current step): its op, its operands with their
/// values, its local partials (VJPs for tensors), and the chain rule of the mode with real
/// numbers, showing in reverse mode each consumer's term as it arrives and what the node
/// passes on to each operand. Everything it says is the `Explanation`'s sentence for the node;
/// this pane only lays it out. With the focus it scrolls (↑/↓) and shows the gradient whole.
enum InspectorPane: Pane {
    typealias Line = NodeText.Line

    static func draw(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas) {
        let scroll = min(s.inspectorScroll, s.inspectorMaxScroll(in: rect))
        let title = "Inspector" + (scroll > 0 ? " ↑\(scroll)" : "")
        canvas.drawBox(rect, style: Style(s.focus == .inspector ? .focusBorder : .border), title: title)
        let inner = rect.inset(top: 1, left: 2, bottom: 1, right: 1)
        guard !inner.isEmpty else { return }
        var shown = Array(NodeText.wrapped(s, width: inner.width).dropFirst(scroll))
        if shown.count > inner.height {
            // The last row says what is below instead of hiding it.
            let more = shown.count - inner.height + 1
            let how = s.focus == .inspector ? "↓ to scroll" : "Tab here, then ↓"
            shown = Array(shown.prefix(inner.height - 1)) + [Line("↓ \(more) more (\(how))", .muted)]
        }
        for (k, piece) in shown.enumerated() {
            canvas.put(piece.text, x: inner.x, y: inner.y + k, style: Style(piece.role), clip: inner)
        }
    }

}
