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
        #expect(m.kind == .error)
        #expect(s.prompt?.text == command)
        let lines = s.render().lines()
        #expect(lines[28].hasPrefix(":" + command))
        // The message's first words are in the panel above the prompt.
        let start = String(m.text.prefix(40))
        #expect(Self.panel(s).contains(start), "\(start) not on screen:\n\(s.screen)")
    }

    @Test("Successful commands say what they did")
    func successesAnswer() async {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        for (command, said) in [("goto 3", "step 3 of 5"), ("set x1=3", "recomputed 4 nodes"), ("mode reverse", "reverse, seed"),
                                ("seed 2", "output seed"), ("theme light", "theme light")] {
            await s.command(command)
            #expect(s.prompt == nil, "\(command)")
            #expect(s.message?.kind == .info, "\(command)")
            #expect(s.render().lines()[28].contains(said), "\(command): \(s.render().lines()[28])")
        }
    }

    @Test("Typing : on a failed command starts a fresh line; :: is one colon")
    func colonStartsAfresh() async {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        await s.command("goto 99999999999999999999")
        #expect(s.prompt?.text == "goto 99999999999999999999")
        s.type(":")
        #expect(s.prompt?.text == "")
        #expect(s.message == nil)
        s.type(":goto 2")
        #expect(s.prompt?.text == "goto 2")
        await s.run(s.press("enter"))
        #expect(s.stepper.position == 2)
        // Editing the kept text fixes it in place.
        await s.command("goto 77")
        s.press("backspace", "backspace")
        s.type("4")
        await s.run(s.press("enter"))
        #expect(s.stepper.position == 4)
    }

    @Test(":expr hints name values as @ x=…, the explorer's syntax")
    func expressionHintsUseTheExplorersSyntax() async {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        await s.command("expr sin(x) * y @ y=2")
        let text = s.screen
        #expect(text.contains("no value for input 'x'"))
        #expect(text.contains("@ x="))
        #expect(!text.contains("--set"))
    }

    @Test(":open and :expr load in the background; keys work meanwhile; Escape stops a load")
    func loadsDoNotBlock() async throws {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press(":")
        let effects = s.enter("open \(repositoryRoot.path)/Graphs/micrograd-readme.grad")
        guard case .open(let path, let request)? = effects.first else { Issue.record("\(effects)"); return }
        #expect(path.hasSuffix("/Graphs/micrograd-readme.grad"))
        #expect(s.screen.contains("loading micrograd-readme.grad"))
        s.press("n", "n")
        #expect(s.stepper.position == 2, "keys are answered while the file loads")
        s.press(":")
        let second = s.enter("expr x*x @ x=3")
        s.reduce(.loaded(GraphLoader.load(path: path), request: request))
        #expect(s.graph.name == "baydin", "a load overtaken by a later one is ignored")
        await s.run(second)
        #expect(s.graph.name == "expression")
        s.press(":")
        let third = s.enter("open \(path)")
        s.press("escape")
        #expect(s.loading == nil)
        #expect(s.message?.text == "stopped loading micrograd-readme.grad")
        await s.run(third)
        #expect(s.graph.name == "expression", "the answer to a stopped load is ignored")
        // A load that fails while a new command is being typed leaves that command alone.
        s.press(":")
        let fourth = s.enter("open /nonexistent.grad")
        s.press(":")
        s.type("goto 1")
        await s.run(fourth)
        #expect(s.prompt?.text == "goto 1")
        #expect(s.message?.kind == .error)
    }

    @Test("Search finds labels (v3 for v₃), ops and names")
    func searchFindsLabelsAndOps() {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.enter("/v3")
        #expect(s.selection.map { s.tape.label($0) } == "v₃")
        s.enter("/sin")
        #expect(s.selection.map { s.tape.entries[$0].op } == .sin)
        s.enter("/v-1")
        #expect(s.selection == s.graph.node(named: "x1"))
        s.enter("/ln")
        #expect(s.selection.map { s.tape.entries[$0].op } == .ln)
        s.enter("/X2")
        #expect(s.selection == s.graph.node(named: "x2"))
        s.enter("/nothing")
        #expect(s.message?.kind == .error)
    }

    @Test("The footer always shows ? help and q quit", arguments: [40, 60, 80, 100, 200])
    func footerKeepsHelpAndQuit(width: Int) {
        var s = ExplorerState(graph: baydin(), size: (width, 24))
        s.press("f")
        let footer = s.render().lines()[23]
        #expect(footer.contains("? help") && footer.contains("q quit"), "\(footer)")
        #expect(footer.contains("baydin"))
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
        #expect(s.message?.kind == .error)
        #expect(try String(contentsOf: notes, encoding: .utf8) == "my notes\n")
        s.press("escape", "escape")
        await s.command("export dot \(dotNotes.path)")
        #expect(s.message?.kind == .error)
        #expect(s.message?.text.contains("\(dotNotes.path) exists and gradstep did not write it") == true)
        #expect(Self.panel(s).contains("not written"))
        #expect(try String(contentsOf: dotNotes, encoding: .utf8) == "my graph\n")
        // :export! overwrites it, and records it in the folder's manifest.
        s.press("escape", "escape")
        await s.command("export! dot \(dotNotes.path)")
        #expect(s.message?.kind == .info)
        #expect(try String(contentsOf: dotNotes, encoding: .utf8).contains("digraph"))
        let manifest = try String(contentsOf: dir.appendingPathComponent(BatchExport.manifestName), encoding: .utf8)
        #expect(manifest.split(separator: "\n").contains("notes.dot"))
    }

    static func panel(_ s: ExplorerState) -> String { s.screen }

    @Test func writesAreRecordedAndMayBeRepeated() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.press("r", "G")
        await s.command("export dot \(dir.path)/picture")
        let file = dir.appendingPathComponent("picture.dot").path
        #expect(s.message?.text.hasPrefix("wrote \(file)") == true)
        #expect(s.screen.contains("wrote \(file)"))
        let dot = try String(contentsOfFile: file, encoding: .utf8)
        #expect(dot.contains("digraph"))
        // gradstep wrote it: a second export replaces it without :export!.
        await s.command("export dot \(file)")
        #expect(s.message?.kind == .info)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(BatchExport.manifestName).path))
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
        #expect(s.message?.text.hasPrefix("wrote \(file)") == true, "\(String(describing: s.message))")
        let dot = try String(contentsOfFile: file, encoding: .utf8)
        #expect(dot.contains("seed v̄₁ = [0, 1, 0] (a vector-Jacobian product"))
        #expect(dot.contains("v̄₀ = [3, 4]"), "∂/∂x is W's row 1")
    }

    @Test func theDefaultNameIsAbsoluteAndNamesTheMode() {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.press("r", ":")
        let effects = s.enter("export dot")
        guard case .export(let request)? = effects.first else { Issue.record("\(effects)"); return }
        #expect(request.file == FileManager.default.currentDirectoryPath + "/baydin-reverse.dot")
        #expect(s.message?.text == "exporting \(request.file)…")
        s.press(":")
        guard case .export(let svg)? = s.enter("export").first else { Issue.record("no export"); return }
        #expect(svg.format == .svg && svg.file.hasSuffix("/baydin-reverse.svg"))
        s.press(":")
        guard case .export(let png)? = s.enter("export shot.png").first else { Issue.record("no export"); return }
        #expect(png.format == .png && png.file == FileManager.default.currentDirectoryPath + "/shot.png")
    }
}
