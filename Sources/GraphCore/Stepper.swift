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
/// The whole sweep is explained once (`Explanation`); a step only reveals the next node. In
/// reverse mode the displayed adjoints accumulate term by term, and stepping back restores
/// the previous sums exactly from an undo log rather than subtracting. "Done", "arrived" and
/// "current" are answered here, from the explanation, for every view.
public struct Stepper: Sendable {
    public let explanation: Explanation
    /// Steps done: 0 (nothing yet) … `count` (the sweep is complete).
    public private(set) var position = 0
    /// Adjoints as they stand after `position` reverse steps.
    public private(set) var shownAdjoints: [Double]
    /// The undo log, flat: entry k put back `undoValues[undoEnds[k - 1] ..< undoEnds[k]]` at
    /// `undoOffsets[k]` (an array per entry cost a heap block per term: about 80 bytes a node
    /// at the end of a 10⁶-node reverse sweep, against 24).
    private var undoOffsets: [Int] = [], undoEnds: [Int] = []
    private var undoValues: [Double] = []
    private var undoMarks: [Int] = []

    public init(explanation: Explanation) {
        self.explanation = explanation
        let tape = explanation.tape
        var shown = [Double](repeating: 0, count: tape.valueCount)
        if tape.count > 0 {
            let out = tape.entries[tape.output]
            let seed = explanation.seedValues
            for k in 0..<out.count { shown[Int(out.offset) + k] = seed[k] }
        }
        shownAdjoints = shown
    }

    public init(tape: Tape, values: [Double], phase: Phase, seedLeaf: Int? = nil, outputSeed: Double = 1) {
        self.init(tape: tape, values: values, phase: phase,
                  tangentSeed: seedLeaf.map { TangentSeed(leaf: $0) }, outputSeed: outputSeed)
    }

    public init(tape: Tape, values: [Double], phase: Phase, tangentSeed: TangentSeed?, outputSeed: Double = 1) {
        self.init(explanation: Explanation(tape: tape, values: values, phase: phase,
                                           tangentSeed: tangentSeed, outputSeed: outputSeed))
    }

    public var tape: Tape { explanation.tape }
    public var values: [Double] { explanation.values }
    public var phase: Phase { explanation.phase }
    public var tangents: [Double] { explanation.tangents }
    public var tangentSeed: TangentSeed { explanation.tangentSeed }
    /// Leaf whose tangent is seeded in forward mode.
    public var seedLeaf: Int { explanation.tangentSeed.leaf }
    public var outputSeed: Double { explanation.outputSeed }

    /// Nodes in the order this phase visits them.
    public var order: [Int] { explanation.order }
    public var count: Int { explanation.stepCount }

    /// The node visited by the last step (nil before the first).
    public var current: Int? { position > 0 ? explanation.order[position - 1] : nil }

    /// Whether node `i` has been computed (forward phases; leaves always are) or visited by the
    /// reverse sweep (its adjoint complete, its terms sent on).
    public func isDone(_ i: Int) -> Bool { explanation.isDone(i, at: position) }

    /// Whether a chain-rule term has arrived.
    public func hasArrived(_ c: Contribution) -> Bool { explanation.hasArrived(c, at: position) }

    /// Reverse mode: whether node `i` shows an adjoint yet (the output's seed from the start).
    public func hasAdjoint(_ i: Int) -> Bool { explanation.hasAdjoint(i, at: position) }

    /// Moves one step on; false at the end.
    @discardableResult
    public mutating func next() -> Bool {
        guard position < count else { return false }
        if phase == .reverse {
            undoMarks.append(undoOffsets.count)
            for c in explanation.contributions[explanation.sent[position]] {
                let o = Int(tape.entries[c.operand].offset)
                undoOffsets.append(o)
                undoValues.append(contentsOf: shownAdjoints[o ..< o + c.count])
                undoEnds.append(undoValues.count)
                for k in 0..<c.count { shownAdjoints[o + k] += explanation.data[c.start + k] }
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
            while undoOffsets.count > mark {
                let o = undoOffsets.removeLast()
                let end = undoEnds.removeLast(), start = undoEnds.last ?? 0
                for k in start ..< end { shownAdjoints[o + k - start] = undoValues[k] }
                undoValues.removeLast(end - start)
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
        explanation.slice(buffer, i)
    }
}
