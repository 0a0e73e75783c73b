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

    mutating func resize(_ width: Int, _ height: Int) {
        reduce(.input(.resize(width: width, height: height)))
    }

    var screen: String { render().text }
}
