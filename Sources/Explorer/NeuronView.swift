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

    /// Where scalar node `node` sits in the tensor view, for the inspector:
    /// `tensor view: h[0], element of h (matmul, [2])` for the node that holds an element's
    /// value, `tensor view: a step of h[0] …` for a product or partial sum on the way to it.
    public func tensorContext(_ node: Int) -> String {
        let at = expansion.owner[node], tape = tensorGraph.tape
        let e = tape[at.node]
        let name = tape.displayName(at.node)
        let element = name + e.shape.subscriptText(at.element)
        let holds = expansion.elementNodes[at.node].indices.contains(at.element)
            && expansion.elementNodes[at.node][at.element] == node
        let what = holds ? (e.count == 1 ? name : "\(element), element of \(name)") : "a step of \(element)"
        return "tensor view: \(what) (\(e.op.name), \(e.shape))"
    }
}

extension ExplorerState {
    /// The granularity on screen.
    public var granularity: Granularity { neurons == nil ? .tensor : .scalar }

    /// Switches between the tensor graph and its neuron-level view, at the current input values
    /// and in the same mode. The selection goes along: a tensor node becomes the scalar node of
    /// its first element, a scalar node the tensor node it belongs to.
    mutating func setGranularity(_ target: Granularity, opening only: Int? = nil) {
        guard target != granularity else {
            message = .info("already in the \(target.rawValue) view")
            return
        }
        let selected = selection
        // A finished sweep stays finished, so its gradients can be compared across the views.
        let finished = stepper.position == stepper.count && stepper.count > 0
        defer { if finished { stepper.go(to: stepper.count) } }
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
            // Each tensor node's neurons are a group: all open for the whole graph, or only
            // the chosen node's, the others folded into boxes that look like the tensor view.
            let chosen = only.flatMap { node in view.graph.groups.first { $0.members.contains(view.expansion.elementNodes[node].first ?? -1) } }
            groupFolding = GroupFolding(groups: view.graph.groups, open: chosen.map { [$0.name] } ?? ["all"], nodeCount: tape.count)
            refold()
            if let selected, let first = view.expansion.elementNodes[selected].first { select(first) }
            if let only, chosen == nil {
                // A node that is one scalar in both views: there is nothing to open, so the
                // tensor view stays (as before the key).
                setGranularity(.tensor)
                message = .info("\(tensorGraph.tape.displayName(only)) is a single neuron already: nothing to expand (N shows every node's neurons)")
            } else if let chosen {
                message = .info("neurons of \(chosen.name): \(chosen.members.count) scalar nodes, the rest folded as tensors (x or o opens or folds a node, * all, N back)")
            } else {
                message = .info("neuron view: \(tape.count) scalar nodes for \(tensorGraph.tape.count) tensor nodes (N: back to tensors)")
            }
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

    /// `x`: in the tensor view, the neuron-level view of the selected node alone (the others
    /// folded as tensor boxes); in the neuron view, opens or folds the selected node's
    /// neurons, as `o` does.
    mutating func neuronsOfSelection() {
        guard granularity == .tensor else {
            toggleGroupOfSelection()
            return
        }
        setGranularity(.scalar, opening: selection ?? tape.output)
    }
}
