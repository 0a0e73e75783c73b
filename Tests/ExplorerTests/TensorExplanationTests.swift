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
                #expect(text.contains("v̄\(s.tape.label(node).dropFirst()) = v̄"), "step \(s.stepper.position)")
            }
        }
        // The last four steps are the params' and the input's own: W̄1, B̄, W̄, x̄.
        let leaves = ["W1", "B", "W", "x"].map { g.node(named: $0)! }
        #expect(Array(s.stepper.order.suffix(4)) == leaves)
        let w1 = screens[leaves[0]]!, b = screens[leaves[1]]!, w = screens[leaves[2]]!, x = screens[leaves[3]]!
        #expect(w1.contains("∂L/∂W1 = v̄₀: this step completes it"))
        #expect(w1.contains("v̄₀ = v̄₄·∂v₄/∂v₀"))
        #expect(w1.contains("= v̄₄ · v₃ᵀ"))
        #expect(w1.contains("[[0, 0, −0.18971], [0, 0, 0.18971]]"))
        #expect(b.contains("v̄₋₁ = Σ v̄₂·∂v₂/∂v₋₁"))
        #expect(b.contains("= Σ v̄₂"))
        #expect(b.contains("= Σ [0, 0, −0.3943]"))
        #expect(b.contains("= −0.394277"))
        #expect(w.contains("= v̄₁ · v₋₃ᵀ"))
        #expect(w.contains("[−0.35485  −0.27599]"), "W̄ as an aligned matrix")
        #expect(x.contains("= v₋₂ᵀ · v̄₁"))
        #expect(x.contains("= [−0.145883, −0.18531]"))
        // The numbers are the course's.
        let adjoints = s.stepper.shownAdjoints
        func value(_ name: String) -> [Double] { Array(s.stepper.slice(adjoints, g.node(named: name)!)) }
        #expect(zip(value("W1").prefix(3), Self.w1Row0).allSatisfy { isClose($0, $1, rel: 1e-12) })
        #expect(zip(value("W").suffix(2), Self.wRow2).allSatisfy { isClose($0, $1, rel: 1e-12) })
        #expect(isClose(value("B")[0], Self.bBar, rel: 1e-12))
        #expect(zip(value("x"), Self.xBar).allSatisfy { isClose($0, $1, rel: 1e-12) })
    }

    @Test func inspectorShowsTheVJPWithNumbersAndWhatItPassesOn() {
        var s = ExplorerState(graph: mlp(), size: (120, 40))
        s.press("r", "n", "n", "n")  // v₄ = W1 @ h, the logits
        let text = s.screen
        #expect(text.contains("v̄₄ = v̄₅·∂v₅/∂v₄"))
        #expect(text.contains("v₅ ⊙ (v̄₅ − Σ v̄₅⊙v₅)"))
        #expect(text.contains("= [−0.285708, 0.285708]"))
        #expect(text.contains("passes on to its operands:"))
        #expect(text.contains("→ v̄₃ += v₀ᵀ · v̄₄"))
        #expect(text.contains("= [−0.0142854, 0.222852, −0.394277]"))
        // The trace pane shows the vectors' numbers, not their shapes.
        #expect(text.contains("[0, 0, 0.664]"))
        #expect(text.contains("[−0.285708, 0.285708]"))
    }

    @Test func forwardModeSeededOnOneElementIsThatPartial() {
        var s = ExplorerState(graph: mlp(), size: (120, 40))
        s.press(":")
        s.enter("mode forward W[2, 0]")
        s.press("G")
        #expect(s.phase == .forward)
        #expect(s.screen.contains("∂L/∂W[2,0] = L̇ = −0.35485"))
        let out = s.stepper.slice(s.stepper.tangents, s.tape.output).first!
        #expect(isClose(out, Self.wRow2[0], rel: 1e-12))
        s.press(":")
        s.enter("mode forward W[3,0]")
        #expect(s.message?.text.contains("out of range") == true)
    }

    @Test func seedKeyStepsThroughInputsAndElements() {
        var s = ExplorerState(graph: mlp(), size: (120, 40))
        s.press("f", "G")
        // The whole of x seeded at once is a directional derivative, and says so.
        #expect(s.screen.contains("D_1 L = L̇ = −0.331193"))
        #expect(!s.screen.contains("∂L/∂x ="))
        s.press("s", "G")
        #expect(s.tangentSeed == TangentSeed(leaf: 0, element: 0))
        #expect(s.screen.contains("∂L/∂x[0] = L̇ = −0.145883"))
        s.press("s", "G")
        #expect(s.screen.contains("∂L/∂x[1] = L̇ = −0.18531"))
        s.press("s")
        #expect(s.tangentSeed == TangentSeed(leaf: s.graph.node(named: "W")!))
    }

    @Test func inspectorTakesTheFocusScrollsAndExpandsTheGradient() {
        var s = ExplorerState(graph: mlp(), size: (80, 24))
        s.press("r", "n", "n", "n")
        #expect(s.screen.contains("(Tab here to expand)"))
        s.press("tab", "tab")
        #expect(s.focus == .inspector)
        let before = s.screen
        #expect(!before.contains("(Tab here to expand)"))
        s.press("down", "down")
        #expect(s.inspectorScroll == 2)
        #expect(s.screen != before)
        s.press("up", "up", "up")
        #expect(s.inspectorScroll == 0)
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
    #expect(s.screen.contains("kink at element 0: not differentiable here"))
    let roles = s.render().roleLines { $0.role == .kink ? "!" : "." }
    let graphRows = roles.prefix(ScreenLayout(width: 120, height: 40).graph.maxY)
    #expect(graphRows.contains { $0.contains("!") }, "the graph pane marks the box")
    // A failure, not a trap that ends the whole run, when the expression has not loaded.
    let relu = try #require(s.tape.entries.firstIndex { $0.op == .relu })
    #expect(Trace(tape: s.tape, values: s.evaluation.values, phase: .reverse).rows.first { $0.node == relu }?.kink == true)
}

/// Issue 9's screen items that live in the panes.
@Suite("Screen wording")
struct ScreenWordingTests {
    @Test func forwardStepsHaveOneEqualsSign() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("f", "G")
        #expect(!s.screen.contains("= ="))
        #expect(s.screen.contains("   = 5.5"))
    }

    @Test func asciiGradientReadsAsADerivative() {
        var s = ExplorerState(graph: mlp(), size: (120, 40), glyphs: .ascii)
        s.press("r", "G")
        // What a terminal without UTF-8 shows.
        let text = String(s.screen.map(\.asciiFallback))
        #expect(text.contains("dL/dW = "))
        #expect(text.contains("dL/dx = [-0.145883, -0.18531]"))
    }

    @Test func longNamesAreBarredWhole() {
        #expect(Explanation.decorated("loss", "\u{0304}") == "l̄ōs̄s̄")
        #expect(Explanation.decorated("x1", "\u{0304}") == "x̄1")
    }

    @Test func notComputedYetIsNotAMultiplicationDot() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("v")
        let summary = s.screen.split(separator: "\n").first { $0.contains("│ y = ") }
        #expect(summary?.contains("y = …") == true)
    }

    @Test func traceColumnsKeepEveryDigit() async {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        await s.command("expr x * 0.5 @ x=-0.0000143794")
        s.press("G")
        #expect(s.screen.contains("−1.43794e−5"))
        #expect(s.screen.contains("−7.1897e−6"))
    }
}
