import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

/// Edges on screen: they leave and enter boxes at their sides, each operand has its own port,
/// crossings are not drawn as junctions, and arrows point into boxes.
@Suite("Edges in the graph pane")
struct EdgeDrawingTests {
    static func graph(_ name: String) throws -> Graph {
        try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(name).grad").path).get()
    }

    /// A state on `graph` showing `layout`, its whole graph pane big enough for it.
    static func showing(_ layout: GraphLayout, of graph: Graph) -> ExplorerState {
        // Wide screens give the graph pane 62% of the width and part of the rows: grow the
        // screen until the pane's inside holds the layout.
        let width = max(120, Int(Double(layout.width + 4) / 0.62) + 2)
        var height = 40
        while ScreenLayout(width: width, height: height).graph.inset(by: 1).height < layout.height { height += 1 }
        var s = ExplorerState(graph: graph, size: (width, height))
        s.reduce(.layoutArrived(layout, generation: s.generation, compact: false))
        return s
    }

    /// Every arrowhead in the graph pane, with the cell it points at.
    static func arrows(_ s: ExplorerState) -> [(at: (Int, Int), into: Character)] {
        let lines = s.render().lines().map(Array.init)
        let pane = ScreenLayout(width: s.size.width, height: s.size.height).graph.inset(by: 1)
        var found: [(at: (Int, Int), into: Character)] = []
        for y in pane.y..<pane.maxY {
            for x in pane.x..<pane.maxX {
                let (dx, dy): (Int, Int)
                switch lines[y][x] {
                case "→": (dx, dy) = (1, 0)
                case "←": (dx, dy) = (-1, 0)
                case "↓": (dx, dy) = (0, 1)
                case "↑": (dx, dy) = (0, -1)
                default: continue
                }
                found.append(((x, y), lines[y + dy][x + dx]))
            }
        }
        return found
    }

    @Test("micrograd's graph: every arrow points into a box side; no knots of crossing lines", arguments: [false, true])
    func micrograd(compact: Bool) throws {
        let g = try Self.graph("micrograd-readme")
        let request = GraphView.request(g.tape, compact: compact)
        let layout = LayeredLayout.layout(request)
        expectEqual(LayoutFixtures.problems(layout, request), [])
        let s = Self.showing(layout, of: g)
        let arrows = Self.arrows(s)
        expectEqual(arrows.count, Set(layout.edges.map { $0.points.last! }).count)
        for a in arrows { expectTrue("│┌└┐┘".contains(a.into), "arrow at \(a.at) points at '\(a.into)'") }
        // Compact boxes have one port, where lines into one box merge (a junction by design).
        if !compact { expectNotContains(s.screen, "┼", "\(s.screen)") }
    }

    @Test("Each operand enters its consumer at a port of its own when the side has room")
    func portsPerOperand() throws {
        let g = try Self.graph("micrograd-readme")
        let request = GraphView.request(g.tape, compact: false)
        let layout = LayeredLayout.layout(request)
        var ends: [Int: [GraphLayout.Point]] = [:]
        for e in layout.edges { ends[e.to, default: []].append(e.points.last!) }
        for (node, points) in ends where points.count > 1 {
            expectEqual(Set(points).count, points.count, "edges into \(g.tape.label(node)) share an end: \(points)")
            let box = layout.boxes[node]
            for p in points { expectTrue(p.y > box.y && p.y < box.y + box.height - 1, "port beside a corner") }
        }
    }

    @Test("Lines of different nodes cross without a junction; branches of one node join")
    func crossingsAreNotJunctions() throws {
        let g = try GraphLoader.load(expression: "a*b + c", values: [("a", "1"), ("b", "2"), ("c", "3")]).get()
        // a (0) and b (1) feed the product (3); lay two edges across each other by hand.
        let boxes = (0..<g.tape.count).map { GraphLayout.Box(node: $0, x: 0, y: 12 + 4 * $0, width: 5, height: 3) }
        let across = GraphLayout.Edge(from: 0, to: 3, points: [.init(x: 5, y: 3), .init(x: 20, y: 3)])
        let down = GraphLayout.Edge(from: 1, to: 3, points: [.init(x: 10, y: 0), .init(x: 10, y: 8)])
        let branch = GraphLayout.Edge(from: 1, to: 3, points: [.init(x: 10, y: 5), .init(x: 15, y: 5)])
        let layout = GraphLayout(boxes: boxes, edges: [across, down, branch], width: 30, height: 40, engine: .layered)
        let s = Self.showing(layout, of: g)
        let lines = s.render().lines().map(Array.init)
        let pane = ScreenLayout(width: s.size.width, height: s.size.height).graph.inset(by: 1)
        expectEqual(lines[pane.y + 3][pane.x + 10], "─", "a crossing is drawn as the horizontal line")
        expectEqual(lines[pane.y + 5][pane.x + 10], "├", "a branch of the same node is a junction")
        expectEqual(lines[pane.y + 3][pane.x + 20], "→")
    }

    @Test("Graphviz's order, gradstep's edges: side to side, never through a box")
    func graphvizOrderedLayout() async throws {
        guard LayoutGraphvizTests.dotProgram() != nil else { return }
        let g = try Self.graph("micrograd-readme")
        for compact in [false, true] {
            let request = GraphView.request(g.tape, compact: compact)
            guard case .success(let layout) = await GraphvizLayout.run(request, timeout: 30) else {
                Issue.record("dot failed"); return
            }
            expectEqual(layout.engine, .graphviz)
            expectEqual(LayoutFixtures.problems(layout, request), [])
        }
    }
}

@Suite("z fits the graph into the pane")
struct FitTests {
    @Test("two-layer-tanh fits after z", arguments: [(80, 24), (100, 30), (120, 40), (200, 60)] as [(Int, Int)])
    func twoLayerTanhFits(width: Int, height: Int) throws {
        let g = try EdgeDrawingTests.graph("two-layer-tanh")
        var s = ExplorerState(graph: g, size: (width, height))
        s.press("z")
        let view = ScreenLayout(width: width, height: height).graph.inset(by: 1)
        expectTrue(s.layout.width <= view.width && s.layout.height <= view.height, "\(s.layout.width)×\(s.layout.height) in \(view.width)×\(view.height)")
        // Every node's name (or op) is on screen.
        let pane = s.render().lines()[view.y..<view.maxY].joined(separator: "\n")
        for name in ["x", "W1", "b1", "z1", "a1", "W2", "b2", "z2", "yhat", "L"] {
            expectContains(pane, name, "\(name) missing at \(width)×\(height):\n\(pane)")
        }
        // A resize picks the fit for the new pane.
        s.resize(200, 60)
        let big = ScreenLayout(width: 200, height: 60).graph.inset(by: 1)
        expectTrue(s.layout.width <= big.width && s.layout.height <= big.height)
        expectTrue(s.layout.boxes.allSatisfy { $0.height == 3 }, "a big pane fits boxes with borders")
        s.press("z")
        expectTrue(s.layout.boxes.allSatisfy { $0.height == 5 })
    }
}
