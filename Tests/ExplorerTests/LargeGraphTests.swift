import Explorer
import Screen
import Testing

@Suite("Large graphs")
struct LargeGraphTests {
    @Test func drawingVisitsOnlyTheViewport() {
        let graph = bigGraph(nodes: 2_000)
        var s = ExplorerBenchmark.state(graph: graph, size: (160, 50))
        let canvas = ExplorerBenchmark.renderOnce(s)
        #expect(canvas.width == 160)
        let view = Rect(x: s.pan.x, y: s.pan.y, width: 100, height: 30)
        let visible = s.index.boxes(in: view)
        #expect(!visible.isEmpty)
        #expect(visible.count < 200, "the index returns \(visible.count) of \(s.layout.boxes.count) boxes")
        // Every box that meets the viewport is among them.
        for b in s.layout.boxes where Rect(x: b.x, y: b.y, width: b.width, height: b.height).intersects(view) {
            #expect(visible.contains(b.node))
        }
        // Stepping does not recompute the layout.
        let before = s.layout
        s.press("n", "p", "G")
        #expect(s.layout == before)
    }
}
