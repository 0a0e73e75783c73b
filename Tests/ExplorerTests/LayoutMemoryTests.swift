import Explorer
import Screen
import TestSupport
import Testing

/// A layout is most of what the explorer keeps per node (issue 23): boxes and edge polylines
/// in 32-bit fields, every polyline in one buffer, and an index over them without an array
/// per grid cell.
@Suite("Layout memory")
struct LayoutMemoryTests {
    @Test("A box takes 20 bytes and a point 8 (32-bit fields, not 64)")
    func fieldSizes() {
        #expect(MemoryLayout<GraphLayout.Box>.stride == 5 * 4)
        #expect(MemoryLayout<GraphLayout.Point>.stride == 2 * 4)
        let box = GraphLayout.Box(node: 1_000_000, x: 16_000_000, y: -3, width: 13, height: 5)
        #expect([box.node, box.x, box.y, box.width, box.height] == [1_000_000, 16_000_000, -3, 13, 5])
    }

    @Test("Edges kept end to end read back as they were put in")
    func edgesRoundTrip() {
        func p(_ x: Int, _ y: Int) -> GraphLayout.Point { GraphLayout.Point(x: x, y: y) }
        let list = [GraphLayout.Edge(from: 0, to: 2, points: [p(5, 1), p(9, 1)]),
                    GraphLayout.Edge(from: 1, to: 2, points: []),
                    GraphLayout.Edge(from: 0, to: 3, points: [p(5, 1), p(7, 1), p(7, 9), p(12, 9)])]
        let edges = GraphLayout.Edges(list)
        #expect(edges.count == 3)
        #expect(Array(edges) == list)
        #expect(edges[2] == list[2])
        #expect(Array(edges.points(1)).isEmpty)
        #expect(Array(edges.points(2)) == [p(5, 1), p(7, 1), p(7, 9), p(12, 9)])
        #expect(edges.everyPoint.count == 6)
        let renamed = edges.renamingEnds { [7, 8, 9, 10][$0] }
        #expect(renamed.map(\.from) == [7, 8, 7])
        #expect(renamed.map(\.to) == [9, 9, 10])
        #expect(renamed.map(\.points) == list.map(\.points))
        let layout = GraphLayout(boxes: [], edges: list, width: 13, height: 10, engine: .layered)
        #expect(layout.edges == edges)
    }

    @Test("The index finds every box and edge that meets a rectangle, as a search of them all does",
          arguments: [true, false])
    func indexAgreesWithSearch(leftToRight: Bool) {
        let layout = LayeredLayout.layout(LayoutFixtures.randomDAG(nodes: 600, seed: 11, leftToRight: leftToRight))
        let index = LayoutIndex(layout)
        // Each edge's bounding rectangle, worked out once: the search below is of them all.
        let edgeBounds: [Rect?] = layout.edges.indices.map { k in
            let points = layout.edges[k].points
            guard let x0 = points.map(\.x).min(), let x1 = points.map(\.x).max(),
                  let y0 = points.map(\.y).min(), let y1 = points.map(\.y).max() else { return nil }
            return Rect(x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1)
        }
        var random = SplitMix64(seed: 5)
        for _ in 0..<300 {
            let rect = Rect(x: Int.random(in: -20..<layout.width, using: &random), y: Int.random(in: -20..<layout.height, using: &random),
                            width: Int.random(in: 1...120, using: &random), height: Int.random(in: 1...40, using: &random))
            let found = index.boxes(in: rect)
            let meeting = layout.boxes.indices.filter {
                let b = layout.boxes[$0]
                return Rect(x: b.x, y: b.y, width: b.width, height: b.height).intersects(rect)
            }
            #expect(Set(meeting).isSubset(of: found), "\(rect)")
            // Candidates come from the grid cells the rectangle meets (48 × 24 cells): none farther.
            let near = Rect(x: rect.x - 48, y: rect.y - 24, width: rect.width + 96, height: rect.height + 48)
            #expect(found.allSatisfy { k in
                let b = layout.boxes[k]
                return Rect(x: b.x, y: b.y, width: b.width, height: b.height).intersects(near)
            })
            #expect(found == found.sorted() && Set(found).count == found.count)
            let edges = layout.edges.indices.filter { edgeBounds[$0]?.intersects(rect) ?? false }
            #expect(index.edges(in: rect) == edges, "\(rect)")
        }
        #expect(index.boxes(in: Rect(x: 0, y: 0, width: 0, height: 5)).isEmpty)
    }
}
