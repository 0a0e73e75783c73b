import Explorer
import TestSupport
import Testing

/// The layout checker the layout tests rely on (`LayoutFixtures.problems`) finds what it
/// looks for: a test that passes because its checker is blind proves nothing.
@Suite("The layout checker")
struct LayoutFixturesTests {
    /// Two boxes of width 3 and height 1 on a 12×5 grid, node 0 feeding node 1.
    static let request = LayoutRequest(operands: [[], [0]], widths: [3, 3], height: 1)
    static let boxes = [GraphLayout.Box(node: 0, x: 0, y: 2, width: 3, height: 1),
                        GraphLayout.Box(node: 1, x: 8, y: 2, width: 3, height: 1)]

    static func layout(_ points: [(Int, Int)], boxes: [GraphLayout.Box] = boxes) -> GraphLayout {
        GraphLayout(boxes: boxes, edges: [GraphLayout.Edge(from: 0, to: 1, points: points.map { .init(x: $0.0, y: $0.1) })],
                    width: 12, height: 5, engine: .layered)
    }

    @Test func aStraightEdgeBetweenTwoBoxesIsNoProblem() {
        expectEqual(LayoutFixtures.problems(Self.layout([(3, 2), (7, 2)]), Self.request), [])
    }

    @Test func anEdgeThroughABoxIsFoundAtTheCellItCrosses() {
        // A third box in the way, on the edge's row, at x 5.
        let blocker = GraphLayout.Box(node: 2, x: 5, y: 2, width: 1, height: 1)
        let request = LayoutRequest(operands: [[], [0], []], widths: [3, 3, 1], height: 1)
        let found = LayoutFixtures.problems(Self.layout([(3, 2), (7, 2)], boxes: Self.boxes + [blocker]), request)
        expectEqual(found, ["edge 0→1 passes through box 2 at Point(storedX: 5, storedY: 2)"])
        // A vertical segment is walked too: down column 5 through the box, then along row 4.
        let down = LayoutFixtures.problems(Self.layout([(3, 2), (4, 2), (4, 1), (5, 1), (5, 4), (7, 4), (7, 2)],
                                                       boxes: Self.boxes + [blocker]), request)
        expectEqual(down, ["edge 0→1 passes through box 2 at Point(storedX: 5, storedY: 2)"])
    }

    @Test func aDiagonalAndOverlappingBoxesAreFound() {
        expectContains(LayoutFixtures.problems(Self.layout([(3, 2), (7, 3), (7, 2)]), Self.request),
                       "edge 0→1 has a diagonal segment Point(storedX: 3, storedY: 2)–Point(storedX: 7, storedY: 3)")
        let overlapping = [Self.boxes[0], GraphLayout.Box(node: 1, x: 2, y: 2, width: 3, height: 1)]
        expectContains(LayoutFixtures.problems(Self.layout([(1, 1), (3, 1)], boxes: overlapping), Self.request),
                       "boxes 0 and 1 overlap")
    }
}
