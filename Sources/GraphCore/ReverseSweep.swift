/// One term of the chain rule: consumer `consumer` passes `value` = v̄_consumer · ∂consumer/∂operand
/// to its operand `operand` (its `position`-th argument).
public struct Contribution: Hashable, Sendable {
    public var consumer: Int
    public var operand: Int
    public var position: Int
    /// The local partial ∂consumer/∂operand when both are scalars; nil for tensor VJPs.
    public var partial: Double?
    /// Where the contribution's values sit in `ReverseSweep.data`.
    public var start: Int
    public var count: Int
}

/// The backward pass with every chain-rule term kept: what the trace tables, the stepper and
/// the inspector show ("v̄₀ = v̄₃·cos v₀ + v̄₂·v₋₁ = …").
///
/// Consumers are visited in reverse tape order, exactly as `Tape.adjoints` does, and each
/// node's adjoint is the sum of its contributions in that order.
public struct ReverseSweep: Sendable {
    public let seed: Double
    public private(set) var contributions: [Contribution] = []
    /// `contributions[steps[s]]`: the terms emitted at step s, when node `order[s]` is visited.
    public private(set) var steps: [Range<Int>] = []
    /// Visited nodes: the output first, then down the tape.
    public private(set) var order: [Int] = []
    public private(set) var data: [Double] = []
    /// Final adjoints, summed from the contributions.
    public private(set) var adjoints: [Double]

    public init(tape: Tape, values: [Double], seed: Double = 1) {
        self.seed = seed
        var adjoints = [Double](repeating: 0, count: tape.valueCount)
        let out = tape.entries[tape.output]
        for k in 0..<out.count { adjoints[Int(out.offset) + k] = seed }
        var values = values
        var scratch = [Double]()
        for i in stride(from: tape.output, through: tape.firstComputed, by: -1) {
            let e = tape.entries[i]
            let first = contributions.count
            let ea = tape.entries[Int(e.a)], eb = tape.entries[Int(e.b)]
            for (position, operand) in e.operands.enumerated() {
                let target = tape.entries[operand]
                scratch = [Double](repeating: 0, count: target.count)
                values.withUnsafeMutableBufferPointer { v in
                    adjoints.withUnsafeMutableBufferPointer { g in
                        scratch.withUnsafeMutableBufferPointer { s in
                            e.adjoint(position, ea, eb, v, g.baseAddress! + Int(e.offset), s.baseAddress!)
                        }
                    }
                }
                var partial: Double?
                if e.flags & TapeEntry.Flags.scalar != 0 {
                    let p = e.op.partials(values[Int(ea.offset)], values[Int(eb.offset)], values[Int(e.offset)])
                    partial = position == 0 ? p.0 : p.1
                }
                for k in 0..<target.count { adjoints[Int(target.offset) + k] += scratch[k] }
                contributions.append(Contribution(consumer: i, operand: operand, position: position,
                                                  partial: partial, start: data.count, count: target.count))
                data.append(contentsOf: scratch)
            }
            steps.append(first ..< contributions.count)
            order.append(i)
        }
        self.adjoints = adjoints
    }

    /// The values of one contribution.
    public func values(of c: Contribution) -> ArraySlice<Double> { data[c.start ..< c.start + c.count] }

    /// The contributions node `i` receives, in the order they are added.
    public func received(by i: Int) -> [Contribution] { contributions.filter { $0.operand == i } }
}
