import GraphCore
import GraphLanguage

/// The neuron-level view in the explorer (`N`, `:granularity scalar|tensor`): the graph on screen
/// is the scalar expansion of the tensor graph, one node per element and per multiply-add. It is
/// a graph like any other, so stepping, the inspector and the trace work on it unchanged; this
/// keeps the tensor graph and the expansion to come back with.
public struct NeuronView: Sendable {
    /// The tensor graph the view was expanded from.
    public var tensorGraph: Graph
    /// The way back from each scalar node to its tensor node and element.
    public var expansion: ScalarExpansion
}

extension ExplorerState {
    /// The granularity on screen.
    public var granularity: Granularity { neurons == nil ? .tensor : .scalar }

    /// Switches between the tensor graph and its neuron-level view, at the current input values
    /// and in the same mode. The selection goes along: a tensor node becomes the scalar node of
    /// its first element, a scalar node the tensor node it belongs to.
    mutating func setGranularity(_ target: Granularity) {
        guard target != granularity else {
            message = .info("already in the \(target.rawValue) view")
            return
        }
        let selected = selection
        switch target {
        case .scalar:
            var tensorGraph = graph
            tensorGraph.tape = evaluation.tape
            var view: (graph: Graph, expansion: ScalarExpansion)
            do {
                view = try tensorGraph.scalarView()
            } catch {
                message = .error(error.description)
                return
            }
            // As `gradstep export --granularity scalar` names it, so `:export` writes the same file.
            view.graph.name += "-scalar"
            adopt(view.graph)
            neurons = NeuronView(tensorGraph: tensorGraph, expansion: view.expansion)
            if let selected, let first = view.expansion.elementNodes[selected].first { select(first) }
            message = .info("neuron view: \(tape.count) scalar nodes for \(tensorGraph.tape.count) tensor nodes (N: back to tensors)")
        case .tensor:
            guard let neurons else { return }
            var tensorGraph = neurons.tensorGraph
            // Values edited in the neuron view go back into the tensor leaves.
            for leaf in 0..<tensorGraph.tape.firstComputed {
                let values = neurons.expansion.elementNodes[leaf].map { evaluation.value($0).first ?? 0 }
                tensorGraph.tape.setLeafValues(leaf, values)
            }
            adopt(tensorGraph)
            if let selected { select(neurons.expansion.owner[selected].node) }
            message = .info("tensor view: \(tape.count) nodes (N: neuron view)")
        }
    }
}
