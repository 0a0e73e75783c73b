import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import TestSupport

/// The running example of Baydin et al. (2018), from Graphs/ when it is there.
func baydin() -> Graph {
    let path = repositoryRoot.appendingPathComponent("Graphs/baydin.grad").path
    if FileManager.default.fileExists(atPath: path), case .success(let g) = GraphLoader.load(path: path) { return g }
    let text = """
        input x1 = 2
        input x2 = 5
        y = ln(x1) + x1*x2 - sin(x2)
        output y
        """
    return try! GraphLoader.load(SourceFile(name: "baydin.grad", text: text), graphName: "baydin", mode: .file).get()
}

/// A graph of about `nodes` computed nodes: each reads one or two recent nodes.
func bigGraph(nodes: Int) -> Graph {
    var rng = SplitMix64(seed: 7)
    var lines = ["input x = 0.5", "input w = 1.5"]
    var names = ["x", "w"]
    let ops = ["+", "*", "-"], fns = ["sin", "tanh", "exp", "cos"]
    for k in 0..<nodes {
        let a = names[names.count - 1 - Int(rng.next() % UInt64(min(names.count, 8)))]
        let b = names[Int(rng.next() % UInt64(names.count))]
        let rhs = k % 3 == 0 ? "\(fns[k % fns.count])(\(a))" : "\(a) \(ops[k % ops.count]) \(b)"
        lines.append("n\(k) = 0.5 * (\(rhs))")
        names.append("n\(k)")
    }
    lines.append("output n\(nodes - 1)")
    return try! GraphLoader.load(SourceFile(name: "big", text: lines.joined(separator: "\n")),
                                 graphName: "big", mode: .file).get()
}

/// The repository's themes.
let testThemes = ThemeLoader(searchPaths: [repositoryRoot.appendingPathComponent("Themes")])

extension ExplorerState {
    /// Presses keys by name (`"r"`, `"G"`, `"space"`, `"enter"`), collecting effects.
    @discardableResult
    mutating func press(_ names: String...) -> [Effect] {
        names.flatMap { reduce(.input(.key(Key(name: $0)!))) }
    }

    /// Types text one character at a time (no Enter).
    mutating func type(_ text: String) {
        for c in text { reduce(.input(.key(.character(c)))) }
    }

    /// Types `text` then Enter.
    @discardableResult
    mutating func enter(_ text: String) -> [Effect] {
        type(text)
        return reduce(.input(.key(.enter)))
    }

    /// Types `:text` then Enter, and runs the effects as the shell does (waiting for the
    /// answers of background work), so the command's outcome is on screen.
    mutating func command(_ text: String, themes: ThemeLoader = testThemes) async {
        press(":")
        await run(enter(text), themes: themes)
    }

    /// Runs effects with a real `EffectRunner`, feeding its answers back, and waits (at most
    /// five minutes: a hang guard, not a speed target, since a loaded 2-core machine starves
    /// the background work) for the one answer each background effect (load, export) delivers.
    mutating func run(_ effects: [Effect], themes: ThemeLoader = testThemes) async {
        let mailbox = Mailbox()
        let runner = EffectRunner(themes: themes, deliver: mailbox.post)
        var queue = effects, expected = 0, received = 0
        let deadline = Date().addingTimeInterval(300)
        while !queue.isEmpty || (received < expected && Date() < deadline) {
            if queue.isEmpty {
                let answers = mailbox.drain()
                received += answers.count
                for a in answers { queue += reduce(a) }
                if answers.isEmpty { try? await Task.sleep(nanoseconds: 10_000_000) }
                continue
            }
            let effect = queue.removeFirst()
            switch effect {
            case .open, .expression, .export: expected += 1
            case .quit, .loadTheme, .layout: break  // a layout answers through `LayoutUpgrades`, not the mailbox
            }
            for a in runner.perform(effect) { queue += reduce(a) }
        }
    }

    mutating func resize(_ width: Int, _ height: Int) {
        reduce(.input(.resize(width: width, height: height)))
    }

    var screen: String { render().text }
}

extension LayoutUpgrades {
    /// Starts the layouts among `effects`, as the shell's `EffectRunner` does.
    func run(_ effects: [Effect]) {
        for case .layout(let job) in effects { start(job) }
    }
}
