import Foundation
import Screen

/// A pane draws the state into its rectangle, and that is all it does: its one entry point
/// takes the state, read-only, and where to draw. What two panes, or a pane and the reducer,
/// both need (a node's text, where a click lands) is a function of the state outside `Panes/`
/// (`NodeText`, `Content/`), so no pane calls another and the reducer calls none.
protocol Pane {
    static func draw(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas)
}

extension ExplorerState {
    /// The whole screen as a canvas of `size`: panes, message line, status bar, and the help
    /// overlay or an error panel on top. A screen smaller than `minimumSize` says so instead.
    public func render() -> Canvas {
        var canvas = Canvas(width: size.width, height: size.height, glyphs: glyphs)
        if isTooSmall {
            let need = "terminal too small (need \(Self.minimumSize.width)×\(Self.minimumSize.height))"
            let text = glyphs.isASCII ? need.replacingOccurrences(of: "×", with: "x") : need
            let lines = size.width >= text.displayWidth ? [text] : NodeText.wrap(text, width: size.width).map { $0.trimmingCharacters(in: .whitespaces) }
            let top = max(0, (size.height - lines.count) / 2)
            for (k, line) in lines.enumerated() {
                canvas.put(line, x: max(0, (size.width - line.displayWidth) / 2), y: top + k, style: Style(.warning))
            }
            return canvas
        }
        let layout = ScreenLayout(width: size.width, height: size.height)
        if optimization.isShowing {
            OptimizationPane.draw(self, in: Rect(width: size.width, height: layout.message.y), canvas: &canvas)
        } else if derivatives != nil {
            DerivativesPane.draw(self, in: Rect(width: size.width, height: layout.message.y), canvas: &canvas)
        } else {
            GraphPane.draw(self, in: layout.graph, canvas: &canvas)
            StepPane.draw(self, in: layout.step, canvas: &canvas)
            TracePane.draw(self, in: layout.trace, canvas: &canvas)
            InspectorPane.draw(self, in: layout.inspector, canvas: &canvas)
        }
        StatusBar.drawMessage(self, in: layout.message, canvas: &canvas)
        StatusBar.draw(self, in: layout.status, canvas: &canvas)
        StatusBar.drawDetail(self, above: layout.message, canvas: &canvas)
        if showHelp { HelpOverlay.draw(self, in: canvas.bounds, canvas: &canvas) }
        return canvas
    }
}
