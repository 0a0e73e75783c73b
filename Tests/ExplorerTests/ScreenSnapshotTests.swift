import Explorer
import GraphCore
import Screen
import Testing
import TestSupport

@Suite("Screens at several sizes")
struct ScreenSnapshotTests {
    static let sizes: [(Int, Int)] = [(0, 0), (1, 1), (20, 5), (40, 12), (80, 24), (120, 40)]

    @Test(arguments: [Phase.primal, .forward, .reverse])
    func screens(phase: Phase) {
        for (w, h) in Self.sizes {
            var s = ExplorerState(graph: baydin(), phase: phase, size: (w, h))
            s.press("n", "n", "n")
            let canvas = s.render()
            expectTrue(canvas.width == w && canvas.height == h)
            assertSnapshot(canvas.lines().joined(separator: "\n"), named: "\(phase)-\(w)x\(h)")
        }
    }

    @Test func tooSmallSaysSo() {
        let s = ExplorerState(graph: baydin(), size: (39, 30))
        expectContains(s.screen, "terminal too small (need 40×12)")
        let t = ExplorerState(graph: baydin(), size: (80, 11))
        expectContains(t.screen, "terminal too small")
    }

    @Test func asciiGlyphsWhenTheLocaleIsNotUTF8() {
        var s = ExplorerState(graph: baydin(), size: (80, 24), glyphs: .ascii)
        s.press("r", "n")
        let text = s.screen
        expectTrue(!text.contains("┌") && !text.contains("│"))
        expectContains(text, "+-")
    }

    @Test func helpAndErrorScreens() async {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press("?")
        assertSnapshot(s.screen, named: "help-80x24")
        s.press("?")
        await s.command("expr 2 +* x @ x=1")
        assertSnapshot(s.screen, named: "expr-error-80x24")
    }

    @Test func rolesMarkTheCurrentNode() {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.press("n")
        let roles = s.render().roleLines { $0.role == .current ? "#" : "." }
        expectTrue(roles.contains { $0.contains("#") })
    }
}
