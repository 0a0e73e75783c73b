import Foundation
import Testing
import TestSupport

/// The manual's examples of `check`, `jacobian`, `taylor` and `plot`, run and compared with
/// what they print, so the examples stay true. Examples with elided lines (`…`) are skipped.
@Suite("README examples of the numeric commands")
struct NumericReadmeTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var command: String
        var output: String
        var testDescription: String { command }
    }

    static let examples: [Example] = {
        let readme = (try? manualText()) ?? ""
        var examples: [Example] = []
        var current: Example?
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("$ ") || line.hasPrefix("```") {
                if let c = current, !c.output.contains("…") { examples.append(c) }
                current = nil
            } else if current != nil {
                current!.output += line + "\n"
            }
            let commands = ["check", "jacobian", "taylor", "plot"]
            if line.hasPrefix("$ gradstep "), commands.contains(String(line.dropFirst(11).prefix { $0 != " " })) {
                current = Example(command: String(line.dropFirst(2)), output: "")
            }
        }
        return examples
    }()

    /// Splits a shell command line on spaces, honouring single quotes.
    static func words(_ line: String) -> [String] {
        var words: [String] = [], word = "", quoted = false, started = false
        for ch in line {
            if ch == "'" { quoted.toggle(); started = true; continue }
            if ch == " " && !quoted {
                if started { words.append(word) }
                word = ""
                started = false
                continue
            }
            word.append(ch)
            started = true
        }
        if started { words.append(word) }
        return words
    }

    /// `gradstep(...)` for an argument list read at run time, from the repository's folder.
    static func run(_ arguments: [String]) async throws -> CLIResult {
        try await gradstep(arguments, in: repositoryRoot)
    }

    @Test func thereAreExamplesOfEachCommand() {
        for command in ["check", "jacobian", "taylor", "plot"] {
            expectTrue(Self.examples.contains { $0.command.hasPrefix("gradstep \(command)") }, "\(command)")
        }
    }

    @Test(arguments: examples)
    func exampleOutputIsWhatGradstepPrints(example: Example) async throws {
        let words = Self.words(example.command)
        let r = try await Self.run(Array(words.dropFirst()))
        expectEqual(r.stdout, example.output, "\(example.command)")
    }
}
