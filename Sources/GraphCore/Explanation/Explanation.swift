import Foundation

/// One term of the chain rule. In reverse mode, consumer `consumer` passes `value` =
/// v̄_consumer · ∂consumer/∂operand (a VJP) to its operand; in forward mode, operand `operand`
/// passes v̇_operand · ∂consumer/∂operand (a JVP) to its consumer. Either way the term is
/// computed, sent and received at step `step` of the sweep.
public struct Contribution: Hashable, Sendable {
    public var consumer: Int
    public var operand: Int
    /// Which argument of the consumer the operand is (0 or 1).
    public var position: Int
    /// The local partial ∂consumer/∂operand when both are scalars; nil for tensors.
    public var partial: Double?
    /// The step at which the term is computed and arrives.
    public var step: Int
    /// The operand was broadcast (a scalar over a tensor, a vector over a matrix's rows), so
    /// its adjoint is the sum of the consumer's over the broadcast.
    public var broadcast: Bool
    /// Where the term's values sit in `Explanation.data`.
    public var start: Int
    public var count: Int
}

/// What every step of one sweep means, as plain data: the order of the steps, every
/// chain-rule term (sent and received, with the step it arrives at), the values, tangents and
/// adjoints it produces, and the elements that sit on a kink.
///
/// One sweep per phase computes it, entry by entry with the tensor kernels, independently of
/// the fast evaluators (a property test checks they agree). The `Stepper`, the trace tables,
/// the explorer's panes and the DOT frames are views over it: none of them recomputes these
/// facts; the sentences they print come from `sentence(_:)`.
///
/// Steps: the primal and forward sweeps visit the computed nodes in tape order. The reverse
/// sweep visits the output (its seed), every computed node down the tape (each sends its VJPs
/// to its operands), then every input and param (whose gradient is then complete), so the
/// last steps of backprop are the gradients W̄, B̄, x̄ that are its point. It skips the nodes
/// that do not lead to the output (`deadNodes`): their adjoints are 0 by definition, and a
/// step for them would only add zero terms. It also skips constants and the nodes only
/// constants reach (`constantOnlyNodes`), and sends them no terms: no gradient is asked of
/// them, so none is computed.
public struct Explanation: Sendable {
    public let tape: Tape
    public let phase: Phase
    /// Primal values (row-major slices at each entry's offset).
    public let values: [Double]
    /// Forward mode: every node's tangent under `tangentSeed`; empty in other phases.
    public let tangents: [Double]
    /// Reverse mode: every node's final adjoint under `outputSeed`; empty in other phases.
    public let adjoints: [Double]
    public let tangentSeed: TangentSeed
    public let outputSeed: Double
    /// The output's adjoint seed element by element when it is a tensor v (every adjoint is
    /// then the VJP vᵀ·∂y/∂node); nil when `outputSeed` seeds every element.
    public let outputSeedTensor: [Double]?
    /// The node visited at each step.
    public let order: [Int]
    /// Every chain-rule term, grouped by the step that computes it.
    public let contributions: [Contribution]
    /// `contributions[sent[s]]`: the terms computed at step s.
    public let sent: [Range<Int>]
    /// The terms' values, concatenated.
    public let data: [Double]
    /// Each node's step, or -1 when the sweep does not visit it.
    private let stepOf: [Int32]
    /// Reverse: the terms each node receives (by operand); forward: the terms each node sums
    /// (by consumer). Compressed rows of indices into `contributions`.
    private let receivedStarts: [Int32]
    private let receivedTerms: [Int32]
    /// Elements (row-major) at which a node's op is not differentiable and that can change
    /// the output's derivative (see `Kinks.swift`), by node.
    public let kinks: [Int: [Int]]

    /// Explains `phase` over `tape` at the primal point whose leaves are in `values`.
    public init(tape: Tape, values given: [Double], phase: Phase,
                tangentSeed: TangentSeed? = nil, outputSeed: Double = 1, outputSeedTensor: [Double]? = nil) {
        precondition(outputSeedTensor == nil || tape.count > 0 && outputSeedTensor!.count == tape.entries[tape.output].count,
                     "a tensor seed has the output's elements")
        self.tape = tape
        self.phase = phase
        self.outputSeed = outputSeed
        self.outputSeedTensor = outputSeedTensor
        let seed = tangentSeed ?? TangentSeed(leaf: tape.differentiableLeaves.first ?? 0)
        self.tangentSeed = seed
        let values = Explanation.primalSweep(tape, given)
        self.values = values
        let seedValues = tape.count == 0 ? [] : outputSeedTensor ?? [Double](repeating: outputSeed, count: tape.entries[tape.output].count)
        kinks = Explanation.kinks(tape, values, seed: seedValues)

        var order: [Int] = []
        var contributions: [Contribution] = []
        var sent: [Range<Int>] = []
        var data: [Double] = []
        var tangents: [Double] = [], adjoints: [Double] = []
        switch phase {
        case .primal:
            order = Array(tape.firstComputed ..< tape.count)
            sent = order.map { _ in 0 ..< 0 }
        case .forward:
            order = Array(tape.firstComputed ..< tape.count)
            tangents = Explanation.tangentSweep(tape, values, seed.buffer(tape), &contributions, &sent, &data)
        case .reverse:
            let live = tape.leadsToOutput
            order = tape.count == 0 ? [] : Array(stride(from: tape.output, through: 0, by: -1))
                // The output keeps its seed step even when only constants reach it.
                .filter { live[$0] && (tape.needsGradient($0) || $0 == tape.output && tape.entries[$0].op != .constant) }
            adjoints = Explanation.adjointSweep(tape, values, seedValues, order, &contributions, &sent, &data)
        }
        self.order = order
        self.contributions = contributions
        self.sent = sent
        self.data = data
        self.tangents = tangents
        self.adjoints = adjoints
        var stepOf = [Int32](repeating: -1, count: tape.count)
        for (s, i) in order.enumerated() { stepOf[i] = Int32(s) }
        self.stepOf = stepOf
        var counts = [Int32](repeating: 0, count: tape.count + 1)
        let key: (Contribution) -> Int = phase == .reverse ? { $0.operand } : { $0.consumer }
        for c in contributions { counts[key(c) + 1] += 1 }
        for i in 0 ..< tape.count { counts[i + 1] += counts[i] }
        var fill = counts
        var terms = [Int32](repeating: 0, count: contributions.count)
        for (k, c) in contributions.enumerated() {
            terms[Int(fill[key(c)])] = Int32(k)
            fill[key(c)] += 1
        }
        receivedStarts = counts
        receivedTerms = terms
    }

    // MARK: - Questions the views ask

    public var stepCount: Int { order.count }

    /// The output's seed, element by element.
    public var seedValues: [Double] {
        guard tape.count > 0 else { return [] }
        return outputSeedTensor ?? [Double](repeating: outputSeed, count: tape.entries[tape.output].count)
    }

    /// The step that visits node `i`, or nil.
    public func step(of i: Int) -> Int? { stepOf[i] >= 0 ? Int(stepOf[i]) : nil }

    /// The terms node `i` receives (reverse: from its consumers; forward: from its operands),
    /// in the order they arrive.
    public func received(by i: Int) -> [Contribution] {
        receivedTerms[Int(receivedStarts[i]) ..< Int(receivedStarts[i + 1])].map { contributions[Int($0)] }
    }

    /// The terms node `i` sends (reverse: to its operands; forward: to itself, one per operand).
    public func sends(_ i: Int) -> [Contribution] {
        guard let s = step(of: i) else { return [] }
        return Array(contributions[sent[s]])
    }

    /// The values of one term.
    public func values(of c: Contribution) -> ArraySlice<Double> { data[c.start ..< c.start + c.count] }

    /// Whether node `i` has been visited after `position` steps (leaves count as visited in
    /// the forward phases, and nodes the reverse sweep never visits as never done).
    public func isDone(_ i: Int, at position: Int) -> Bool {
        if phase != .reverse && i < tape.firstComputed { return true }
        guard let s = step(of: i) else { return false }
        return s < position
    }

    /// Whether a term has arrived after `position` steps.
    public func hasArrived(_ c: Contribution, at position: Int) -> Bool { c.step < position }

    /// Reverse mode: whether node `i` shows an adjoint after `position` steps: the output from
    /// the start (its seed), another node once its first term has arrived.
    public func hasAdjoint(_ i: Int, at position: Int) -> Bool {
        if i == tape.output { return true }
        guard receivedStarts[i] < receivedStarts[i + 1] else { return false }
        return contributions[Int(receivedTerms[Int(receivedStarts[i])])].step < position
    }

    /// Whether every element of node `i` is differentiable at this point.
    public func isKink(_ i: Int) -> Bool { kinks[i] != nil }

    /// Node `i`'s slice of a buffer.
    public func slice(_ buffer: [Double], _ i: Int) -> ArraySlice<Double> {
        let e = tape.entries[i]
        return buffer[Int(e.offset) ..< Int(e.offset) + e.count]
    }

    /// Reverse mode: the nodes the sweep skips because no path leads from them to the output
    /// (their adjoints are 0 and they send nothing), in tape order; empty in other phases.
    public var deadNodes: [Int] {
        guard phase == .reverse, tape.count > 0 else { return [] }
        return (0...tape.output).filter { tape.needsGradient($0) && step(of: $0) == nil }
    }

    /// Reverse mode: the computed nodes the sweep skips because only constants reach them (no
    /// input or param does): like a constant, nothing asks for their adjoint, so none is
    /// computed. In tape order; empty in other phases.
    public var constantOnlyNodes: [Int] {
        guard phase == .reverse, tape.count > 0 else { return [] }
        return (tape.firstComputed ..< tape.count).filter { !tape.needsGradient($0) && step(of: $0) == nil }
    }

    // MARK: - The sweeps

    /// Primal values entry by entry with the tensor kernels, from the leaves in `given`.
    static func primalSweep(_ tape: Tape, _ given: [Double]) -> [Double] {
        var v = given
        if v.count < tape.valueCount { v += [Double](repeating: 0, count: tape.valueCount - v.count) }
        tape.entries.withUnsafeBufferPointer { e in
            v.withUnsafeMutableBufferPointer { v in
                for i in tape.firstComputed ..< tape.count {
                    let x = e[i]
                    x.forward(e[Int(x.a)], e[Int(x.b)], v)
                }
            }
        }
        return v
    }

    /// Forward mode, one term per operand: each is the consumer's JVP with only that operand's
    /// tangent, computed on private copies of the operands so that `x * x` gives two terms.
    static func tangentSweep(_ tape: Tape, _ values: [Double], _ seed: [Double],
                             _ terms: inout [Contribution], _ sent: inout [Range<Int>], _ data: inout [Double]) -> [Double] {
        var t = seed
        let room = tape.entries.map(\.count).max() ?? 1
        let base = tape.valueCount
        // Scratch: operand a, operand b, result, at the end of private value/tangent buffers.
        var v = values + [Double](repeating: 0, count: 3 * room)
        var st = [Double](repeating: 0, count: base + 3 * room)
        for i in tape.firstComputed ..< tape.count {
            let e = tape.entries[i]
            let first = terms.count
            var ea = tape.entries[Int(e.a)], eb = tape.entries[Int(e.b)], er = e
            if e.flags & TapeEntry.Flags.scalar != 0 {
                // Scalars: each term is the local partial times the operand's tangent.
                let p = e.op.partials(values[Int(ea.offset)], values[Int(eb.offset)], values[Int(e.offset)])
                var total = 0.0
                for (position, operand) in e.operands.enumerated() where tape.needsGradient(operand) {
                    let partial = position == 0 ? p.0 : p.1
                    let term = partial * t[Int(tape.entries[operand].offset)]
                    total = position == 0 ? term : total + term
                    terms.append(Contribution(consumer: i, operand: operand, position: position, partial: partial,
                                              step: i - tape.firstComputed, broadcast: false, start: data.count, count: 1))
                    data.append(term)
                }
                t[Int(e.offset)] = total
                sent.append(first ..< terms.count)
                continue
            }
            for k in 0..<ea.count { v[base + k] = values[Int(ea.offset) + k] }
            for k in 0..<eb.count { v[base + room + k] = values[Int(eb.offset) + k] }
            for k in 0..<e.count { v[base + 2 * room + k] = values[Int(e.offset) + k] }
            ea.offset = Int32(base); eb.offset = Int32(base + room); er.offset = Int32(base + 2 * room)
            var total = [Double](repeating: 0, count: e.count)
            for (position, operand) in e.operands.enumerated() {
                let source = tape.entries[operand]
                for k in 0 ..< 2 * room { st[base + k] = 0 }
                let into = base + position * room
                for k in 0..<source.count { st[into + k] = t[Int(source.offset) + k] }
                v.withUnsafeMutableBufferPointer { vb in
                    st.withUnsafeMutableBufferPointer { tb in er.tangent(ea, eb, vb, tb) }
                }
                let term = Array(st[base + 2 * room ..< base + 2 * room + e.count])
                for k in total.indices { total[k] += term[k] }
                terms.append(Contribution(consumer: i, operand: operand, position: position,
                                          partial: nil, step: i - tape.firstComputed,
                                          broadcast: source.count < e.count, start: data.count, count: e.count))
                data += term
            }
            for k in total.indices { t[Int(e.offset) + k] = total[k] }
            sent.append(first ..< terms.count)
        }
        return t
    }

    /// Reverse mode over `order`: each computed node, once visited, sends one VJP per operand;
    /// a node's adjoint is the sum of the terms it receives, in the order they arrive. Leaves'
    /// steps send nothing.
    static func adjointSweep(_ tape: Tape, _ values: [Double], _ seed: [Double], _ order: [Int],
                             _ terms: inout [Contribution], _ sent: inout [Range<Int>], _ data: inout [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: tape.valueCount)
        guard tape.count > 0 else { return g }
        let out = tape.entries[tape.output]
        for k in 0..<out.count { g[Int(out.offset) + k] = seed[k] }
        var v = values
        var scratch = [Double]()
        for (step, i) in order.enumerated() {
            let e = tape.entries[i]
            let first = terms.count
            guard e.op.kind != .leaf else {
                sent.append(first ..< first)
                continue
            }
            let ea = tape.entries[Int(e.a)], eb = tape.entries[Int(e.b)]
            if e.flags & TapeEntry.Flags.scalar != 0 {
                // Scalars: each term is the adjoint times the local partial.
                let p = e.op.partials(values[Int(ea.offset)], values[Int(eb.offset)], values[Int(e.offset)])
                let gi = g[Int(e.offset)]
                for (position, operand) in e.operands.enumerated() where tape.needsGradient(operand) {
                    let partial = position == 0 ? p.0 : p.1
                    let term = gi * partial
                    g[Int(tape.entries[operand].offset)] += term
                    terms.append(Contribution(consumer: i, operand: operand, position: position, partial: partial,
                                              step: step, broadcast: false, start: data.count, count: 1))
                    data.append(term)
                }
                sent.append(first ..< terms.count)
                continue
            }
            for (position, operand) in e.operands.enumerated() where tape.needsGradient(operand) {
                let target = tape.entries[operand]
                scratch = [Double](repeating: 0, count: target.count)
                v.withUnsafeMutableBufferPointer { vb in
                    g.withUnsafeMutableBufferPointer { gb in
                        scratch.withUnsafeMutableBufferPointer { s in
                            e.adjoint(position, ea, eb, vb, gb.baseAddress! + Int(e.offset), s.baseAddress!)
                        }
                    }
                }
                for k in 0..<target.count { g[Int(target.offset) + k] += scratch[k] }
                terms.append(Contribution(consumer: i, operand: operand, position: position,
                                          partial: nil, step: step,
                                          broadcast: e.op.kind == .binary && target.count < e.count,
                                          start: data.count, count: target.count))
                data += scratch
            }
            sent.append(first ..< terms.count)
        }
        return g
    }
}
