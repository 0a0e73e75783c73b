import GraphCore

// Several outputs (`output loss, acc`) and `--of NAME`: every command differentiates the
// first output unless told another name. The tape does not depend on which node is its output
// (its order is by depth, and which nodes need a gradient depends on the leaves), so choosing
// another is setting `tape.output`; the groups are read again, since a group's outputs include
// the graph's output.

extension Graph {
    /// The same graph with the node named `name` as the output differentiated, or why there
    /// is no such node (a message naming the outputs, with "did you mean").
    public func differentiating(_ name: String) -> Result<Graph, LoadFailure> {
        guard let node = outputs.first(where: { $0.name == name })?.node ?? self.node(named: name) else {
            let names = outputs.map(\.name) + symbols.keys.sorted()
            var message = "--of \(name): there is no node named '\(name)'"
            if let s = suggestion(for: name, among: names) { message += "; did you mean '\(s)'?" }
            message += " (outputs: \(outputs.map(\.name).joined(separator: ", ")))"
            return .failure(LoadFailure(message: message))
        }
        var graph = self
        graph.tape.output = node
        graph.outputName = name
        if !groups.isEmpty {
            graph.groups = NodeGroup.groups(groups.map { ($0.name, $0.origin, $0.members) }, tape: graph.tape)
        }
        return .success(graph)
    }
}
