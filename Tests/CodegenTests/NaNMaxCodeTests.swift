import Codegen
import Foundation
import Testing
import TestSupport

/// The generated programs give a NaN operand of max/min the gradient torch.maximum's backward
/// gives (the whole adjoint to both sides, in either order), as `eval` does: with x = 2 and
/// sqrt(−1) = NaN, max(x, NaN) + min(NaN, x) gives ∂y/∂x = 1 + 1 = 2.
@Test func generatedProgramsGiveANaNOperandOfMaxTheWholeAdjoint() async throws {
    let program = "input x = 2; input u = -1; y = max(x, sqrt(u)) + min(sqrt(u), x) + max(sqrt(u), x)"
    let expected = "{\"output\": \"y\", \"value\": null, \"gradient\": {\"x\": 3, \"u\": null}}\n"
    let eval = try await gradstep("eval", "-e", program, "--json")
    #expect(eval.stdout == expected)
    for language in [CodeLanguage.numpy, .c] {
        let r = try await gradstep("codegen", "-e", program, "--lang", language.rawValue)
        #expect(r.status == 0, "\(r.stderr)")
        let printed = try await #require(try execute(r.stdout, language))
        expectSameJSON(printed, expected, "\(language)")
    }
}
