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
/// The reducer asks for a layout as every other slow work, with an effect (`.layout`), which
/// `EffectRunner` hands to `start(_:)`; what has arrived is collected once per turn of the loop:
///
/// ```swift
/// let upgrades = LayoutUpgrades()
/// let runner = EffectRunner(layouts: upgrades, deliver: mailbox.post)
/// for effect in state.start() { _ = runner.perform(effect) }
/// // once per turn of the event loop:
/// for action in upgrades.actions(for: state) { effects += state.reduce(action) }
/// ```
public final class LayoutUpgrades: Sendable {
    let service: LayoutService
    private let state = Mutex(Started())
    private let background = Background()

    /// What has been started, and the progress line last shown.
    private struct Started {
        /// The layered layouts started in the background, by generation and box style, and when.
        var layered: [[Int]: Date] = [:]
        /// The Graphviz request asked for the structure on screen, and its generation.
        var graphviz: (request: LayoutRequest, generation: Int)?
        var shownProgress: String?
    }

    /// How progress lines start (`laying out 100008 nodes: ordering layers… 3 s`).
    static let progressPrefix = "laying out"

    public init(service: LayoutService = LayoutService()) {
        self.service = service
    }

    /// Starts the layouts `job` asks for: the layered one on a thread of its own (once per
    /// generation and box style), and Graphviz's when the graph is small enough for it.
    public func start(_ job: LayoutJob) {
        if job.layered { startLayered(job) }
        guard job.graphviz, job.tape.count <= service.configuration.graphvizNodeLimit else { return }
        let request = GraphView.request(job.tape, compact: false)
        state.withLock { $0.graphviz = (request, job.generation) }
        _ = service.layout(for: request)
    }

    /// What has arrived for what `state` shows: `.layoutArrived` for a layout of it, `.notify`
    /// for progress or a Graphviz failure. Cheap when nothing changed: no hashing.
    public func actions(for state: ExplorerState) -> [Action] {
        var actions: [Action] = []
        // Progress takes the message line only when it is free (or showing progress): a
        // command's answer stays until the user moves on.
        let lineIsFree = state.message.map { $0.kind == .info && $0.text.hasPrefix(Self.progressPrefix) } ?? true
        for action in background.arrived.withLock({ list in defer { list = [] }; return list }) {
            if case .notify = action, !lineIsFree { continue }
            actions.append(action)
        }
        let key = [state.generation, state.compact ? 1 : 0]
        if state.layoutPending, lineIsFree, let text = background.stage.withLock({ $0[key] }),
           let start = self.state.withLock({ $0.layered[key] }) {
            let line = "\(Self.progressPrefix) \(state.tape.count) nodes: \(text)… \(Int(Date().timeIntervalSince(start))) s"
            if self.state.withLock({ s in defer { s.shownProgress = line }; return s.shownProgress != line }) {
                actions.append(.notify(.info(line)))
            }
        }
        let asked = self.state.withLock { $0.graphviz }
        while let update = service.poll() {
            switch update {
            case let .improved(request, layout):
                if !state.compact && state.folding.isFlat, let asked, asked.generation == state.generation, request == asked.request {
                    actions.append(.layoutArrived(layout, generation: state.generation, compact: state.compact))
                }
            case let .failed(_, message):
                actions.append(.notify(.info(message)))
            }
        }
        return actions
    }

    /// Lays out the job's graph in its box style on a thread of its own, once per generation
    /// and style.
    private func startLayered(_ job: LayoutJob) {
        let key = [job.generation, job.compact ? 1 : 0]
        let fresh = state.withLock { s in
            guard s.layered[key] == nil else { return false }
            s.layered[key] = Date()
            s.shownProgress = nil
            return true
        }
        guard fresh else { return }
        let (tape, compact, generation, folding) = (job.tape, job.compact, job.generation, job.folding)
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
