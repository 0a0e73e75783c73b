import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Issue 24's explorer items, each from the key sequence that showed it.
@Suite("Issue 24 in the explorer")
struct ExplorerIssue24Tests {
    /// `s` from primal mode seeds x1 first (it used to step past it to x2). On baydin,
    /// ∂y/∂x1 = 1/x1 + x2 = 0.5 + 5 = 5.5 and ∂y/∂x2 = x1 − cos x2 = 2 − cos 5 = 1.716338.
    @Test func sFromPrimalSeedsTheFirstInput() throws {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        expectEqual(s.phase, .primal)
        s.press("s")
        expectEqual(s.phase, .forward)
        expectEqual(s.seedLeaf, s.graph.node(named: "x1"))
        expectContains(s.screen, "forward, seed ẋ1 = 1", "\(s.screen)")
        s.press("G")
        expectContains(s.screen, "5.5")
        s.press("s", "G")
        expectEqual(s.seedLeaf, s.graph.node(named: "x2"))
        expectContains(s.screen, "forward, seed ẋ2 = 1")
        expectContains(s.screen, Format.short(2 - cos(5.0)), "\(s.screen)")
    }

    /// `/x` Enter finds x1; `;` goes to the next match, x2, then round to x1; `/` Enter
    /// (empty) repeats the search too.
    @Test func searchHasANextMatch() throws {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        let x1 = try #require(s.graph.node(named: "x1")), x2 = try #require(s.graph.node(named: "x2"))
        s.press("/")
        s.enter("x")
        expectEqual(s.selection, x1)
        expectContains(s.screen, "found x1 (v₋₁), match 1 of 2 (; for the next)", "\(s.message?.text ?? "")")
        s.press(";")
        expectEqual(s.selection, x2)
        expectContains(s.screen, "found x2 (v₀), match 2 of 2")
        s.press(";")
        expectEqual(s.selection, x1)
        s.press("/", "enter")
        expectEqual(s.selection, x2)
        // Nothing searched yet: ; says how to search.
        var fresh = ExplorerState(graph: baydin(), size: (120, 40))
        fresh.press(";")
        expectTrue(fresh.message?.kind == .error && fresh.message!.text.contains("no search to repeat"))
    }

    /// Under a tensor `:seed`, the NumPy line of the seed step sets that tensor, not ones.
    @Test func theCodeLineSeedsWithTheTensorSeed() async throws {
        var s = ExplorerState(graph: try GraphLoader.load(expression: "input w = [1, 2, 3]; y = w*w").get(), size: (160, 50))
        s.press("r", "n")
        expectContains(s.screen, "np.ones_like", "\(s.screen)")
        await s.command("seed [0, 1, 0]")
        s.press("g", "n")
        expectContains(s.screen, "np.array([0.0, 1.0, 0.0])", "\(s.screen)")
        expectNotContains(s.screen, "np.ones_like")
        // A number seeds every element with it.
        await s.command("seed 2")
        s.press("g", "n")
        expectContains(s.screen, "np.array([2.0, 2.0, 2.0])", "\(s.screen)")
    }
}

/// Issue 24: the optimisation pane's left column scrolls (j/k) and wraps, so the 17 variables
/// of xor-descent and the advice after a divergence are all on screen at some scroll.
@Suite("Issue 24: the optimisation pane scrolls")
struct OptimizationScrollTests {
    /// The text column's rows, box borders removed, joined into one line of words.
    static func columnText(_ screen: String) -> String {
        screen.split(separator: "\n").map { row in
            row.split(separator: "│").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        }.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    @Test func seventeenVariablesScrollIntoView() async throws {
        var s = ExplorerState(graph: try graphFile("xor-descent.grad"), size: (120, 40))
        await s.command("optimize --lr 2 --steps 3")
        let session = try #require(s.optimization.session)
        expectEqual(session.names.count, 17, "\(session.names)")
        // At iteration 0 the whole θ₀ shows (it used to be cut after a few variables): the
        // last variable is b2 = 0, as the file sets it.
        expectContains(Self.columnText(s.screen), "b2 = 0", "\(s.screen)")
        expectContains(s.screen, "more (j/k scroll)")
        // The update of the last variable is below the fold until scrolled to.
        let last = "b2 ← b2 − η·g"
        expectNotContains(s.screen, last)
        var pages = 0
        while !s.screen.contains(last) && pages < 200 { s.press("j"); pages += 1 }
        expectContains(s.screen, last, "j scrolls to the last variable's update")
        expectTrue(s.screen.contains("Optimisation: ") && s.screen.contains(" ↑\(s.optimization.scroll)"))
        // k scrolls back; n still steps iterations meanwhile.
        s.press("k")
        expectEqual(s.optimization.scroll, pages - 1)
        s.press("n")
        expectEqual(s.optimization.iteration, 1)
        s.press("g", "k", "k")
        for _ in 0..<pages { s.press("k") }
        expectEqual(s.optimization.scroll, 0)
    }

    @Test func theDivergenceAdviceIsWhole() async throws {
        var s = ExplorerState(graph: try graphFile("rosenbrock.grad"), size: (80, 24))
        await s.command("optimize --lr 0.01 --steps 100")
        let session = try #require(s.optimization.session)
        expectEqual(session.status, .diverged)
        expectTrue(session.outcome.count > 77, "the advice is longer than the 77 cells of the column")
        s.press("G")
        var seen = Self.columnText(s.screen)
        for _ in 0..<20 { s.press("j"); seen += " " + Self.columnText(s.screen) }
        expectContains(seen, session.outcome.split(separator: " ").joined(separator: " "), "\(session.outcome)\n\(seen)")
    }
}

/// Issue 24: `:export step` writes the picture of the step on screen. On baydin after `r n n n`
/// x2's adjoint has one of its two terms, v̄₃·∂v₃/∂v₀ = −cos 5 = −0.283662; the whole sweep
/// ends with x1 − cos x2 = 2 − 0.283662 = 1.71634.
@Suite("Issue 24: :export step")
struct ExportStepTests {
    @Test func exportStepWritesTheStepOnScreen() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-step-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("r", "n", "n", "n")
        let stepFile = folder.appendingPathComponent("at-step.dot").path
        await s.command("export step dot \(stepFile)")
        expectEqual(s.message?.text, "wrote \(stepFile) (reverse mode, step 3)", "\(s.message?.text ?? "")")
        let atStep = try String(contentsOfFile: stepFile, encoding: .utf8)
        // Pictures write four digits: −0.2837 so far, 1.716 at the end.
        expectContains(atStep, "step 3 of")
        expectContains(atStep, "v̄₀ (so far) = " + Format.short(-cos(5.0), digits: 4), "x2's partial adjoint −cos 5")
        expectNotContains(atStep, Format.short(2 - cos(5.0), digits: 4), "not yet the final adjoint")
        let wholeFile = folder.appendingPathComponent("whole.dot").path
        await s.command("export dot \(wholeFile)")
        expectEqual(s.message?.text, "wrote \(wholeFile) (reverse mode, the whole sweep)")
        try expectContains(String(contentsOfFile: wholeFile, encoding: .utf8), "v̄₀ = " + Format.short(2 - cos(5.0), digits: 4))
    }
}
