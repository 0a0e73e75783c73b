import GraphCore
import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Every DOT gradstep writes for the example graphs — each state's final picture and every
/// frame of every pass, in both directions — is accepted by the real Graphviz.
@Test(arguments: graphFiles().map(\.lastPathComponent))
func everyPictureOfAnExampleGraphIsValidDot(file: String) async throws {
    let graphviz = try requireGraphviz()
    let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path).get()
    var documents: [String] = []
    for rankdir in DotOptions.RankDir.allCases {
        let options = DotOptions(rankdir: rankdir)
        for phase in Phase.allCases {
            documents.append(DotWriter.dot(tape: graph.tape, name: graph.name, state: phase, options: options))
            documents += DotWriter.frames(tape: graph.tape, name: graph.name, phase: phase, options: options).map(\.dot)
        }
    }
    expectTrue(documents.count > 6)
    // `dot` reads several graphs from one input, so one run checks a whole share of them. The
    // documents are dealt into four shares checked at once: vgg11-shapes alone has 224 of them
    // (26 MB of DOT), and one run of `dot` over all would be the test run's last half minute.
    let shares = 4
    try await withThrowingTaskGroup(of: (ok: Bool, stderr: String).self) { group in
        for k in 0..<shares {
            let share = stride(from: k, to: documents.count, by: shares).map { documents[$0] }
            group.addTask { try await dotAccepts(share.joined(separator: "\n"), graphviz: graphviz) }
        }
        for try await verdict in group {
            expectTrue(verdict.ok, "\(file): \(verdict.stderr)")
            expectNotContains(verdict.stderr, "Error", "\(file): \(verdict.stderr)")
        }
    }
}
