import Foundation
import Testing
import TestSupport

/// The README's section "Batch norm, layer norm and dropout as ops": each `$ gradstep` line of
/// its example is run, and the lines shown after it (those that are not `…`) must appear in
/// what it prints, in order, so the example stays true.
@Suite("README: the layers as ops")
struct LayerReadmeTests {
    /// The example block's commands, each with the lines shown under it.
    static func examples() throws -> [(command: String, lines: [String])] {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### Batch norm, layer norm and dropout as ops").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```").dropFirst().first)
        var out: [(String, [String])] = []
        for line in block.split(separator: "\n") {
            if line.hasPrefix("$ ") { out.append((String(line.dropFirst(2)), [])) } else if line != "…", !out.isEmpty {
                out[out.count - 1].1.append(String(line))
            }
        }
        return out
    }

    @Test func theExamplePrintsWhatTheReadmeShows() async throws {
        let examples = try Self.examples()
        #expect(examples.count == 2)
        for (command, lines) in examples {
            let r = try await gradstep(NumericReadmeTests.words(command).dropFirst().map { $0 }, in: repositoryRoot)
            // The second example is the error for a batch of one: status 1.
            #expect(r.status == (command.hasPrefix("gradstep eval") ? 1 : 0), "\(command)")
            let printed = (r.stdout + r.stderr).split(separator: "\n").map(String.init)
            var rest = printed[...]
            for line in lines {
                guard let k = rest.firstIndex(of: line) else {
                    Issue.record("\(command): '\(line)' is not in what it prints:\n\(printed.joined(separator: "\n"))")
                    break
                }
                rest = rest[(k + 1)...]
            }
        }
    }
}
