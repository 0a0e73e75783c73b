import GraphCore

// `:checkpoint K` (`:checkpoint off`): the reverse sweep as checkpointing runs it (see
// `CheckpointedSweep`). The status line then carries the values held and the forward
// evaluations against the plain tape, and at each step that starts a segment, the values
// recomputed just before it, as `trace --checkpoint K` prints them.
extension ExplorerState {
    /// Runs `:checkpoint REST`; nil when done, else why not.
    mutating func checkpointCommand(_ rest: String) -> String? {
        if rest == "off" {
            checkpoint = nil
            message = .info("checkpointing off: the plain tape")
            return nil
        }
        let n = tape.sweptComputedCount
        guard n > 0 else { return ":checkpoint: the output is a leaf, so the sweep holds no computed value to thin out" }
        guard let k = Int(rest), k >= 1, k <= n else {
            return ":checkpoint takes a whole number K from 1 (every value kept) to \(n) (only the output kept), or off"
        }
        let seed = outputSeedTensor ?? [Double](repeating: outputSeed, count: tape.entries[tape.output].count)
        let sweep = tape.checkpointedSweep(every: k, outputSeed: seed)
        checkpoint = sweep
        let summary = CheckpointSummary(sweep: sweep, kept: sweep.checkpoints.map(tape.label), identical: true)
        message = .info(summary.comparison + (phase == .reverse ? "" : " (shown in reverse mode: r)"))
        return nil
    }

    /// The values recomputed just before the step on screen (empty without checkpointing).
    public var recomputedAtStep: [Int] {
        guard phase == .reverse, let checkpoint, let node = stepper.current else { return [] }
        return checkpoint.recomputedBefore[node] ?? []
    }

    /// The status line's part: `checkpoint 4: 6/12 held, 21/12 evaluations`, and the values
    /// the step on screen recomputed.
    var checkpointStatus: String {
        guard let c = checkpoint else { return "" }
        let recomputed = recomputedAtStep
        return " │ checkpoint \(c.every): \(c.checkpointed.heldAtMost)/\(c.plain.heldAtMost) held, "
            + "\(c.checkpointed.evaluations)/\(c.plain.evaluations) evaluations"
            + (recomputed.isEmpty ? "" : " │ recomputed \(recomputed.map(tape.label).joined(separator: ", "))")
    }
}
