import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// Comparisons, clip and stop_gradient: where the gradient is cut. Every expected number is
// worked out by hand in the comment beside it (NumPy's comparisons, torch.clamp's and
// tf.stop_gradient's documented rules), never read off gradstep's output.

@Suite("Comparisons, clip and stop_gradient")
struct CutTests {
    @Test func comparisonsGiveZeroOrOneAndBroadcast() throws {
        // a = [1, 2, 3] against b = 2: < [1,0,0], <= [1,1,0], > [0,0,1], >= [0,1,1],
        // == [0,1,0], != [1,0,1].
        let s = Solved(try loadExpression("""
            input a = [1, 2, 3]; input b = 2
            lt = a < b; le = a <= b; gt = a > b; ge = a >= b; eq = a == b; ne = a != b
            y = sum(lt + le + gt + ge + eq + ne)
            """))
        try expectEqual(s.value("lt"), [1, 0, 0])
        try expectEqual(s.value("le"), [1, 1, 0])
        try expectEqual(s.value("gt"), [0, 0, 1])
        try expectEqual(s.value("ge"), [0, 1, 1])
        try expectEqual(s.value("eq"), [0, 1, 0])
        try expectEqual(s.value("ne"), [1, 0, 1])
        // Every element is 1 in exactly three of the six: 3 · 3 = 9; no gradient reaches a or b.
        expectEqual(s.output, 9)
        try expectEqual(s.gradient("a"), [0, 0, 0])
        try expectEqual(s.gradient("b"), [0])
    }

    @Test func aComparisonOfAMatrixWithAVectorBroadcastsOverRows() throws {
        // [[1, 5], [3, 2]] > [2, 4] row by row: [[0, 1], [1, 0]].
        let s = Solved(try loadExpression("input M = [[1, 5], [3, 2]]; input v = [2, 4]; y = M > v"))
        try expectEqual(s.value("y"), [0, 1, 1, 0])
    }

    @Test func nanComparesAsNumPyDoes() throws {
        // NaN: every comparison false except != (IEEE 754, np.less(nan, 1) is False).
        let s = Solved(try loadExpression("input x = 0; n = ln(x - 1); y = (n < 1) + (n >= 1) + (n == n) + 10 * (n != n)"))
        expectEqual(s.output, 10)
    }

    @Test func comparisonsBindLooserThanArithmeticAndDoNotChain() throws {
        // x + 1 > 2 * x at x = 3: 4 > 6 is false, so y = 0 (read as (x + 1) > (2 * x)).
        expectEqual(Solved(try loadExpression("input x = 3; y = x + 1 > 2 * x")).output, 0)
        expectEqual(Solved(try loadExpression("input x = 0.5; y = x + 1 > 2 * x")).output, 1)
        let text = rendered("y = a < b < c")
        expectContains(text, "test.grad:1:11: error: comparisons do not chain")
        expectContains(text, "hint: write (a < b) * (b < c)")
        expectContains(rendered("y = a ! b"), "unexpected character '!'")
        // A two-character operator is one token, quoted whole.
        expectContains(rendered("y = x >= >= 1"), "test.grad:1:10: error: expected an expression, found '>='")
        expectContains(rendered("y = x != "), "expected an expression after '!='")
        let caret = rendered("y = x == == 1")
        expectTrue(caret.contains("found '=='") && caret.contains("|          ^~"), "\(caret)")
    }

    @Test func stopGradientPassesTheValueAndCutsTheGradient() throws {
        // y = sg(x²)·x at x = 3: 9·3 = 27; dy/dx = sg(x²) = 9 (the x² path is cut), not 3x² = 27.
        let s = Solved(try loadExpression("input x = 3; y = stop_gradient(x*x) * x"))
        expectEqual(s.output, 27)
        try expectEqual(s.gradient("x"), [9])
        // detach is the same op: y = x·detach(x) + x at 2: value 6, dy/dx = 2 + 1 = 3.
        let d = Solved(try loadExpression("input x = 2; y = x * detach(x) + x"))
        expectEqual(d.output, 6)
        try expectEqual(d.gradient("x"), [3])
    }

    @Test func stopGradientCutsForwardModeAndSecondOrderToo() throws {
        // y = sg(x²)·x² at x = 3: y′ = 2x·9 = 54 by forward mode; y″ = 2·9 = 18.
        let graph = try loadExpression("input x = 3; y = stop_gradient(x*x) * x*x")
        let tape = graph.tape, v = tape.evaluate()
        let t = tape.tangents(values: v, seed: tape.tangentSeed(leaf: 0))
        expectEqual(t[Int(tape.entries[tape.output].offset)], 54)
        let (g, hu) = tape.hessianVectorProduct(values: v, direction: tape.tangentSeed(leaf: 0))
        expectTrue(g[0] == 54 && hu[0] == 18)
    }

    @Test func theGradientCheckHoldsAStoppedValueFixed() throws {
        // y = sg(x²)·x·w + (x > w)·x at x = 3, w = 0.5: ∂x = 9w + 1 = 5.5, ∂w = 9x = 27; the
        // central difference, with sg(x²) held at 9, agrees (a free x² would give 3·9·0.5 + 1 = 14.5).
        let tape = try loadExpression("input x = 3; input w = 0.5; y = stop_gradient(x*x) * x * w + (x > w) * x").tape
        let results = GradientCheck.check(tape)
        expectEqual(results.count, 2)
        expectTrue(abs(results[0].numeric - 5.5) < 1e-6 && results[0].analytic == 5.5)
        expectTrue(abs(results[1].numeric - 27) < 1e-6 && results[1].analytic == 27)
        expectTrue(!results[0].nearKink && !results[1].nearKink)
    }

    @Test func aComparisonAtItsJumpIsAKinkForTheCheck() throws {
        // (x >= w)·x at x = w = 2: the step jumps between x − h and x + h.
        let tape = try loadExpression("input x = 2; input w = 2; y = (x >= w) * x").tape
        let results = GradientCheck.check(tape)
        expectTrue(results.count == 2 && results[0].nearKink && results[1].nearKink)
    }

    @Test func clipFollowsTorchClampIncludingTheBounds() throws {
        // clip(x, −1, 2) of [−3, −1, 0.5, 2, 5] = [−1, −1, 0.5, 2, 2]; torch.clamp's gradient
        // to x is 1 where lo ≤ x ≤ hi, bounds included: [0, 1, 1, 1, 0].
        let s = Solved(try loadExpression("input x = [-3, -1, 0.5, 2, 5]; input lo = -1; input hi = 2; y = sum(clip(x, lo, hi))"))
        let expected: Double = -1 - 1 + 0.5 + 2 + 2
        expectEqual(s.output, expected)
        try expectEqual(s.gradient("x"), [0, 1, 1, 1, 0])
        // lo gets the elements below it (one: −3), hi those above it (one: 5).
        try expectEqual(s.gradient("lo"), [1])
        try expectEqual(s.gradient("hi"), [1])
    }

    @Test func clipWithTheBoundsCrossedIsHiAsInTorch() throws {
        // torch.clamp(x, min=2, max=1) is 1 everywhere, and only max gets the gradient.
        let s = Solved(try loadExpression("input x = [0, 1.5, 3]; input lo = 2; input hi = 1; y = sum(clip(x, lo, hi))"))
        expectEqual(s.output, 3)
        try expectEqual(s.gradient("x"), [0, 0, 0])
        try expectEqual(s.gradient("lo"), [0])
        try expectEqual(s.gradient("hi"), [3])
    }

    @Test func clipKeepsNaN() throws {
        // torch.clamp(nan, 0, 1) is nan.
        expectTrue(Solved(try loadExpression("input x = 0; y = clip(ln(x - 1), 0, 1)")).output.isNaN)
    }

    @Test func clipOfShapesThatDoNotBroadcastNamesClip() {
        switch GraphLoader.load(expression: "input x = [1, 2]; input lo = [0, 0, 0]; y = clip(x, lo, 1)", values: []) {
        case .success: Issue.record("clip of [2] and [3] loaded")
        case .failure(let failure):
            expectContains(failure.rendered(), "error: clip(x, lo, hi) needs x [2], lo [3] and hi", "\(failure.rendered())")
        }
    }
}
