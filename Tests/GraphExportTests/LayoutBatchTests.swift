import Foundation
import GraphCore
@testable import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Issue 21: several layouts in one `dot -Tjson` run (`Graphviz.oneRun`), which pays dot's
/// start-up once, give exactly what separate runs give; `slideLayout` keeps the arrangement
/// the one-at-a-time rule keeps, and when its joint run fails, reports what a run alone does.
@Suite("Export: several layouts in one dot run")
struct LayoutBatchTests {
    /// The real `dot` behind a script that appends a line to `log` each time it is started,
    /// so a test can count the runs.
    static func countingGraphviz(_ real: Graphviz, log: URL) throws -> Graphviz {
        let script = log.deletingLastPathComponent().appendingPathComponent("dot")
        let text = "#!/bin/sh\necho run >> '\(log.path)'\nexec '\(real.executable.path)' \"$@\"\n"
        try text.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return Graphviz(executable: script, timeout: real.timeout)
    }

    /// The real `dot`, the same behind the counting script, its log, and a fresh folder.
    static func counted(_ name: String = #function) throws -> (real: Graphviz, counting: Graphviz, log: URL, folder: URL) {
        let real = try requireGraphviz()
        let folder = try temporaryFolder(name)
        let log = folder.appendingPathComponent("runs.log")
        return (real, try countingGraphviz(real, log: log), log, folder)
    }

    /// How many times the counting script started `dot`.
    static func runs(_ log: URL) -> Int {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    static func graph(_ file: String) throws -> Graph {
        try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path).get()
    }

    /// The DOT `export` lays out for `file`'s reverse-mode picture in one arrangement.
    static func layoutDOT(_ file: String, _ rankdir: DotOptions.RankDir, wrap: Int? = nil) throws -> String {
        let graph = try graph(file)
        return DotWriter.layoutDOT(tape: graph.tape, name: graph.name, state: .reverse, rankdir: rankdir, wrap: wrap)
    }

    @Test func aJointRunGivesTheLayoutsOfSeparateRunsInOrder() async throws {
        let (real, counting, log, folder) = try Self.counted()
        // Wrapped (rows) only last: Graphviz 2.43 may crash on a graph after one.
        let documents: [(dot: String, rankdir: DotOptions.RankDir)] = [
            (try Self.layoutDOT("baydin.grad", .LR), .LR),
            (try Self.layoutDOT("baydin.grad", .TB), .TB),
            (try Self.layoutDOT("mlp-relu-softmax.grad", .LR), .LR),
            (try Self.layoutDOT("resnet-stem-pool.grad", .TB), .TB),
            (try Self.layoutDOT("least-squares.grad", .TB, wrap: 2), .TB),
        ]
        let file = folder.appendingPathComponent("joint.svg")
        let joint = try #require(await counting.oneRun(documents))
        expectEqual(Self.runs(log), 1, "five documents, one dot run")
        expectEqual(joint.count, documents.count)
        for (i, (document, layout)) in zip(documents, joint).enumerated() {
            let alone = try await real.layout(document.dot, rankdir: document.rankdir, for: file)
            expectEqual(layout, alone, "document \(i)")
        }
        // The layouts differ, so a shuffled order would not pass for the same.
        expectEqual(Set(joint).count, documents.count)
    }

    @Test func theDocumentsOfAJSONRunSplitAtBracesInTheFirstColumn() throws {
        let output = "{\n  \"name\": \"a\",\n  \"objects\": [\n    {\n      \"label\": \"}\"\n    }\n  ]\n}\n{\n  \"name\": \"b\"\n}\n"
        let parts = Graphviz.documents(in: Data(output.utf8))
        expectEqual(parts.count, 2)
        let names = try parts.map { try #require(JSONSerialization.jsonObject(with: $0) as? [String: Any])["name"] as? String }
        expectEqual(names, ["a", "b"])
        expectEqual(Graphviz.documents(in: Data("{\n  \"cut\": 1\n".utf8)).count, 0, "a document with no end is not one")
    }

    @Test func aJointRunWithADocumentDotRejectsGivesNoLayouts() async throws {
        let (_, counting, log, _) = try Self.counted()
        let documents: [(dot: String, rankdir: DotOptions.RankDir)] = [
            (try Self.layoutDOT("baydin.grad", .LR), .LR), ("digraph broken {\n  a -> ;\n}\n", .TB),
            (try Self.layoutDOT("least-squares.grad", .TB), .TB),
        ]
        let laid = await counting.oneRun(documents)
        expectTrue(laid == nil, "dot stops at the broken graph: \(laid?.count ?? 0) layouts")
        expectEqual(Self.runs(log), 1)
    }

    @Test func aJointSlideLayoutThatFailsReportsTheFirstArrangementsOwnError() async throws {
        let (real, counting, log, folder) = try Self.counted()
        let graph = try Self.graph("baydin.grad")
        // The first arrangement is one dot rejects; the others are fine.
        func dot(_ rankdir: DotOptions.RankDir, _ wrap: Int?) -> String {
            rankdir == .LR && wrap == nil ? "digraph broken {\n  a -> ;\n}\n"
                : DotWriter.layoutDOT(tape: graph.tape, name: graph.name, state: .reverse, rankdir: rankdir, wrap: wrap)
        }
        let file = folder.appendingPathComponent("broken.svg")
        var alone: ExportError?, joint: ExportError?
        do { _ = try await real.layout(dot(.LR, nil), rankdir: .LR, for: file) } catch { alone = error }
        do { _ = try await counting.slideLayout(dot, fixed: nil, estimate: .LR, jointly: true, for: file) } catch { joint = error }
        expectTrue(alone != nil)
        expectEqual(joint, alone)
        expectEqual(Self.runs(log), 2, "the joint run, then the first arrangement alone")
    }

    /// The rule `slideLayout` had when it laid out one arrangement a run: the estimate, then
    /// the other direction, then TB wrapped 2 and 3, then LR wrapped 2, while none fits with
    /// spare; a later one is kept only when it fits strictly better. Returns the kept
    /// arrangement's index and how many were laid out.
    static func oneAtATime(_ dot: (DotOptions.RankDir, Int?) -> String, estimate: DotOptions.RankDir,
                           graphviz: Graphviz, file: URL) async throws -> (layout: PinnedLayout, index: Int, tried: Int) {
        let arrangements: [(DotOptions.RankDir, Int?)] = [(estimate, nil), (estimate == .LR ? .TB : .LR, nil), (.TB, 2), (.TB, 3), (.LR, 2)]
        var best: (layout: PinnedLayout, index: Int)?, tried = 0
        for (index, (rankdir, wrap)) in arrangements.enumerated() {
            if let best, best.layout.fit >= 1.01 { break }
            var next = try await graphviz.layout(dot(rankdir, wrap), rankdir: rankdir, for: file)
            next.wrap = wrap
            tried += 1
            if best == nil || next.fit > best!.layout.fit { best = (next, index) }
        }
        let kept = try #require(best)
        return (kept.layout, kept.index, tried)
    }

    @Test func slideLayoutKeepsTheArrangementTheOneAtATimeRuleKeeps() async throws {
        let (real, counting, log, folder) = try Self.counted()
        var kept: [String: Int] = [:]
        for name in ["embedding-cross-entropy.grad", "least-squares.grad", "baydin.grad", "rosenbrock.grad", "relu-linear.grad", "threshold-network.grad"] {
            let graph = try Self.graph(name)
            func dot(_ rankdir: DotOptions.RankDir, _ wrap: Int?) -> String {
                DotWriter.layoutDOT(tape: graph.tape, name: graph.name, state: .reverse, rankdir: rankdir, wrap: wrap)
            }
            let estimate = Scene.chooseRankdir(graph.tape, options: DotOptions())
            let file = folder.appendingPathComponent("\(graph.name).svg")
            let expected = try await Self.oneAtATime(dot, estimate: estimate, graphviz: real, file: file)
            // One run an arrangement; jointly, the first three share one and the wrapped two have one each.
            for (jointly, runs) in [(false, expected.tried), (true, [1: 1, 2: 1, 3: 1, 4: 2, 5: 3][expected.tried])] {
                let before = Self.runs(log)
                let chosen = try await counting.slideLayout(dot, fixed: nil, estimate: estimate, jointly: jointly, for: file)
                expectEqual(chosen, expected.layout, "\(name), jointly \(jointly)")
                expectEqual(chosen.wrap, expected.layout.wrap, name)
                expectEqual(Self.runs(log) - before, runs, "\(name), jointly \(jointly): \(expected.tried) arrangements laid out")
            }
            kept[name] = expected.index
        }
        // The examples cover a picture that fits at once and ones where a wrapped arrangement wins.
        expectTrue(kept.values.contains(0) && kept.values.contains { $0 >= 2 }, "\(kept)")
    }
}
