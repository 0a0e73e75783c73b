import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

/// The step strip: the current step's equation is on screen at every size from 80×24 up,
/// whatever the inspector shows; the graph pane shows the step's node with its operands.
@Suite("Step strip")
struct StepStripTests {
    static let sizes: [(Int, Int)] = [(80, 24), (100, 30), (120, 40), (200, 55)]

    /// The text of `rect` on the screen, row by row.
    static func text(_ s: ExplorerState, in rect: Rect) -> [String] {
        s.render().lines()[rect.y ..< rect.maxY].map { line in
            String(Array(line).dropFirst(rect.x).prefix(rect.width))
        }
    }

    /// ∂v₃/∂v₀ = cos 5 with six significant digits, as the explorer writes numbers.
    static let cos5 = String(format: "%.6f", cos(5.0))

    @Test func reverseStepThreeShowsWhatV3PassesToV0() {
        for size in Self.sizes { reverseStepThree(size) }
    }

    func reverseStepThree(_ size: (Int, Int)) {
        var s = ExplorerState(graph: baydin(), size: size)
        s.press("r", "n", "n", "n")
        expectEqual(Self.cos5, "0.283662")
        // y = v₄ − v₃, so v̄₃ = −1; it sends v̄₃·cos v₀ to v₀: the `→` line and the lines that
        // continue it (`   = …`) where the strip is narrow.
        let strip = Self.text(s, in: ScreenLayout(width: size.0, height: size.1).step)
        let k = strip.firstIndex { $0.contains("→ v̄₀ (x2) += v̄₃·∂v₃/∂v₀") }
        let term = k.map { k in [strip[k]] + strip[(k + 1)...].prefix { $0.hasPrefix("│    = ") } } ?? []
        expectTrue(term.contains { $0.contains("(−1)·\(Self.cos5)") }, "\(size)\n\(strip.joined(separator: "\n"))")
        expectEqual(term.last?.contains("= \(Format.short(-cos(5.0)))"), true)
        // At 80×24 and 100×30 the whole term is one line.
        if size.0 <= 100 { expectEqual(term.count, 1) }
        expectContains(s.screen, "Step 3/7")
    }

    @Test func theStepStaysOnScreenWhateverTheInspectorShows() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press("r", "n", "n", "n")
        // Focus the inspector, scroll it down, then select another node in the trace.
        s.press("tab", "tab", "down", "down", "down")
        expectContains(s.screen, "(−1)·\(Self.cos5)")
        s.press("tab", "tab", "down")   // back to the trace: another node selected
        expectTrue(s.inspected != s.stepper.current)
        expectContains(s.screen, "(−1)·\(Self.cos5)")
        // The next step replaces it: v₂ = v₋₁·v₀ sends v̄₂·v₀ to x1 and v̄₂·v₋₁ to x2.
        s.press("n")
        let lines = s.render().lines()
        expectTrue(lines.contains { $0.contains("→ v̄₋₁ (x1) += ") && $0.contains("1·5 = 5") })
        expectTrue(lines.contains { $0.contains("→ v̄₀ (x2) += ") && $0.contains("1·2 = 2") })
    }

    /// A reverse quiz: the step just answered (v̄₄) sends 1 to v₁ and v₂, whose adjoints are
    /// later questions with one term each, so the strip writes those terms without numbers.
    @Test func aQuizDoesNotGiveLaterAnswersAway() {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.press("r", "Q")
        s.enter("1")
        s.enter("1")
        let strip = Self.text(s, in: ScreenLayout(width: 100, height: 30).step)
        expectTrue(strip.contains { $0.contains("v̄₄ = ") })
        expectTrue(strip.contains { $0.contains("→ v̄₁ += v̄₄·∂v₄/∂v₁ = v̄₄ = … (asked later)") }, "\(strip)")
        expectTrue(!strip.contains { $0.contains("→ v̄₁") && $0.contains("1·1") })
    }

    @Test func stepZeroSaysWhatToPress() {
        let s = ExplorerState(graph: baydin(), phase: .reverse, size: (80, 24))
        expectContains(s.screen, "Step 0/7")
        expectContains(s.screen, "press n to take the first step")
    }

    @Test func primalAndForwardStepsShowTheirEquationWithNumbers() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press("n")   // v₁ = ln v₋₁ = ln 2
        expectContains(s.screen, "v₁ = ln v₋₁ = ln 2 = \(Format.short(log(2.0)))")
        s.press("f", "n", "n")   // v̇₂ = v̇₋₁·v₀ + v₋₁·v̇₀ = 1·5 + 2·0 = 5
        expectTrue(s.render().lines().contains { $0.contains("v̇₂ = v̇₋₁·∂v₂/∂v₋₁ + v̇₀·∂v₂/∂v₀") && $0.contains("1·5 + 0·2 = 5 ") }, "\(s.screen)")
    }

    /// The matmul step of the MLP sends v̄·xᵀ to W: the transpose, its numbers and the 3×2
    /// result, all on a 100×30 screen. Computed here by hand: z = W·x + B, h = relu(z),
    /// p = softmax(W1·h), L = −ln p₀; so ∂L/∂z = (W1ᵀ(p − t)) ⊙ [z > 0], and W̄ = ∂L/∂z · xᵀ.
    /// The last row of W̄ (the others are zero: dead ReLUs) and x̄ = Wᵀ·∂L/∂z, by hand as above.
    static func mlpGradients() -> (wRow2: String, x: String) {
        let x = [0.9, 0.7], W = [[-0.3, 0.15], [0.32, -0.91], [0.37, 0.47]], B = 0.002
        let W1 = [[0.15, -0.46, 0.59], [0.10, 0.32, -0.79]]
        let z = W.map { $0[0] * x[0] + $0[1] * x[1] + B }
        let h = z.map { max(0, $0) }
        let o = W1.map { row in zip(row, h).map(*).reduce(0, +) }
        let e = o.map(exp), p = e.map { $0 / e.reduce(0, +) }
        let dz = (0..<3).map { j in (W1[0][j] * (p[0] - 1) + W1[1][j] * p[1]) * (z[j] > 0 ? 1 : 0) }
        expectTrue(dz[0] == 0 && dz[1] == 0)
        return ("[\(Format.short(dz[2] * x[0])), \(Format.short(dz[2] * x[1]))]",
                "[\(Format.short(W[2][0] * dz[2])), \(Format.short(W[2][1] * dz[2]))]")
    }

    @Test func theMatmulStepShowsTheTransposeWithNumbers() throws {
        let path = repositoryRoot.appendingPathComponent("Graphs/mlp-relu-softmax.grad").path
        let g = try GraphLoader.load(path: path).get()
        var s = ExplorerState(graph: g, phase: .reverse, size: (100, 30))
        let row2 = Self.mlpGradients().wRow2
        var found = false
        for _ in 0 ..< s.stepper.count {
            s.press("n")
            let lines = Self.text(s, in: ScreenLayout(width: 100, height: 30).step)
            guard let k = lines.firstIndex(where: { $0.contains("→ v̄₋₂ (W) += ") }) else { continue }
            found = true
            expectTrue(lines[k].contains("ᵀ") && lines[k].contains("[0.9, 0.7]ᵀ"), "\(lines)")
            expectTrue(lines[k ... k + 1].contains { $0.contains("[[0, 0], [0, 0], \(row2)]") }, "\(lines)")
            break
        }
        expectTrue(found)
    }

    /// At 80×24 the strip has three lines: the matmul step's equations lose their symbolic
    /// forms and substituted numbers, and keep each formula (with its transpose) and result.
    @Test func aSmallStripShortensEquationsBeforeCuttingThem() throws {
        let path = repositoryRoot.appendingPathComponent("Graphs/mlp-relu-softmax.grad").path
        var s = ExplorerState(graph: try GraphLoader.load(path: path).get(), phase: .reverse, size: (80, 24))
        while s.stepper.current.map({ s.tape.label($0) }) != "v₁" && s.stepper.position < s.stepper.count { s.press("n") }
        let strip = Self.text(s, in: ScreenLayout(width: 80, height: 24).step)
        expectTrue(strip.contains { $0.contains("→ v̄₋₂ (W) += v̄₁ · v₋₃ᵀ = [[0, 0], [0, 0], \(Self.mlpGradients().wRow2)]") }, "\(strip)")
        expectTrue(strip.contains { $0.contains("→ v̄₋₃ (x) += v₋₂ᵀ · v̄₁ = \(Self.mlpGradients().x)") }, "\(strip)")
        expectTrue(!strip.contains { $0.contains("more") })
    }

    /// Shortest of all, a tensor too big for a line is written as its shape, so every term of
    /// the step still shows: the bias add of a convolution sends its 2×4×4 adjoint on and its
    /// per-channel sums to b.
    @Test func aSmallStripWritesBigTensorsAsShapes() throws {
        let path = repositoryRoot.appendingPathComponent("Graphs/conv-relu-pool.grad").path
        var s = ExplorerState(graph: try GraphLoader.load(path: path).get(), phase: .reverse, size: (80, 24))
        while s.stepper.current.map({ s.tape.names[$0] }) != "z" && s.stepper.position < s.stepper.count { s.press("n") }
        let strip = Self.text(s, in: ScreenLayout(width: 80, height: 24).step).joined(separator: "\n")
        expectContains(strip, "= [2×4×4]", "\(strip)")
        expectTrue(strip.contains("→ v̄₁ += v̄₂ = [2×4×4]") && strip.contains("→ v̄₀ (b) += "), "\(strip)")
        expectNotContains(strip, "more")
    }

    @Test func theGraphPaneShowsTheStepsNodeAndItsOperands() {
        for size in Self.sizes { graphPane(size) }
    }

    func graphPane(_ size: (Int, Int)) {
        var s = ExplorerState(graph: baydin(), size: size)
        let graph = ScreenLayout(width: size.0, height: size.1).graph
        s.press("r")
        for _ in 0 ..< s.stepper.count {
            s.press("n")
            guard let i = s.stepper.current else { continue }
            let pane = Self.text(s, in: graph).joined(separator: "\n")
            expectContains(pane, GraphView.header(s.tape, i), "step \(s.stepper.position) at \(size)\n\(pane)")
            // Operands: their values are on screen (the header may be cut at 80×24).
            for a in s.tape.entries[i].operands where size.1 >= 30 {
                expectContains(pane, GraphView.header(s.tape, a), "operand \(a) at step \(s.stepper.position), \(size)\n\(pane)")
            }
        }
    }

    @Test func whatDoesNotFitSaysHowMuchMore() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press("r", "n")
        // The inspector has more than its rows: its last row counts the rest.
        expectTrue(s.screen.range(of: #"↓ \d+ more \(Tab here, then ↓\)"#, options: .regularExpression) != nil)
        s.press("tab", "tab")
        expectTrue(s.screen.range(of: #"↓ \d+ more \(↓ to scroll\)"#, options: .regularExpression) != nil)
        // A narrow strip: the matmul step's lines do not fit in 40 columns.
        let path = repositoryRoot.appendingPathComponent("Graphs/mlp-relu-softmax.grad").path
        var m = ExplorerState(graph: try! GraphLoader.load(path: path).get(), phase: .reverse, size: (60, 20))
        m.press("n", "n", "n", "n", "n", "n")
        expectContains(m.screen, "more (Tab to the inspector for all of it)", "\(m.screen)")
    }

    @Test func panesTileTheScreenWithoutOverlapAtEverySize() {
        for w in stride(from: 40, through: 220, by: 7) {
            for h in stride(from: 12, through: 60, by: 5) {
                let l = ScreenLayout(width: w, height: h)
                let panes = [l.graph, l.step, l.trace, l.inspector, l.message, l.status]
                expectEqual(panes.map(\.area).reduce(0, +), w * h, "\(w)×\(h)")
                for (a, p) in panes.enumerated() {
                    for q in panes[(a + 1)...] { expectTrue(!p.intersects(q), "\(w)×\(h): \(p) \(q)") }
                }
                expectTrue(l.step.height >= 4, "\(w)×\(h)")
            }
        }
    }

    @Test func tinyScreensDoNotCrash() {
        for size in [(0, 0), (1, 1), (2, 3), (40, 12)] {
            var s = ExplorerState(graph: baydin(), size: size)
            s.press("r", "n", "n", "n", "tab", "tab", "down")
            let canvas = s.render()
            expectTrue(canvas.width == size.0 && canvas.height == size.1)
        }
    }
}
