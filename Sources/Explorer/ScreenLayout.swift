import Screen

/// Where each pane goes on a screen of a given size. The renderer draws into these rectangles
/// and the reducer uses the same ones to turn mouse clicks into pane positions.
///
/// Wide screens (120 columns and more) put the graph over the trace on the left and the
/// inspector on the right; narrower ones put the graph on top and the trace beside the
/// inspector below it. The last two rows are the message line (or prompt) and the status bar.
public struct ScreenLayout: Sendable, Equatable {
    public var graph: Rect
    public var trace: Rect
    public var inspector: Rect
    public var message: Rect
    public var status: Rect

    public init(width: Int, height: Int) {
        let screen = Rect(width: width, height: height)
        let (rest, status) = screen.splitOff(bottom: 1)
        let (body, message) = rest.splitOff(bottom: 1)
        self.status = status
        self.message = message
        if width >= 120 {
            let columns = body.columns([.fraction(0.62), .fill])
            let left = columns[0].rows([.fraction(0.6), .fill])
            (graph, trace, inspector) = (left[0], left[1], columns[1])
        } else {
            let rows = body.rows([.fraction(0.55), .fill])
            let bottom = rows[1].columns([.fraction(0.5), .fill])
            (graph, trace, inspector) = (rows[0], bottom[0], bottom[1])
        }
    }

    /// The pane under a cell, if any.
    public func pane(atX x: Int, y: Int) -> Focus? {
        if graph.contains(x: x, y: y) { return .graph }
        if trace.contains(x: x, y: y) { return .trace }
        if inspector.contains(x: x, y: y) { return .inspector }
        return nil
    }
}
