import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Optimize
import Screen
import Testing
import TestSupport

/// A graph from Graphs/ by file name.
func graphFile(_ name: String) throws -> Graph {
    try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(name)").path).get()
}

/// Rosenbrock's f(x, y) = (1 − x)² + 100(y − x²)² and its gradient, written out by hand.
func rosenbrockGradient(_ x: Double, _ y: Double) -> (Double, Double) {
    (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))
}

/// Plain gradient descent on Rosenbrock from (−1.2, 1), computed by hand: θ₀ … θ_steps.
func rosenbrockDescent(lr: Double, steps: Int) -> [(Double, Double)] {
    var points = [(-1.2, 1.0)]
    for _ in 0..<steps {
        let (x, y) = points.last!
        let (gx, gy) = rosenbrockGradient(x, y)
        points.append((x - lr * gx, y - lr * gy))
    }
    return points
}

@Suite("Optimisation mode")
struct OptimizationModeTests {
    func rosenbrock(_ options: String, size: (Int, Int) = (120, 40)) async throws -> ExplorerState {
        var s = ExplorerState(graph: try graphFile("rosenbrock.grad"), size: size)
        await s.command("optimize " + options)
        return s
    }

    func value(_ s: ExplorerState, _ name: String) -> Double {
        s.evaluation.value(s.graph.node(named: name)!).first!
    }

    @Test func stepsIterationsForwardAndBackAndRewinds() async throws {
        var s = try await rosenbrock("--lr 0.001 --steps 5")
        let expected = rosenbrockDescent(lr: 0.001, steps: 5)
        expectTrue(s.optimization.isShowing && s.optimization.iteration == 0)
        s.press("n", "n", "n")
        expectEqual(s.optimization.iteration, 3)
        expectTrue(isClose(value(s, "x"), expected[3].0) && isClose(value(s, "y"), expected[3].1))
        expectContains(s.screen, "iteration 3 of 5")
        expectContains(s.screen, "x = \(Format.short(expected[3].0))")
        s.press("p", "p")
        expectTrue(s.optimization.iteration == 1 && isClose(value(s, "x"), expected[1].0))
        s.press("G")
        expectTrue(s.optimization.iteration == 5 && isClose(value(s, "y"), expected[5].1))
        s.press("n")
        expectEqual(s.optimization.iteration, 5, "no iteration after the last")
        s.press("g")
        expectTrue(s.optimization.iteration == 0 && value(s, "x") == -1.2)
        await s.command("iteration 4")
        expectTrue(s.optimization.iteration == 4 && isClose(value(s, "x"), expected[4].0))
        await s.command("iteration 9")
        expectEqual(s.message?.text, ":iteration takes a number from 0 to 5")
    }

    @Test func theSGDUpdateIsWrittenOutWithItsNumbers() async throws {
        var s = try await rosenbrock("--lr 0.001 --steps 5")
        s.press("n")
        let p = rosenbrockDescent(lr: 0.001, steps: 2)
        let (gx, _) = rosenbrockGradient(p[1].0, p[1].1)
        func n(_ v: Double) -> String { Format.short(v, digits: 5) }
        let screen = s.screen
        expectContains(screen, "x ← x − η·g = \(n(p[1].0)) − 0.001·\(gx < 0 ? "(\(n(gx)))" : n(gx)) = \(n(p[2].0))", "\(screen)")
    }

    @Test func anIterationOpensIntoTheReverseSweepThatGaveItsGradient() async throws {
        var s = try await rosenbrock("--lr 0.001 --steps 5")
        s.press("n", "n")
        s.press("enter")
        expectTrue(s.optimization.opened && !s.optimization.isShowing)
        expectTrue(s.phase == .reverse && s.stepper.position == 0)
        s.press("n")
        expectEqual(s.stepper.position, 1, "n steps the sweep, not the iterations")
        s.press("G")
        let p = rosenbrockDescent(lr: 0.001, steps: 2)[2]
        let (gx, gy) = rosenbrockGradient(p.0, p.1)
        let x = s.graph.node(named: "x")!, y = s.graph.node(named: "y")!
        let adjointX = s.stepper.shownAdjoints[Int(s.tape.entries[x].offset)]
        let adjointY = s.stepper.shownAdjoints[Int(s.tape.entries[y].offset)]
        expectTrue(isClose(adjointX, gx) && isClose(adjointY, gy))
        // The gradient the update from θ₂ used is the one the sweep ends with.
        let update = try #require(s.optimization.session?.updates[2])
        expectTrue(isClose(update.gradient[0], adjointX) && isClose(update.gradient[1], adjointY))
        expectContains(s.screen, "∂f/∂x = \(Format.short(gx))")
        expectContains(s.screen, "iteration 2: reverse sweep")
        await s.command("set x=5")
        s.press("enter")
        expectTrue(s.optimization.isShowing && s.optimization.iteration == 2)
        expectTrue(isClose(value(s, "x"), p.0), "closing puts back the iteration's values")
        // Clicks on the optimisation pane do not reach the graph hidden under it.
        let selected = s.selection
        s.reduce(.input(.mouse(x: 10, y: 30, kind: .press(button: 1))))
        expectTrue(s.selection == selected && s.focus == .graph)
        expectContains(s.screen, "update t = 3")
    }

    @Test func adamsMomentsAndBiasCorrectionsAreTheUpdateRules() async throws {
        var s = try await rosenbrock("--method adam --lr 0.1 --steps 3")
        // By hand: Adam's first step is η·g/(|g| + ε) ≈ η·sign(g), and ∇f(−1.2, 1) = (−215.6, −88).
        let session = try #require(s.optimization.session)
        expectTrue(isClose(session.iterates[1].theta[0], -1.1, rel: 1e-8) && isClose(session.iterates[1].theta[1], 1.1, rel: 1e-8))
        // The Optimize module's rule, run here on the same gradients.
        var rule = UpdateRule(Hyperparameters(method: .adam, learningRate: 0.1), dimension: 2)
        var theta = [-1.2, 1.0]
        for k in 0..<2 {
            var f = try Objective(tape: s.tape, variables: [s.graph.node(named: "x")!, s.graph.node(named: "y")!])
            let g = f.gradient(at: theta).gradient
            rule.apply(&theta, gradient: g, learningRate: 0.1)
            let u = session.updates[k]
            expectTrue(u.firstAfter == rule.firstMoment && u.secondAfter == rule.secondMoment)
            let t = Double(k + 1)
            expectEqual(u.mHat, rule.firstMoment.map { $0 / (1 - pow(0.9, t)) })
            expectEqual(u.vHat, rule.secondMoment.map { $0 / (1 - pow(0.999, t)) })
            expectEqual(u.to, theta)
        }
        s.press("n")
        let u = session.updates[1]
        let screen = s.screen
        func n(_ v: Double) -> String { Format.short(v, digits: 5) }
        expectContains(screen, "= \(n(u.firstAfter[0]))", "m")
        expectContains(screen, "= \(n(u.secondAfter[0]))", "v")
        expectTrue(screen.contains("m̂ = m/(1 − β₁ᵗ)") && screen.contains("= \(n(u.mHat[0]))"))
        expectTrue(screen.contains("v̂ = v/(1 − β₂ᵗ)") && screen.contains(n(u.vHat[0])))
        let step = 0.1 * u.mHat[0] / (u.vHat[0].squareRoot() + 1e-8)
        expectTrue(u.adamStep[0] == step && isClose(u.from[0] - step, u.to[0]))
        expectTrue(screen.contains("step = η·m̂/(√v̂ + ε)") && screen.contains("= \(n(step))"))
        expectContains(screen, "x ← x − step = \(n(u.from[0])) − \(step < 0 ? "(\(n(step)))" : n(step)) = \(n(u.to[0]))")
    }

    @Test func twoParametersGetAContourPlotMoreGetTheLossCurveOnly() async throws {
        let s = try await rosenbrock("--lr 0.001 --steps 10")
        expectTrue(s.screen.contains("contours of f") && s.screen.contains("loss curve"))
        var t = ExplorerState(graph: try graphFile("rosenbrock.grad"), size: (120, 40))
        await t.command("expr x^2 + y^2 + z^2 @ x=1, y=2, z=3")
        await t.command("optimize --lr 0.1 --steps 5")
        let screen = t.screen
        expectContains(screen, "loss curve (3 variables: no contour plot)", "\(screen)")
        expectNotContains(screen, "contours of")
        // x_k = 0.8^k·x₀ for x² with η = 0.1.
        t.press("G")
        expectTrue(isClose(t.evaluation.value(t.graph.node(named: "z")!).first!, 3 * pow(0.8, 5)))
    }

    @Test func theLineSearchZigzagIsTheCoursesIterates() async throws {
        var s = ExplorerState(graph: try graphFile("line-search-quadratic.grad"), size: (120, 40))
        await s.command("optimize --line-search exact --steps 4")
        let session = try #require(s.optimization.session)
        let b = 0.5, r = (b - 1) / (b + 1)
        for k in 0...4 {
            expectTrue(isClose(session.iterates[k].theta[0], b * pow(r, Double(k)), rel: 1e-9, abs: 1e-12))
            expectTrue(isClose(session.iterates[k].theta[1], pow(-r, Double(k)), rel: 1e-9, abs: 1e-12))
        }
        for k in 0..<4 {
            let (g, h) = (session.iterates[k].gradient, session.iterates[k + 1].gradient)
            expectTrue(abs(g[0] * h[0] + g[1] * h[1]) < 1e-12, "consecutive gradients are orthogonal")
        }
        expectTrue(s.screen.contains("exact line search") && s.screen.contains("contours of f"))
    }

    @Test func divergenceIsShownClearly() async throws {
        var s = try await rosenbrock("--lr 0.01 --steps 100")
        let session = try #require(s.optimization.session)
        expectEqual(session.status, .diverged)
        expectTrue(s.message?.kind == .error && s.message!.text.hasPrefix("diverged at step \(session.steps)"))
        expectContains(s.screen, "DIVERGED: diverged at step \(session.steps)")
        s.press("G")
        expectContains(s.screen, "no update after iteration \(session.steps): the run ended.")
        expectContains(s.screen, "try a smaller --lr")
    }

    @Test func OStartsAndLeavesWithTheSameOptionsAsTheCLI() async throws {
        var s = ExplorerState(graph: try graphFile("rosenbrock.grad"), size: (100, 30))
        s.press("O")
        let session = try #require(s.optimization.session)
        expectTrue(session.hyper == Hyperparameters(method: .sgd, learningRate: 1e-3) && session.steps == 100)
        s.press("n", "n")
        // Another method starts where the shown run started, not at its iteration 2.
        await s.command("optimize --method momentum --lr 0.001")
        expectEqual(s.optimization.session?.iterates[0].theta, [-1.2, 1])
        expectEqual(s.optimization.session?.hyper.momentum, 0.9)
        s.press("n")
        s.press("O")
        s.press("O")
        let again = try #require(s.optimization.session)
        expectEqual(again.hyper.method, .momentum, "O starts with the last :optimize options")
        s.press("n")
        s.press("O")
        expectTrue(s.optimization.session == nil && !s.screen.contains("Optimisation"))
        expectEqual(value(s, "x"), again.iterates[1].theta[0], "the graph keeps the iteration's values")
    }

    @Test func badOptionsAreRefusedAndTheCommandIsKept() async throws {
        var s = ExplorerState(graph: try graphFile("rosenbrock.grad"), size: (100, 30))
        await s.command("optimize --method bogus")
        expectTrue(s.message?.kind == .error && s.message!.text.contains("bogus"))
        expectEqual(s.prompt?.text, "optimize --method bogus")
        s.reduce(.input(.key(.escape)))
        await s.command("optimize --wrt q")
        expectEqual(s.message?.text, ":optimize: --wrt q: no input or param of that name (inputs and params: x, y)")
        s.reduce(.input(.key(.escape)))
        await s.command("optimize --method adam --line-search exact")
        expectTrue(s.message!.text.hasPrefix(":optimize: --line-search exact chooses the step"))
        s.reduce(.input(.key(.escape)))
        await s.command("optimize --steps 20000")
        expectTrue(s.message!.text.hasPrefix(":optimize: 20000 steps over 2 variables and \(s.tape.count) nodes is more than the explorer steps through"))
        s.reduce(.input(.key(.escape)))
        await s.command("expr 3 + 4")
        await s.command("optimize")
        expectEqual(s.message?.text, ":optimize: there is nothing to optimise: the graph has no params or inputs to update")
        s.reduce(.input(.key(.escape)))
        s.press("enter")
        expectEqual(s.message?.text.hasPrefix("Enter opens an iteration in optimisation mode"), true)
        expectTrue(s.optimization.session == nil)
    }

    @Test func asciiScreensStayASCII() async throws {
        var s = ExplorerState(graph: try graphFile("rosenbrock.grad"), size: (120, 40), glyphs: .ascii)
        await s.command("optimize --method adam --lr 0.1 --steps 5")
        s.press("n")
        // What the terminal shows without UTF-8: every character has a stand-in.
        let shown = String(s.screen.map(\.asciiFallback))
        expectEqual(shown.filter { $0 == "?" }.count, 1, "only the help key: \(shown)")
        expectTrue(shown.contains("m < b1*m + (1-b1)*g") && shown.contains("m = m/(1 - b1^t)"))
        expectContains(shown, "step = n*m/(sqrt(v) + e)")
    }

    @Test func playingStepsIterations() async throws {
        var s = try await rosenbrock("--lr 0.001 --steps 3")
        s.press("P")
        for t in 0..<10 { s.reduce(.tick(Double(t))) }
        expectTrue(s.optimization.iteration == 3 && !s.playing)
    }

    @Test func screens() async throws {
        var s = try await rosenbrock("--method adam --lr 0.1 --steps 20")
        s.press("n", "n")
        assertSnapshot(s.screen, named: "optimize-adam-120x40")
        for (w, h) in [(80, 24), (40, 12), (20, 5), (0, 0)] {
            s.resize(w, h)
            let canvas = s.render()
            expectTrue(canvas.width == w && canvas.height == h)
        }
        s.resize(80, 24)
        assertSnapshot(s.screen, named: "optimize-adam-80x24")
    }
}

@Suite("Optimisation mode, keys in batches")
struct OptimizationBatchTests {
    @Test func aRunOfStepKeysMovesIterations() async throws {
        var s = ExplorerState(graph: try graphFile("rosenbrock.grad"), size: (120, 40))
        await s.command("optimize --lr 0.001 --steps 5")
        let n = Action.input(.key(Key(name: "n")!)), p = Action.input(.key(Key(name: "p")!))
        s.reduce(batch: [n, n, n, p])
        expectEqual(s.optimization.iteration, 2)
        s.reduce(batch: Array(repeating: n, count: 9))
        expectTrue(s.optimization.iteration == 5 && s.stepper.position == 0)
    }
}

@Test func theReadmeScreenOfOptimisationModeIsTrue() async throws {
    let readme = try manualText()
    let section = try #require(readme.range(of: "## Optimisation in the explorer"))
    let command = "$ gradstep Graphs/rosenbrock.grad        then  :optimize --method adam --lr 0.1 --steps 20  n n\n"
    let start = try #require(readme.range(of: command, range: section.upperBound ..< readme.endIndex))
    let end = try #require(readme.range(of: "\n```", range: start.upperBound ..< readme.endIndex))
    let shown = readme[start.upperBound ..< end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var s = ExplorerState(graph: try graphFile("rosenbrock.grad"), size: (100, 30))
    await s.command("optimize --method adam --lr 0.1 --steps 20")
    s.press("n", "n")
    let lines = s.render().lines().prefix(shown.count).map { String($0.reversed().drop { $0 == " " }.reversed()) }
    expectEqual(shown, lines)
}
