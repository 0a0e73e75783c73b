import Foundation
import Explorer
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

@Suite("Key sequences over an in-memory canvas")
struct KeySequenceTests {
    @Test func reverseToTheEndShowsTheGradient() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press("r", "G")
        expectEqual(s.phase, .reverse)
        expectEqual(s.stepper.position, s.stepper.count)
        expectContains(s.screen, "∂y/∂x1 = 5.5")
        expectContains(s.screen, "∂y/∂x2 = 1.71634")
        s.resize(120, 40)
        expectContains(s.screen, "∂y/∂x1 = 5.5")
    }

    @Test func previousRewindsTheAdjoints() {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.press("r", "G", "p", "p", "p")
        // The last three steps are v₁ = ln x1 (which sends x1 its term 1/x1) and x2's and
        // x1's own steps. Before them only v₂'s contribution v̄₂·v₀ = 5 has arrived at x1.
        expectEqual(s.stepper.position, s.stepper.count - 3)
        expectContains(s.screen, "∂y/∂x1 = 5 so far")
        s.press("g")
        expectContains(s.screen, "∂y/∂x1 = …")
        s.press("n", "n", "n")
        expectEqual(s.stepper.position, 3)
    }

    @Test func chainRuleShowsContributionsAsTheyArrive() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("r", "n", "n", "n")
        s.enter("/x2")
        var text = s.screen
        expectContains(text, "v̄₀ = v̄₃·∂v₃/∂v₀ + v̄₂·∂v₂/∂v₀")
        expectContains(text, "= (−1)·cos 5 + …")
        expectContains(text, "so far")
        s.press("G")
        s.enter("/x2")
        text = s.screen
        expectContains(text, "= (−1)·cos 5 + 1·2")
        expectContains(text, "= 1.71634")
    }

    @Test func inspectorWritesLocalPartialsWithTheirValues() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("r", "n", "n")  // the reverse sweep has reached v₄ = v₁ + v₂
        let text = s.screen
        expectContains(text, "∂v₄/∂v₁ = 1 ", "a constant partial is written once")
        expectNotContains(text, "= 1 = 1")
        s.press("n")  // v₃ = sin v₀
        expectContains(s.screen, "∂v₃/∂v₀ = cos v₀ = 0.283662")
    }

    @Test func forwardModeSeedsAnInput() {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.press("f", "G")
        expectContains(s.screen, "∂y/∂x1 = ẏ = 5.5")
        s.press("s")
        expectEqual(s.seedLeaf, baydin().node(named: "x2"))
        s.press("G")
        expectContains(s.screen, "∂y/∂x2 = ẏ = 1.71634")
        expectContains(s.screen, "forward, seed ẋ2 = 1")
    }

    @Test func setRecomputesOnlyTheDownstreamCone() {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.press("r", "G")
        s.press(":")
        s.enter("set x1=3")
        // The values of ln, ·, + and − below x1 are recomputed; the explanation of the steps
        // is rebuilt over the whole tape (x1, x2 and 5 computed nodes), and the message says so.
        expectEqual(s.message?.text, "x1 = 3: recomputed 4 nodes downstream; the explanation was rebuilt over all 7")
        expectContains(s.screen, "recomputed 4 nodes")
        let y = s.evaluation.value(s.tape.output).first!
        expectTrue(isClose(y, Foundation.log(3.0) + 15 - Foundation.sin(5.0)))
        // Still at the end of the reverse sweep, now at the new point: ∂y/∂x1 = 1/3 + 5.
        expectEqual(s.stepper.position, s.stepper.count)
        expectContains(s.screen, "∂y/∂x1 = 5.33333")
    }

    @Test func editTheSelectedInput() {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        s.enter("/x2")
        s.press("e")
        expectEqual(s.prompt?.text, "5")
        s.press("backspace")
        s.enter("1")
        // x2 feeds x1·x2, sin x2, and the + and − below them: 4 of the 7 nodes.
        expectEqual(s.message?.text, "x2 = 1: recomputed 4 nodes downstream; the explanation was rebuilt over all 7")
        expectEqual(s.evaluation.value(s.graph.node(named: "x2")!).first, 1)
        s.press("e")
        s.press("C-u")
        s.enter("oops")
        expectEqual(s.message?.kind, .error)
        expectEqual(s.prompt?.text, "oops")
    }

    @Test func expressionWithAnErrorKeepsTheGraphAndTheText() async {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        await s.command("expr sin(x)*)y @ x=1, y=2")
        expectEqual(s.graph.name, "baydin")
        expectEqual(s.prompt?.text, "expr sin(x)*)y @ x=1, y=2")
        expectEqual(s.message?.kind, .error)
        let lines = s.render().lines()
        expectTrue(lines.contains { $0.contains("1 | sin(x)*)y") })
        expectTrue(lines.contains { $0.contains("|        ^") })
        expectTrue(lines.contains { $0.hasPrefix(":expr sin(x)*)y @ x=1, y=2") })
        // Fix the text in place: the caret goes, the new graph comes.
        s.press("C-u")
        await s.run(s.enter("expr sin(x)*y @ x=1, y=2"))
        expectEqual(s.graph.name, "expression")
        expectTrue(s.prompt == nil)
        expectTrue(isClose(s.evaluation.value(s.tape.output).first!, Foundation.sin(1.0) * 2))
    }

    @Test func commandsReturnEffects() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press("r", "n")
        s.press(":")
        let export = s.enter("export dot /tmp/x.dot")
        guard case .export(let request)? = export.first else {
            Issue.record("expected an export effect, got \(export)"); return
        }
        expectTrue(request.file == "/tmp/x.dot" && request.format == .dot && request.phase == .reverse && !request.force)
        s.press(":")
        expectEqual(s.enter("theme light"), [.loadTheme(name: "light")])
        s.press(":")
        let cwd = FileManager.default.currentDirectoryPath
        expectEqual(s.enter("open nowhere.grad"), [.open(path: cwd + "/nowhere.grad", request: 1)])
        expectEqual(s.loading, "nowhere.grad")
        s.reduce(.loaded(GraphLoader.load(path: "nowhere.grad"), request: 1))
        expectTrue(s.loading == nil)
        expectEqual(s.message?.kind, .error)
        expectEqual(s.prompt?.text, "open nowhere.grad")
        s.press("escape", ":")
        expectEqual(s.enter("quit"), [.quit])
        expectEqual(s.press("q"), [.quit])
    }

    @Test func unknownCommandsSayWhy() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press(":")
        s.enter("frobnicate")
        expectEqual(s.message?.text, "unknown command ':frobnicate' (? lists the commands)")
        expectEqual(s.prompt?.text, "frobnicate")
        s.press("escape")
        s.press(":")
        s.enter("mode forward x2")
        expectEqual(s.phase, .forward)
        expectEqual(s.seedLeaf, s.graph.node(named: "x2"))
        s.press(":")
        s.enter("seed 2")
        s.press("r", "G")
        expectContains(s.screen, "∂y/∂x1 = 11")
    }

    @Test func helpOverlayListsEveryBinding() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("?")
        var text = s.screen
        for _ in 0..<HelpOverlayLength.entries {
            s.press("j")
            text += s.screen
        }
        for b in Keymap.default.bindings {
            expectContains(text, b.description, "help is missing \(b.description)")
        }
        for c in Keymap.commands { expectContains(text, c.syntax) }
        for mode in Mode.allCases where mode != .graph { expectContains(text, mode.title + ":") }
        s.press("escape")
        expectTrue(!s.showHelp)
    }

    @Test func playAdvancesWithTheClock() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press("r", "P")
        expectTrue(s.playing)
        s.reduce(.tick(0))
        s.reduce(.tick(0.1))
        expectEqual(s.stepper.position, 0)
        s.reduce(.tick(0.6))
        expectEqual(s.stepper.position, 1)
        s.press("+")
        expectEqual(s.speed, 4)
        for k in 1...20 { s.reduce(.tick(0.6 + Double(k) * 0.3)) }
        expectEqual(s.stepper.position, s.stepper.count)
        expectTrue(!s.playing)
    }

    @Test func mouseSelectsNodesAndRows() {
        var s = ExplorerState(graph: baydin(), size: (100, 30))
        // The trace pane's first data row (v₋₁ x1) is two rows under its top border.
        let layout = ScreenLayout(width: 100, height: 30)
        s.reduce(.input(.mouse(x: layout.trace.x + 3, y: layout.trace.y + 2, kind: .press(button: 1))))
        expectEqual(s.selection, s.graph.node(named: "x1"))
        expectEqual(s.focus, .trace)
        s.press("down")
        expectEqual(s.selection, s.graph.node(named: "x2"))
        // A box in the graph pane (the selection's, which the pane keeps in view): the layout's
        // cell (0, 0) is at the pane's inside.
        let box = s.layout.boxes[s.graph.node(named: "x2")!]
        s.reduce(.input(.mouse(x: layout.graph.x + 1 + box.x - s.pan.x + 2,
                               y: layout.graph.y + 1 + box.y - s.pan.y + 1, kind: .press(button: 1))))
        expectEqual(s.focus, .graph)
        expectEqual(s.selection, s.graph.node(named: "x2"))
        s.press("l")
        expectEqual(s.selection.map { s.tape.label($0) }, "v₂")
        s.press("h")
        expectEqual(s.selection, s.graph.node(named: "x1"))
    }

    @Test func tabCyclesFocusAndKeysFollowIt() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        expectEqual(s.focus, .graph)
        s.press("tab")
        expectEqual(s.focus, .trace)
        s.press("j")
        expectEqual(s.selection, 0)
        s.press("tab", "tab")
        expectEqual(s.focus, .graph)
        s.press("z")
        expectTrue(s.compact)
        let view = ScreenLayout(width: 80, height: 24).graph.inset(by: 1)
        expectTrue(s.layout.width <= view.width && s.layout.height <= view.height)
    }
}

/// More lines than the help overlay has (every mode's keys and the commands), to scroll through it.
enum HelpOverlayLength {
    static var entries: Int { Keymap.default.bindings.count + Keymap.commands.count + 2 * Mode.allCases.count }
}
