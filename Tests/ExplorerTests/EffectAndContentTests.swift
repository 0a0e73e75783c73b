import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

@Suite("Effects and pane content")
struct EffectAndContentTests {
    @Test func runnerOpensFilesLoadsThemesAndWritesDot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-explorer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("square.grad")
        try "input x = 3\ny = x * x\noutput y\n".write(to: file, atomically: true, encoding: .utf8)
        let runner = EffectRunner(themes: ThemeLoader(searchPaths: [repositoryRoot.appendingPathComponent("Themes")]),
                                  deliver: { _ in })
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press(":")
        for effect in s.enter("open \(file.path)") { for a in runner.perform(effect) { s.reduce(a) } }
        #expect(s.graph.name == "square")
        #expect(s.message?.text == "square: 2 nodes")

        s.press(":")
        for effect in s.enter("theme light") { for a in runner.perform(effect) { s.reduce(a) } }
        #expect(s.themeName == "light")
        s.press(":")
        for effect in s.enter("theme no-such-theme") { for a in runner.perform(effect) { s.reduce(a) } }
        #expect(s.message?.kind == .error)
        #expect(s.prompt?.text == "theme no-such-theme")
        #expect(s.themeName == "light")

        s.press("escape", "r", "G", ":")
        let out = folder.appendingPathComponent("frame.dot").path
        for effect in s.enter("export dot \(out)") { for a in runner.perform(effect) { s.reduce(a) } }
        #expect(s.message?.text == "wrote \(out)")
        let dot = try String(contentsOfFile: out, encoding: .utf8)
        #expect(dot.contains("digraph"))
    }

    @Test func tensorsShowAsSmallMatrices() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press(":")
        s.enter("expr W @ x @ W=[[1, 2], [3, 4]], x=[1, 1]")
        #expect(s.graph.name == "expression")
        s.enter("/W")
        let text = s.screen
        // A matrix that fits is written on one line, with its numbers.
        #expect(text.contains("value = [[1, 2], [3, 4]]"))
    }

    @Test func kinksAreMarked() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press(":")
        s.enter("expr relu(x) * 2 @ x=0")
        s.press("G")
        s.enter("/v₁")
        #expect(s.screen.contains("kink: not differentiable here"))
        let roles = s.render().roleLines { $0.role == .kink ? "!" : "." }
        #expect(roles.contains { $0.contains("!") })
    }
}
