import Codegen
import Foundation
import Testing
import TestSupport

// Issue 21: `where` takes the branch without poisoning it, in the generated programs as in
// `eval`. The branch not taken gets a zero adjoint, and 0·∞ must not become NaN there: torch
// gets 0 only with the double-where idiom, torch.where(x != 0, x*log(torch.where(x != 0, x, 1)), 0),
// whose gradient at x = 0 is 0 (the outer where's untaken branch gets 0, the inner where
// keeps log finite). So at x = 0, y = where(x, x·ln x, 0) + where(x, sqrt(x), 0) + 2x has
// value 0 and ∂y/∂x = 0 + 0 + 2 = 2. Before, NumPy and C printed null: 0·ln 0 = 0·(−∞) and
// 0/(2·sqrt 0) = 0/0.
@Suite("Generated code takes a where's branch without poisoning")
struct WhereCodeTests {
    @Test func theUntakenBranchsInfinitePartialStaysOutOfNumPyAndC() async throws {
        let program = "input x = 0; y = where(x, x*ln(x), 0) + where(x, sqrt(x), 0) + 2*x"
        let expected = "{\"output\": \"y\", \"value\": 0, \"gradient\": {\"x\": 2}}\n"
        try await expectEvalAndProgramsPrint(program, expected, languages: [.numpy, .c])
    }

    /// Plain Python stops on math.log(0) in the forward pass (docs/commands.md), so its case
    /// keeps the forward finite: sqrt(0) = 0, but sqrt′(0) = 1/(2·0) would raise
    /// ZeroDivisionError in the reverse sweep were the branch's VJP not guarded.
    @Test func plainPythonTakesTheBranchToo() async throws {
        let program = "input x = 0; y = where(x, sqrt(x), 0) + 2*x"
        let expected = "{\"output\": \"y\", \"value\": 0, \"gradient\": {\"x\": 2}}\n"
        try await expectEvalAndProgramsPrint(program, expected, languages: [.python])
    }

    /// Where the branch is taken, its gradient passes as before: at x = 4,
    /// d/dx [x·ln x + sqrt x + 2x] = ln 4 + 1 + 1/(2·2) + 2.
    @Test func theTakenBranchsGradientIsUnchanged() async throws {
        let program = "input x = 4; y = where(x, x*ln(x), 0) + where(x, sqrt(x), 0) + 2*x"
        let value = 4 * log(4.0) + 2 + 8, slope = log(4.0) + 1 + 0.25 + 2
        for language in [CodeLanguage.numpy, .python, .c] {
            let r = try await gradstep("codegen", "-e", program, "--lang", language.rawValue)
            let printed = try await #require(try execute(r.stdout, language))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any])
            let v = try #require(json["value"] as? Double), g = try #require((json["gradient"] as? [String: Any])?["x"] as? Double)
            expectTrue(abs(v - value) <= 1e-12 * value, "\(language)")
            expectTrue(abs(g - slope) <= 1e-12 * slope, "\(language)")
        }
    }

    /// A program without `where` keeps its plain products: the guard is only where a branch
    /// can be dropped.
    @Test func programsWithoutWhereAreUnguarded() async throws {
        let r = try await gradstep("codegen", "-e", "input x = 2; y = x * ln(x)")
        expectNotContains(r.stdout, "np.where")
        let guarded = try await gradstep("codegen", "-e", "input x = 2; y = where(x, x * ln(x), 0)")
        expectContains(guarded.stdout, "np.where(dv", "\(guarded.stdout)")
    }
}
