import Foundation
import GraphCore

// `export --frames` draws a picture per step, each of every node: the work and the files grow
// with nodes × steps. The neuron view of a 40×40 weight matrix (~4,900 nodes, ~9,800 steps)
// once grew to 8 GB before a single file was written. Now each frame is drawn only when its
// file is written (`FrameSource`), and a job past `Limits.maximumFrameDrawings` is refused
// before anything is drawn (`ExportJob.framesRefusal`).

extension ExportJob {
    /// The sweeps `--frames` steps through: the reverse pass comes after its primal pass.
    var framePhases: [Phase] { state == .reverse ? [.primal, .reverse] : [state] }

    /// The pictures `--frames` writes: one before the first step of each phase and one after
    /// each step.
    public var frameCount: Int {
        framePhases.reduce(0) { total, phase in
            total + Explanation(tape: tape, values: values ?? tape.evaluate(), phase: phase,
                                tangentSeed: tangentSeed, outputSeed: outputSeed,
                                outputSeedTensor: outputSeedTensor).stepCount + 1
        }
    }

    /// How many boxes a frame draws: the nodes outside folded groups and one per folded group.
    var drawnCount: Int {
        guard let folding, !folding.isFlat, folding.nodeCount == tape.count else { return tape.count }
        let folded = folding.groups.filter { !folding.isOpen($0.name) }
        return tape.count - folded.reduce(0) { $0 + $1.members.count } + folded.count
    }

    /// Why `--frames` of this job is refused (frames × boxes per frame past
    /// `Limits.maximumFrameDrawings`), or nil when it is not.
    public var framesRefusal: String? {
        guard frames else { return nil }
        let count = frameCount
        let drawings = Limits.product([count, drawnCount]) ?? Int.max
        guard drawings > Limits.maximumFrameDrawings else { return nil }
        return "\(name): --frames would draw \(Limits.grouped(count)) pictures of \(Limits.grouped(drawnCount)) nodes each "
            + "(\(Limits.grouped(drawings)) nodes drawn); frames may draw at most \(Limits.grouped(Limits.maximumFrameDrawings)) in all"
    }

    /// What to try instead of a refused `--frames`.
    public static let framesHint = "export the final picture without --frames, draw the tensor view (--granularity tensor) "
        + "or fold groups (--open), or step through the graph in the explorer (gradstep FILE)"
}

/// One frame of a sweep, drawn when its file is written: the sweep's explanation (shared by
/// every frame of it) and the step. Planning a batch keeps these, not the DOT text of every
/// frame, so memory does not grow with nodes × frames.
struct FrameSource: Sendable {
    var explanation: Explanation
    var position: Int
    var name: String
    var options: DotOptions
    var pinned: PinnedLayout?
    /// The step's sentence in the picture's title: an animation has no page to show it in.
    var captioned = false

    /// The frame's DOT text (as `DotWriter.frames` writes it with `captions: captioned`: the
    /// page shows the step's sentence).
    func dot() -> String {
        dot(drawnBy: FrameDrawer(explanation: explanation, name: name, options: options, pinned: pinned))
    }

    /// The same text from `drawer`, a drawer of this sweep with this name, options and layout
    /// that drew the frames before this one (so that it draws only what changed).
    func dot(drawnBy drawer: FrameDrawer) -> String {
        drawer.go(to: position)
        return drawer.dot(caption: captioned ? DotWriter.caption(drawer.stepper) : nil)
    }
}

/// Draws the frames of one sweep in turn, each as `Scene.render` draws it afresh, reusing
/// what an earlier frame drew the same.
///
/// From one frame to the next most of a picture stays: a node's box changes only when the
/// step reaches it or a term arrives at it (its status, the numbers it shows, its partial
/// mark, its adjoint so far), an edge's label only when its term arrives or stops being the
/// current one, and the ranks and frames of the layout never. Drawing a box formats every
/// number of its label and of its tooltip (up to 4,000 characters of a tensor), so a sweep
/// drew the same boxes once per frame: `export --frames` and the DOT tests spent most of
/// their time there. The drawer keeps each box's line with what it was drawn from and draws
/// it again only when that differs, and each edge's line by its term's state.
final class FrameDrawer {
    let name: String
    let options: DotOptions
    let pinned: PinnedLayout?
    private(set) var stepper: Stepper

    /// What a node's box is drawn from, besides its adjoint so far and what is the same in
    /// every frame of the sweep (values, final tangents, the layout, the options).
    struct NodeState: Equatable {
        var status: Scene.Status
        var showValue, showTangent, showAdjoint, partial: Bool
    }

    private var nodes: [(state: NodeState, adjoints: [Double], line: String)?]
    private var edges: [EdgeState: String] = [:]
    private var sweepLines: [String]?
    private var drawnEdges: [Scene.DrawnEdge]?

    private struct EdgeState: Hashable {
        var key: EdgeKey
        var status: Scene.EdgeStatus?
    }

    init(explanation: Explanation, name: String, options: DotOptions, pinned: PinnedLayout?) {
        stepper = Stepper(explanation: explanation)
        self.name = name
        self.options = options
        self.pinned = pinned
        nodes = Array(repeating: nil, count: explanation.tape.count)
    }

    /// Moves to step `position`: from the last frame drawn that is one step on.
    func go(to position: Int) { stepper.go(to: position) }

    /// Moves one step on; false at the end of the sweep.
    func next() -> Bool { stepper.next() }

    /// The frame at the stepper's position, with `caption` in its title when given.
    func dot(caption: String?) -> String {
        DotWriter.frameScene(stepper, caption: caption).render(name: name, options: options, pinned: pinned, memo: self)
    }

    // MARK: - What `Scene.render` asks

    /// Node `i`'s line in `scene`, drawn by `draw` unless the last one drawn had the same
    /// state and, bit for bit, the same adjoint.
    func node(_ i: Int, of scene: Scene, draw: () -> String) -> String {
        let state = NodeState(status: scene.status[i], showValue: scene.showValue[i], showTangent: scene.showTangent[i],
                              showAdjoint: scene.showAdjoint[i], partial: scene.partial[i])
        let adjoint = scene.adjoints.map { scene.slice($0, i) } ?? []
        if let drawn = nodes[i], drawn.state == state, Self.sameBits(drawn.adjoints, adjoint) { return drawn.line }
        let line = draw()
        nodes[i] = (state, Array(adjoint), line)
        return line
    }

    /// An edge's line while its term is in `status` (nil: not arrived or none).
    func edge(_ key: EdgeKey, _ status: Scene.EdgeStatus?, draw: () -> String) -> String {
        let state = EdgeState(key: key, status: status)
        if let line = edges[state] { return line }
        let line = draw()
        edges[state] = line
        return line
    }

    /// The lines that are the same in every frame (`Scene.sweepLines`), drawn once.
    func fixed(_ draw: () -> [String]) -> [String] {
        if let sweepLines { return sweepLines }
        let lines = draw()
        sweepLines = lines
        return lines
    }

    /// The picture's edges (`Scene.drawnEdges`), found once.
    func drawnEdges(of scene: Scene, _ options: DotOptions) -> [Scene.DrawnEdge] {
        if let drawnEdges { return drawnEdges }
        let found = scene.drawnEdges(options)
        drawnEdges = found
        return found
    }

    /// Equal bit for bit (a NaN equals itself, 0 and −0 differ), as the text drawn from them is.
    private static func sameBits(_ a: [Double], _ b: ArraySlice<Double>) -> Bool {
        guard a.count == b.count else { return false }
        var j = b.startIndex
        for x in a {
            if x.bitPattern != b[j].bitPattern { return false }
            j += 1
        }
        return true
    }
}
