import Foundation
import Testing
import TestSupport

/// `gradstep quiz`: grading a file of answers (the autograder's JSON), each recognised
/// mistake named, bad answer files reported with FILE:LINE, and the line-based session on
/// standard input. Right values are Baydin et al.'s (x̄1 = 5.5, x̄2 = 2 − cos 5) or worked
/// out here with Foundation.
@Suite struct QuizCommandTests {
    /// Writes `lines` to a fresh answers file.
    func answers(_ lines: [String]) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gradstep-quiz-\(UUID().uuidString).txt")
        removeAtExit(url)
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The steps of the JSON output: (node, ok, mistake).
    func steps(_ json: String) throws -> (steps: [(node: String, ok: Bool, mistake: String?)], score: Double, total: Int) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let list = try #require(object["steps"] as? [[String: Any]])
        let steps = list.map { s in (s["node"] as? String ?? "", s["ok"] as? Bool ?? false, s["mistake"] as? String) }
        return (steps, (object["score"] as? NSNumber)?.doubleValue ?? -1, (object["total"] as? NSNumber)?.intValue ?? -1)
    }

    @Test func rightAnswersGiveExactlyTheContract() async throws {
        let file = try answers(["1", "1", "-1", "1", "1", "1.7163", "5.5"])
        let r = try await gradstep("quiz", graph("baydin.grad"), "--answers", file, "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let x2 = 2 - cos(5.0)
        let expected = [("v̄₅", "1", "1"), ("v̄₄", "1", "1"), ("v̄₃", "-1", "-1"), ("v̄₂", "1", "1"), ("v̄₁", "1", "1"),
                        ("v̄₀", "\(x2)", "1.7163"), ("v̄₋₁", "5.5", "5.5")]
            .map { "{\"node\": \"\($0.0)\", \"expected\": \($0.1), \"given\": \($0.2), \"ok\": true, \"mistake\": null}" }
        expectEqual(r.stdout, "{\"steps\": [\(expected.joined(separator: ", "))], \"score\": 7, \"total\": 7}\n")
    }

    @Test func eachMistakeIsNamed() async throws {
        // Seed 3: every adjoint is 3× Baydin's. One line per step, in step order.
        let file = try answers([
            "0",                        // v̄₅: the seed forgotten
            "3",                        // v̄₄: right
            "3",                        // v̄₃: sign lost in −
            "# comments and blank lines are skipped",
            "",
            "9",                        // v̄₂: the seed applied twice
            "3",                        // v̄₁: right
            "\(3 * 5 - 3 * cos(5.0))",  // v̄₀: ∂(x1·x2)/∂x2 taken as x2, not x1
            "\(3 * 5 + 3 / log(2.0))",  // v̄₋₁: 1/x1 evaluated at ln x1
        ])
        let r = try await gradstep("quiz", graph("baydin.grad"), "--seed-adjoint", "3", "--answers", file, "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let (list, score, total) = try steps(r.stdout)
        expectEqual(list.map(\.mistake), ["seed-forgotten", nil, "lost-sign", "seed-twice", nil, "wrong-operand", "wrong-node"])
        expectEqual(list.map(\.ok), [false, true, false, false, true, false, false])
        expectTrue(score == 2 && total == 7)
        // Only one consumer's term, and a matrix transposed in a VJP.
        let missing = try await gradstep("quiz", graph("baydin.grad"), "--answers", try answers(["1", "1", "-1", "1", "1", "2", "5"]), "--json")
        try expectEqual(steps(missing.stdout).steps.suffix(2).map(\.mistake), ["missing-term", "missing-term"])
        let matrix = "param W = [[1, 2], [3, 4]]; input x = [1, -1]; y = sum(W @ x)"
        let t = try await gradstep("quiz", "-e", matrix, "--answers", try answers(["1", "[1, 1]", "[3, 7]", "[[1, 1], [-1, -1]]"]), "--json")
        try expectEqual(steps(t.stdout).steps.map(\.mistake), [nil, nil, "transposed", "transposed"])
    }

    @Test func textReportSaysWhatWentWrongAndTheScore() async throws {
        let r = try await gradstep("quiz", graph("baydin.grad"), "--answers", try answers(["1", "1", "1"]))
        expectEqual(r.status, 0)
        expectContains(r.stdout, "✓ v̄₅ = 1")
        expectContains(r.stdout, "✗ v̄₃ is −1, not 1:")
        expectContains(r.stdout, "a sign lost in −")
        expectContains(r.stdout, "– v̄₋₁: no answer")
        expectHasSuffix(r.stdout, "score 2/7\n")
    }

    @Test func forwardAndPrimalModes() async throws {
        // Forward mode seeded on x1: v̇₁ = 1/x1, v̇₂ = x2, v̇₃ = 0, v̇₄ = v̇₁ + v̇₂, v̇₅ = v̇₄.
        let f = try await gradstep("quiz", graph("baydin.grad"), "--mode", "forward", "--answers", try answers(["0.5", "5", "0", "5.5", "5.5"]), "--json")
        try expectEqual(steps(f.stdout).score, 5)
        let p = try await gradstep("quiz", graph("baydin.grad"), "--mode", "primal", "--answers",
                             try answers(["\(log(2.0))", "10", "\(sin(5.0))", "\(log(2.0) + 10)", "\(log(2.0) + 10 + sin(5.0))"]), "--json")
        try expectEqual(steps(p.stdout).steps.map(\.mistake), [nil, nil, nil, nil, "lost-sign"])
    }

    @Test func anUnreadableAnswerNamesFileLineAndColumn() async throws {
        let file = try answers(["1", "  1.5x"])
        let r = try await gradstep("quiz", graph("baydin.grad"), "--answers", file)
        expectEqual(r.status, 1)
        expectHasPrefix(r.stderr, "\(file):2:6: error: unexpected 'x' after the answer in '1.5x'\n    1.5x\n       ^\n  hint: ")
        let word = try answers(["1", "1", "abc"])
        let w = try await gradstep("quiz", graph("baydin.grad"), "--answers", word, "--json")
        expectTrue(w.status == 1 && w.stdout.isEmpty)
        expectHasPrefix(w.stderr, "\(word):3:1: error: 'abc' is not a number\n  abc\n  ^\n")
        let many = try await gradstep("quiz", "-e", "sin(x)", "--set", "x=1", "--answers", try answers(["1", "2", "3"]))
        expectEqual(many.status, 1)
        expectContains(many.stderr, ":3:1: error: more answers than the 2 steps of the sweep")
        let missing = try await gradstep("quiz", graph("baydin.grad"), "--answers", "/nonexistent/answers.txt")
        expectTrue(missing.status == 1 && missing.stderr.contains("cannot read answers file"))
    }

    @Test func lineBasedSessionReadsStandardInput() async throws {
        let r = try await run(["quiz", "-e", "input x = 2; y = sigmoid(x)"], stdin: "1\n?\n-2\n")
        expectEqual(r.status, 0)
        expectContains(r.stdout, "[1/2] v̄₁ = ✓ v̄₁ = 1")
        expectContains(r.stdout, "hint: v̄₀ = v̄₁·∂v₁/∂v₀")
        expectContains(r.stdout, "evaluated at the wrong node")
        expectHasSuffix(r.stdout, "score 1/2\n")
    }

    /// The README's example (`$ printf '…' | gradstep quiz … --answers /dev/stdin`) prints
    /// what the README shows.
    @Test func readmeExampleIsTrue() async throws {
        let readme = try manualText()
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = try #require(lines.firstIndex { $0.hasPrefix("$ printf '") && $0.contains("| gradstep quiz ") })
        let command = lines[at]
        let input = command.dropFirst("$ printf '".count).prefix { $0 != "'" }.replacingOccurrences(of: "\\n", with: "\n")
        let arguments = command.components(separatedBy: "| gradstep ")[1].split(separator: " ").map(String.init)
        let shown = lines[(at + 1)...].prefix { !$0.hasPrefix("```") }.map { $0 + "\n" }.joined()
        let r = try await run(arguments.map { $0.hasPrefix("Graphs/") ? graph(String($0.dropFirst(7))) : $0 }, stdin: input)
        expectEqual(r.status, 0)
        expectEqual(r.stdout, shown)
    }

    /// Runs gradstep with `stdin` as its standard input.
    func run(_ arguments: [String], stdin: String) async throws -> (status: Int32, stdout: String) {
        let path = ProcessInfo.processInfo.environment["GRADSTEP_BIN"]
            ?? repositoryRoot.appendingPathComponent(".build/debug/gradstep").path
        let r = try await runProcess(path, arguments, stdin: stdin)
        return (r.status, r.stdout)
    }

    /// Issue 24: the quiz takes a tensor seed as trace does. y = w ⊙ w at w = [1, 2, 3] seeded
    /// with v = [0, 1, 0]: ȳ = v, then w̄ = 2·v ⊙ w = [0, 4, 0] (computed here: 2·1·2 = 4).
    @Test func aTensorSeedIsQuizzedAsTraceSweepsIt() async throws {
        let program = "input w = [1, 2, 3]; y = w*w"
        let w: [Double] = [1, 2, 3], v: [Double] = [0, 1, 0]
        let wbar = zip(v, w).map { 2 * $0 * $1 }
        let right = "[" + wbar.map { String(Int($0)) }.joined(separator: ", ") + "]"
        let r = try await gradstep("quiz", "-e", program, "--mode", "reverse", "--seed-adjoint", "[0, 1, 0]",
                                   "--answers", try answers(["[0, 1, 0]", right]), "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let (list, score, total) = try steps(r.stdout)
        expectEqual(list.map(\.ok), [true, true])
        expectTrue(score == 2 && total == 2)
        let forgotten = try await gradstep("quiz", "-e", program, "--mode", "reverse", "--seed-adjoint", "[0, 1, 0]",
                                           "--answers", try answers(["[0, 0, 0]", right]))
        expectContains(forgotten.stdout, "backprop starts with v̄₁ = [0, 1, 0]", "\(forgotten.stdout)")
    }
}

/// Issue 24: `gradstep --quiz` starts where `gradstep quiz` starts, in reverse mode, unless
/// --mode says otherwise; the explorer needs a terminal, so this checks what --help promises
/// (Tests/e2e/test_quiz.sh drives the explorer itself).
@Test func theHelpSaysTheExplorersQuizStartsInReverseMode() async throws {
    let help = try await gradstep("explore", "--help")
    let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    expectContains(words, "(default primal; with --quiz reverse, as `gradstep quiz`)", "\(help.stdout)")
}
