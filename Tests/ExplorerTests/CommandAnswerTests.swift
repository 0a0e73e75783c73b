import Explorer
import Foundation
import GraphCore
import GraphExport
import GraphLanguage
import Screen
import Testing
import TestSupport

/// Every `:` command answers on screen, success or error, while its text stays on the command
/// line; `:` starts a fresh line; `:export` writes through the CLI's overwrite guard.
@Suite("Commands answer on screen")
struct CommandAnswerTests {
    /// The screen's rows above the prompt line, where a command's answer shows while the
    /// prompt is open.
    static func panel(_ s: ExplorerState) -> String {
        s.render().lines().dropLast(2).joined(separator: "\n")
    }

    @Test("Each failing command shows why at once, with its text kept on the line", arguments: [
        "open /nonexistent.grad", "open /tmp", "open /bin/sh", "theme nosuch", "goto 99999999999999999999",
        "goto -1", "mode forward nosuch", "mode sideways", "set foo=3", "set x1=oops", "seed", "export bmp",
        "frobnicate",
    ])
    func failuresAnswer(command: String) async {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        await s.command(command)
        let m = try! #require(s.message)
        expectEqual(m.kind, .error)
        expectEqual(s.prompt?.text, command)
        let lines = s.render().lines()
        expectHasPrefix(lines[28], ":" + command)
        // The message's first words are in the panel above the prompt.
        let start = String(m.text.prefix(40))
        expectContains(Self.panel(s), start, "\(start) not on screen:\n\(s.screen)")
    }

    @Test("Successful commands say what they did")
    func successesAnswer() async {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        for (command, said) in [("goto 3", "step 3 of 5"), ("set x1=3", "recomputed 4 nodes"), ("mode reverse", "reverse, seed"),
                                ("seed 2", "output seed"), ("theme light", "theme light")] {
            await s.command(command)
            expectTrue(s.prompt == nil, "\(command)")
            expectEqual(s.message?.kind, .info, "\(command)")
            expectContains(s.render().lines()[28], said, "\(command): \(s.render().lines()[28])")
        }
    }

    @Test("Typing : on a failed command starts a fresh line; :: is one colon")
    func colonStartsAfresh() async {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        await s.command("goto 99999999999999999999")
        expectEqual(s.prompt?.text, "goto 99999999999999999999")
        s.type(":")
        expectEqual(s.prompt?.text, "")
        expectTrue(s.message == nil)
        s.type(":goto 2")
        expectEqual(s.prompt?.text, "goto 2")
        await s.run(s.press("enter"))
        expectEqual(s.stepper.position, 2)
        // Editing the kept text fixes it in place.
        await s.command("goto 77")
        s.press("backspace", "backspace")
        s.type("4")
        await s.run(s.press("enter"))
        expectEqual(s.stepper.position, 4)
    }

    @Test(":expr hints name values as @ x=…, the explorer's syntax")
    func expressionHintsUseTheExplorersSyntax() async {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        await s.command("expr sin(x) * y @ y=2")
        let text = s.screen
        expectContains(text, "no value for input 'x'")
        expectContains(text, "@ x=")
        expectNotContains(text, "--set")
    }

    @Test(":open and :expr load in the background; keys work meanwhile; Escape stops a load")
    func loadsDoNotBlock() async throws {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press(":")
        let effects = s.enter("open \(repositoryRoot.path)/Graphs/micrograd-readme.grad")
        guard case .open(let path, let request)? = effects.first else { Issue.record("\(effects)"); return }
        expectHasSuffix(path, "/Graphs/micrograd-readme.grad")
        expectContains(s.screen, "loading micrograd-readme.grad")
        s.press("n", "n")
        expectEqual(s.stepper.position, 2, "keys are answered while the file loads")
        s.press(":")
        let second = s.enter("expr x*x @ x=3")
        s.reduce(.loaded(GraphLoader.load(path: path), request: request))
        expectEqual(s.graph.name, "baydin", "a load overtaken by a later one is ignored")
        await s.run(second)
        expectEqual(s.graph.name, "expression")
        s.press(":")
        let third = s.enter("open \(path)")
        s.press("escape")
        expectTrue(s.loading == nil)
        expectEqual(s.message?.text, "stopped loading micrograd-readme.grad")
        await s.run(third)
        expectEqual(s.graph.name, "expression", "the answer to a stopped load is ignored")
        // A load that fails while a new command is being typed leaves that command alone.
        s.press(":")
        let fourth = s.enter("open /nonexistent.grad")
        s.press(":")
        s.type("goto 1")
        await s.run(fourth)
        expectEqual(s.prompt?.text, "goto 1")
        expectEqual(s.message?.kind, .error)
    }

    @Test("Search finds labels (v3 for v₃), ops and names")
    func searchFindsLabelsAndOps() {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.enter("/v3")
        expectEqual(s.selection.map { s.tape.label($0) }, "v₃")
        s.enter("/sin")
        expectEqual(s.selection.map { s.tape.entries[$0].op }, .sin)
        s.enter("/v-1")
        expectEqual(s.selection, s.graph.node(named: "x1"))
        s.enter("/ln")
        expectEqual(s.selection.map { s.tape.entries[$0].op }, .ln)
        s.enter("/X2")
        expectEqual(s.selection, s.graph.node(named: "x2"))
        s.enter("/nothing")
        expectEqual(s.message?.kind, .error)
    }

    @Test("The footer always shows ? help and q quit", arguments: [40, 60, 80, 100, 200])
    func footerKeepsHelpAndQuit(width: Int) {
        var s = ExplorerState(graph: baydin(), size: (width, 24))
        s.press("f")
        let footer = s.render().lines()[23]
        expectTrue(footer.contains("? help") && footer.contains("q quit"), "\(footer)")
        expectContains(footer, "baydin")
    }
}

@Suite(":export goes through the export guard")
struct ExportCommandTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aForeignFileIsNotOverwritten() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let notes = dir.appendingPathComponent("notes.txt"), dotNotes = dir.appendingPathComponent("notes.dot")
        try "my notes\n".write(to: notes, atomically: true, encoding: .utf8)
        try "my graph\n".write(to: dotNotes, atomically: true, encoding: .utf8)
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        await s.command("export dot \(notes.path)")
        expectEqual(s.message?.kind, .error)
        try expectEqual(String(contentsOf: notes, encoding: .utf8), "my notes\n")
        s.press("escape", "escape")
        await s.command("export dot \(dotNotes.path)")
        expectEqual(s.message?.kind, .error)
        expectEqual(s.message?.text.contains("\(dotNotes.path) exists and gradstep did not write it"), true)
        expectContains(Self.panel(s), "not written")
        try expectEqual(String(contentsOf: dotNotes, encoding: .utf8), "my graph\n")
        // :export! overwrites it, and records it in the folder's manifest.
        s.press("escape", "escape")
        await s.command("export! dot \(dotNotes.path)")
        expectEqual(s.message?.kind, .info)
        try expectContains(String(contentsOf: dotNotes, encoding: .utf8), "digraph")
        let manifest = try String(contentsOf: dir.appendingPathComponent(BatchExport.manifestName), encoding: .utf8)
        expectContains(manifest.split(separator: "\n"), "notes.dot")
    }

    static func panel(_ s: ExplorerState) -> String { s.screen }

    @Test func writesAreRecordedAndMayBeRepeated() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.press("r", "G")
        await s.command("export dot \(dir.path)/picture")
        let file = dir.appendingPathComponent("picture.dot").path
        expectEqual(s.message?.text.hasPrefix("wrote \(file)"), true)
        expectContains(s.screen, "wrote \(file)")
        let dot = try String(contentsOfFile: file, encoding: .utf8)
        expectContains(dot, "digraph")
        // gradstep wrote it: a second export replaces it without :export!.
        await s.command("export dot \(file)")
        expectEqual(s.message?.kind, .info)
        expectTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(BatchExport.manifestName).path))
    }

    /// `:seed [0, 1, 0]` then `:export`: the picture is seeded with the vector, as
    /// `gradstep export --seed-adjoint` draws it (it used to be refused).
    @Test func exportDrawsATensorSeed() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-seed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        guard case .success(let graph) = GraphLoader.load(expression: "input W = [[1, 2], [3, 4], [5, 6]]; input x = [0.5, -1.5]; y = W @ x", values: []) else {
            Issue.record("the graph did not load"); return
        }
        var s = ExplorerState(graph: graph, size: (120, 40))
        await s.command("mode reverse")
        await s.command("seed [0, 1, 0]")
        await s.command("export dot \(dir.path)/picture")
        let file = dir.appendingPathComponent("picture.dot").path
        expectEqual(s.message?.text.hasPrefix("wrote \(file)"), true, "\(String(describing: s.message))")
        let dot = try String(contentsOfFile: file, encoding: .utf8)
        expectContains(dot, "seed v̄₁ = [0, 1, 0] (a vector-Jacobian product")
        expectContains(dot, "v̄₀ = [3, 4]", "∂/∂x is W's row 1")
    }

    @Test func theDefaultNameIsAbsoluteAndNamesTheMode() {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.press("r", ":")
        let effects = s.enter("export dot")
        guard case .export(let request)? = effects.first else { Issue.record("\(effects)"); return }
        expectEqual(request.file, FileManager.default.currentDirectoryPath + "/baydin-reverse.dot")
        expectEqual(s.message?.text, "exporting \(request.file)…")
        s.press(":")
        guard case .export(let svg)? = s.enter("export").first else { Issue.record("no export"); return }
        expectTrue(svg.format == .svg && svg.file.hasSuffix("/baydin-reverse.svg"))
        s.press(":")
        guard case .export(let png)? = s.enter("export shot.png").first else { Issue.record("no export"); return }
        expectTrue(png.format == .png && png.file == FileManager.default.currentDirectoryPath + "/shot.png")
    }
}
