import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

@Suite("Effects and pane content")
struct EffectAndContentTests {
    @Test func runnerOpensFilesLoadsThemesAndWritesDot() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-explorer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("square.grad")
        try "input x = 3\ny = x * x\noutput y\n".write(to: file, atomically: true, encoding: .utf8)
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        await s.command("open \(file.path)")
        expectEqual(s.graph.name, "square")
        expectEqual(s.message?.text, "square: 2 nodes")

        await s.command("theme light")
        expectEqual(s.themeName, "light")
        await s.command("theme no-such-theme")
        expectEqual(s.message?.kind, .error)
        expectEqual(s.prompt?.text, "theme no-such-theme")
        expectEqual(s.themeName, "light")

        s.press("escape", "r", "G")
        let out = folder.appendingPathComponent("frame.dot").path
        await s.command("export dot \(out)")
        expectEqual(s.message?.text.hasPrefix("wrote \(out) "), true)
        let dot = try String(contentsOfFile: out, encoding: .utf8)
        expectContains(dot, "digraph")
    }

    @Test func tensorsShowAsSmallMatrices() async {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        await s.command("expr W @ x @ W=[[1, 2], [3, 4]], x=[1, 1]")
        expectEqual(s.graph.name, "expression")
        s.enter("/W")
        let text = s.screen
        // A matrix that fits is written on one line, with its numbers.
        expectContains(text, "value = [[1, 2], [3, 4]]")
    }

    @Test func kinksAreMarked() async {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        await s.command("expr relu(x) * 2 @ x=0")
        s.press("G")
        s.enter("/v₁")
        expectContains(s.screen, "kink: not differentiable here")
        let roles = s.render().roleLines { $0.role == .kink ? "!" : "." }
        expectTrue(roles.contains { $0.contains("!") })
    }
}
