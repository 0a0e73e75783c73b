import Foundation
import Testing
import TestSupport

/// Issue 20's hostile inputs on the command line: answers files without end, negative option
/// values, huge and invisible characters in what is echoed, invalid UTF-8.
@Suite("Hostile input on the command line")
struct HostileInputTests {
    func scratch() throws -> URL {
        let folder = try temporaryFolder()
        try "param w = 1\ny = (w - 3)^2\n".write(to: folder.appendingPathComponent("g.grad"), atomically: true, encoding: .utf8)
        return folder
    }

    /// /dev/zero was read to 2 GB; now at most 4 MB are read, at once.
    @Test func quizAnswersFromDevZeroAreBounded() async throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try await gradstep(["quiz", "g.grad", "--answers", "/dev/zero"], in: folder)
        expectEqual(r.status, 1)
        expectEqual(r.stderr, "error: answers file '/dev/zero' holds more than 4 MB; one answer per line, one line per step\n")
        expectTrue(r.seconds < 60, "a hang guard, not a speed check")
    }

    /// A 50 MB answer line gave 100 MB of stderr.
    @Test func aHugeAnswerLineIsNotEchoed() async throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try String(repeating: "1", count: 3_000_000).write(to: folder.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let r = try await gradstep(["quiz", "g.grad", "--answers", "a.txt"], in: folder)
        expectEqual(r.status, 1)
        expectEqual(r.stderr, "a.txt:1: error: the answer is 3 MB long; an answer line may hold at most 65 KB\n")
        // A wrong answer on a long line is shown as a window around the caret.
        try ("1 " + String(repeating: "x", count: 50_000) + "\n").write(to: folder.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let b = try await gradstep(["quiz", "g.grad", "--answers", "b.txt"], in: folder)
        expectEqual(b.status, 1)
        expectTrue(b.stderr.utf8.count < 1_000, "\(b.stderr.utf8.count) bytes")
        expectHasPrefix(b.stderr, "b.txt:1:3: error: unexpected 'xxxx")
        expectContains(b.stderr, "\n    ^\n")
        let folderAnswers = try await gradstep(["quiz", "g.grad", "--answers", "."], in: folder)
        expectEqual(folderAnswers.stderr, "error: answers file '.' is a folder; give a text file of answers, one per line\n")
    }

    /// `--lr -0.1` was "Missing value for '--lr'".
    @Test func negativeOptionValuesReachTheOption() async throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lr = try await gradstep(["optimize", "g.grad", "--lr", "-0.1"], in: folder)
        expectEqual(lr.status, 2)
        expectHasPrefix(lr.stderr, "Error: --lr must be a positive number\n")
        // Where a negative number is valid it is accepted.
        let seed = try await gradstep(["eval", "-e", "y = x * x", "--set", "x=3", "--seed-adjoint", "-2"])
        expectEqual(seed.status, 0, "\(seed.stderr)")
        expectContains(seed.stdout, "∂L/∂x = -12   (upstream ∂L/∂y = -2)")
    }

    /// U+202E would turn the rest of the line around on the screen.
    @Test func bidiOverridesAreEscapedInDiagnostics() async throws {
        let r = try await gradstep("eval", "-e", "y = \u{202E}x + 1", "--set", "x=1")
        expectEqual(r.status, 1)
        expectTrue(!r.stderr.unicodeScalars.contains("\u{202E}"))
        expectEqual(r.stderr, """
            -e:1:5: error: unexpected character U+202E
             1 | y = \\u{202E}x + 1
               |     ^~~~~~~~

            """)
        let set = try await gradstep("eval", "-e", "y = x", "--set", "x=1\u{202E}")
        expectEqual(set.stderr, "error: --set x=1\\u{202E}: unexpected character U+202E\n")
    }

    /// A 100,000-digit value was echoed whole.
    @Test func aHugeSetValueIsNotEchoedWhole() async throws {
        let digits = String(repeating: "9", count: 100_000)
        let r = try await gradstep("eval", "-e", "y = x", "--set", "x=\(digits)")
        expectEqual(r.status, 1)
        expectHasPrefix(r.stderr, "error: --set x=\(String(repeating: "9", count: 40))…: number '999")
        expectContains(r.stderr, "is out of range")
        expectTrue(r.stderr.utf8.count < 400)
        let noName = try await gradstep("eval", "-e", "y = x", "--set", digits)
        expectEqual(noName.status, 2)
        expectHasPrefix(noName.stderr, "Error: --set expects NAME=VALUE, got '\(String(repeating: "9", count: 60))…'\n")
    }

    /// `export --timeout` of NaN, 0 or a negative number gave Graphviz no time and said
    /// nothing; each is a usage error naming the option.
    @Test(arguments: ["nan", "0", "-1", "1e9"])
    func anExportTimeoutOutOfRangeIsRefused(value: String) async throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try await gradstep(["export", "g.grad", "--format", "dot", "--timeout", value], in: folder)
        expectEqual(r.status, 2)
        expectHasPrefix(r.stderr, "Error: --timeout \(Double(value)!): give the seconds one render may take, above 0 and at most 86400\n", "\(r.stderr)")
        expectTrue(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("g.dot").path))
    }

    /// `plot -e … --wrt NAME` gives a free name a value at --from; a name that is no leaf, or an
    /// element, was told as "--set y: …", an option the user never typed.
    @Test func plotWrtMistakesNameWrt() async throws {
        let noLeaf = try await gradstep("plot", "-e", "x*x", "--set", "x=1", "--wrt", "y")
        expectEqual(noLeaf.status, 1)
        expectEqual(noLeaf.stderr, "error: --wrt y: there is no input, param or const named 'y' (leaves: x)\n")
        let outside = try await gradstep("plot", "-e", "sum(x*x)", "--set", "x=[1, 2]", "--wrt", "x[5]")
        expectEqual(outside.status, 2)
        expectEqual(outside.stderr, "error: --wrt x[5]: index 5 is out of range 0..<2: x is of shape [2]\n")
        let scalar = try await gradstep("plot", "-e", "x*x", "--set", "x=1", "--wrt", "x[0]")
        expectHasPrefix(scalar.stderr, "error: --wrt x[0]: x is a scalar, so it takes no index", "\(scalar.stderr)")
        // taylor's --at values are --set's too.
        let at = try await gradstep("taylor", "-e", "sin(x)", "--at", "x=1e400", "--order", "2")
        expectEqual(at.status, 1)
        expectEqual(at.stderr, "error: --at x=1e400: number '1e400' is out of range (numbers must be finite, at most about 1.8e308)\n")
        let element = try await gradstep("taylor", "-e", "sum(sin(x))", "--set", "x=[1, 2]", "--at", "x[0]=1", "--order", "2")
        expectEqual(element.stderr, "error: --at x[0]: there is no input, param or const named 'x[0]' (leaves: x)\n")
    }

    /// An answers file that is not UTF-8 (saved as Latin-1) names the line and column where it
    /// goes wrong, as a graph file does; it was "is not UTF-8 text" with no place.
    @Test func invalidUTF8InAnswersIsLocated() async throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("# mine\n1\nça\u{E9}".utf8 + [0xE9, 0x0A]).write(to: folder.appendingPathComponent("a.txt"))
        let r = try await gradstep(["quiz", "g.grad", "--answers", "a.txt"], in: folder)
        expectEqual(r.status, 1)
        expectEqual(r.stderr, "a.txt:3:4: error: this is not UTF-8 text; save the answers as UTF-8\n")
    }

    /// Invalid UTF-8 in a graph file is located: line, column, the line and a caret.
    @Test func invalidUTF8IsLocated() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var bytes = Array("input θ = 2\ny = θ * ".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(" 3\n".utf8)
        try Data(bytes).write(to: folder.appendingPathComponent("bad.grad"))
        let r = try await gradstep(["eval", "bad.grad"], in: folder)
        expectEqual(r.status, 1)
        expectEqual(r.stderr, """
            bad.grad:2:9: error: this is not UTF-8 text (byte 0xFF)
             2 | y = θ * \u{FFFD}\u{FFFD} 3
               |         ^
               = hint: gradstep reads graph files as UTF-8; save the file as UTF-8 (is it a graph file?)

            """)
    }
}
