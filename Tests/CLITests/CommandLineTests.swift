import Foundation
import Testing
import TestSupport

/// The command line answers every input clearly: odd values, odd files, mistyped commands.
@Suite struct CommandLineTests {
    @Test(arguments: ["-x^2", "-(x + 1)", "-x"])
    func anExpressionMayBeginWithAMinus(expression: String) async throws {
        let r = try await gradstep("eval", "-e", expression, "--set", "x=1", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let numbers = r.stdout.split(whereSeparator: { ":,{} ".contains($0) }).compactMap { Double($0) }
        let expected: [String: [Double]] = ["-x^2": [-1, -2], "-(x + 1)": [-2, -1], "-x": [-1, -1]]
        expectEqual(numbers, expected[expression])
    }

    @Test func aNumberOutOfRangeIsSaidToBeOutOfRange() async throws {
        let r = try await gradstep("eval", "-e", "x", "--set", "x=1e400")
        expectEqual(r.status, 1)
        expectHasPrefix(r.stderr, "error: --set x=1e400: number '1e400' is out of range")
        let element = try await gradstep("eval", "-e", "sum(x)", "--set", "x=[1, 1e400]")
        expectContains(element.stderr, "'1e400' is out of range")
    }

    @Test func aSetWithoutANameIsQuotedAsTyped() async throws {
        let r = try await gradstep("eval", "-e", "x", "--set", "=3")
        expectEqual(r.status, 2)
        expectHasPrefix(r.stderr, "Error: --set expects NAME=VALUE, got '=3' (no name before '=')")
    }

    @Test func aFIFOIsRefusedWithoutWaitingForAWriter() async throws {
        let folder = try temporaryFolder()
        let fifo = folder.appendingPathComponent("graph.grad").path
        expectEqual(mkfifo(fifo, 0o600), 0)
        // No writer ever opens the FIFO: reading it would wait forever.
        for command in ["eval", "trace", "explore", "bench"] {
            let r = try await gradstep(command, fifo)
            expectEqual(r.status, 1)
            expectEqual(r.stderr, "error: \(fifo) is a FIFO (named pipe), not a graph file; give a .grad file, or -e EXPR\n")
        }
        let export = try await gradstep("export", fifo, "--format", "dot")
        expectTrue(export.status == 1 && export.stderr.contains("is a FIFO (named pipe), not a graph file"))
    }

    @Test func aDeviceIsNoGraphFile() async throws {
        let r = try await gradstep("eval", "/dev/null")
        expectEqual(r.status, 1)
        expectEqual(r.stderr, "error: /dev/null is a device, not a graph file; give a .grad file, or -e EXPR\n")
    }

    @Test func anUnknownThemeSaysErrorOnce() async throws {
        let r = try await gradstep("export", "-e", "x", "--set", "x=1", "--theme", "nosuch", "--out", try temporaryFolder().path,
                             in: repositoryRoot)
        expectEqual(r.status, 1)
        expectHasPrefix(r.stderr, "error: no theme 'nosuch'")
        expectNotContains(r.stderr, "error: error:")
    }

    @Test func anUnknownWordIsNeitherACommandNorAFile() async throws {
        let r = try await gradstep("nosuchcmd")
        expectEqual(r.status, 2)
        // The list grows with the program; its start and end are fixed.
        expectHasPrefix(r.stderr, "error: no such command or file: nosuchcmd\ncommands: explore, eval, trace, export, ")
        expectHasSuffix(r.stderr, " (see gradstep --help)\n")
        let typo = try await gradstep("evl")
        expectContains(typo.stderr, "did you mean 'gradstep eval'?")
        // A path is still a path.
        let path = try await gradstep("eval", "/nonexistent/graph.grad")
        expectEqual(path.stderr, "error: no such file: /nonexistent/graph.grad\n")
    }

    @Test func versionIsPrinted() async throws {
        let r = try await gradstep("--version")
        expectEqual(r.status, 0)
        expectHasPrefix(r.stdout, "gradstep ")
        expectEqual(r.stdout.dropFirst("gradstep ".count).split(separator: ".").count, 3)
    }

    @Test func evalWithoutAGraphIsAUsageError() async throws {
        let r = try await gradstep("eval")
        expectEqual(r.status, 2)
        expectTrue(r.stdout.isEmpty)
        expectHasPrefix(r.stderr, "Error: eval needs a graph: give FILE or -e EXPR")
    }
}

/// `--help` texts are wrapped by the argument parser only: no line ends early in the middle
/// of a sentence (hand-wrapped text re-wrapped at another width leaves such ragged lines).
@Suite struct HelpTextTests {
    /// Every subcommand listed by `gradstep --help`, and the root ("").
    static func commands() async throws -> [String] {
        let root = try await gradstep("--help").stdout
        let section = root.components(separatedBy: "SUBCOMMANDS:\n").last ?? ""
        let names = section.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        return [""] + names
    }

    @Test func everyHelpTextBreaksLinesOnlyWhereTheNextWordDoesNotFit() async throws {
        let commands = try await Self.commands()
        expectTrue(commands.contains("explore") && commands.contains("export") && commands.count >= 7)
        for width in [80, 100] {
            for command in commands {
                let r = try await gradstep(command.isEmpty ? ["--help"] : [command, "--help"],
                                     environment: ["COLUMNS": "\(width)"])
                expectEqual(r.status, 0)
                for problem in Self.earlyBreaks(r.stdout, width: width) {
                    Issue.record("gradstep \(command) --help at \(width) columns: \(problem)")
                }
            }
        }
    }

    @Test func theCheckCatchesAHandWrappedParagraph() {
        let ragged = "OVERVIEW: x\n\nThe same seed gives the\nsame file.\n"
        expectEqual(Self.earlyBreaks(ragged, width: 80).count, 1)
        expectTrue(Self.earlyBreaks("A sentence ends here.\nAnother starts.\n", width: 80).isEmpty)
    }

    /// Lines of a paragraph broken although the next line's first word would have fitted,
    /// and not at the end of a sentence.
    static func earlyBreaks(_ help: String, width: Int) -> [String] {
        let lines = help.components(separatedBy: "\n")
        var problems: [String] = []
        for (a, b) in zip(lines, lines.dropFirst()) where !a.isEmpty && !b.isEmpty {
            if a.hasSuffix("\\") { problems.append("a line ends in a backslash: \(a)") }
            let indentA = a.prefix { $0 == " " }.count, indentB = b.prefix { $0 == " " }.count
            let text = b.drop { $0 == " " }
            let isHeader = a.hasSuffix(":") && a == a.uppercased()
            guard indentB >= indentA, !isHeader, !text.hasPrefix("-"), !text.hasPrefix("<"),
                  !b.hasPrefix("USAGE:") else { continue }
            if let last = a.last, ".:!?".contains(last) { continue }
            let word = text.prefix { $0 != " " }
            // The parser breaks at the last space of each `width`-character chunk, so a word
            // joins the line only when a space after it fits too.
            if a.count + 1 + word.count + 1 <= width { problems.append("\"\(a)\" / \"\(b)\"") }
        }
        return problems
    }
}
