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
        return (view, expansion)
    }
}
