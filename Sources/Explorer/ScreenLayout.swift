import Screen

/// Where each pane goes on a screen of a given size. The renderer draws into these rectangles
/// and the reducer uses the same ones to turn mouse clicks into pane positions.
///
/// Wide screens (120 columns and more) put the graph, the step strip and the trace on the left
/// and the inspector on the right; narrower ones put the graph on top, the step strip across
/// the screen under it, and the trace beside the inspector below. The step strip
/// (the current step's equation) has a fixed height for a screen size, so stepping never moves
/// the panes. The last two rows are the message line (or prompt) and the status bar.
public struct ScreenLayout: Sendable, Equatable {
    public var graph: Rect
    /// The current step's equation, pinned (`StepPane`).
    public var step: Rect
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
        let strip = Self.stepHeight(bodyHeight: body.height)
        if width >= 120 {
            let columns = body.columns([.fraction(0.62), .fill])
            let left = columns[0].rows([.fixed((body.height - strip) * 60 / 100), .fixed(strip), .fill])
            (graph, step, trace, inspector) = (left[0], left[1], left[2], columns[1])
        } else {
            let graphHeight = (body.height - strip) * 60 / 100
            let rows = body.rows([.fixed(graphHeight), .fixed(strip), .fill])
            let bottom = rows[2].columns([.fraction(0.45), .fill])
            (graph, step, trace, inspector) = (rows[0], rows[1], bottom[0], bottom[1])
        }
    }

    /// Rows of the step strip, borders included: three lines of equation on a 24-row terminal
    /// (a scalar step's adjoint and its two terms), more on taller ones, at most ten.
    static func stepHeight(bodyHeight: Int) -> Int {
        min(12, max(4, bodyHeight / 5 + 1))
    }

    /// The pane under a cell, if any.
    public func pane(atX x: Int, y: Int) -> Focus? {
        if graph.contains(x: x, y: y) { return .graph }
        if step.contains(x: x, y: y) { return .inspector }
        if trace.contains(x: x, y: y) { return .trace }
        if inspector.contains(x: x, y: y) { return .inspector }
        return nil
    }
}
