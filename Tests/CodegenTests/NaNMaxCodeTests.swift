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
    try await expectEvalAndProgramsPrint(program, expected, languages: [.numpy, .c])
}
