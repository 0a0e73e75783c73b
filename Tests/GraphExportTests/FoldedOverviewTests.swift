import Foundation
import GraphBench
import GraphCore
@testable import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Issue 22: what does not fit is folded into named boxes that still teach (each shows the
/// numbers of what it stands for), and the 2,000-node random graph gets an overview a person
/// can read.
@Suite("Export: folded overviews")
struct FoldedOverviewTests {
    static func load(_ text: String) throws -> Graph {
        try GraphLoader.load(SourceFile(name: "t.grad", text: text), graphName: "t", mode: .file).get()
    }

    /// Stages end at the values the program named when one is near: three tanh layers in
    /// three stages are the three layers; the param read by all of them keeps its own box.
    @Test func stagesEndAtNamedValues() throws {
        let graph = try Self.load("""
        input x = 1
        param a = 0.5
        h1 = tanh(a * x + 1)
        h2 = tanh(a * h1 + 1)
        h3 = tanh(a * h2 + 1)
        L = h3 * h3
        """)
        let tape = graph.tape
        let (groups, made) = Stages.fold(tape, existing: nil, count: 3)
        expectEqual(groups.map(\.name), ["h1", "h2", "h3"])
        expectEqual(made, ["h1", "h2", "h3"])
        // a * x, + 1, tanh and the constant 1 that only this layer reads, in each.
        expectEqual(groups.map(\.members.count), [4, 4, 4])
        let a = try #require(graph.node(named: "a"))
        expectTrue(!groups.contains { $0.members.contains(a) })
        expectTrue(!groups.contains { $0.members.contains(tape.output) })
    }

    /// A folded box shows its output's value and adjoint and the gradient of the param folded
    /// into it: for h = tanh(w·x + b), L = h², ∂L/∂w = 2h(1 − h²)x, computed here by hand.
    @Test func aFoldedBoxShowsTheGradientOfTheParamsInside() throws {
        let graph = try Self.load("""
        input x = 0.5
        param w = 0.8
        param b = -0.3
        h = tanh(w * x + b)
        L = h * h
        """)
        let tape = graph.tape
        let (groups, made) = Stages.fold(tape, existing: nil, count: 1)
        expectEqual(made, ["h"])
        var options = DotOptions()
        options.folding = GroupFolding(groups: groups, nodeCount: tape.count)
        options.madeToFit = made
        let dot = DotWriter.dot(tape: tape, name: "t", state: .reverse, options: options)
        let h = Foundation.tanh(0.8 * 0.5 - 0.3)
        let dw = 2 * h * (1 - h * h) * 0.5, db = 2 * h * (1 - h * h), dh = 2 * h
        let box = try #require(dot.split(separator: "\n").first { $0.contains("g0 [label=") })
        expectContains(box, "folded to fit · 5 nodes")
        expectContains(box, "= " + Format.short(h, digits: 4))
        expectContains(box, "= " + Format.short(dh, digits: 4))
        expectContains(box, "(w) = " + Format.short(dw, digits: 4))
        expectContains(box, "(b) = " + Format.short(db, digits: 4))
        expectContains(box, "--detail full")
    }

    /// `gradstep generate --nodes 2000` by default: a picture Graphviz draws of a few boxes,
    /// with text of at least 9 pt on a slide and 7 pt on an A4 page, that says what it folded;
    /// every box stands for its nodes and shows numbers. (`--detail full` draws all 2,000 in
    /// gradstep's own layout: `BigPictureTests`.)
    @Test func theTwoThousandNodeGraphHasAReadableOverview() async throws {
        let graph = try BigPictureTests.generated(2000)
        let out = try temporaryFolder()
        var batch = BatchExport(graphviz: try requireGraphviz())
        batch.foldToFit = true
        let summary = await batch.run([ExportJob(name: graph.name, tape: graph.tape, outDir: out)])
        expectTrue(summary.succeeded, "\(summary)")
        let url = out.appendingPathComponent("\(graph.name).svg")
        let text = try String(contentsOf: url, encoding: .utf8)
        expectNotContains(text, "laid out by gradstep's layered layout")
        let picture = try SVGPicture(url)
        expectTrue(SlideFitTests.medianOnSlide(picture) >= 9)
        expectTrue(SlideFitTests.medianOnPage(picture) >= 7)
        expectTrue(picture.nodes.count <= 12)
        expectTrue(picture.otherTexts.contains { $0.text.contains("folded to fit a slide") && $0.text.contains("--detail full") })
        // Every node of the tape is in exactly one drawn box: the boxes' counts and the plain
        // nodes add up to the tape (constants are written into their consumers).
        var covered = 0
        for (title, node) in picture.nodes {
            if title.hasPrefix("g") {
                let line = try #require(node.texts.first { $0.text.contains("folded to fit ·") }, "\(title)")
                covered += Int(line.text.split(separator: "·")[1].split(separator: " ")[0]) ?? 0
                expectTrue(node.texts.contains { $0.text.hasPrefix("v̄") }, "\(title) shows no adjoint")
            } else {
                covered += 1
            }
        }
        let constants = (0..<graph.tape.count).filter { graph.tape.entries[$0].op == .constant }.count
        expectTrue(covered <= graph.tape.count && covered >= graph.tape.count - constants)
    }

    /// The full-size VGG11 feature extractor cannot be evaluated (9,220,480 weights); its
    /// default picture shows its shapes, folded to fit, with every param counted once:
    /// 9·c·c′ + c′ per conv over the channels 3→64→128→256→256→512→512→512→512.
    @Test func theFullSizeVGGIsDrawnWithItsShapes() async throws {
        let path = repositoryRoot.appendingPathComponent("Graphs/full-size/vgg11-features.grad").path
        let graph = try GraphLoader.load(path: path, shapesOnly: true).get()
        let out = try temporaryFolder()
        var batch = BatchExport(graphviz: try requireGraphviz())
        batch.foldToFit = true
        let summary = await batch.run([ExportJob(name: graph.name, tape: graph.tape, outDir: out)])
        expectTrue(summary.succeeded, "\(summary)")
        let picture = try SVGPicture(out.appendingPathComponent("\(graph.name).svg"))
        expectTrue(SlideFitTests.medianOnSlide(picture) >= 9)
        expectTrue(SlideFitTests.medianOnPage(picture) >= 7)
        expectTrue(picture.otherTexts.contains { $0.text.contains("shapes only") })
        expectTrue(picture.otherTexts.contains { $0.text.contains("folded to fit a slide") })
        let channels = [3, 64, 128, 256, 256, 512, 512, 512, 512]
        let expected = zip(channels, channels.dropFirst()).reduce(0) { $0 + 9 * $1.0 * $1.1 + $1.1 }
        expectEqual(expected, 9_220_480)
        var counted = 0
        for node in picture.nodes.values {
            for t in node.texts where t.text.hasPrefix("params ") {
                let digits = t.text.split(separator: ":").last?.filter(\.isNumber) ?? ""
                counted += Int(digits) ?? 0
            }
        }
        expectEqual(counted, expected)
        // The shape the features come out with, on the edge into the output.
        expectTrue(picture.otherTexts.contains { $0.text == "[1×512×7×7]" })
    }

    /// A graph whose output is one of its leaves (`gradstep export -e x`) has nothing to fold:
    /// no folding is offered (it used to trap when `dot` failed and folding was tried).
    @Test func aLeafOutputHasNothingToFold() throws {
        let graph = try GraphLoader.load(expression: "x", values: [(name: "x", text: "1")]).get()
        expectTrue(graph.tape.output < graph.tape.firstComputed)
        expectTrue(FoldToFit.candidates(graph.tape, existing: nil).isEmpty)
        expectTrue(Stages.units(graph.tape, existing: nil).isEmpty)
    }

    /// Wrapped as text: a chain of five boxes, two layers to a row, is three rows, each
    /// starting with the box that continues the one before; the DOT pins each row's first box
    /// under the previous row's first, so no row drifts right (no staircase).
    @Test func aWrappedChainReadsLikeLinesOfText() {
        let boxes = ["a", "b", "c", "d", "e"]
        let edges = zip(boxes, boxes.dropFirst()).map { (from: $0.0, to: $0.1) }
        let rows = Wrap.rows(2, boxes: boxes, inputs: ["a"], edges: edges)
        expectEqual(rows, [["a", "b"], ["c", "d"], ["e"]])
        let lines = Wrap.lines(rows)
        expectContains(lines, "  { rank=same; a; b; }")
        expectContains(lines, "  a -> c [style=invis, weight=20];")
        expectContains(lines, "  c -> e [style=invis, weight=20];")
    }

    /// Folded to fit, the frames of a sweep still have the single picture's size (±10 %): they
    /// share its layout, and the folded boxes keep room for their progress line.
    @Test func foldedFramesHaveTheSinglePicturesSize() async throws {
        let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/two-layer-relu.grad").path).get()
        let out = try temporaryFolder()
        var batch = BatchExport(graphviz: try requireGraphviz())
        batch.foldToFit = true
        let summary = await batch.run([ExportJob(name: graph.name, tape: graph.tape, outDir: out),
                                       ExportJob(name: graph.name, tape: graph.tape, frames: true, outDir: out)])
        expectTrue(summary.succeeded, "\(summary)")
        let single = try SVGPicture(out.appendingPathComponent("\(graph.name).svg"))
        expectTrue(single.otherTexts.contains { $0.text.contains("folded to fit a slide") })
        let folder = out.appendingPathComponent("\(graph.name)-frames")
        let frames = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".svg") }
        expectTrue(frames.count > 10)
        for name in frames {
            let frame = try SVGPicture(folder.appendingPathComponent(name))
            expectTrue(abs(frame.width / single.width - 1) <= 0.1 && abs(frame.height / single.height - 1) <= 0.1, "\(name): \(frame.width)×\(frame.height) against \(single.width)×\(single.height)")
        }
    }

    /// A stage never goes round a group the reader opened: with dense#2 of mlp-groups open,
    /// no folded box holds nodes of both dense#1 (before it) and dense#3 (after it).
    @Test func aStageDoesNotRunAcrossAnOpenGroup() throws {
        let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/mlp-groups.grad").path).get()
        let existing = GroupFolding(groups: graph.groups, open: ["dense#2"], nodeCount: graph.tape.count)
        let before = Set(try #require(graph.groups.first { $0.name == "dense#1" }).members)
        let after = Set(try #require(graph.groups.first { $0.name == "dense#3" }).members)
        let opened = Set(try #require(graph.groups.first { $0.name == "dense#2" }).members)
        for count in [1, 2, 3] {
            let (groups, made) = Stages.fold(graph.tape, existing: existing, count: count)
            for g in groups where made.contains(g.name) {
                expectTrue(before.isDisjoint(with: g.members) || after.isDisjoint(with: g.members), "\(count): \(g.name)")
                expectTrue(opened.isDisjoint(with: g.members))
            }
        }
    }
}
