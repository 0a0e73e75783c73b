import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Plot
import Testing
import TestSupport

/// The derivatives view (`d`, `H`, `F`, `T`) and forward mode in dual numbers (`D`), key by key.
@Suite("Derivatives view and dual numbers")
struct DerivativesViewTests {
    static func graph(_ name: String) throws -> Graph {
        try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(name)").path).get()
    }

    static func report(_ s: ExplorerState) throws -> DerivativeReport {
        let view = try #require(s.derivatives)
        return try view.report.get()
    }

    @Test func dShowsTheOutputsDerivativeThreeWays() throws {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("d")
        let r = try Self.report(s)
        // EXERCISES.md 1: ∂y/∂x1 = v̇₅ = 5.5 at (2, 5).
        expectTrue(r.function == "y" && r.variable == "x1" && r.point == 2 && r.value == 11.652071455223084)
        expectTrue(isClose(r.ad, 5.5, rel: 1e-12))
        expectTrue(isClose(r.check.numeric, 5.5, rel: 1e-8))
        expectTrue(r.check.relativeError < 1e-8 && r.verdict == .pass)
        guard case let .derivative(text, value, tree, dag) = r.symbolic else {
            Issue.record("no symbolic derivative: \(r.symbolic)")
            return
        }
        expectTrue(isClose(value, 5.5, rel: 1e-12))
        expectTrue(text != nil && tree >= dag && dag > 0)
        expectEqual(r.tapeNodes, 7)
        let screen = s.screen
        expectContains(screen, "∂y/∂x1 = 5.5")
        expectContains(screen, "pass")
        assertSnapshot(screen, named: "derivatives-120x40")
        s.press("escape")
        expectTrue(s.derivatives == nil)
        s.press("d", "d")
        expectTrue(s.derivatives == nil)
    }

    @Test func theSeedAndTheSelectionChooseTheDerivative() async throws {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        await s.command("mode forward x2")
        s.press("d")
        // EXERCISES.md 1: ∂y/∂x2 = v̄₀ = 1.7163378145367738.
        expectTrue(isClose(try Self.report(s).ad, 1.7163378145367738, rel: 1e-12))
        try expectEqual(Self.report(s).variable, "x2")
        // The selection: v₂ = x1·x2 (graph focus: j walks the tape from v₋₁), seed x1:
        // ∂v₂/∂x1 = x2 = 5. Selecting the input x2 instead gives ∂y/∂x2 again.
        var t = ExplorerState(graph: baydin(), size: (120, 40))
        t.press("j", "j", "j", "j", "d")
        let r = try Self.report(t)
        expectTrue(r.function == "v₂" && r.variable == "x1" && r.ad == 5)
        if case let .derivative(_, value, _, _) = r.symbolic { expectEqual(value, 5) } else { Issue.record("\(r.symbolic)") }
        t.press("k", "k")
        try expectTrue(Self.report(t).function == "y" && Self.report(t).variable == "x2")
        expectTrue(isClose(try Self.report(t).ad, 1.7163378145367738, rel: 1e-12))
    }

    @Test func theViewFollowsANewValue() async throws {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("d")
        await s.command("set x1=4")
        // ∂y/∂x1 = 1/x1 + x2 = 5.25 at x1 = 4.
        expectTrue(isClose(try Self.report(s).ad, 5.25, rel: 1e-12))
        try expectEqual(Self.report(s).point, 4)
    }

    @Test func hOpensTheSweepAndFTheFunctionPlot() throws {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("H")
        let view = try #require(s.derivatives)
        expectEqual(view.page, .sweep)
        expectContains(s.screen, "h-sweep of ∂y/∂x1")
        s.press("F")
        expectTrue(s.derivatives?.page == .function && s.derivatives?.taylor == false)
        expectContains(s.screen, "y and y′ against x1")
        s.press("F")
        expectEqual(s.derivatives?.page, .summary)
    }

    @Test func tOverlaysTheTaylorPolynomials() throws {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("T")
        expectTrue(s.derivatives?.page == .function && s.derivatives?.taylor == true)
        let screen = s.screen
        expectContains(screen, "Taylor polynomials T₁ T₂ T₃")
        expectContains(screen, "T₃")
        assertSnapshot(screen, named: "derivatives-taylor-120x40")
        // Taylor mode's coefficients of y in x1 at 2: y(2), 1/x1 + x2, −1/(2·x1²), 1/(3·x1³).
        let c = try #require(try Self.report(s).taylorCoefficients)
        let known = [11.652071455223084, 5.5, -0.125, 1.0 / 24]
        for k in 0...3 { expectTrue(isClose(c[k], known[k], rel: 1e-12), "c\(k) = \(c[k])") }
    }

    @Test func tensorGraphsHaveNoSymbolicDerivativeHere() throws {
        var s = ExplorerState(graph: try Self.graph("mlp-relu-softmax.grad"), size: (120, 40))
        s.press("d")
        let r = try Self.report(s)
        // EXERCISES.md 9: ∂L/∂x[0] = −0.1458826644466675.
        expectEqual(r.variable, "x[0]")
        expectTrue(isClose(r.ad, -0.1458826644466675, rel: 1e-9))
        guard case .unavailable(let why) = r.symbolic else { Issue.record("\(r.symbolic)"); return }
        expectContains(why, "scalar graphs")
        expectContains(s.screen, "symbolic differentiation is for scalar graphs")
    }

    @Test func bigGraphsSaySymbolicIsTooLarge() throws {
        var s = ExplorerState(graph: bigGraph(nodes: 400), size: (120, 40))
        s.press("d")
        guard case .unavailable(let why) = try Self.report(s).symbolic else { Issue.record("symbolic on 400 nodes"); return }
        expectContains(why, "too large")
        expectContains(s.screen, "too large here")
    }

    @Test func theViewWaitsForOptimisationModeToClose() throws {
        var s = ExplorerState(graph: try Self.graph("rosenbrock.grad"), size: (120, 40))
        s.press("O", "d")
        expectTrue(s.derivatives == nil)
        expectEqual(s.message?.text.contains("leave optimisation mode"), true)
        s.press("O", "d")
        expectTrue(s.derivatives != nil)
    }

    @Test func helpListsTheViewsKeys() {
        var s = ExplorerState(graph: baydin(), size: (120, 60))
        s.press("?")
        let screen = s.screen
        for text in ["derivatives view of the selection", "the h-sweep", "f and f′ around the point",
                     "Taylor polynomials of order 1–3", "dual numbers a + bε"] {
            expectContains(screen, text, "help lacks \(text)")
        }
    }

    @Test func dShowsForwardModeInDualNumbers() {
        var s = ExplorerState(graph: baydin(), phase: .forward, size: (120, 40))
        s.press("D", "G")
        expectTrue(s.dualNumbers)
        let screen = s.screen
        // EXERCISES.md 1: v₂ = 10 with v̇₂ = 5; y = 11.6521 with ẏ = 5.5.
        expectContains(screen, "2 + 1ε")
        expectContains(screen, "10 + 5ε")
        expectContains(screen, "11.6521 + 5.5ε")
        assertSnapshot(screen, named: "forward-dual-120x40")
        s.press("D")
        expectNotContains(s.screen, "10 + 5ε")
    }
}

@Test func readmeDerivativesViewExampleIsOnTheScreen() throws {
    let readme = try manualText()
    let begin = try #require(readme.range(of: "<!-- derivatives-view:begin -->\n```\n"))
    let end = try #require(readme.range(of: "```\n<!-- derivatives-view:end -->"))
    let lines = readme[begin.upperBound ..< end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    var s = ExplorerState(graph: baydin(), size: (120, 40))
    s.press("d")
    let screen = s.render().lines().map { String($0.dropFirst(2).dropLast()).replacingTrailingSpaces() }
    expectTrue(lines.count > 5)
    for (k, line) in lines.enumerated() {
        expectEqual(screen[1 + k], String(line), "README line \(k): \(line)")
    }
}

extension String {
    fileprivate func replacingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}

/// `J`: the Jacobian page of the derivatives view, for tensor nodes too.
@Suite("Derivatives view: the Jacobian page")
struct JacobianPageTests {
    @Test func softmaxJacobianIsTheClosedForm() async throws {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        await s.command("expr softmax(x) @ x=[1, 2, 3]")
        s.press("J")
        let view = try #require(s.derivatives)
        expectEqual(view.page, .jacobian)
        // E09: ∂oᵢ/∂xⱼ = oᵢ(δᵢⱼ − oⱼ), computed here from the softmax itself.
        let e = [1.0, 2, 3].map(Foundation.exp), total = e.reduce(0, +)
        let o = e.map { $0 / total }
        let lines = try #require(view.jacobianLines)
        for i in 0..<3 {
            let label = "∂y[\(i)]"
            let row = try #require(lines.first { line in line.split(separator: " ").first.map(String.init) == label })
            let numbers: [Double] = row.split(separator: " ").dropFirst().compactMap { word in
                Double(String(word).replacingOccurrences(of: "−", with: "-"))
            }
            expectEqual(numbers.count, 3, "\(row)")
            for j in 0..<3 where numbers.count == 3 {
                let expected: Double = o[i] * ((i == j ? 1.0 : 0.0) - o[j])
                expectTrue(abs(numbers[j] - expected) <= 1e-5 * max(1, abs(expected)), "J[\(i)][\(j)]: \(numbers[j]) against \(expected)")
            }
        }
        expectTrue(lines.contains { $0.hasPrefix("forward mode: 3 tangent sweeps") })
        expectContains(lines, "forward-built and reverse-built Jacobians agree")
        expectContains(s.screen, "Jacobian, by forward and by reverse mode")
        // J again goes back to the summary, which for a tensor points at J.
        s.press("J")
        expectEqual(s.derivatives?.page, .summary)
        expectContains(s.screen, "press J for its Jacobian")
    }

    @Test func aLossHasOneRowAndReverseModeWins() throws {
        var s = ExplorerState(graph: try DerivativesViewTests.graph("mlp-relu-softmax.grad"), size: (120, 40))
        s.press("J")
        let lines = try #require(s.derivatives?.jacobianLines)
        // One output (L), 2 + 6 + 1 + 6 = 15 input elements: one adjoint sweep against 15 tangent sweeps.
        expectEqual(lines.first?.hasSuffix("1 × 15, row i column j = ∂Lᵢ/∂(input j)"), true, "\(lines.first ?? "")")
        expectTrue(lines.contains { $0.hasPrefix("reverse mode wins: 1 output element < 15 input elements") })
        // Exercise 9: the row is the gradient, ∂L/∂B = −0.394277 among it.
        expectTrue(lines.contains { $0.contains("−0.394277") })
    }
}
