import GraphCore
import GraphLanguage
import Screen

/// Hooks for `make bench`: the cost of drawing the explorer's full screen.
///
///     let graph = try GraphLoader.load(SourceFile(name: "dag", text: RandomDAG.source(nodes: 2_000)),
///                                      graphName: "dag", mode: .file).get()
///     var state = ExplorerBenchmark.state(graph: graph, size: (200, 60))   // layout once
///     measure { _ = ExplorerBenchmark.renderOnce(state) }                  // one frame
public enum ExplorerBenchmark {
    /// An explorer on `graph` in reverse mode, halfway through the sweep, the current node in
    /// view: what a redraw typically has to show. Builds the layout (once).
    public static func state(graph: Graph, size: (width: Int, height: Int)) -> ExplorerState {
        var state = ExplorerState(graph: graph, phase: .reverse, size: size)
        state.layOutNow()
        state.reduce(.last)
        state.stepper.go(to: state.stepper.count / 2)
        if let node = state.stepper.current { state.select(node) }
        return state
    }

    /// One full-screen frame (every pane, status bar) drawn into a fresh canvas.
    public static func renderOnce(_ state: ExplorerState) -> Canvas { state.render() }

    /// Layout and one frame for `graph`, for a cold-start measurement.
    public static func renderOnce(graph: Graph, size: (width: Int, height: Int)) -> Canvas {
        renderOnce(state(graph: graph, size: size))
    }
}
