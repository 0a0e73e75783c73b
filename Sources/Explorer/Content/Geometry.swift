import GraphCore
import GraphLayout
import Screen

// What the panes show where, and what they say in the status line, as functions of the state:
// the panes draw with these, and the reducer turns a click or a scroll into a node with the
// same ones, so neither asks the other.
extension ExplorerState {
    var modeText: String {
        let tape = self.tape
        switch phase {
        case .primal: return "primal"
        case .forward:
            return "forward, seed \(tangentSeed.description(tape))"
        case .reverse:
            let out = tape.output
            let name = tape.names[out].map { Explanation.decorated($0, "\u{0304}") } ?? tape.adjointLabel(out)
            return "reverse, seed \(name) = \(outputSeedText)" + checkpointStatus
        }
    }

    /// Screen position of layout cell (0, 0).
    func graphOrigin(_ view: Rect) -> GraphLayout.Point {
        var x = view.x - pan.x, y = view.y - pan.y
        if compact {
            if layout.width < view.width { x = view.x + (view.width - layout.width) / 2 }
            if layout.height < view.height { y = view.y + (view.height - layout.height) / 2 }
        }
        return GraphLayout.Point(x: x, y: y)
    }

    /// The node under a screen cell, for mouse clicks.
    func graphNode(atX x: Int, y: Int, in rect: Rect) -> Int? {
        let view = rect.inset(by: 1)
        guard view.contains(x: x, y: y) else { return nil }
        let o = graphOrigin(view)
        let lx = x - o.x, ly = y - o.y
        return index.boxes(in: Rect(x: lx, y: ly, width: 1, height: 1))
            .map { layout.boxes[$0] }
            .first { lx >= $0.x && lx < $0.x + $0.width && ly >= $0.y && ly < $0.y + $0.height }?.node
    }

    /// Tape nodes shown as rows: everything but unnamed literal constants.
    var traceRows: [Int] {
        (0..<tape.count).filter { tape.entries[$0].op != .constant || tape.names[$0] != nil }
    }

    /// Index of the first row shown, so that the selected (or current) row is in the middle
    /// when the table is longer than the pane.
    func firstTraceRow(_ rows: [Int], visible: Int) -> Int {
        guard rows.count > visible, let target = inspected, let at = rows.firstIndex(of: target) else { return 0 }
        return max(0, min(rows.count - visible, at - visible / 2))
    }

    /// The node on a screen row, for mouse clicks.
    func traceNode(atY y: Int, in rect: Rect) -> Int? {
        let inner = rect.inset(by: 1)
        let all = traceRows
        let first = firstTraceRow(all, visible: inner.height - 1)
        let k = first + (y - inner.y - 1)
        return y > inner.y && y < inner.maxY && k < all.count ? all[k] : nil
    }

    /// The status bar's left part while optimisation mode is on, nil otherwise.
    var optimizationStatusText: String? {
        guard let session = optimization.session else { return nil }
        let k = optimization.iteration
        let play = playing ? " ▶" : ""
        if optimization.opened {
            return " \(graph.name) │ iteration \(k): reverse sweep │ step \(stepper.position)/\(stepper.count)\(play) "
        }
        return " \(graph.name) │ optimize \(session.hyper.method.rawValue) │ iteration \(k)/\(session.steps)\(play) "
    }
}
