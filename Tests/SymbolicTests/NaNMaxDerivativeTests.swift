import Foundation
import GraphCore
import Symbolic
import Testing
import TestSupport

// Issue 21: `diff` follows the NaN rule of max and min that eval, forward and reverse mode
// follow (torch.maximum/minimum's backward): 0 to the side that loses, ½ to each at a tie, and
// the whole derivative to both sides when a NaN leaves them unordered.
@Suite("diff: max and min with a NaN operand")
struct NaNMaxDerivativeTests {
    /// d/dx [max(x, u) + 2·min(u, x)] at x = 2, worked out from torch's rule for each u.
    @Test func theDerivativeFollowsTorchForEveryOrderOfTheOperands() throws {
        var f = try function("max(x, u) + 2 * min(u, x)")
        let d = f.derivative(wrt: "x")
        let cases: [(u: Double, expected: Double)] = [
            (.nan, 1 + 2),   // unordered: the whole derivative to x in both
            (1, 1 + 0),      // x wins the max, loses the min
            (2, 0.5 + 1),    // a tie: half each
            (3, 0 + 2),      // x loses the max, wins the min
        ]
        for c in cases {
            expectEqual(f.terms.evaluate(d, ["x": 2, "u": c.u]), c.expected, "u = \(c.u)")
        }
    }

    @Test func theNaNOperandItselfGetsTheWholeDerivativeToo() throws {
        var f = try function("max(x, u)")
        let d = f.derivative(wrt: "u")
        expectEqual(f.terms.evaluate(d, ["x": .nan, "u": 5]), 1)
        expectEqual(f.terms.evaluate(d, ["x": 5, "u": .nan]), 1)
        expectEqual(f.terms.evaluate(d, ["x": 5, "u": 4]), 0)
    }

    /// The printed derivative reads back as the graph language and gives the same numbers at
    /// ordered points (a NaN cannot be typed).
    @Test func thePrintedDerivativeReadsBack() throws {
        let text = try derivativeText("max(x, u)")
        for (u, expected) in [(1.0, 1.0), (2, 0.5), (3, 0)] {
            let back = try loadExpression(text, values: ["x": 2, "u": u]).tape
            expectEqual(back.evaluate()[Int(back.entries[back.output].offset)], expected, "u = \(u): \(text)")
        }
    }
}
