/// The three sweeps a user can step through.
public enum Phase: String, CaseIterable, Sendable {
    /// Evaluating primal values, v₁ … y.
    case primal
    /// Forward-mode AD: tangents v̇ pushed along with the primals.
    case forward
    /// Reverse-mode AD: adjoints v̄ pulled back from the output.
    case reverse
}

/// Stepping is model, not UI: a cursor over one sweep of a tape, able to go back to any earlier
/// state without recomputing the graph.
///
/// The whole evaluation (primals, tangents, the reverse sweep with every chain-rule term) is
/// computed once; a step only reveals the next node. In reverse mode the displayed adjoints
/// accumulate term by term, and stepping back restores the previous sums exactly from an undo
/// log rather than subtracting.
public struct Stepper: Sendable {
    public let tape: Tape
    public let values: [Double]
    public let phase: Phase
    /// Leaf whose tangent is seeded with 1 in forward mode.
    public let seedLeaf: Int
    public let tangents: [Double]
    public let sweep: ReverseSweep
    /// Steps done: 0 (nothing yet) … `count` (the sweep is complete).
    public private(set) var position = 0
    /// Adjoints as they stand after `position` reverse steps.
    public private(set) var shownAdjoints: [Double]
    private var undo: [(offset: Int, old: [Double])] = []
    private var undoMarks: [Int] = []
    private let forwardOrder: [Int]

    public init(tape: Tape, values: [Double], phase: Phase, seedLeaf: Int? = nil, outputSeed: Double = 1) {
        self.tape = tape
        self.values = values
        self.phase = phase
        let leaf = seedLeaf ?? tape.differentiableLeaves.first ?? 0
        self.seedLeaf = leaf
        tangents = tape.tangents(values: values, seed: tape.tangentSeed(leaf: leaf))
        sweep = ReverseSweep(tape: tape, values: values, seed: outputSeed)
        var shown = [Double](repeating: 0, count: tape.valueCount)
        let out = tape.entries[tape.output]
        for k in 0..<out.count { shown[Int(out.offset) + k] = outputSeed }
        shownAdjoints = shown
        forwardOrder = Array(tape.firstComputed ..< tape.count)
    }

    /// Nodes in the order this phase visits them.
    public var order: [Int] { phase == .reverse ? sweep.order : forwardOrder }
    public var count: Int { order.count }

    /// The node visited by the last step (nil before the first).
    public var current: Int? { position > 0 ? order[position - 1] : nil }

    /// Whether node `i` has been computed (forward phases) or has passed its adjoint on
    /// (reverse). Leaves count as done in the forward phases.
    public func isDone(_ i: Int) -> Bool {
        switch phase {
        case .primal, .forward: return i < tape.firstComputed || i < tape.firstComputed + position
        case .reverse: return position > 0 && i >= sweep.order[position - 1] && i <= tape.output
        }
    }

    /// Moves one step on; false at the end.
    @discardableResult
    public mutating func next() -> Bool {
        guard position < count else { return false }
        if phase == .reverse {
            undoMarks.append(undo.count)
            for c in sweep.contributions[sweep.steps[position]] {
                let o = Int(tape.entries[c.operand].offset)
                undo.append((o, Array(shownAdjoints[o ..< o + c.count])))
                for k in 0..<c.count { shownAdjoints[o + k] += sweep.data[c.start + k] }
            }
        }
        position += 1
        return true
    }

    /// Moves one step back; false at the start.
    @discardableResult
    public mutating func previous() -> Bool {
        guard position > 0 else { return false }
        if phase == .reverse, let mark = undoMarks.popLast() {
            while undo.count > mark {
                let (o, old) = undo.removeLast()
                for k in old.indices { shownAdjoints[o + k] = old[k] }
            }
        }
        position -= 1
        return true
    }

    /// Goes to step `p` (clamped to 0…count).
    public mutating func go(to p: Int) {
        let target = Swift.max(0, Swift.min(count, p))
        while position < target { next() }
        while position > target { previous() }
    }

    /// Node `i`'s slice of a buffer.
    public func slice(_ buffer: [Double], _ i: Int) -> ArraySlice<Double> {
        let e = tape.entries[i]
        return buffer[Int(e.offset) ..< Int(e.offset) + e.count]
    }
}
