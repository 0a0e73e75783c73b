/// Asks Graphviz, in the background, for a better layout of the graph on screen, and turns
/// what comes back into actions for the reducer. The explorer never waits for it: it shows
/// gradstep's own layered layout at once, and swaps Graphviz's in when (and if) it arrives.
///
/// ```swift
/// let upgrades = LayoutUpgrades()
/// // once per turn of the event loop:
/// for action in upgrades.actions(for: state) { effects += state.reduce(action) }
/// ```
public final class LayoutUpgrades {
    let service: LayoutService
    /// The graph structure and box style last asked for.
    private var asked: (generation: Int, compact: Bool)?

    public init(service: LayoutService = LayoutService()) {
        self.service = service
    }

    /// Starts a Graphviz layout when the graph or the box style changed (graphs small enough
    /// for Graphviz only), and returns `.layoutArrived` for a layout that arrived for what is on
    /// screen, or `.notify` for one that failed. Cheap when nothing changed: no hashing.
    public func actions(for state: ExplorerState) -> [Action] {
        let tape = state.graph.tape
        if asked?.generation != state.generation || asked?.compact != state.compact {
            asked = (state.generation, state.compact)
            if tape.count <= service.configuration.graphvizNodeLimit {
                _ = service.layout(for: GraphView.request(tape, compact: state.compact))
            }
        }
        var actions: [Action] = []
        while let update = service.poll() {
            switch update {
            case let .improved(request, layout):
                if request == GraphView.request(tape, compact: state.compact) {
                    actions.append(.layoutArrived(layout, generation: state.generation, compact: state.compact))
                }
            case let .failed(_, message):
                actions.append(.notify(.info(message)))
            }
        }
        return actions
    }
}
