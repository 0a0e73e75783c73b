import Foundation
import Testing
import TestSupport

/// The README's examples of `check`, `jacobian`, `taylor` and `plot`, run and compared with
/// what they print, so the examples stay true. Examples with elided lines (`…`) are skipped.
@Suite("README examples of the numeric commands")
struct NumericReadmeTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var command: String
        var output: String
        var testDescription: String { command }
    }

    static let examples: [Example] = {
        let readme = (try? String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
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
    static func run(_ arguments: [String]) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.environment["GRADSTEP_BIN"]
            ?? repositoryRoot.appendingPathComponent(".build/debug/gradstep").path)
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func thereAreExamplesOfEachCommand() {
        for command in ["check", "jacobian", "taylor", "plot"] {
            #expect(Self.examples.contains { $0.command.hasPrefix("gradstep \(command)") }, "\(command)")
        }
    }

    @Test(arguments: examples)
    func exampleOutputIsWhatGradstepPrints(example: Example) throws {
        let words = Self.words(example.command)
        let r = try Self.run(Array(words.dropFirst()))
        #expect(r.stdout == example.output, "\(example.command)")
    }
}
