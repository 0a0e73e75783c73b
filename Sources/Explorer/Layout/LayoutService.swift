import Foundation

/// The explorer's layouts, cached per graph structure: gradstep's layered layout at once,
/// Graphviz's in the background for graphs small enough, swapped in when it arrives.
///
/// ```swift
/// let service = LayoutService()
/// var layout = service.layout(for: request)        // never waits for Graphviz
/// // every tick of the UI loop (ncurses timeout(100)):
/// while let update = service.poll() {
///     switch update {
///     case let .improved(r, better) where r == request: layout = better
///     case let .failed(r, message) where r == request: status = message
///     default: break
///     }
/// }
/// ```
///
/// Graphviz runs at most once per request: a layout, a failure or a timeout is remembered,
/// so asking again (every frame, every keystroke) neither retries nor blocks. All members may
/// be called from any thread.
public final class LayoutService: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Graphviz lays out graphs of at most this many nodes; larger keep the layered layout.
        public var graphvizNodeLimit: Int
        /// Seconds Graphviz may take.
        public var timeout: Double
        /// The `dot` program; nil: the first on PATH.
        public var dotPath: String?
        /// Requests remembered (least recently used forgotten first).
        public var capacity: Int

        public init(graphvizNodeLimit: Int = 400, timeout: Double = 10, dotPath: String? = nil, capacity: Int = 16) {
            (self.graphvizNodeLimit, self.timeout, self.dotPath, self.capacity) = (graphvizNodeLimit, timeout, dotPath, capacity)
        }
    }

    /// News for the UI from the background.
    public enum Update: Sendable, Equatable {
        /// A better layout for `request` arrived: swap it in.
        case improved(LayoutRequest, GraphLayout)
        /// Graphviz failed for `request`; `message` is for the status bar. The layered layout stays.
        case failed(LayoutRequest, String)
    }

    /// Where Graphviz stands for a request.
    public enum GraphvizState: Sendable, Equatable {
        case notTried, running, done, failed(String)
    }

    public let configuration: Configuration
    private let lock = NSLock()
    private var entries: [LayoutRequest: Entry] = [:]
    private var clock = 0
    private var updates: [Update] = []

    private struct Entry {
        var best: GraphLayout
        var graphviz: GraphvizState
        var lastUse: Int
    }

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The best layout known for `r`, at once: the cached one, else a fresh layered layout
    /// (computed on the caller's thread: milliseconds for thousands of nodes). Starts Graphviz
    /// in the background when `r` is small enough and Graphviz was not tried yet.
    public func layout(for r: LayoutRequest) -> GraphLayout {
        if let cached = touch(r) { return cached }
        let layered = LayeredLayout.layout(r)
        let small = r.widths.count <= configuration.graphvizNodeLimit
        let start = lock.withLock {
            guard entries[r] == nil else { return false }  // another thread was quicker
            clock += 1
            entries[r] = Entry(best: layered, graphviz: small ? .running : .notTried, lastUse: clock)
            evict()
            return small
        }
        if start { startGraphviz(r) }
        return lock.withLock { entries[r]?.best } ?? layered
    }

    /// The next piece of news, if any; never waits.
    public func poll() -> Update? {
        lock.withLock { updates.isEmpty ? nil : updates.removeFirst() }
    }

    /// Where Graphviz stands for `r` (`.notTried` for an unknown request).
    public func graphvizState(for r: LayoutRequest) -> GraphvizState {
        lock.withLock { entries[r]?.graphviz ?? .notTried }
    }

    private func touch(_ r: LayoutRequest) -> GraphLayout? {
        lock.withLock {
            guard entries[r] != nil else { return nil }
            clock += 1
            entries[r]!.lastUse = clock
            return entries[r]!.best
        }
    }

    /// Called with the lock held.
    private func evict() {
        while entries.count > max(1, configuration.capacity) {
            guard let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key else { return }
            entries[oldest] = nil
        }
    }

    private func startGraphviz(_ r: LayoutRequest) {
        let (dotPath, timeout) = (configuration.dotPath, configuration.timeout)
        Task.detached { [weak self] in
            let result = await GraphvizLayout.run(r, dotPath: dotPath, timeout: timeout)
            self?.finish(r, result)
        }
    }

    private func finish(_ r: LayoutRequest, _ result: Result<GraphLayout, LayoutFailure>) {
        lock.withLock {
            switch result {
            case .success(let layout):
                entries[r]?.best = layout
                entries[r]?.graphviz = .done
                updates.append(.improved(r, layout))
            case .failure(let failure):
                entries[r]?.graphviz = .failed(failure.description)
                updates.append(.failed(r, failure.description))
            }
        }
    }
}
