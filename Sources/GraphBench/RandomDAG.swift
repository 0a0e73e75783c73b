import GraphCore
/// The benchmark workload as a graph file: a random fan-in-2 scalar DAG.
///
/// 8 inputs; node i applies add, mul, sin, tanh or exp to node i−1 and (for add and mul) a
/// second operand that is, half the time, 2–32 nodes back and otherwise any earlier node. Values
/// stay bounded: a node whose magnitude bound exceeds 4 is only ever fed to sin or tanh.
///
/// ```
/// gradstep generate --nodes 100000 --seed 1 > dag.grad
/// gradstep bench dag.grad
/// ```
public enum RandomDAG {
    public static let inputs = 8

    /// The graph-language text of a DAG with `nodes` computed nodes.
    public static func source(nodes: Int, seed: UInt64 = 1) -> String {
        var rng = SeededGenerator(seed: seed)
        var lines = ["# Random fan-in-2 DAG: \(nodes) nodes, 8 inputs, seed \(seed) (gradstep generate)"]
        lines.reserveCapacity(nodes + inputs + 2)
        var bounds: [Double] = []
        for k in 0..<inputs {
            let x = Double(Int(rng.next() % 2000) - 1000) / 1000
            lines.append("input x\(k) = \(x)")
            bounds.append(1)
        }
        func name(_ i: Int) -> String { i < inputs ? "x\(i)" : "v\(i - inputs + 1)" }
        for i in inputs ..< inputs + nodes {
            let a = i - 1
            let back = Int(rng.next() % 31) + 2
            let b = rng.next() % 2 == 0 && i - back >= 0 ? i - back : Int(rng.next() % UInt64(i))
            var choice = Int(rng.next() % 5)
            if bounds[a] > 4 || (choice < 2 && bounds[b] > 4) { choice = 2 + Int(rng.next() % 2) }
            let text: String
            let bound: Double
            switch choice {
            case 0: (text, bound) = ("\(name(a)) + \(name(b))", bounds[a] + bounds[b])
            case 1: (text, bound) = ("\(name(a)) * \(name(b))", bounds[a] * bounds[b])
            case 2: (text, bound) = ("sin(\(name(a)))", 1)
            case 3: (text, bound) = ("tanh(\(name(a)))", 1)
            default: (text, bound) = ("exp(\(name(a)))", 2.72 * (bounds[a] > 1 ? 20 : 1))
            }
            lines.append("\(name(i)) = \(text)")
            bounds.append(bound)
        }
        lines.append("output \(name(inputs + nodes - 1))")
        return lines.joined(separator: "\n") + "\n"
    }
}
