/// Finite differences against the exact (AD) derivative over a range of steps h: the
/// forward difference (f(x + h) − f(x)) / h and the central difference
/// (f(x + h) − f(x − h)) / 2h. As h shrinks the truncation error falls (∝ h for forward,
/// ∝ h² for central) until round-off, ∝ ε·|f| / h, takes over and the error rises again
/// (EXERCISES.md, 14).
///
///     let sweep = DifferenceSweep(tape, slot: Int(tape.entries[leaf].offset))
///     sweep.steps[sweep.bestCentral!]   // about 1e-5 for a smooth function
public struct DifferenceSweep: Sendable {
    /// The steps h, largest first.
    public var steps: [Double]
    /// The forward difference quotient at each step.
    public var forward: [Double]
    /// The central difference quotient at each step.
    public var central: [Double]
    /// The derivative by reverse mode.
    public var exact: Double

    /// h = 1e-1, 3e-2, 1e-2, … 1e-15: two points per decade, read from decimal text so each
    /// is the double nearest the round number.
    public static let standardSteps: [Double] = (1...15).flatMap { k -> [Double] in
        let decade = Double("1e-\(k)")!
        return k < 15 ? [decade, Double("3e-\(k + 1)")!] : [decade]
    }

    /// Sweeps the derivative of the tape's (scalar) output with respect to value slot `slot`,
    /// which must belong to an input or param.
    public init(_ tape: Tape, slot: Int, steps: [Double] = DifferenceSweep.standardSteps) {
        var probe = Probe(tape)
        let x = probe.base[slot]
        let fx = probe.base[Int(tape.entries[tape.output].offset)]
        self.steps = steps
        exact = tape.adjoints(values: probe.base)[slot]
        var forward: [Double] = [], central: [Double] = []
        for h in steps {
            let plus = probe.output(moving: slot, to: x + h)
            let minus = probe.output(moving: slot, to: x - h)
            forward.append((plus - fx) / h)
            central.append((plus - minus) / (2 * h))
        }
        self.forward = forward
        self.central = central
    }

    /// |forward quotient − exact| at each step.
    public var forwardError: [Double] { forward.map { Swift.abs($0 - exact) } }
    /// |central quotient − exact| at each step.
    public var centralError: [Double] { central.map { Swift.abs($0 - exact) } }

    /// The index of the step with the smallest forward-difference error (nil if none is finite).
    public var bestForward: Int? { Self.smallest(forwardError) }
    /// The index of the step with the smallest central-difference error.
    public var bestCentral: Int? { Self.smallest(centralError) }

    static func smallest(_ errors: [Double]) -> Int? {
        errors.indices.filter { errors[$0].isFinite }.min { errors[$0] < errors[$1] }
    }
}
