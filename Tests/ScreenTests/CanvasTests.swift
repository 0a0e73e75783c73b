import Screen
import Testing
import TestSupport

@Suite("Canvas")
struct CanvasTests {
    @Test func putWritesTextAndReturnsTheNextColumn() {
        var canvas = Canvas(width: 8, height: 2)
        let next = canvas.put("ab", x: 1, y: 0)
        canvas.put("cd", x: next, y: 0, style: Style(.value))
        expectEqual(canvas.lines(), [" abcd   ", "        "])
        expectEqual(next, 3)
        expectEqual(canvas[3, 0]?.style, Style(.value))
    }

    @Test func putClipsToTheCanvasAndTheClipRect() {
        var canvas = Canvas(width: 6, height: 2)
        canvas.put("abcdefgh", x: -2, y: 0)
        canvas.put("xyz", x: 0, y: 1, clip: Rect(x: 1, y: 1, width: 1, height: 1))
        canvas.put("off", x: 0, y: 5)
        expectEqual(canvas.lines(), ["cdefgh", " y    "])
    }

    @Test func wideCharactersTakeTwoCells() {
        var canvas = Canvas(width: 7, height: 1)
        let next = canvas.put("漢😀x", x: 0, y: 0)
        expectEqual(next, 5)
        expectEqual(canvas[1, 0]?.isWideTail, true)
        expectEqual(canvas.lines(), ["漢😀x  "])
        expectEqual(canvas.lines()[0].displayWidth, 7)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("漢字", x: 0, y: 0)
        canvas.put("a", x: 1, y: 0)
        expectEqual(canvas.lines(), [" a字"])
        canvas.put("b", x: 2, y: 0)
        expectEqual(canvas.lines(), [" ab "])
    }

    @Test func aWideCharacterCutByTheClipEdgeLeavesASpace() {
        var canvas = Canvas(width: 3, height: 1, fill: Style(.text))
        canvas.fill(canvas.bounds, with: ".", style: .text)
        canvas.put("a漢", x: 1, y: 0)
        expectEqual(canvas.lines(), [".a "])
    }

    @Test func combiningMarksStayInOneCell() {
        var canvas = Canvas(width: 6, height: 1)
        let next = canvas.put("v̄ v̇", x: 0, y: 0)
        expectEqual(next, 3)
        expectEqual(canvas[0, 0]?.character, "v̄")
        expectEqual(canvas[2, 0]?.character, "v̇")
        // A mark written on its own joins the character before it.
        canvas.put("w", x: 4, y: 0)
        canvas.put("\u{0304}", x: 5, y: 0)
        expectEqual(canvas[4, 0]?.character, "w\u{0304}")
        expectEqual(canvas.lines(), ["v̄ v̇ w̄ "])
    }

    @Test func displayWidthAndTruncation() {
        expectEqual("v̄₁".displayWidth, 2)
        expectEqual("漢字".displayWidth, 4)
        expectEqual("\u{0304}".displayWidth, 0)
        expectEqual("gradient".truncated(toWidth: 5), "grad…")
        expectEqual("grad".truncated(toWidth: 5), "grad")
        expectEqual("漢字漢".truncated(toWidth: 4), "漢…")
        expectEqual("abc".truncated(toWidth: 0), "")
    }

    /// A plain-ASCII text is counted by its bytes; it must come to what walking its characters
    /// gives, CR LF (one character, one cell) and control characters included.
    @Test func anASCIITextIsAsWideAsItsCharactersSay() {
        var random = SplitMix64(seed: 7)
        let alphabet: [UInt8] = Array(0..<0x80)
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                Int.random(in: 0..<4, using: &random) == 0 ? [13, 10][Int.random(in: 0...1, using: &random)]
                    : alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
            }
            let text = String(decoding: bytes, as: UTF8.self)
            expectEqual(text.displayWidth, text.reduce(0) { $0 + $1.displayWidth }, "\(bytes)")
            expectEqual(text.dropFirst().displayWidth, text.dropFirst().reduce(0) { $0 + $1.displayWidth }, "\(bytes)")
        }
        expectEqual("a\r\nb".displayWidth, 3)
        expectEqual("ab\u{7F}".displayWidth, 3)
    }

    @Test func boxesAndJunctions() {
        var canvas = Canvas(width: 12, height: 4)
        canvas.drawBox(Rect(x: 0, y: 0, width: 8, height: 4), title: "Tape")
        canvas.drawBox(Rect(x: 7, y: 0, width: 5, height: 4), title: "Long title")
        canvas.horizontalLine(x: 0, y: 2, length: 8)
        expectEqual(canvas.lines(), [
            "┌ Tape ┬ … ┐",
            "│      │   │",
            "├──────┤   │",
            "└──────┴───┘",
        ])
    }

    @Test func asciiFallback() {
        var canvas = Canvas(width: 9, height: 3, glyphs: .ascii)
        canvas.verticalLine(x: 4, y: 0, length: 3)
        canvas.drawBox(canvas.bounds, title: "a long title")
        expectEqual(canvas.lines(), [
            "+ a lo~ +",
            "|   |   |",
            "+---+---+",
        ])
    }

    @Test func styleRunsShowRoles() {
        var canvas = Canvas(width: 8, height: 2)
        canvas.put("v2", x: 0, y: 0, style: Style(.current))
        canvas.put("3.0", x: 3, y: 0, style: Style(.value, .bold))
        expectEqual(canvas.styleRuns(), ["0: 0-1 current, 2-2 background, 3-5 value+bold, 6-7 background"])
        expectTrue(canvas.roleLines { $0.role == .current ? "#" : "." } == ["##......", "........"])
    }

    @Test(arguments: [(0, 0), (1, 1), (0, 5), (5, 0), (1, 3)])
    func tinyCanvasesNeverTrap(width: Int, height: Int) {
        var canvas = Canvas(width: width, height: height)
        canvas.put("漢字 v̄ text", x: 0, y: 0)
        canvas.put("x", x: -3, y: -3)
        canvas.put("\u{0304}", x: 0, y: 0)
        canvas.drawBox(canvas.bounds, title: "title")
        canvas.drawBox(Rect(x: -2, y: -2, width: 50, height: 50), title: "big")
        canvas.horizontalLine(x: -1, y: 0, length: 10)
        canvas.verticalLine(x: 0, y: -1, length: 10)
        canvas.fill(Rect(x: -5, y: -5, width: 100, height: 100), with: "漢")
        canvas.clear()
        expectEqual(canvas.lines().count, height)
        expectTrue(canvas.styleRuns().isEmpty)
        expectTrue(canvas[0, 0] == (width > 0 && height > 0 ? Cell() : nil))
        expectTrue(canvas[-1, 0] == nil)
    }

    @Test func snapshotOfASmallDrawing() {
        var canvas = Canvas(width: 30, height: 7)
        let (main, status) = canvas.bounds.splitOff(bottom: 1)
        let panes = main.columns([.fraction(0.5), .fill])
        canvas.drawBox(panes[0], style: Style(.focusBorder), title: "Graph")
        canvas.drawBox(panes[1], title: "Inspector")
        canvas.put("v̄₂ = 1", x: panes[0].x + 2, y: 2, style: Style(.adjoint))
        canvas.put("v₁ = v₋₁·v₀", x: panes[0].x + 2, y: 3, style: Style(.current))
        canvas.put("∂v₁/∂v₀ = 2", x: panes[1].x + 2, y: 2, style: Style(.value))
        canvas.fill(status, style: Style(.statusBar))
        canvas.put("n next  q quit", x: 1, y: status.y, style: Style(.statusText), clip: status)
        assertSnapshot(canvas.text + "\n\n" + canvas.styleRuns().joined(separator: "\n") + "\n",
                       named: "small-drawing")
    }
}
