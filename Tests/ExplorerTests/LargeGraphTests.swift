import Explorer
import Foundation
import Screen
import Testing
import TestSupport

@Suite("Large graphs")
struct LargeGraphTests {
    @Test func drawingVisitsOnlyTheViewport() {
        let graph = bigGraph(nodes: 2_000)
        var s = ExplorerBenchmark.state(graph: graph, size: (160, 50))
        let canvas = ExplorerBenchmark.renderOnce(s)
        expectEqual(canvas.width, 160)
        let view = Rect(x: s.pan.x, y: s.pan.y, width: 100, height: 30)
        let visible = s.index.boxes(in: view)
        expectTrue(!visible.isEmpty)
        expectTrue(visible.count < 200, "the index returns \(visible.count) of \(s.layout.boxes.count) boxes")
        // Every box that meets the viewport is among them.
        for b in s.layout.boxes where Rect(x: b.x, y: b.y, width: b.width, height: b.height).intersects(view) {
            expectContains(visible, b.node)
        }
        // Stepping does not recompute the layout.
        let before = s.layout
        s.press("n", "p", "G")
        expectEqual(s.layout, before)
    }
}

@Suite("Graphs too big to lay out on the spot")
struct BackgroundLayoutTests {
    /// Feeds the state what `upgrades` has until `done` holds (at most five minutes: a hang guard, not a speed target).
    static func settle(_ s: inout ExplorerState, _ upgrades: LayoutUpgrades, until done: (ExplorerState) -> Bool) async -> [Action] {
        var seen: [Action] = []
        let deadline = Date().addingTimeInterval(300)
        while !done(s) && Date() < deadline {
            let actions = upgrades.actions(for: s)
            seen += actions
            for a in actions { upgrades.run(s.reduce(a)) }
            if actions.isEmpty { try? await Task.sleep(nanoseconds: 20_000_000) }
        }
        return seen
    }

    @Test func theFirstScreenComesAtOnceAndTheLayoutLater() async {
        let graph = bigGraph(nodes: 1_200)
        expectTrue(graph.tape.count > ExplorerState.inlineLayoutLimit)
        var s = ExplorerState(graph: graph, phase: .reverse, size: (100, 30))
        expectTrue(s.layoutPending)
        expectTrue(s.layout.boxes.isEmpty)
        expectContains(s.screen, "laying out \(graph.tape.count) nodes…")
        // Keys work meanwhile: the trace and inspector follow the sweep.
        s.press("n", "n")
        expectEqual(s.stepper.position, 2)
        expectContains(s.screen, "step 2/")
        let upgrades = LayoutUpgrades()
        upgrades.run(s.start())
        let seen = await Self.settle(&s, upgrades) { !$0.layoutPending }
        expectTrue(!s.layoutPending)
        expectEqual(s.layout.boxes.count, graph.tape.count)
        expectTrue(seen.contains { if case .notify(let m) = $0 { m.text.hasPrefix("laying out \(graph.tape.count) nodes") } else { false } })
        // The step's node is in view once the layout is in.
        let node = s.stepper.current!
        let b = s.layout.boxes[node], view = ScreenLayout(width: 100, height: 30).graph.inset(by: 1)
        expectTrue(b.x >= s.pan.x && b.x + b.width <= s.pan.x + view.width)
        // z: the full layout stays on screen until the compact one arrives, and a command's
        // answer meanwhile is not overwritten by progress lines.
        upgrades.run(s.press("z"))
        expectTrue(s.layoutPending)
        expectTrue(!s.layout.boxes.isEmpty)
        await s.command("goto 99999")
        let answer = s.message
        expectEqual(answer?.kind, .error)
        _ = await Self.settle(&s, upgrades) { !$0.layoutPending }
        expectTrue(s.layout.boxes.allSatisfy { $0.height == 3 })
        expectEqual(s.message, answer)
    }

    @Test func aLayoutThatArrivesShowsWhereTheSweepStarts() async throws {
        let graph = bigGraph(nodes: 1_200)
        var s = ExplorerState(graph: graph, size: (100, 30))
        let upgrades = LayoutUpgrades()
        upgrades.run(s.start())
        _ = await Self.settle(&s, upgrades) { !$0.layoutPending }
        // On a loaded machine the layout may not come within the minute: fail, do not trap.
        try #require(!s.layoutPending && s.layout.boxes.indices.contains(graph.tape.firstComputed))
        let b = s.layout.boxes[graph.tape.firstComputed], view = ScreenLayout(width: 100, height: 30).graph.inset(by: 1)
        expectTrue(b.x >= s.pan.x && b.x + b.width <= s.pan.x + view.width)
        expectTrue(b.y >= s.pan.y && b.y + b.height <= s.pan.y + view.height)
    }
}
