import Foundation
import Explorer
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

/// Quiz mode in the explorer, key by key over the in-memory canvas: `Q` hides the next value,
/// a right answer takes the step, a wrong one says why (each recognised mistake), `?` costs
/// half a point, and the score comes at the end. The wrong values are worked out by hand
/// from Baydin's example (x1 = 2, x2 = 5).
@Suite("Quiz mode key sequences")
struct QuizKeySequenceTests {
    /// The message and its panel as one text.
    func said(_ s: ExplorerState) -> String {
        guard let m = s.message else { return "" }
        return ([m.text] + m.detail).joined(separator: "\n")
    }

    @Test func qHidesTheNextValueAndARightAnswerTakesTheStep() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("r", "Q")
        expectTrue(s.quiz != nil && s.prompt != nil)
        expectContains(s.screen, "v̄₅ = ")
        expectContains(s.screen, "v̄ ?")
        s.enter("1")
        expectEqual(s.stepper.position, 1)
        expectHasPrefix(said(s), "✓ v̄₅ = 1")
        expectContains(s.screen, "quiz 1/7")
        // The next question, v̄₄, is `?` in the trace and the inspector.
        expectEqual(s.quizHidden, s.stepper.order[1])
        expectContains(s.screen, "v̄₄ = v̄₅·∂v₅/∂v₄ = ?")
    }

    @Test func aWholeReverseQuizWithEveryScalarMistake() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("r", "Q")
        s.enter("0")
        expectContains(said(s), "the seed forgotten")
        expectEqual(s.stepper.position, 0)
        s.enter("1")                 // v̄₅
        s.enter("1")                 // v̄₄
        s.enter("1")                 // v̄₃ = −v̄₅
        expectContains(said(s), "a sign lost in −")
        expectContains(said(s), "v̄₃ = v̄₅·∂v₅/∂v₃")
        s.enter("-1")
        s.enter("1")                 // v̄₂
        s.enter("1")                 // v̄₁
        s.enter("2")                 // v̄₀ with only v₂'s term
        expectContains(said(s), "only v₂'s term")
        s.enter("\(5 - cos(5.0))")   // ∂(x1·x2)/∂x2 taken as x2
        expectContains(said(s), "taken with respect to the other operand")
        s.enter("\(2 - cos(sin(5.0)))") // cos evaluated at sin 5
        expectContains(said(s), "evaluated at the wrong node")
        expectEqual(s.stepper.position, 5)
        s.enter("1.71634")
        s.enter("\(5 + 1 / log(2.0))") // 1/x1 evaluated at ln x1
        expectContains(said(s), "evaluated at the wrong node")
        s.enter("5.5")
        // Right at the first try: v̄₄, v̄₂, v̄₁ only.
        expectTrue(s.quiz == nil && s.prompt == nil)
        expectContains(said(s), "Quiz done: score 3/7")
        expectEqual(s.stepper.position, s.stepper.count)
    }

    @Test func theSeedAppliedTwice() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press(":")
        s.enter("seed 3")
        s.press(":")
        s.enter("quiz reverse")
        expectTrue(s.phase == .reverse && s.quiz != nil)
        s.enter("9")
        expectContains(said(s), "the seed 3 applied twice")
        s.enter("3")
        s.enter("1")
        expectTrue(said(s).contains("the seed v̄₅ = 3 left out") || said(s).contains("ȳ = 3 left out"))
    }

    @Test func tensorsAndATransposedVJP() async {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        await s.command("expr param W = [[1, 2], [3, 4]]; input x = [1, -1]; y = sum(W @ x)")
        s.press("r", "Q")
        s.enter("1")
        s.enter("[1, 1]")
        expectEqual(s.stepper.position, 2)
        // x̄ = Wᵀ·[1, 1] = [4, 6]; W·[1, 1] = [3, 7] forgot the transpose.
        s.enter("[3, 7]")
        expectContains(said(s), "not transposed in the VJP")
        s.enter("[4, 6]")
        s.enter("[[1, 1], [-1, -1]]")
        expectContains(said(s), "transposed")
        s.enter("[1, 2]")
        expectContains(said(s), "the answer has 2 elements")
        s.enter("[[1, -1], [1, -1]]")
        expectContains(said(s), "Quiz done: score 2/4")
    }

    @Test func hintsCostHalfAPointEach() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press(":")
        s.enter("quiz reverse")
        for answer in ["1", "1", "-1", "1", "1"] { s.enter(answer) }
        s.enter("?")
        expectContains(said(s), "v̄₀ = v̄₃·∂v₃/∂v₀ + v̄₂·∂v₂/∂v₀ = v̄₃·cos v₀ + v̄₂·v₋₁")
        s.enter("?")
        expectContains(said(s), "(−1)·0.283662 + 1·2")
        s.enter("?")
        expectContains(said(s), "no more hints")
        s.enter("1.7163")
        expectContains(s.screen, "quiz 5/7")
        s.enter("5.5")
        expectContains(said(s), "score 6/7")
    }

    @Test func primalAndForwardQuizzes() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("Q")
        expectEqual(s.phase, .primal)
        expectContains(s.screen, "v₁ = ln v₋₁ = ?")
        s.enter("0.6931")
        s.enter("10")
        s.enter("\(sin(5.0))")
        s.enter("\(log(2.0) + 10)")
        s.enter("\(log(2.0) + 10 + sin(5.0))")
        expectContains(said(s), "a sign lost in −")
        s.press("escape")
        expectTrue(s.quiz == nil && s.prompt == nil)
        expectContains(said(s), "quiz stopped at step 5 of 5: score 4/5")
        s.press(":")
        s.enter("quiz forward")
        expectEqual(s.phase, .forward)
        s.enter("0.5")
        s.enter("2")                 // v̇₂ = v̇₋₁·x2 = 5, not x1
        expectContains(said(s), "taken with respect to the other operand")
    }

    @Test func badAnswersAndUnknownPhasesSaySo() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("r", "Q")
        s.enter("one")
        expectTrue(s.message?.kind == .error && said(s).contains("'one' is not a number"))
        expectTrue(s.prompt?.text == "one" && s.stepper.position == 0)
        s.press("escape")
        s.press(":")
        s.enter("quiz sideways")
        expectContains(said(s), ":quiz takes primal, forward, reverse or off")
    }

    @Test func theInspectorShowsTheCodeLineOfTheStep() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("r", "n", "n", "n")
        // Step 3 visits v₃ = sin x2: its reverse statement sends x2 its cos term.
        expectEqual(s.stepper.current, s.stepper.order[2])
        expectContains(s.screen, "numpy: dx2 = dv3 * np.cos(x2)")
        s.press("v", "n")
        expectContains(s.screen, "numpy: v1 = np.log(x1)")
        s.press("f", "n")
        expectNotContains(s.screen, "numpy:")
    }

    @Test func laterQuestionsStayHiddenWhenClicked() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("r", "Q")
        for answer in ["1", "1", "-1", "1"] { s.enter(answer) }
        // x1 has received v₂'s term (5) by now: a click on its trace row shows its formula,
        // not the sum so far.
        let rows = s.screen.split(separator: "\n", omittingEmptySubsequences: false)
        let y = rows.firstIndex { $0.contains("v₋₁ x1 input") } ?? -1
        s.reduce(.input(.mouse(x: 3, y: y, kind: .press(button: 1))))
        expectEqual(s.selection, 0)
        expectContains(s.screen, "v̄₋₁ = v̄₂·∂v₂/∂v₋₁ + v̄₁·∂v₁/∂v₋₁")
        expectContains(s.screen, "= … (asked")
        expectNotContains(s.screen, "so far")
        // Without the quiz the same step shows it.
        var plain = ExplorerState(graph: baydin(), size: (120, 40))
        plain.press("r", "n", "n", "n", "n")
        expectContains(plain.screen, "∂y/∂x1 = 5 so far")
    }
}
