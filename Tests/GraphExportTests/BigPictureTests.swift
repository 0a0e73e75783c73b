import Foundation
import GraphBench
import GraphCore
@testable import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Issue 22: big graphs. No graph waits on `dot` for long (the engine is chosen by predicted
/// cost, and `dot` is stopped after a few seconds), and a PNG too big for Graphviz's renderer
/// is refused with a message, never shrunk without a word.
@Suite("Export: big graphs")
struct BigPictureTests {
    static func generated(_ nodes: Int) throws -> Graph {
        try GraphLoader.load(SourceFile(name: "g\(nodes).grad", text: RandomDAG.source(nodes: nodes)), graphName: "g\(nodes)", mode: .file).get()
    }

    /// `gradstep generate --nodes 450` took `dot` over 60 s (it failed); now `dot` is not asked
    /// to lay it out at all (gradstep's own layout draws it). How long that takes is measured by
    /// `make bench` (the export rows), not here: a timed test on two shared cores is noise.
    @Test(arguments: [450, 2000])
    func aGeneratedGraphIsLaidOutByGradstepsOwnLayout(nodes: Int) async throws {
        let graph = try Self.generated(nodes)
        let out = try temporaryFolder()
        let summary = await BatchExport(graphviz: try requireGraphviz()).run([ExportJob(name: graph.name, tape: graph.tape, outDir: out)])
        expectTrue(summary.succeeded, "\(summary)")
        let svg = try String(contentsOf: out.appendingPathComponent("\(graph.name).svg"), encoding: .utf8)
        expectContains(svg, "laid out by gradstep's layered layout")
        expectEqual(svg.components(separatedBy: "<g class=\"node\"").count - 1, graph.tape.count)
    }

    /// The predicted cost keeps every example on `dot` and sends the generated graphs past a
    /// couple of hundred nodes (long edges) to gradstep's own layout.
    @Test func thePredictedCostSeparatesTheExamplesFromTheGeneratedGraphs() throws {
        for file in graphFiles() {
            let graph = try GraphLoader.load(path: file.path).get()
            expectTrue(LayoutChoice.dotCost(graph.tape, options: DotOptions(), folding: nil) < LayoutChoice.dotBudget, "\(file.lastPathComponent)")
        }
        expectTrue(LayoutChoice.dotCost(try Self.generated(60).tape, options: DotOptions(), folding: nil) < LayoutChoice.dotBudget)
        expectTrue(LayoutChoice.dotCost(try Self.generated(300).tape, options: DotOptions(), folding: nil) > LayoutChoice.dotBudget)
    }

    /// A chain of 600 boxes left to right is some 50,000 pixels wide at 96 dpi: refused, with
    /// the size and what to do instead, and no file left behind.
    @Test func aPNGPastTheRenderersLimitIsRefused() async throws {
        let graphviz = try requireGraphviz()
        let dot = "digraph { rankdir=LR; " + (1..<600).map { "a\($0) -> a\($0 + 1);" }.joined(separator: " ") + " }"
        let out = try temporaryFolder()
        let file = out.appendingPathComponent("wide.png")
        await #expect {
            try await graphviz.render(dot, format: .png, to: file)
        } throws: { error in
            guard case let .tooLarge(_, side) = error as? ExportError else { return false }
            let text = (error as! ExportError).description
            return side > 32_767 && text.contains("not written") && text.contains("--format svg")
        }
        expectTrue(!FileManager.default.fileExists(atPath: file.path))
        try expectTrue(FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
        // The same picture as SVG has no limit.
        try await graphviz.render(dot, format: .svg, to: out.appendingPathComponent("wide.svg"))
    }
}
