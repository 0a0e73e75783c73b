import Explorer
import Foundation
import TestSupport
import Testing

@Suite("Layered layout")
struct LayoutLayeredTests {
    @Test("Baydin's graph, left to right and top to bottom", arguments: [true, false])
    func baydin(leftToRight: Bool) {
        let request = LayoutFixtures.baydin(leftToRight: leftToRight)
        let layout = LayeredLayout.layout(request)
        expectEqual(LayoutFixtures.problems(layout, request), [])
        expectEqual(layout.engine, .layered)
        assertSnapshot(LayoutFixtures.picture(layout), named: "layered-baydin-\(leftToRight ? "LR" : "TB")")
    }

    @Test("Random DAGs: no overlaps, edges from side to side around boxes",
          arguments: [(10, 1), (30, 2), (100, 3), (400, 4), (2_000, 5)] as [(Int, UInt64)])
    func randomDAGs(nodes: Int, seed: UInt64) {
        for leftToRight in [true, false] {
            let chain = LayoutFixtures.randomDAG(nodes: nodes, seed: seed, leftToRight: leftToRight)
            let wide = LayoutFixtures.wideDAG(nodes: nodes, seed: seed, leftToRight: leftToRight)
            for request in [chain, wide] {
                let problems = LayoutFixtures.problems(LayeredLayout.layout(request), request)
                expectEqual(problems, [], "seed \(seed), \(nodes) nodes, \(leftToRight ? "LR" : "TB")")
            }
        }
    }

    @Test("Long edges beyond the dummy budget go along tracks outside the drawing")
    func tracks() {
        for leftToRight in [true, false] {
            let request = LayoutFixtures.randomDAG(nodes: 300, seed: 9, leftToRight: leftToRight)
            let layout = LayeredLayout.layout(request, options: .init(dummyBudget: 0))
            expectEqual(LayoutFixtures.problems(layout, request), [])
        }
    }

    @Test("Degenerate requests do not trap")
    func degenerate() {
        expectTrue(LayeredLayout.layout(LayoutRequest(operands: [], widths: [], height: 3)).boxes.isEmpty)
        let one = LayeredLayout.layout(LayoutRequest(operands: [[]], widths: [5], height: 3))
        expectEqual(one.boxes, [GraphLayout.Box(node: 0, x: 0, y: 0, width: 5, height: 3)])
        expectTrue((one.width, one.height) == (5, 3))
        // Operands out of range or not earlier are ignored; a repeated operand gives two edges.
        let odd = LayoutRequest(operands: [[], [0, 0, 7, 1, -1]], widths: [3, 3], height: 3)
        expectEqual(LayeredLayout.layout(odd).edges.count, 2)
    }

    @Test("Barycenter sweeps remove crossings that tape order has")
    func crossingReduction() {
        // Inputs 0 1 2; 3 reads 2, 4 reads 1, 5 reads 0: tape order crosses all three edges.
        // 6 reads 3 and 5, 7 reads 4: more crossings one layer on.
        let request = LayoutRequest(operands: [[], [], [], [2], [1], [0], [5, 3], [4]],
                                    widths: [3, 3, 3, 3, 3, 3, 3, 3], height: 3)
        let tapeOrder = LayeredLayout.layout(request, options: .init(sweeps: 0))
        let swept = LayeredLayout.layout(request)
        expectEqual(LayoutFixtures.problems(tapeOrder, request), [])
        expectEqual(LayoutFixtures.problems(swept, request), [])
        expectTrue(LayoutFixtures.crossings(tapeOrder) > 0)
        expectEqual(LayoutFixtures.crossings(swept), 0)
    }

    @Test("A chain is a straight line")
    func chain() {
        let request = LayoutRequest(operands: [[], [0], [1], [2]], widths: [4, 5, 6, 7], height: 3)
        let layout = LayeredLayout.layout(request)
        expectTrue(layout.boxes.allSatisfy { $0.y == 0 })
        expectTrue(layout.edges.allSatisfy { $0.points.count == 2 && $0.points[0].y == 1 && $0.points[1].y == 1 })
    }
}
