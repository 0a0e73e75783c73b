import Foundation
import Testing
import TestSupport

/// `grad(expr, x)` through the real binary, every command that applies: the issue's example
/// in `eval --json`, the trace in every format, `check` and `hessian` (numbers by hand), the
/// quiz graded with answers worked out here, `export` folding the inner sweep into its group
/// and opening it by name, `export --frames`, and errors with exit status 1.
@Suite("grad(expr, x) on the command line")
struct GradCommandTests {
    static let example = "input x = 3; g = grad(x^3, x); y = g * x"
    static let file = repositoryRoot.appendingPathComponent("Graphs/second-derivative-grad.grad").path

    @Test func theIssuesExample() async throws {
        // g = 3x² = 27, y = g·x = 3x³ = 81, dy/dx = 9x² = 81.
        let json = try await gradstep("eval", "-e", Self.example, "--json")
        expectEqual(json.status, 0, "\(json.stderr)")
        expectEqual(json.stdout, "{\"output\": \"y\", \"value\": 81, \"gradient\": {\"x\": 81}}\n")
        let text = try await gradstep("eval", "-e", Self.example)
        expectEqual(text.stdout, "y = 81\n∂y/∂x = 81\n")
    }

    @Test(arguments: ["text", "markdown", "csv", "latex", "json"])
    func everyTraceFormatShowsTheInnerSweep(format: String) async throws {
        let r = try await gradstep("trace", "-e", Self.example, "--mode", "reverse", "--format", format)
        expectEqual(r.status, 0, "\(r.stderr)")
        // x's adjoint sums both paths: g = 27 directly, and 9 through the sweep's 3·x² (·2x = 6): 27 + 54.
        expectContains(r.stdout, "81", "\(r.stdout)")
    }

    @Test func checkAndHessianOfTheGraphsFile() async throws {
        // L = w·x² + (2wx − 1)²: ∂L/∂x = 36, ∂L/∂w = 44 (the file's comment); the Hessian
        // by hand: ∂²L/∂x² = 2w + 8w² = 21, ∂²L/∂x∂w = 2x + 16wx − 4 = 48, ∂²L/∂w² = 8x² = 32.
        let check = try await gradstep("check", Self.file)
        expectEqual(check.status, 0, "\(check.stderr)")
        expectContains(check.stdout, "2 entries: 2 pass, 0 kink, 0 fail", "\(check.stdout)")
        let hessian = try await gradstep("hessian", Self.file, "--wrt", "x,w")
        expectEqual(hessian.status, 0, "\(hessian.stderr)")
        let rows = hessian.stdout.split(separator: "\n").filter { $0.hasPrefix("x ") || $0.hasPrefix("w ") }
        let numbers = rows.map { $0.split(separator: " ").dropFirst().compactMap { Double($0) } }
        expectEqual(numbers, [[21, 48], [48, 32]], "\(hessian.stdout)")
    }

    /// The reverse sweep of the issue's example answered with numbers worked out by hand:
    /// ȳ = 1, ḡ = x = 3, the sweep's x² node gets 3·3 = 9, and x̄ = g + 9·2x = 27 + 54 = 81.
    @Test func quizGradesTheOuterSweepThroughTheInnerOne() async throws {
        let answers = FileManager.default.temporaryDirectory.appendingPathComponent("grad-quiz-\(UUID()).txt")
        try "1\n3\n9\n81\n".write(to: answers, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: answers) }
        let r = try await gradstep("quiz", "-e", Self.example, "--mode", "reverse", "--answers", answers.path)
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "score 4/4", "\(r.stdout)")
    }

    @Test func exportFoldsTheInnerSweepAndOpensItByName() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grad-export-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let folded = try await gradstep("export", Self.file, "--format", "dot", "-o", folder.appendingPathComponent("folded").path)
        expectEqual(folded.status, 0, "\(folded.stderr)")
        let foldedDot = try String(contentsOf: folder.appendingPathComponent("folded/second-derivative-grad.dot"), encoding: .utf8)
        expectTrue(foldedDot.contains("<B>grad(f, x)</B>") && foldedDot.contains("call of grad"), "\(foldedDot)")
        // The name holds a comma: --open splits only outside parentheses.
        let open = try await gradstep("export", Self.file, "--format", "dot", "--open", "grad(f, x),grad(g, x)",
                                      "-o", folder.appendingPathComponent("open").path)
        expectEqual(open.status, 0, "\(open.stderr)")
        let openDot = try String(contentsOf: folder.appendingPathComponent("open/second-derivative-grad.dot"), encoding: .utf8)
        expectNotContains(openDot, "<B>grad(f, x)</B>", "\(openDot)")
        let frames = try await gradstep("export", "-e", Self.example, "--frames", "--state", "reverse", "--format", "dot",
                                        "-o", folder.appendingPathComponent("frames").path)
        expectEqual(frames.status, 0, "\(frames.stderr)")
    }

    @Test func aNonScalarExpressionIsAnErrorWithStatusOne() async throws {
        let r = try await gradstep("eval", "-e", "input W = [[1, 2], [3, 4]]; g = grad(W * W, W)")
        expectEqual(r.status, 1)
        expectEqual(r.stderr, """
            -e:1:38: error: grad needs a scalar expression; 'W * W' is [2×2]
             1 | input W = [[1, 2], [3, 4]]; g = grad(W * W, W)
               |                                      ^~~~~
               = hint: sum it to differentiate every element's total: grad(sum(W * W), W)

            """)
    }
}
