import Codegen
import Foundation
import Testing
import TestSupport

// `grad(expr, x)` writes its inner sweep as ordinary nodes, so the generated programs need
// nothing new: each runs, and prints what `eval --json` prints. Expected numbers by hand.
@Suite("Generated code for grad(expr, x)")
struct GradCodeTests {
    @Test func aGradientDifferentiatedAgain() async throws {
        // g = 3x² = 27 at x = 3; y = g·x = 81; dy/dx = 9x² = 81.
        try await expectEvalAndProgramsPrint("input x = 3; g = grad(x^3, x); y = g * x",
                                             "{\"output\": \"y\", \"value\": 81, \"gradient\": {\"x\": 81}}\n",
                                             languages: [.numpy, .python, .c])
    }

    @Test func aTensorGradient() async throws {
        // g = 2W; y = Σ 4W² = 120; ∂y/∂W = 8W.
        try await expectEvalAndProgramsPrint("input W = [[1, 2], [3, 4]]; g = grad(sum(W*W), W); y = sum(g * g)",
                                             "{\"output\": \"y\", \"value\": 120, \"gradient\": {\"W\": [[8, 16], [24, 32]]}}\n",
                                             languages: [.numpy, .python, .c])
    }

    @Test func aKinkWrittenAsAComparison() async throws {
        // g = 3·relu(x)²·[x > 0] = [0, 0.75, 12] at x = [−1, 0.5, 2]; y = Σ g = 12.75;
        // ∂y/∂x = 6·relu(x)·[x > 0] = [0, 3, 12].
        try await expectEvalAndProgramsPrint("input x = [-1, 0.5, 2]; g = grad(sum(relu(x)^3), x); y = sum(g)",
                                             "{\"output\": \"y\", \"value\": 12.75, \"gradient\": {\"x\": [0, 3, 12]}}\n",
                                             languages: [.numpy, .python, .c])
    }

    @Test func latexWritesTheSweepToo() async throws {
        let r = try await gradstep("codegen", "-e", "input x = 3; g = grad(x^3, x); y = g * x", "--lang", "latex")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "\\begin", "\(r.stdout)")
    }
}
