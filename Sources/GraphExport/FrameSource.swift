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
        var stepper = Stepper(explanation: explanation)
        stepper.go(to: position)
        return DotWriter.frameScene(stepper, caption: captioned ? DotWriter.caption(stepper) : nil)
            .render(name: name, options: options, pinned: pinned)
    }
}
