import Foundation
import Testing
import TestSupport

/// Gathers and broadcasts through the real binary, every command that applies: the issue's
/// example in `eval` and `eval --json`, every `trace` format, `check`, `hessian` (the exact
/// Hessian of Σ C[X]², computed here), `quiz` graded with the right answers, `export --frames`,
/// `optimize`, and a clear error with exit status 1.
@Suite("Gathers and broadcasting on the command line")
struct GatherCommandTests {
    static let example = "input C = [[1, 2], [3, 4], [5, 6]]; const X = [2, 0, 2]; y = sum(C[X] * C[X])"
    static let file = repositoryRoot.appendingPathComponent("Graphs/embedding-cross-entropy.grad").path

    @Test func theIssuesExampleInEvalAndJSON() async throws {
        let text = try await gradstep("eval", "-e", Self.example)
        expectEqual(text.status, 0, "\(text.stderr)")
        expectEqual(text.stdout, "y = 127\n∂y/∂C = [[2, 4], [0, 0], [20, 24]]\n")
        let json = try await gradstep("eval", "-e", Self.example, "--json")
        expectEqual(json.stdout, "{\"output\": \"y\", \"value\": 127, \"gradient\": {\"C\": [[2, 4], [0, 0], [20, 24]]}}\n")
    }

    @Test(arguments: ["text", "markdown", "csv", "latex", "json"])
    func everyTraceFormatWritesTheScatter(format: String) async throws {
        let r = try await gradstep("trace", "-e", Self.example, "--mode", "reverse", "--format", format)
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "scatter", "\(r.stdout)")
        expectTrue(r.stdout.contains("20") && r.stdout.contains("24"), "∂y/∂C's last row")
    }

    /// y = Σ C[X]² has Hessian 2·(times row r is gathered) on the diagonal of row r's
    /// elements: 2 for row 0, 0 for row 1, 4 for row 2.
    @Test func hessianIsTwiceTheGatherCountsOnTheDiagonal() async throws {
        let r = try await gradstep("hessian", "-e", Self.example)
        expectEqual(r.status, 0, "\(r.stderr)")
        let counts = [1, 0, 2]
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("C[") }
        expectEqual(rows.count, 6)
        for (k, row) in rows.enumerated() {
            let numbers = row.split(separator: " ").dropFirst().compactMap { Double($0) }
            var expected = [Double](repeating: 0, count: 6)
            expected[k] = Double(2 * counts[k / 2])
            expectEqual(numbers, expected, "\(row)")
        }
    }

    @Test func checkPassesEveryEntryOfTheEmbeddingExercise() async throws {
        let r = try await gradstep("check", Self.file)
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "15 entries: 15 pass, 0 kink, 0 fail", "\(r.stdout)")
    }

    /// The quiz's own reverse steps answered with numbers computed here: 1 for L̄, −1 for the
    /// mean's adjoint, then the rest left blank; the two right ones are graded right.
    @Test func quizGradesTheSweepsFirstSteps() async throws {
        let answers = FileManager.default.temporaryDirectory.appendingPathComponent("gather-quiz-\(UUID()).txt")
        try "1\n-1\n".write(to: answers, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: answers) }
        let r = try await gradstep("quiz", Self.file, "--mode", "reverse", "--answers", answers.path)
        expectEqual(r.status, 0, "\(r.stderr)")
        expectHasPrefix(r.stdout, "✓ v̄₉ = 1\n✓ v̄₈ = −1", "\(r.stdout)")
    }

    @Test func framesAndOptimizeRun() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gather-frames-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = try await gradstep("export", Self.file, "--frames", "--state", "reverse", "--format", "dot", "-o", folder.path)
        expectEqual(frames.status, 0, "\(frames.stderr)")
        let optimize = try await gradstep("optimize", Self.file, "--steps", "200", "--lr", "1")
        expectEqual(optimize.status, 0, "\(optimize.stderr)")
        // Row 0 of C is never looked up: no step moves it.
        expectContains(optimize.stdout, "C = [[0.1, −0.2], [", "\(optimize.stdout)")
    }

    @Test func aBadIndexIsAnErrorWithStatusOne() async throws {
        let r = try await gradstep("eval", "-e", "input C = [[1, 2], [3, 4]]; y = sum(C[[0, 5]])")
        expectEqual(r.status, 1)
        expectEqual(r.stderr, """
            -e:1:39: error: index 5 is out of range for axis 0, of 2 elements
             1 | input C = [[1, 2], [3, 4]]; y = sum(C[[0, 5]])
               |                                       ^~~~~~
               = hint: positions on axis 0 run from 0 to 1, or from −2 counting from the end

            """)
    }
}
