import GraphCore
import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Every DOT gradstep writes for the example graphs — each state's final picture and every
/// frame of every pass — is accepted by the real Graphviz. The final pictures go to `dot` in
/// both directions; the frames left to right. A frame drawn top to bottom is its left-to-right
/// frame with only the graph's `rankdir` changed: that is checked here frame by frame wherever
/// the frames are small enough to draw twice (all but the few largest graphs), and those are
/// not laid out by `dot` again (it halves the run: vgg11-shapes alone had 224 documents, 26 MB).
@Test(arguments: graphFiles().map(\.lastPathComponent))
func everyPictureOfAnExampleGraphIsValidDot(file: String) async throws {
    let graphviz = try requireGraphviz()
    let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path).get()
    let across = DotOptions(rankdir: .LR), down = DotOptions(rankdir: .TB)
    var documents: [String] = []
    for phase in Phase.allCases {
        documents.append(DotWriter.dot(tape: graph.tape, name: graph.name, state: phase, options: across))
        documents.append(DotWriter.dot(tape: graph.tape, name: graph.name, state: phase, options: down))
        let frames = DotWriter.frames(tape: graph.tape, name: graph.name, phase: phase, options: across).map(\.dot)
        expectTrue(!frames.isEmpty, "\(file) \(phase)")
        documents += frames
        if frames.reduce(0, { $0 + $1.utf8.count }) <= smallFrames {
            let turned = DotWriter.frames(tape: graph.tape, name: graph.name, phase: phase, options: down).map(\.dot)
            expectEqual(turned, frames.map(turnedTopToBottom), "\(file) \(phase)")
        }
    }
    expectTrue(documents.count > 6)
    // `dot` reads several graphs from one input, so one run checks them all: each run pays
    // 10-15 ms of CPU to start (its plugins, fontconfig) before it reads a picture.
    let verdict = try await dotAccepts(documents.joined(separator: "\n"), graphviz: graphviz)
    expectTrue(verdict.ok, "\(file): \(verdict.stderr)")
    expectNotContains(verdict.stderr, "Error", "\(file): \(verdict.stderr)")
}

/// The bytes of DOT, over one pass's frames, up to which the frames are drawn top to bottom too.
private let smallFrames = 1_000_000

/// `document`, drawn left to right, with its graph's `rankdir=LR` made `TB`: the third line
/// (after the comment and the `digraph` line, whose names are escaped onto one line).
func turnedTopToBottom(_ document: String) -> String {
    var lines = document.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false)
    let across = "  graph [rankdir=LR, "
    guard lines.count == 4, lines[2].hasPrefix(across) else { return document }
    lines[2] = "  graph [rankdir=TB, " + lines[2].dropFirst(across.count)
    return lines.joined(separator: "\n")
}

/// `dotVerdicts` checks several documents in one run and, when that run fails, names each
/// document that `dot` rejects alone and passes the others.
@Test func dotVerdictsNamesTheDocumentDotRejects() async throws {
    let graphviz = try requireGraphviz()
    let good = "digraph a { x -> y }", bad = "digraph b { x -> }", label = "digraph c { x [label=<<B>open>] }"
    let together = try await dotVerdicts([good, good], graphviz: graphviz)
    expectEqual(together.map(\.ok), [true, true])
    let verdicts = try await dotVerdicts([good, bad, good, label], graphviz: graphviz)
    expectEqual(verdicts.map(\.document), [good, bad, good, label])
    expectEqual(verdicts.map(\.ok), [true, false, true, false])
    expectTrue(verdicts[0].stderr.isEmpty && verdicts[2].stderr.isEmpty, "\(verdicts)")
    expectContains(verdicts[1].stderr, "syntax error")
}
