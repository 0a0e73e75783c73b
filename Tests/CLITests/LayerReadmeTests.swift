import Foundation
import Testing
import TestSupport

/// The language page's section "Batch norm, layer norm and dropout as ops": the error it shows for a
/// batch of one is what the command it names prints, so the example stays true. (The section's
/// `$ gradstep info` example is run by `InfoCommandTests`.)
@Suite("README: the layers as ops")
struct LayerReadmeTests {
    @Test func theBatchOfOneErrorIsWhatGradstepPrints() async throws {
        let readme = try manualPage("docs/language.md")
        let section = try #require(readme.components(separatedBy: "## Batch norm, layer norm and dropout as ops").dropFirst().first)
        let lead = "PyTorch does; from `"
        let after = try #require(section.components(separatedBy: lead).dropFirst().first)
        let command = try #require(after.components(separatedBy: "` (exit status 1)").first)
        let shown = try #require(after.components(separatedBy: "```\n").dropFirst().first)
        let r = try await gradstep(NumericReadmeTests.words(command).dropFirst().map { $0 }, in: repositoryRoot)
        expectEqual(r.status, 1)
        expectTrue(r.stdout.isEmpty)
        expectEqual(r.stderr, shown, "\(command)")
    }
}
