import Foundation
import GraphCore
@testable import GraphLanguage
import Testing
import TestSupport

/// The manual (README.md and docs/) is complete and true: every command and every function of
/// the language has its place, every link leads somewhere, and every example prints what the
/// page says it prints. `ManualExample` reads the examples out of the pages.
@Suite("The manual: README.md and docs/")
struct DocsTests {
    /// The `gradstep` binary under test (`GRADSTEP_BIN`, else the debug build).
    static var binary: String {
        ProcessInfo.processInfo.environment["GRADSTEP_BIN"]
            ?? repositoryRoot.appendingPathComponent(".build/debug/gradstep").path
    }

    @Test func everySubcommandHasASectionInTheCommandsPage() async throws {
        let help = try await runProcess(Self.binary, ["--help"])
        expectEqual(help.status, 0)
        // ArgumentParser lists them under SUBCOMMANDS:, one per line indented by two spaces
        // (an abstract that wraps continues further in).
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("SUBCOMMANDS:") })
        let commands = lines[(start + 1)...].prefix { !$0.isEmpty }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .map { String($0.dropFirst(2).prefix { $0 != " " }) }
        expectTrue(commands.count >= 15, "\(commands)")
        expectTrue(commands.contains("eval") && commands.contains("explore"))
        let headings = try manualPage("docs/commands.md").split(separator: "\n").filter { $0.hasPrefix("## ") }
        for command in commands {
            expectTrue(headings.contains { $0.contains("`\(command)`") }, "docs/commands.md has no `## ` section naming `\(command)`")
        }
    }

    @Test func everyFunctionAndKeywordOfTheLanguageIsInTheLanguagePage() throws {
        let names = Set(Op.functions.keys)
            .union(ProbabilitySugar.allCases.map(\.rawValue))
            .union(Initialiser.allCases.map(\.rawValue))
            .union(LayerFunction.allCases.map(\.rawValue))
            .union(ConvolutionFunction.allCases.map(\.rawValue))
            .union(Statement.Kind.allCases.compactMap(\.keyword))
            .union(["def", "group"])
        expectTrue(names.count > 50)
        // The words written as code on the page: `sin cos tan` counts each of the three.
        let page = try manualPage("docs/language.md")
        let spans = page.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        var words = Set<String>()
        for span in spans {
            words.formUnion(span.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
        }
        let missing = names.filter { !words.contains($0) }.sorted()
        expectTrue(missing.isEmpty, "docs/language.md never writes these as code: \(missing.joined(separator: ", "))")
    }

    @Test func everyRelativeLinkLeadsToAFileAndItsHeading() throws {
        var checked = 0
        for page in manualPages() {
            let text = try manualPage(page)
            for link in ManualExample.links(in: text) where !link.contains("://") {
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let path = parts[0].isEmpty ? page : ManualExample.resolve(parts[0], from: page)
                let file = repositoryRoot.appendingPathComponent(path)
                expectTrue(FileManager.default.fileExists(atPath: file.path), "\(page): \(link) leads nowhere")
                if parts.count == 2, path.hasSuffix(".md"), let target = try? String(contentsOf: file, encoding: .utf8) {
                    expectContains(ManualExample.anchors(in: target), parts[1], "\(page): \(link): no such heading in \(path)")
                }
                checked += 1
            }
        }
        expectTrue(checked > 20)
    }

    /// Every example: run as a shell runs it, from the repository's top folder with the binary
    /// under test as `gradstep`, all at once (a few at a time), each compared on its own.
    @Test func everyExamplePrintsWhatThePageShows() async throws {
        let examples = try manualPages().flatMap { try ManualExample.examples(in: manualPage($0), page: $0) }
        expectTrue(examples.count > 40)
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: bin) }
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("gradstep").path, withDestinationPath: Self.binary)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let results = try await withThrowingTaskGroup(of: (ManualExample, ProcessOutput).self) { group in
            var results: [(ManualExample, ProcessOutput)] = []
            var pending = examples[...]
            // Four at a time: each is a short process, and the other suites run alongside.
            for _ in 0 ..< 4 {
                guard let e = pending.popFirst() else { break }
                group.addTask { (e, try await runProcess("/bin/bash", ["-c", e.command], in: repositoryRoot, environment: ["PATH": path])) }
            }
            while let r = try await group.next() {
                results.append(r)
                if let e = pending.popFirst() {
                    group.addTask { (e, try await runProcess("/bin/bash", ["-c", e.command], in: repositoryRoot, environment: ["PATH": path])) }
                }
            }
            return results
        }
        for (example, run) in results.sorted(by: { ($0.0.page, $0.0.line) < ($1.0.page, $1.0.line) }) {
            // What a terminal shows: standard output, or the error alone, or both.
            let shown = [run.stdout, run.stderr, run.stdout + run.stderr]
            if !shown.contains(where: { ManualExample.matches(example.output, $0) }) {
                let actual = run.stdout.isEmpty ? run.stderr : run.stdout
                Issue.record("""
                    \(example.page):\(example.line): $ \(example.command)
                    exit status \(run.status); the page (-) against what it prints (+):
                    \(unifiedLineDiff(from: example.output, to: actual))
                    """)
            }
        }
    }
}
