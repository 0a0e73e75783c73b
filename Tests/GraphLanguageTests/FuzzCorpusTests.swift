import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// The fuzzer's committed corpus (`Tests/GraphLanguageFuzz/Corpus`), replayed as unit tests:
/// every input loads, or fails with at most `Limits.maximumDiagnostics` diagnostics plus a
/// summary, each inside the text, rendered in bounded size. Inputs that once crashed the
/// fuzzer are kept there too (named `crash-*`), so each stays a regression test.
@Suite("Fuzz corpus: every input answered, bounded")
struct FuzzCorpusTests {
    static let corpus = repositoryRoot.appendingPathComponent("Tests/GraphLanguageFuzz/Corpus")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).sorted()
    }

    @Test func theCorpusIsCommittedAndSmall() {
        expectTrue(Self.files.count >= 30)
        expectTrue(Self.files.count <= 120)
    }

    @Test(arguments: files)
    func inputIsAnsweredWithinBounds(_ name: String) throws {
        let data = try Data(contentsOf: Self.corpus.appendingPathComponent(name))
        let text = String(decoding: data, as: UTF8.self)
        let file = SourceFile(name: name, text: text)
        for mode in [GraphLoader.Mode.file, .expression] {
            switch GraphLoader.load(file, graphName: "fuzz", mode: mode) {
            case .success(let graph):
                expectEqual(graph.ranges.count, graph.tape.count)
                let values = graph.tape.evaluate()
                expectEqual(graph.tape.adjoints(values: values).count, graph.tape.valueCount)
            case .failure(let failure):
                expectTrue(failure.diagnostics.count <= Limits.maximumDiagnostics + 1)
                for d in failure.diagnostics {
                    expectTrue(d.range.start.line <= file.lineCount)
                    expectTrue(d.range.end.offset <= text.utf8.count)
                }
                let rendered = failure.rendered()
                expectTrue(rendered.utf8.count <= (failure.diagnostics.count + 1) * 8_192)
                expectHasPrefix(rendered, "\(name):")
            }
        }
    }
}
