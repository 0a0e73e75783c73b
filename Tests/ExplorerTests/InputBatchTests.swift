import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

/// A backlog of keys taken in at once (`reduce(batch:)`): the same outcome as one key at a
/// time, with step runs and typed text folded, and quitting ahead of the queue.
@Suite("Input batches")
struct InputBatchTests {
    static func keys(_ names: [String]) -> [Action] { names.map { .input(.key(Key(name: $0)!)) } }
    static func typed(_ text: String) -> [Action] { text.map { .input(.key(.character($0))) } }

    /// What the explorer holds, to compare two ways of getting there (the view may pan
    /// differently: a run of steps pans straight to its end).
    static func summary(_ s: ExplorerState) -> String {
        "\(s.phase) \(s.stepper.position) \(String(describing: s.selection)) \(s.playing) \(String(describing: s.prompt)) "
            + "\(s.showHelp) \(s.focus) \(s.compact) \(s.graph.name) \(String(describing: s.message))"
    }

    @Test("A batch ends where the same keys one by one end", arguments: 0..<40)
    func batchEqualsOneByOne(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let alphabet = ["n", "n", "n", "p", "p", "r", "f", "v", "g", "G", "j", "k", "tab", "?", "escape", "/", "x", "2",
                        "enter", "backspace", "z", "c", ":", "s", "e", "P", "+", "left", "down", "3", "space"]
        let names = (0..<60).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        var oneByOne = ExplorerState(graph: baydin(), size: (100, 30))
        for name in names { oneByOne.press(name) }
        var batched = ExplorerState(graph: baydin(), size: (100, 30))
        batched.reduce(batch: Self.keys(names))
        expectEqual(Self.summary(batched), Self.summary(oneByOne), "keys: \(names.joined(separator: " "))")
        if let node = batched.selection {
            let b = batched.layout.boxes[node], view = ScreenLayout(width: 100, height: 30).graph.inset(by: 1)
            expectTrue(b.x >= batched.pan.x && b.x + b.width <= batched.pan.x + view.width || b.width > view.width, "the selection is in view")
        }
    }

    @Test func aRunOfStepKeysStepsOnceAndStopsAtTheEnd() {
        var s = ExplorerState(graph: baydin(), phase: .reverse, size: (80, 24))
        s.press("P")
        expectTrue(s.playing)
        s.reduce(batch: Self.keys(Array(repeating: "n", count: 5_000)))
        expectEqual(s.stepper.position, s.stepper.count)
        expectTrue(!s.playing, "reaching the end stops playing, as a single n does")
        expectEqual(s.selection, s.stepper.current)
        s.reduce(batch: Self.keys(["p", "p", "p"]))
        expectEqual(s.stepper.position, s.stepper.count - 3)
        s.reduce(batch: Self.keys(Array(repeating: "backspace", count: 100)))
        expectEqual(s.stepper.position, 0)
    }

    @Test func qQuitsAheadOfTheKeysQueuedBeforeIt() {
        var s = ExplorerState(graph: bigGraph(nodes: 300), size: (80, 24))
        let effects = s.reduce(batch: Self.keys(Array(repeating: "n", count: 5_000) + ["r", "G", "q"]))
        expectEqual(effects, [.quit])
        expectEqual(s.stepper.position, 0, "nothing queued ahead of q was worked through")
        expectEqual(s.phase, .primal)
    }

    @Test func qTypedIntoThePromptIsText() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        let effects = s.reduce(batch: Self.keys(["n", ":", "q", "u", "x"]))
        expectTrue(effects.isEmpty)
        expectEqual(s.prompt?.text, "qux")
        expectEqual(s.stepper.position, 1)
        // After an Enter the prompt may come back (a failed command): no look-ahead past it.
        var t = ExplorerState(graph: baydin(), size: (80, 24))
        t.reduce(batch: Self.keys([":", "n", "o", "p", "e", "enter", "q"]))
        expectEqual(t.prompt?.text, "nopeq")
        expectEqual(t.message?.kind, .error)
        // In the help overlay q closes it; the next q quits.
        var u = ExplorerState(graph: baydin(), size: (80, 24))
        expectTrue(u.reduce(batch: Self.keys(["?", "q"])).isEmpty)
        expectEqual(u.reduce(batch: Self.keys(["?", "q", "n", "q"])), [.quit])
    }

    @Test func anInterruptStopsTheBatchBetweenActions() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        var asked = 0
        s.reduce(batch: Self.keys(["r", "n", "f", "n", "v", "n"])) {
            asked += 1
            return asked > 2
        }
        expectEqual(s.phase, .reverse)
        expectEqual(s.stepper.position, 1)
    }

    @Test func aPasteIsOneInsertAtTheCursor() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        let long = String(repeating: "x+", count: 25_000) + "x"
        s.reduce(batch: Self.keys([":"]) + Self.typed("expr ") + Self.typed(long))
        expectEqual(s.prompt?.text, "expr " + long)
        expectEqual(s.prompt?.cursor, 5 + long.count)
        // The line keeps the cursor in view: its end shows.
        expectHasSuffix(s.render().lines()[22].trimmingCharacters(in: .whitespaces), "x+x")
        s.reduce(batch: Self.keys(["home"]) + Self.typed("ab"))
        expectEqual(s.prompt?.text.hasPrefix("abexpr x+x"), true)
    }

    @Test func aBurstOfResizesTakesTheLastSize() throws {
        let g = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/two-layer-tanh.grad").path).get()
        var s = ExplorerState(graph: g, size: (80, 24))
        s.press("z")
        let sizes = (0..<300).map { k in (width: 60 + k % 140, height: 20 + k % 40) }
        s.reduce(batch: sizes.map { .input(.resize(width: $0.width, height: $0.height)) } + [.input(.resize(width: 200, height: 60))])
        expectTrue(s.size == (200, 60))
        let view = ScreenLayout(width: 200, height: 60).graph.inset(by: 1)
        expectTrue(s.layout.width <= view.width && s.layout.height <= view.height)
        expectTrue(s.layout.boxes.allSatisfy { $0.height == 3 }, "the fit for the last size")
    }

    @Test func searchRunsOnceForTheWholePaste() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.reduce(batch: Self.keys(["/"]) + Self.typed("x2"))
        expectEqual(s.selection, s.graph.node(named: "x2"))
    }
}
