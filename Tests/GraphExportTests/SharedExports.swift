import Foundation
import GraphCore
import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Pictures of the example graphs exported once per test process. Several suites read the same
/// SVGs (the reverse picture of a graph and its reverse frames, as `gradstep export` draws them
/// by default); the first test to ask runs Graphviz, the others wait for it and read the same
/// files. Tests only read the folder, never write into it.
actor SharedExports {
    static let shared = SharedExports()

    struct Export: Sendable {
        var graph: Graph
        var folder: URL
        var summary: ExportSummary
    }

    private var started: [String: Task<Export, any Error>] = [:]

    /// `file` (under Graphs/) exported as an SVG of the reverse pass: the single picture, or
    /// every frame when `frames`. A graph with groups is folded, `open` drawn open.
    func export(_ file: String, frames: Bool, open: Set<String> = []) async throws -> Export {
        let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path).get()
        let folding = graph.groups.isEmpty ? nil : GroupFolding(groups: graph.groups, open: open, nodeCount: graph.tape.count)
        let key = "\(file)|frames=\(frames)|open=\(folding == nil ? "no groups" : "\(open.sorted())")"
        if let task = started[key] { return try await task.value }
        let task = Task<Export, any Error> {
            let folder = try temporaryFolder("shared\(file)\(frames)")
            let job = ExportJob(name: graph.name, tape: graph.tape, state: .reverse, format: .svg, frames: frames,
                                outDir: folder, folding: folding)
            let summary = await BatchExport(graphviz: try requireGraphviz()).run([job])
            return Export(graph: graph, folder: folder, summary: summary)
        }
        started[key] = task
        return try await task.value
    }
}
