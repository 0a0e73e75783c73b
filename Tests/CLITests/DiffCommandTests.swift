import Foundation
import Testing
import TestSupport

/// `gradstep diff` through the real binary, as a student's shell or an autograder runs it.
@Suite("gradstep diff")
struct DiffCommandTests {
    /// The issue's pipeline: the last line of `diff` is an expression `eval` reads back, and
    /// σ'(0) = 0.25 (EXERCISES.md 16).
    @Test func lastLineEvaluatesToSigmoidsDerivative() async throws {
        let diff = try await gradstep("diff", "-e", "sigmoid(x)", "--wrt", "x")
        expectEqual(diff.status, 0, "\(diff.stderr)")
        let last = try #require(diff.stdout.split(separator: "\n").last.map(String.init))
        expectEqual(last, "sigmoid(x) * (1 - sigmoid(x))")
        let eval = try await gradstep("eval", "-e", last, "--set", "x=0")
        expectEqual(eval.status, 0, "\(eval.stderr)")
        expectHasPrefix(eval.stdout, "y = 0.25\n")
    }

    /// The same pipeline, typed into a shell exactly as the issue writes it.
    @Test func shellPipelineFromTheIssue() async throws {
        let bin = ProcessInfo.processInfo.environment["GRADSTEP_BIN"]
            ?? repositoryRoot.appendingPathComponent(".build/debug/gradstep").path
        let path = URL(fileURLWithPath: bin).deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try await runProcess("/bin/sh", ["-c", #"gradstep eval -e "$(gradstep diff -e 'sigmoid(x)' --wrt x | tail -1)" --set x=0"#],
                                     environment: ["PATH": path])
        expectEqual(r.status, 0)
        expectHasPrefix(r.stdout, "y = 0.25\n", "\(r.stdout)")
    }

    /// Exactly the four keys of the contract, the derivative readable by `eval`, sizes that
    /// agree with the text output's first row.
    @Test func jsonIsExactlyTheContract() async throws {
        let r = try await gradstep("diff", "-e", "x * sin(x)", "--wrt", "x", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        expectEqual(Set(object.keys), ["derivative", "tree_nodes", "dag_nodes", "tape_nodes"])
        let derivative = try #require(object["derivative"] as? String)
        let tape = try #require(object["tape_nodes"] as? Int)
        let tree = try #require(object["tree_nodes"] as? Int), dag = try #require(object["dag_nodes"] as? Int)
        expectEqual(tape, 3, "x, sin x, x · sin x")
        expectTrue(dag <= tree)
        // d/dx x·sin x = sin x + x·cos x: 1.5 at the point below, computed here independently.
        let x = 0.7
        let eval = try await gradstep("eval", "-e", derivative, "--set", "x=\(x)", "--json")
        let value = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])["value"] as? Double
        expectTrue(abs(try #require(value) - (sin(x) + x * cos(x))) < 1e-12)
    }

    /// The text output: the function, one swell row per composition (tape growing by the
    /// same step, tree faster), then the derivative on the last line.
    @Test func textShowsTheSwellTableAndTheDerivativeLast() async throws {
        let r = try await gradstep("diff", "-e", "x * sin(x)", "--compose", "3")
        expectEqual(r.status, 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        expectEqual(lines.first, "y = x * sin(x)")
        let rows = lines.filter { $0.hasPrefix("  f") }.map { $0.split(separator: " ").dropFirst().compactMap { Int($0) } }
        try #require(rows.count == 3, "\(r.stdout)")
        expectEqual(rows[1][0] - rows[0][0], rows[2][0] - rows[1][0], "tape grows linearly")
        expectTrue(rows[2][1] - rows[1][1] > rows[1][1] - rows[0][1], "tree grows faster")
        expectEqual(lines.suffix(2), ["∂y/∂x =", "sin(x) + x * cos(x)"])
    }

    @Test func aFileWithTwoInputsNeedsWrtAndSaysWhyThereAreNoCompositions() async throws {
        let missing = try await gradstep("diff", graph("baydin.grad"))
        expectEqual(missing.status, 2)
        expectEqual(missing.stderr, "error: give --wrt NAME: the graph has 2 inputs and params (x1, x2)\n")
        let r = try await gradstep("diff", graph("baydin.grad"), "--wrt", "x2")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "no compositions: f∘f needs exactly one scalar input, and f has 2: x1, x2")
        expectHasSuffix(r.stdout, "\nx1 - cos(x2)\n")
    }

    @Test func unknownWrtSuggestsAName() async throws {
        let r = try await gradstep("diff", graph("baydin.grad"), "--wrt", "x3")
        expectEqual(r.status, 2)
        expectEqual(r.stderr, "error: --wrt x3: no input or param of that name; did you mean 'x1'?\n")
    }

    @Test func tensorGraphsAreRefusedNamingTheOp() async throws {
        let r = try await gradstep("diff", graph("mlp-relu-softmax.grad"), "--wrt", "x")
        expectEqual(r.status, 1)
        expectHasPrefix(r.stderr, "error: cross_entropy (", "\(r.stderr)")
        expectContains(r.stderr, "is a tensor op")
    }

    @Test func syntaxErrorsAreLocated() async throws {
        let r = try await gradstep("diff", "-e", "sin(x", "--wrt", "x")
        expectEqual(r.status, 1)
        expectHasPrefix(r.stderr, "-e:1:", "\(r.stderr)")
        expectContains(r.stderr, "^")
    }

    @Test func composeOutOfRangeIsAUsageError() async throws {
        try await expectEqual(gradstep("diff", "-e", "x", "--compose", "0").status, 2)
        try await expectEqual(gradstep("diff", "-e", "x", "--compose", "13").status, 2)
    }

    /// A derivative too deep for the parser to read back is refused, after the table.
    @Test func tooDeepToPrintIsAClearError() async throws {
        // 300 statements, each one level: the program reads, its derivative nests 300 deep.
        let chain = "a0 = sin(x); " + (1..<300).map { "a\($0) = sin(a\($0 - 1))" }.joined(separator: "; ")
        let r = try await gradstep("diff", "-e", chain, "--compose", "1")
        expectEqual(r.status, 1)
        expectContains(r.stderr, "deeper than the graph language reads back", "\(r.stderr)")
        expectContains(r.stdout, "expression swell")
    }
}

/// The README's `diff` example is what the binary prints.
@Test func readmeDiffExampleIsTrue() async throws {
    let readme = try manualText()
    let text = try await gradstep("diff", "-e", "x * sin(x)")
    expectContains(readme, "$ gradstep diff -e 'x * sin(x)'\n" + text.stdout + "$ gradstep eval")
    let json = try await gradstep("diff", "-e", "sigmoid(x)", "--json")
    expectContains(readme, "$ gradstep diff -e 'sigmoid(x)' --json\n" + json.stdout + "```")
    let last = try #require(try await gradstep("diff", "-e", "sigmoid(x)", "--wrt", "x").stdout.split(separator: "\n").last)
    let eval = try await gradstep("eval", "-e", String(last), "--set", "x=0")
    expectContains(readme, "--set x=0\n" + eval.stdout + "$ gradstep diff -e 'sigmoid(x)' --json")
}

/// The course items Graphs/README.md says `diff` answers, with the outputs it quotes.
@Test(arguments: [
    (["-e", "g = x^2 * y + sin(x*y)", "--wrt", "y"], "x^2 + x * cos(x * y)"),
    (["-e", "sigmoid(x)"], "sigmoid(x) * (1 - sigmoid(x))"),
    (["-e", "ll = -((1 - mu)^2 + (2 - mu)^2 + (6 - mu)^2) / 2", "--wrt", "mu"], "9 - 3 * mu"),
])
func courseItemsInGraphsReadme(arguments: [String], last: String) async throws {
    let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("Graphs/README.md"), encoding: .utf8)
    let r = arguments.count == 2
        ? try await gradstep("diff", arguments[0], arguments[1])
        : try await gradstep("diff", arguments[0], arguments[1], arguments[2], arguments[3])
    expectEqual(r.status, 0, "\(r.stderr)")
    expectHasSuffix(r.stdout, "\n\(last)\n")
    expectContains(readme, "`\(last)`")
}

@Test func aGraphWithoutInputsHasNothingToDifferentiateBy() async throws {
    for arguments in [["-e", "2 * 3"], ["-e", "2 * 3", "--wrt", "x"]] {
        let r = arguments.count == 2
            ? try await gradstep("diff", arguments[0], arguments[1])
            : try await gradstep("diff", arguments[0], arguments[1], arguments[2], arguments[3])
        expectEqual(r.status, 2)
        expectEqual(r.stderr, "error: the graph has no inputs or params, so there is nothing to differentiate by\n")
    }
}

/// `gradstep limit` through the real binary.
@Suite("gradstep limit")
struct LimitCommandTests {
    /// The course's second limit (A11): both rounds printed, then the limit.
    @Test func textShowsEachRound() async throws {
        let r = try await gradstep("limit", "-e", "(exp(x^2) - x - 1) / (3*cos(x) - x - 3)", "--at", "x=0")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "f′ = 2 * x * exp(x^2) - 1")
        expectContains(r.stdout, "0/0: differentiate both (L'Hôpital)")
        expectHasSuffix(r.stdout, "limit = 1 (f′(0) / g′(0))\n")
    }

    /// Exactly the contract's keys; ∞ is the string "inf".
    @Test func jsonIsExactlyTheContract() async throws {
        let r = try await gradstep("limit", "-e", "(x - ln(x)) / (x^(1/100) + 4)", "--at", "x=inf", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        expectEqual(Set(object.keys), ["limit", "verdict", "rounds", "samples"])
        expectEqual(object["limit"] as? String, "inf")
        expectEqual(object["verdict"] as? String, "infinite")
        let rounds = try #require(object["rounds"] as? [[String: Any]])
        expectEqual(Set(rounds[0].keys), ["order", "numerator", "denominator", "numerator_value", "denominator_value"])
        expectTrue(rounds[0]["numerator_value"] is NSNull)
    }

    /// The three limits Graphs/README.md's A11 row quotes, run as quoted, give what it says.
    @Test func courseRowInGraphsReadme() async throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("Graphs/README.md"), encoding: .utf8)
        let row = try #require(readme.split(separator: "\n").first { $0.hasPrefix("| A11 ") })
        let quoted: [(expression: String, at: String, limit: String)] = [
            ("(exp(x^3) - exp(27)) / (3*x - 9)", "x=3", "limit = 4.78843416542e+12"),
            ("(exp(x^2) - x - 1) / (3*cos(x) - x - 3)", "x=0", "limit = 1 "),
            ("(x - ln(x)) / (x^(1/100) + 4)", "x=inf", "limit = ∞ "),
        ]
        for (expression, at, limit) in quoted {
            expectContains(row, "`gradstep limit -e '\(expression)' --at \(at)`")
            let r = try await gradstep("limit", "-e", expression, "--at", at)
            expectContains(r.stdout, limit, "\(r.stdout)")
        }
        expectTrue(abs(9 * exp(27.0) - 4.78843416542e12) < 1e2)
    }

    @Test func notAQuotientAndBadPointAreClearErrors() async throws {
        let r = try await gradstep("limit", "-e", "sin(x)", "--at", "x=0")
        expectEqual(r.status, 1)
        expectContains(r.stderr, "is not a quotient: write it as f / g")
        let bad = try await gradstep("limit", "-e", "x/x", "--at", "x=three")
        expectEqual(bad.status, 2)
        expectContains(bad.stderr, "'three' is not a number, inf or -inf")
        let name = try await gradstep("limit", "-e", "x/x", "--at", "z=0")
        expectEqual(name.status, 2)
        expectContains(name.stderr, "--at z: no input or param of that name")
    }
}
