import Foundation
import GraphCore
import Optimize
import Plot
import Screen

/// Optimisation mode's pane, over the graph, trace and inspector: the iteration shown (θₖ, its
/// loss and gradient), the update to the next iterate written out with its numbers, and on the
/// right the contours of the loss with the path so far (two scalar variables) above the loss
/// curve; with more variables, the loss curve alone. Everything comes from the state's
/// `OptimizationSession`; the plots are the Plot module's, drawn into the canvas.
enum OptimizationPane: Pane {
    static func draw(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas) {
        guard let session = s.optimization.session, rect.width >= 20, rect.height >= 6 else { return }
        let k = s.optimization.iteration
        let (text, plots) = OptimizationText.columns(rect)
        let inner = OptimizationText.inner(text)
        let wrapped = OptimizationText.wrappedLines(session, k, width: inner.width, ascii: canvas.glyphs.isASCII)
        let scroll = min(s.optimization.scroll, max(0, wrapped.count - inner.height))
        canvas.drawBox(text, style: Style(.focusBorder), title: "Optimisation: \(session.arguments.setting)" + (scroll > 0 ? " ↑\(scroll)" : ""))
        var shown = Array(wrapped.dropFirst(scroll))
        if shown.count > inner.height, inner.height > 1 {
            // The last row says what is below instead of hiding it.
            shown = Array(shown.prefix(inner.height - 1)) + [("↓ \(shown.count - inner.height + 1) more (j/k scroll)", Style(.muted))]
        }
        for (row, line) in shown.prefix(inner.height).enumerated() {
            canvas.put(line.0.truncated(toWidth: inner.width, ellipsis: canvas.glyphs.ellipsis), x: inner.x, y: inner.y + row,
                       style: line.1, clip: inner)
        }

        let loss = session.lossPlot(at: k)
        if let contour = session.contourPlot(at: k) {
            let split = rect.width >= 100 ? plots.rows([.fraction(0.58), .fill]) : plots.columns([.fraction(0.5), .fill])
            drawPlot(contour, title: "contours of \(session.outputName), path to θ\(ExplorerState.subscripted(k))", in: split[0], canvas: &canvas)
            drawPlot(loss, title: "loss curve", in: split[1], canvas: &canvas)
        } else {
            drawPlot(loss, title: "loss curve (\(session.names.count) variables: no contour plot)", in: plots, canvas: &canvas)
        }
    }

    static func drawPlot(_ plot: Plot, title: String, in rect: Rect, canvas: inout Canvas) {
        canvas.drawBox(rect, title: title)
        plot.draw(into: &canvas, in: rect.inset(by: 1))
    }
}
