import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

/// Exercise 9 (EXERCISES.md): the MLP with one ReLU hidden layer, softmax and cross-entropy.
func mlp() -> Graph {
    let path = repositoryRoot.appendingPathComponent("Graphs/mlp-relu-softmax.grad").path
    return try! GraphLoader.load(path: path).get()
}

/// Backprop through tensors, stepped as a new user would: `r`, then `n` to the end.
@Suite("Tensors in the explorer")
struct TensorExplanationTests {
    /// The course's numbers for exercise 9.
    static let w1Row0 = [0, 0, -0.18971031960945403]
    static let wRow2 = [-0.3548497243297318, -0.27599423003423584]
    static let bBar = -0.39427747147747977
    static let xBar = [-0.1458826644466675, -0.18531041159441547]

    @Test func reverseStepsReachEveryGradientWithItsSentence() {
        let g = mlp()
        var s = ExplorerState(graph: g, size: (120, 40))
        s.press("r")
        var screens: [Int: String] = [:]
        while s.stepper.position < s.stepper.count {
            s.press("n")
            let node = s.stepper.current!
            let text = s.screen
            screens[node] = text
            // Every computed step writes its chain rule with numbers: tensors in brackets.
            if node >= s.tape.firstComputed && node != s.tape.output {
                expectContains(text, "v̄\(s.tape.label(node).dropFirst()) = v̄", "step \(s.stepper.position)")
            }
        }
        // The last four steps are the params' and the input's own: W̄1, B̄, W̄, x̄.
        let leaves = ["W1", "B", "W", "x"].map { g.node(named: $0)! }
        expectEqual(Array(s.stepper.order.suffix(4)), leaves)
        let w1 = screens[leaves[0]]!, b = screens[leaves[1]]!, w = screens[leaves[2]]!, x = screens[leaves[3]]!
        expectContains(w1, "∂L/∂W1 = v̄₀: this step completes it")
        expectContains(w1, "v̄₀ = v̄₄·∂v₄/∂v₀")
        expectContains(w1, "= v̄₄ · v₃ᵀ")
        expectContains(w1, "[[0, 0, −0.18971], [0, 0, 0.18971]]")
        expectContains(b, "v̄₋₁ = Σ v̄₂·∂v₂/∂v₋₁")
        expectContains(b, "= Σ v̄₂")
        expectContains(b, "= Σ [0, 0, −0.3943]")
        expectContains(b, "= −0.394277")
        expectContains(w, "= v̄₁ · v₋₃ᵀ")
        expectContains(w, "[−0.35485  −0.27599]", "W̄ as an aligned matrix")
        expectContains(x, "= v₋₂ᵀ · v̄₁")
        expectContains(x, "= [−0.145883, −0.18531]")
        // The numbers are the course's.
        let adjoints = s.stepper.shownAdjoints
        func value(_ name: String) -> [Double] { Array(s.stepper.slice(adjoints, g.node(named: name)!)) }
        expectTrue(zip(value("W1").prefix(3), Self.w1Row0).allSatisfy { isClose($0, $1, rel: 1e-12) })
        expectTrue(zip(value("W").suffix(2), Self.wRow2).allSatisfy { isClose($0, $1, rel: 1e-12) })
        expectTrue(isClose(value("B")[0], Self.bBar, rel: 1e-12))
        expectTrue(zip(value("x"), Self.xBar).allSatisfy { isClose($0, $1, rel: 1e-12) })
    }

    @Test func inspectorShowsTheVJPWithNumbersAndWhatItPassesOn() {
        var s = ExplorerState(graph: mlp(), size: (120, 40))
        s.press("r", "n", "n", "n")  // v₄ = W1 @ h, the logits
        let text = s.screen
        expectContains(text, "v̄₄ = v̄₅·∂v₅/∂v₄")
        expectContains(text, "v₅ ⊙ (v̄₅ − Σ v̄₅⊙v₅)")
        expectContains(text, "= [−0.285708, 0.285708]")
        expectContains(text, "passes on to its operands:")
        expectContains(text, "→ v̄₃ += v₀ᵀ · v̄₄")
        expectContains(text, "= [−0.0142854, 0.222852, −0.394277]")
        // The trace pane shows the vectors' numbers, not their shapes.
        expectContains(text, "[0, 0, 0.664]")
        expectContains(text, "[−0.285708, 0.285708]")
    }

    @Test func forwardModeSeededOnOneElementIsThatPartial() {
        var s = ExplorerState(graph: mlp(), size: (120, 40))
        s.press(":")
        s.enter("mode forward W[2, 0]")
        s.press("G")
        expectEqual(s.phase, .forward)
        expectContains(s.screen, "∂L/∂W[2,0] = L̇ = −0.35485")
        let out = s.stepper.slice(s.stepper.tangents, s.tape.output).first!
        expectTrue(isClose(out, Self.wRow2[0], rel: 1e-12))
        s.press(":")
        s.enter("mode forward W[3,0]")
        expectEqual(s.message?.text.contains("out of range"), true)
    }

    @Test func seedKeyStepsThroughInputsAndElements() {
        var s = ExplorerState(graph: mlp(), size: (120, 40))
        s.press("f", "G")
        // The whole of x seeded at once is a directional derivative, and says so.
        expectContains(s.screen, "D_1 L = L̇ = −0.331193")
        expectNotContains(s.screen, "∂L/∂x =")
        s.press("s", "G")
        expectEqual(s.tangentSeed, TangentSeed(leaf: 0, element: 0))
        expectContains(s.screen, "∂L/∂x[0] = L̇ = −0.145883")
        s.press("s", "G")
        expectContains(s.screen, "∂L/∂x[1] = L̇ = −0.18531")
        s.press("s")
        expectEqual(s.tangentSeed, TangentSeed(leaf: s.graph.node(named: "W")!))
    }

    @Test func inspectorTakesTheFocusScrollsAndExpandsTheGradient() {
        var s = ExplorerState(graph: mlp(), size: (80, 24))
        s.press("r", "n", "n", "n")
        expectContains(s.screen, "(Tab here to expand)")
        s.press("tab", "tab")
        expectEqual(s.focus, .inspector)
        let before = s.screen
        expectNotContains(before, "(Tab here to expand)")
        s.press("down", "down")
        expectEqual(s.inspectorScroll, 2)
        expectTrue(s.screen != before)
        s.press("up", "up", "up")
        expectEqual(s.inspectorScroll, 0)
    }

    @Test func screenAtTheEndOfBackprop() {
        var s = ExplorerState(graph: mlp(), size: (120, 40))
        s.press("r", "G")
        assertSnapshot(s.screen, named: "mlp-reverse-end-120x40")
    }
}

/// One rule for kinks: a relu on a vector with an element at 0 is a kink in the inspector, the
/// graph pane and the trace alike (DOT: `DotWriterTests`).
@Test func vectorKinksAreKinksEverywhere() async throws {
    var s = ExplorerState(graph: baydin(), size: (120, 40))
    await s.command("expr sum(relu(x)) @ x=[0, 1]")
    s.press("G")
    s.enter("/v₁")
    expectContains(s.screen, "kink at element 0: not differentiable here")
    let roles = s.render().roleLines { $0.role == .kink ? "!" : "." }
    let graphRows = roles.prefix(ScreenLayout(width: 120, height: 40).graph.maxY)
    expectTrue(graphRows.contains { $0.contains("!") }, "the graph pane marks the box")
    // A failure, not a trap that ends the whole run, when the expression has not loaded.
    let relu = try #require(s.tape.entries.firstIndex { $0.op == .relu })
    expectEqual(Trace(tape: s.tape, values: s.evaluation.values, phase: .reverse).rows.first { $0.node == relu }?.kink, true)
}

/// Issue 9's screen items that live in the panes.
@Suite("Screen wording")
struct ScreenWordingTests {
    @Test func forwardStepsHaveOneEqualsSign() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("f", "G")
        expectNotContains(s.screen, "= =")
        expectContains(s.screen, "   = 5.5")
    }

    @Test func asciiGradientReadsAsADerivative() {
        var s = ExplorerState(graph: mlp(), size: (120, 40), glyphs: .ascii)
        s.press("r", "G")
        // What a terminal without UTF-8 shows.
        let text = String(s.screen.map(\.asciiFallback))
        expectContains(text, "dL/dW = ")
        expectContains(text, "dL/dx = [-0.145883, -0.18531]")
    }

    @Test func longNamesAreBarredWhole() {
        expectEqual(Explanation.decorated("loss", "\u{0304}"), "l̄ōs̄s̄")
        expectEqual(Explanation.decorated("x1", "\u{0304}"), "x̄1")
    }

    @Test func notComputedYetIsNotAMultiplicationDot() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("v")
        let summary = s.screen.split(separator: "\n").first { $0.contains("│ y = ") }
        expectEqual(summary?.contains("y = …"), true)
    }

    @Test func traceColumnsKeepEveryDigit() async {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        await s.command("expr x * 0.5 @ x=-0.0000143794")
        s.press("G")
        expectContains(s.screen, "−1.43794e−5")
        expectContains(s.screen, "−7.1897e−6")
    }
}
