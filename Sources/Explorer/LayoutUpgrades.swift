import Foundation
import GraphCore
import Synchronization

/// The explorer's layouts that are computed in the background, turned into actions for the
/// reducer. The explorer never waits for a layout:
/// - a graph larger than `ExplorerState.inlineLayoutLimit` opens at once with its trace and
///   inspector and a "laying out…" graph pane (`layoutPending`); gradstep's layered layout is
///   computed on a thread of its own, with a progress line, and arrives as `.layoutArrived`;
/// - a graph small enough for Graphviz shows the layered layout at once, and Graphviz's order
///   is swapped in when (and if) it arrives (not for the `z` fit layout, which is chosen for
///   the pane's size).
///
/// ```swift
/// let upgrades = LayoutUpgrades()
/// // once per turn of the event loop:
/// for action in upgrades.actions(for: state) { effects += state.reduce(action) }
/// ```
public final class LayoutUpgrades {
    let service: LayoutService
    /// The graph structure and box style last asked of Graphviz.
    private var asked: (generation: Int, compact: Bool)?
    /// The layered layouts started in the background, by generation and box style.
    private var started: Set<[Int]> = []
    private let background = Background()
    private var shownProgress: String?
    /// When each background layout started.
    private var startedAt: [[Int]: Date] = [:]

    /// How progress lines start (`laying out 100008 nodes: ordering layers… 3 s`).
    static let progressPrefix = "laying out"

    public init(service: LayoutService = LayoutService()) {
        self.service = service
    }

    /// Starts what the state needs (a background layered layout when `layoutPending`; a
    /// Graphviz layout when the graph or the box style changed, for graphs small enough), and
    /// returns what has arrived: `.layoutArrived` for a layout of what is on screen, `.notify`
    /// for progress or a Graphviz failure. Cheap when nothing changed: no hashing.
    public func actions(for state: ExplorerState) -> [Action] {
        var actions: [Action] = []
        if state.layoutPending { startLayered(state) }
        // Progress takes the message line only when it is free (or showing progress): a
        // command's answer stays until the user moves on.
        let lineIsFree = state.message.map { $0.kind == .info && $0.text.hasPrefix(Self.progressPrefix) } ?? true
        for action in background.arrived.withLock({ list in defer { list = [] }; return list }) {
            if case .notify = action, !lineIsFree { continue }
            actions.append(action)
        }
        let key = [state.generation, state.compact ? 1 : 0]
        if state.layoutPending, lineIsFree, let text = background.stage.withLock({ $0[key] }), let start = startedAt[key] {
            let line = "\(Self.progressPrefix) \(state.tape.count) nodes: \(text)… \(Int(Date().timeIntervalSince(start))) s"
            if line != shownProgress {
                shownProgress = line
                actions.append(.notify(.info(line)))
            }
        }
        let tape = state.graph.tape
        if asked?.generation != state.generation || asked?.compact != state.compact {
            asked = (state.generation, state.compact)
            // The fit layout (`z`) is chosen for the pane's size; Graphviz's would not fit it.
            if tape.count <= service.configuration.graphvizNodeLimit && !state.compact && state.folding.isFlat {
                _ = service.layout(for: GraphView.request(tape, compact: state.compact))
            }
        }
        while let update = service.poll() {
            switch update {
            case let .improved(request, layout):
                if !state.compact && state.folding.isFlat && request == GraphView.request(tape, compact: false) {
                    actions.append(.layoutArrived(layout, generation: state.generation, compact: state.compact))
                }
            case let .failed(_, message):
                actions.append(.notify(.info(message)))
            }
        }
        return actions
    }

    /// Lays out the state's graph in its box style on a thread of its own, once per generation
    /// and style.
    private func startLayered(_ state: ExplorerState) {
        let key = [state.generation, state.compact ? 1 : 0]
        guard started.insert(key).inserted else { return }
        let (tape, compact, generation, folding) = (state.tape, state.compact, state.generation, state.folding)
        startedAt[key] = Date()
        shownProgress = nil
        let background = self.background
        background.stage.withLock { $0[key] = "measuring boxes" }
        let thread = Thread {
            let layout = FoldedLayout.layout(tape, folding: folding, compact: compact) { request in
                LayeredLayout.layout(request) { text in background.stage.withLock { $0[key] = text } }
            }
            background.stage.withLock { $0[key] = nil }
            background.arrived.withLock {
                $0.append(.notify(.info("\(Self.progressPrefix) \(tape.count) nodes: done")))
                $0.append(.layoutArrived(layout, generation: generation, compact: compact))
            }
        }
        thread.stackSize = 16 << 20
        thread.start()
    }
}

/// What the layout thread hands back: the stage it has reached, and what it finished.
private final class Background: Sendable {
    /// By generation and box style.
    let stage = Mutex<[[Int]: String]>([:])
    let arrived = Mutex<[Action]>([])
}
