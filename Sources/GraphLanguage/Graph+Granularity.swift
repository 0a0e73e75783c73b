import GraphCore

extension Graph {
    /// The neuron-level view of this graph: its tape expanded to scalars
    /// (`Tape.scalarExpansion()`), as a graph of its own with the same name, each scalar node
    /// placed where its tensor node was written, and every scalar node's name (`W[2,0]`,
    /// `W[2,0]·x[0]`, `h[2]`) a symbol, so `--wrt W[2,0]` and search find it.
    ///
    /// Returns the expansion too, to map selections and numbers back to the tensor nodes.
    public func scalarView(maximumNodes: Int = Limits.maximumScalarNodes) throws(ExpansionError) -> (graph: Graph, expansion: ScalarExpansion) {
        let expansion = try tape.scalarExpansion(maximumNodes: maximumNodes)
        let scalars = expansion.tape
        var symbols: [String: Int] = [:]
        for (i, name) in scalars.names.enumerated() {
            if let name, symbols[name] == nil { symbols[name] = i }
        }
        let tensorRanges = ranges
        let scalarRanges: [SourceRange?] = expansion.owner.map {
            tensorRanges.indices.contains($0.node) ? tensorRanges[$0.node] : nil
        }
        var view = Graph(name: name, tape: scalars, outputName: scalars.names[scalars.output] ?? outputName,
                         source: source, ranges: scalarRanges, symbols: symbols)
        view.dataSets = dataSets
        view.groups = Self.tensorGroups(tape, expansion)
        return (view, expansion)
    }

    /// One group per tensor node that became more than one scalar node, named as the tensor
    /// node is shown (`h`, `W1`, `v₃`): folded, the neuron-level view draws that node as the
    /// tensor view does, so a single node can be opened into its neurons with the rest
    /// left as tensors (`gradstep export --granularity scalar --open h`, the explorer's `x`).
    static func tensorGroups(_ tensorTape: Tape, _ expansion: ScalarExpansion) -> [NodeGroup] {
        var members = [[Int]](repeating: [], count: tensorTape.count)
        for (scalar, at) in expansion.owner.enumerated() { members[at.node].append(scalar) }
        var used: Set<String> = []
        var specs: [(name: String, origin: NodeGroup.Origin, members: [Int])] = []
        for (node, nodes) in members.enumerated() where nodes.count > 1 {
            var name = tensorTape.displayName(node)
            if used.contains(name) { name += " (\(tensorTape.label(node)))" }
            used.insert(name)
            specs.append((name, .tensor(shape: tensorTape[node].shape), nodes))
        }
        return NodeGroup.groups(specs, tape: expansion.tape)
    }
}
