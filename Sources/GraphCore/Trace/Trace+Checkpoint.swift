/// `trace --mode reverse --checkpoint K`: the reverse trace of a checkpointed sweep. Each row
/// whose step comes first in its segment says which values were recomputed just before it,
/// and the lines under the table set the memory held and the forward evaluations against
/// those of the plain tape (Griewank's trade-off).
public struct CheckpointSummary: Sendable {
    public var sweep: CheckpointedSweep
    /// The checkpoints by their labels (`v₄`, `v₈`, `y`).
    public var kept: [String]
    /// Whether the checkpointed gradients are bit for bit those of the plain sweep.
    public var identical: Bool

    public init(sweep: CheckpointedSweep, kept: [String], identical: Bool) {
        self.sweep = sweep
        self.kept = kept
        self.identical = identical
    }

    /// The comparison with the plain tape, one line: `plain tape: 12 values held, 12 forward
    /// evaluations; checkpoint every 4: 6 held at most, 21 evaluations (9 recomputed)`.
    public var comparison: String {
        let p = sweep.plain, c = sweep.checkpointed
        let tensors = p.elementsHeldAtMost != p.heldAtMost
        func held(_ cost: CheckpointedSweep.Cost) -> String {
            "\(cost.heldAtMost) \(cost.heldAtMost == 1 ? "value" : "values")"
                + (tensors ? " (\(cost.elementsHeldAtMost) numbers)" : "")
        }
        return "plain tape: \(held(p)) held, \(p.evaluations) forward evaluations; "
            + "checkpoint every \(sweep.every): \(held(c)) held at most, \(c.evaluations) evaluations "
            + "(\(sweep.recomputations) recomputed)"
    }

    /// The lines under the table.
    public var lines: [String] {
        // A long list is cut: the counts say the rest. The output, always kept, is last.
        let others = kept.dropLast()
        let listed = others.count > 8 ? others.prefix(8).joined(separator: ", ") + ", …" : others.joined(separator: ", ")
        let named = (listed.isEmpty ? "" : listed + " and ") + "the output " + (kept.last ?? "")
        return [
            "checkpoint every \(sweep.every): \(named) kept, \(kept.count) of the \(sweep.computed) computed values; the others "
                + "are recomputed when the sweep needs them (inputs, params and constants are held either way)",
            comparison,
            identical ? "gradients: bit for bit those of the plain tape"
                : "gradients: NOT those of the plain tape (please report this)",
        ]
    }

    public var json: JSON {
        func cost(_ c: CheckpointedSweep.Cost) -> JSON {
            ["values_held": .int(c.heldAtMost), "numbers_held": .int(c.elementsHeldAtMost), "forward_evaluations": .int(c.evaluations)]
        }
        return ["every": .int(sweep.every), "computed": .int(sweep.computed), "kept": .strings(kept),
                "plain": cost(sweep.plain), "checkpointed": cost(sweep.checkpointed),
                "recomputed": .int(sweep.recomputations), "identical_gradients": .bool(identical)]
    }
}

extension Trace {
    /// Marks each reverse row with the values recomputed before its step and adds the summary.
    /// `plainAdjoints` is the plain sweep's result, compared bit for bit.
    public mutating func showCheckpointing(_ sweep: CheckpointedSweep, tape: Tape, plainAdjoints: [Double]) {
        let identical = sweep.adjoints.count == plainAdjoints.count
            && zip(sweep.adjoints, plainAdjoints).allSatisfy { $0.bitPattern == $1.bitPattern }
        let summary = CheckpointSummary(sweep: sweep, kept: sweep.checkpoints.map(tape.label), identical: identical)
        for k in rows.indices {
            if let nodes = sweep.recomputedBefore[rows[k].node] { rows[k].recomputed = nodes.map(tape.label) }
        }
        checkpoint = summary
        notes += summary.lines
    }
}
