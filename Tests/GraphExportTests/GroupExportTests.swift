import Foundation
import GraphCore
import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Folded groups in pictures (`Graphs/mlp-groups.grad`: dense#1…#3 and loss): one box per
/// group with edges to its inputs and from its outputs, valid for the real `dot`; opening
/// every group gives back the picture of the plain graph; a step inside a folded group
/// highlights its box.
@Suite("Export: groups drawn folded")
struct GroupExportTests {
    static func graph() throws -> Graph {
        try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/mlp-groups.grad").path).get()
    }

    static func options(_ graph: Graph, open: Set<String> = []) -> DotOptions {
        DotOptions(rankdir: .LR, folding: GroupFolding(groups: graph.groups, open: open, nodeCount: graph.tape.count))
    }

    /// The DOT ids of the nodes and boxes a picture declares, and its edges as `from -> to`.
    static func parts(_ dot: String) -> (boxes: Set<String>, edges: Set<String>) {
        var boxes: Set<String> = [], edges: Set<String> = []
        for line in dot.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ")
            guard let first = words.first, first.first == "n" || first.first == "g", first.dropFirst().allSatisfy(\.isNumber) else { continue }
            if words.count > 2, words[1] == "->" { edges.insert("\(first) -> \(words[2])") } else if words.count > 1, words[1].hasPrefix("[") { boxes.insert(String(first)) }
        }
        return (boxes, edges)
    }

    @Test func aFoldedPictureHasOneBoxPerGroupWiredToItsInputsAndOutputs() async throws {
        let graphviz = try requireGraphviz()
        let graph = try Self.graph()
        let tape = graph.tape
        let dot = DotWriter.dot(tape: tape, name: graph.name, state: .reverse, options: Self.options(graph))
        let (boxes, edges) = Self.parts(dot)
        let box = { (i: Int) in graph.groups.firstIndex { $0.members.contains(i) }.map { "g\($0)" } ?? "n\(i)" }
        expectEqual(graph.groups.count, 4)
        for (k, g) in graph.groups.enumerated() {
            expectContains(boxes, "g\(k)", "no box for \(g.name)")
            for m in g.members { expectNotContains(boxes, "n\(m)", "member \(m) of \(g.name) drawn on its own") }
            for a in g.inputs where tape[a].op != .constant {
                expectContains(edges, "\(box(a)) -> g\(k)", "\(g.name): no edge from its input \(a)")
            }
            for o in g.outputs {
                for i in tape.firstComputed ..< tape.count where tape[i].operands.contains(o) && box(i) != "g\(k)" {
                    expectContains(edges, "g\(k) -> \(box(i))", "\(g.name): no edge from its output to \(i)")
                }
            }
        }
        // Boxes: the seven leaves outside every group (t is a hidden constant) and four groups.
        expectEqual(boxes.count, 7 + 4)
        expectTrue(dot.contains("dense#2") && dot.contains("call of dense · 3 nodes · folded"))
        let verdict = try await dotAccepts(dot, graphviz: graphviz)
        expectTrue(verdict.ok && !verdict.stderr.contains("Error"), "\(verdict.stderr)")
        assertSnapshot(dot, named: "groups-folded-reverse")
    }

    @Test func openingEveryGroupGivesThePictureOfThePlainGraphInDashedFrames() throws {
        let graph = try Self.graph()
        let plain = DotWriter.dot(tape: graph.tape, name: graph.name, state: .reverse, options: DotOptions(rankdir: .LR))
        let opened = DotWriter.dot(tape: graph.tape, name: graph.name, state: .reverse, options: Self.options(graph, open: ["all"]))
        let frames = opened.split(separator: "\n").filter { $0.contains("subgraph cluster_g") }
        expectEqual(frames.count, 4)
        let withoutFrames = opened.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("subgraph cluster_g") }.joined(separator: "\n")
        expectEqual(withoutFrames, plain)
    }

    @Test func openingOneGroupDrawsItsMembersAndKeepsTheOthersFolded() throws {
        let graph = try Self.graph()
        let dot = DotWriter.dot(tape: graph.tape, name: graph.name, state: .primal, options: Self.options(graph, open: ["dense#2"]))
        let (boxes, _) = Self.parts(dot)
        let k = try #require(graph.groups.firstIndex { $0.name == "dense#2" })
        expectNotContains(boxes, "g\(k)")
        for m in graph.groups[k].members { expectContains(boxes, "n\(m)") }
        expectEqual(boxes.filter { $0.hasPrefix("g") }.count, 3)
    }

    @Test func aStepInsideAFoldedGroupHighlightsItsBoxAndCountsItsSteps() async throws {
        let graphviz = try requireGraphviz()
        let graph = try Self.graph()
        let tape = graph.tape
        let options = Self.options(graph)
        var stepper = Stepper(tape: tape, values: tape.evaluate(), phase: .reverse)
        var documents: [String] = []
        var highlighted = 0
        while stepper.next() {
            let dot = DotWriter.dot(frame: stepper, name: graph.name, options: options)
            documents.append(dot)
            guard let current = stepper.current, let k = graph.groups.firstIndex(where: { $0.members.contains(current) }) else { continue }
            let line = try #require(dot.split(separator: "\n").first { $0.hasPrefix("  g\(k) [") })
            expectContains(line, "penwidth=3", "step \(stepper.position): box of \(graph.groups[k].name) not highlighted")
            let visited = graph.groups[k].members.filter { m in stepper.order.contains(m) }
            let done = visited.filter { stepper.isDone($0) }.count
            expectContains(line, "reverse: \(done) of \(visited.count) done", "\(line)")
            highlighted += 1
        }
        expectTrue(highlighted >= 9)
        let verdict = try await dotAccepts(documents.joined(separator: "\n"), graphviz: graphviz)
        expectTrue(verdict.ok && !verdict.stderr.contains("Error"), "\(verdict.stderr)")
    }

    @Test func aGraphWithoutGroupsIsUnchangedByFolding() throws {
        let tape = try baydinTape()
        let folded = DotOptions(folding: GroupFolding(groups: [], open: [], nodeCount: tape.count))
        expectEqual(DotWriter.dot(tape: tape, name: "b", state: .reverse, options: folded), DotWriter.dot(tape: tape, name: "b", state: .reverse))
    }

    @Test func aFoldingMadeForAnotherTapeIsIgnored() throws {
        let tape = try baydinTape()
        let other = try Self.graph()
        expectEqual(DotWriter.dot(tape: tape, name: "b", state: .reverse, options: Self.options(other)), DotWriter.dot(tape: tape, name: "b", state: .reverse, options: DotOptions(rankdir: .LR)))
    }
}
