import Foundation
import GraphCore
import Symbolic
import Testing
import TestSupport

/// `diff` of erf, the op added by docs/adding-an-op.md: the rule 2/√π·e^(−x²) written with
/// terms, printed so that it reads back, and its value erf′(0.5) = 0.8787825789354448.
@Suite("erf in diff")
struct ErfDerivativeTests {
    @Test func derivativeIsPrintedAndReadsBack() throws {
        let text = try derivativeText("erf(x)")
        expectEqual(text, "1.1283791670955126 * exp(-x^2)")
        let back = try loadExpression(text, values: ["x": 0.5]).tape
        expectTrue(close(back.evaluate()[back.output], 0.8787825789354448, rel: 1e-14))
    }
}
