import Codegen
import Foundation
import Testing
import TestSupport

/// `output loss, acc` in generated code: every output is computed and printed under
/// "outputs", as `eval --json` prints them, and the gradient is the first output's or
/// `--of NAME`'s. The numbers are worked out by hand below.
@Suite("Generated code with several outputs")
struct SeveralOutputsCodeTests {
    // w = [2, −1], x = [3, 0.5]: Σ w⊙x = 6 − 0.5 = 5.5, loss = (5.5 − 1)² = 20.25,
    // ∂loss/∂w = 2·4.5·x = [27, 4.5], ∂loss/∂x = 9·w = [18, −9]; acc = 10w = [20, −10],
    // ∂Σacc/∂w = [10, 10], ∂Σacc/∂x = 0; M = [[1, 2], [3, 4]] ⊙ x by rows = [[3, 1], [9, 2]];
    // w itself is an output too (a leaf).
    static let program = "param w = [2, -1]; input x = [3, 0.5]; loss = (sum(w*x) - 1)^2; acc = w * 10; "
        + "M = [[1, 2], [3, 4]] * x; output loss, acc, M, w"
    static let outputs = "\"outputs\": {\"loss\": 20.25, \"acc\": [20, -10], \"M\": [[3, 1], [9, 2]], \"w\": [2, -1]}"

    @Test(arguments: [CodeLanguage.numpy, .python, .c])
    func everyOutputIsPrintedAndTheFirstDifferentiated(language: CodeLanguage) async throws {
        let code = try await gradstep("codegen", "--lang", language.rawValue, "-e", Self.program)
        #expect(code.status == 0, "\(code.stderr)")
        let printed = try await #require(try execute(code.stdout, language))
        expectSameJSON(printed, "{\"output\": \"loss\", \"value\": 20.25, \(Self.outputs), \"gradient\": {\"w\": [27, 4.5], \"x\": [18, -9]}}\n",
                       "\(language)")
        let eval = try await gradstep("eval", "--json", "-e", Self.program)
        #expect(printed == eval.stdout, "\(language) prints what eval prints")
    }

    @Test(arguments: [CodeLanguage.numpy, .python, .c])
    func ofChoosesTheOutputDifferentiated(language: CodeLanguage) async throws {
        let code = try await gradstep("codegen", "--lang", language.rawValue, "-e", Self.program, "--of", "acc")
        #expect(code.status == 0, "\(code.stderr)")
        let printed = try await #require(try execute(code.stdout, language))
        expectSameJSON(printed, "{\"output\": \"acc\", \"value\": [20, -10], \(Self.outputs), \"gradient\": {\"w\": [10, 10], \"x\": [0, 0]}}\n",
                       "\(language) --of acc")
    }

    @Test func latexNamesTheOutputs() async throws {
        let code = try await gradstep("codegen", "--lang", "latex", "-e", Self.program)
        #expect(code.status == 0, "\(code.stderr)")
        // `acc` is a word the C and Python programs reserve, so its variable is made up.
        #expect(code.stdout.contains("\\Statex \\textbf{Outputs} $\\mathit{loss}$, $v_{2}$ (\\texttt{acc}), $M$, $w$; the sweep differentiates $\\mathit{loss}$"),
                "\(code.stdout)")
    }
}
