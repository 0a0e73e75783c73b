import Screen
import Testing
import TestSupport

@Suite("Rect")
struct RectTests {
    let r = Rect(x: 2, y: 1, width: 11, height: 6)

    @Test func fractionsCoverTheWholeWidth() {
        let parts = r.columns([.fraction(0.5), .fraction(0.5)])
        expectEqual(parts, [Rect(x: 2, y: 1, width: 5, height: 6), Rect(x: 7, y: 1, width: 6, height: 6)])
    }

    @Test func fixedThenFractionThenFill() {
        let parts = r.columns([.fixed(3), .fraction(0.25), .fill, .fill])
        expectEqual(parts.map(\.width), [3, 2, 3, 3])
        expectEqual(parts.map(\.x), [2, 5, 7, 10])
    }

    @Test func rowsAndSplitOff() {
        let (top, rest) = r.splitOff(top: 2)
        expectEqual(top, Rect(x: 2, y: 1, width: 11, height: 2))
        expectEqual(rest, Rect(x: 2, y: 3, width: 11, height: 4))
        let (body, status) = r.splitOff(bottom: 1)
        expectTrue(body.height == 5 && status == Rect(x: 2, y: 6, width: 11, height: 1))
        let (left, right) = r.splitOff(left: 4)
        expectTrue(left.width == 4 && right == Rect(x: 6, y: 1, width: 7, height: 6))
        expectEqual(r.splitOff(right: 20).1.width, 11)
        expectEqual(r.rows([.fixed(4), .fixed(4)]).map(\.height), [4, 2])
    }

    @Test func splittingTooLittleNeverTraps() {
        expectTrue(Rect.zero.columns([.fixed(3), .fraction(0.5), .fill]).allSatisfy { $0.isEmpty })
        expectEqual(Rect(width: 1, height: 1).rows([.fill, .fill]).map(\.height), [1, 0])
        expectEqual(r.columns([.fraction(.nan), .fraction(-1), .fixed(-4)]).map(\.width), [0, 0, 0])
        expectEqual(r.columns([]), [])
    }

    @Test func insetIntersectionContains() {
        expectEqual(r.inset(by: 1), Rect(x: 3, y: 2, width: 9, height: 4))
        expectTrue(r.inset(by: 10).isEmpty)
        expectEqual(r.inset(top: 1, left: 2), Rect(x: 4, y: 2, width: 9, height: 5))
        expectEqual(r.intersection(Rect(x: 0, y: 0, width: 4, height: 3)), Rect(x: 2, y: 1, width: 2, height: 2))
        expectTrue(r.intersection(Rect(x: 50, y: 50, width: 1, height: 1)).isEmpty)
        expectTrue(r.contains(x: 2, y: 1) && r.contains(x: 12, y: 6))
        expectTrue(!r.contains(x: 13, y: 6) && !r.contains(x: 2, y: 7))
        expectEqual(r.centered(width: 5, height: 2), Rect(x: 5, y: 3, width: 5, height: 2))
        expectTrue(Rect(x: 0, y: 0, width: -3, height: 2).isEmpty)
    }
}
