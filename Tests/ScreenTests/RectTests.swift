import Screen
import Testing

@Suite("Rect")
struct RectTests {
    let r = Rect(x: 2, y: 1, width: 11, height: 6)

    @Test func fractionsCoverTheWholeWidth() {
        let parts = r.columns([.fraction(0.5), .fraction(0.5)])
        #expect(parts == [Rect(x: 2, y: 1, width: 5, height: 6), Rect(x: 7, y: 1, width: 6, height: 6)])
    }

    @Test func fixedThenFractionThenFill() {
        let parts = r.columns([.fixed(3), .fraction(0.25), .fill, .fill])
        #expect(parts.map(\.width) == [3, 2, 3, 3])
        #expect(parts.map(\.x) == [2, 5, 7, 10])
    }

    @Test func rowsAndSplitOff() {
        let (top, rest) = r.splitOff(top: 2)
        #expect(top == Rect(x: 2, y: 1, width: 11, height: 2))
        #expect(rest == Rect(x: 2, y: 3, width: 11, height: 4))
        let (body, status) = r.splitOff(bottom: 1)
        #expect(body.height == 5 && status == Rect(x: 2, y: 6, width: 11, height: 1))
        let (left, right) = r.splitOff(left: 4)
        #expect(left.width == 4 && right == Rect(x: 6, y: 1, width: 7, height: 6))
        #expect(r.splitOff(right: 20).1.width == 11)
        #expect(r.rows([.fixed(4), .fixed(4)]).map(\.height) == [4, 2])
    }

    @Test func splittingTooLittleNeverTraps() {
        #expect(Rect.zero.columns([.fixed(3), .fraction(0.5), .fill]).allSatisfy { $0.isEmpty })
        #expect(Rect(width: 1, height: 1).rows([.fill, .fill]).map(\.height) == [1, 0])
        #expect(r.columns([.fraction(.nan), .fraction(-1), .fixed(-4)]).map(\.width) == [0, 0, 0])
        #expect(r.columns([]) == [])
    }

    @Test func insetIntersectionContains() {
        #expect(r.inset(by: 1) == Rect(x: 3, y: 2, width: 9, height: 4))
        #expect(r.inset(by: 10).isEmpty)
        #expect(r.inset(top: 1, left: 2) == Rect(x: 4, y: 2, width: 9, height: 5))
        #expect(r.intersection(Rect(x: 0, y: 0, width: 4, height: 3)) == Rect(x: 2, y: 1, width: 2, height: 2))
        #expect(r.intersection(Rect(x: 50, y: 50, width: 1, height: 1)).isEmpty)
        #expect(r.contains(x: 2, y: 1) && r.contains(x: 12, y: 6))
        #expect(!r.contains(x: 13, y: 6) && !r.contains(x: 2, y: 7))
        #expect(r.centered(width: 5, height: 2) == Rect(x: 5, y: 3, width: 5, height: 2))
        #expect(Rect(x: 0, y: 0, width: -3, height: 2).isEmpty)
    }
}
