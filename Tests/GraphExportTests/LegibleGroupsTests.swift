import Foundation
import GraphCore
@testable import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Issue 22: groups drawn as what they are. A group's frame goes round exactly its members,
/// and every text sits inside its box, in every frame, measured in the SVG the real Graphviz
/// draws. The set: every frame (primal and reverse) of `mlp-groups` folded, the picture with
/// `--open dense#2` (and its frames), the neuron-level picture of `mlp-relu-softmax` (each
/// tensor node a frame round its neurons) and the single picture of every graph in `Graphs/`
/// (all frames of all 39 graphs take minutes of Graphviz on a shared machine).
@Suite("Export: groups and text inside their boxes")
struct LegibleGroupsTests {
    static func load(_ name: String) throws -> Graph {
        try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(name)").path).get()
    }

    /// Exports `graph` (frames or one picture) and returns the SVGs.
    static func export(_ graph: Graph, open: Set<String> = [], frames: Bool, folder: URL) async throws -> [URL] {
        let folding = graph.groups.isEmpty ? nil : GroupFolding(groups: graph.groups, open: open, nodeCount: graph.tape.count)
        let job = ExportJob(name: graph.name, tape: graph.tape, state: .reverse, format: .svg, frames: frames,
                            outDir: folder, folding: folding)
        let summary = await BatchExport(graphviz: try requireGraphviz()).run([job])
        expectTrue(summary.succeeded, "\(summary)")
        return summary.written.filter { $0.pathExtension == "svg" }
    }

    /// Every text inside its node's or cluster's box; every open group's frame holds its
    /// drawn members and no other box.
    static func check(_ files: [URL], _ graph: Graph, open: Set<String>) throws {
        let tape = graph.tape
        for file in files {
            let picture = try SVGPicture(file)
            expectTrue(!picture.nodes.isEmpty, "\(file.lastPathComponent): no nodes read")
            for problem in picture.textsOutsideTheirBoxes() { Issue.record("\(file.lastPathComponent): \(problem)") }
            for (k, g) in graph.groups.enumerated() where open.contains(g.name) || open.contains("all") {
                let members = Set(g.members.map { "n\($0)" })
                let drawn = members.filter { picture.nodes[$0] != nil }
                guard !drawn.isEmpty else { continue }
                let frame = try #require(picture.clusters["cluster_g\(k)"], "\(file.lastPathComponent): no frame for \(g.name)")
                for m in drawn {
                    expectTrue(frame.box.contains(picture.nodes[m]!.box), "\(file.lastPathComponent): \(g.name) leaves out its member \(m)")
                }
                for (title, node) in picture.nodes where !members.contains(title) {
                    expectTrue(!frame.box.overlaps(node.box), "\(file.lastPathComponent): \(g.name)'s frame takes in \(title), not a member")
                }
                expectTrue(frame.box.x1 - frame.box.x0 < picture.width * 0.95 || tape.count - drawn.count < 3, "\(file.lastPathComponent): \(g.name)'s frame spans the picture")
            }
        }
    }

    @Test func everyFrameOfTheFoldedGroupsKeepsItsTextInside() async throws {
        let export = try await SharedExports.shared.export("mlp-groups.grad", frames: true)
        expectTrue(export.summary.succeeded, "\(export.summary)")
        let graph = export.graph, files = export.summary.written.filter { $0.pathExtension == "svg" }
        expectEqual(files.count, 12 + 19)
        try Self.check(files, graph, open: [])
    }

    @Test func anOpenGroupIsFramedRoundExactlyItsMembers() async throws {
        let graph = try Self.load("mlp-groups.grad")
        let files = try await Self.export(graph, open: ["dense#2"], frames: true, folder: try temporaryFolder())
        expectTrue(files.count > 20)
        try Self.check(files, graph, open: ["dense#2"])
        let single = try await Self.export(graph, open: ["dense#2"], frames: false, folder: try temporaryFolder())
        try Self.check(single, graph, open: ["dense#2"])
    }

    @Test func theNeuronLevelViewFramesEachTensorRoundItsNeurons() async throws {
        var graph = try Self.load("mlp-relu-softmax.grad").scalarView().graph
        graph.name += "-scalar"
        expectTrue(graph.groups.count >= 5)
        let files = try await Self.export(graph, open: ["all"], frames: false, folder: try temporaryFolder())
        expectTrue(!files.isEmpty)
        try Self.check(files, graph, open: ["all"])
    }

    @Test func everyGraphsPictureKeepsItsTextInside() async throws {
        // One picture per graph, each shared with the other suites that read it.
        let exports = try await withThrowingTaskGroup(of: SharedExports.Export.self) { group in
            for file in graphFiles() {
                group.addTask { try await SharedExports.shared.export(file.lastPathComponent, frames: false) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var graphs: [String: Graph] = [:]
        var summary = ExportSummary()
        for export in exports {
            graphs[export.graph.name] = export.graph
            summary.written += export.summary.written
            summary.failures += export.summary.failures
        }
        expectTrue(summary.succeeded, "\(summary)")
        for file in summary.written {
            let picture = try SVGPicture(file)
            for problem in picture.textsOutsideTheirBoxes() { Issue.record("\(file.lastPathComponent): \(problem)") }
        }
        expectEqual(summary.written.count, graphs.count)
    }
}
