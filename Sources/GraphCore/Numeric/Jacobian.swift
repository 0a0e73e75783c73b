/// The full Jacobian ∂y/∂x of a tape's output (any shape) with respect to every element of
/// every input and param, built twice: by forward mode, one tangent sweep (JVP) per input
/// element, each giving a column; and by reverse mode, one adjoint sweep (VJP) per output
/// element, each giving a row. The two must agree; what differs is the cost, n sweeps
/// against m, which is why deep learning (millions of inputs, one loss) runs in reverse.
///
///     let j = Jacobian(tape)
///     j.reverse[i][k]       // ∂yᵢ/∂xₖ
///     j.forwardSweeps       // n, the number of input elements
public struct Jacobian: Sendable {
    /// One column: element `element` of leaf `leaf`.
    public struct Input: Hashable, Sendable {
        public var leaf: Int
        public var element: Int
    }

    public var inputs: [Input]
    /// Output elements, row-major.
    public var outputCount: Int
    /// Built column by column from tangents.
    public var forward: [[Double]]
    /// Built row by row from adjoints.
    public var reverse: [[Double]]
    /// Entries one tangent sweep visits (every computed node).
    public var nodesPerForwardSweep: Int
    /// Entries one adjoint sweep visits (the output and every computed node before it).
    public var nodesPerReverseSweep: Int
    /// Entries the primal pass visits; reverse mode needs it first, recorded on the tape.
    public var nodesPerPrimalPass: Int

    public init(_ tape: Tape) {
        let values = tape.evaluate()
        let out = tape.entries[tape.output]
        inputs = tape.differentiableLeaves.flatMap { leaf in
            (0..<tape.entries[leaf].count).map { Input(leaf: leaf, element: $0) }
        }
        outputCount = out.count
        let computed = tape.count - tape.firstComputed
        nodesPerPrimalPass = computed
        nodesPerForwardSweep = computed
        nodesPerReverseSweep = Swift.max(0, tape.output - tape.firstComputed + 1)

        var forward = [[Double]](repeating: [Double](repeating: 0, count: inputs.count), count: outputCount)
        var tangents = [Double](repeating: 0, count: tape.valueCount)
        for (column, input) in inputs.enumerated() {
            for k in tangents.indices { tangents[k] = 0 }
            tangents[Int(tape.entries[input.leaf].offset) + input.element] = 1
            tape.tangents(values: values, into: &tangents)
            for row in 0..<outputCount { forward[row][column] = tangents[Int(out.offset) + row] }
        }
        self.forward = forward

        let inputs = self.inputs
        reverse = (0..<out.count).map { row in
            var cotangent = [Double](repeating: 0, count: out.count)
            cotangent[row] = 1
            let adjoints = tape.adjoints(values: values, outputSeed: cotangent)
            return inputs.map { adjoints[Int(tape.entries[$0.leaf].offset) + $0.element] }
        }
    }

    /// Forward mode needs one sweep per input element.
    public var forwardSweeps: Int { inputs.count }
    /// Reverse mode needs one sweep per output element.
    public var reverseSweeps: Int { outputCount }
    /// Node visits for the whole Jacobian by forward mode (primals ride along with the
    /// tangents, as dual numbers do).
    public var forwardVisits: Int { forwardSweeps * nodesPerForwardSweep }
    /// Node visits by reverse mode: one primal pass, then one adjoint sweep per output.
    public var reverseVisits: Int { nodesPerPrimalPass + reverseSweeps * nodesPerReverseSweep }

    /// Which mode is cheaper for this shape of Jacobian, and why (the CLI and the explorer
    /// print the same sentence). Node visits decide: fewer sweeps can be paid for by reverse
    /// mode's primal pass, and then the counts tie and the sentence says so.
    public var verdict: String {
        let (n, m) = (forwardSweeps, reverseSweeps)
        let (f, r) = (forwardVisits, reverseVisits)
        if f == r {
            let why = m < n ? "reverse mode's fewer sweeps (\(m) < \(n)) are paid for by the primal pass it needs first"
                : n < m ? "forward mode's fewer sweeps (\(n) < \(m)) cost as much as reverse mode's shorter ones"
                : "as many columns as rows (\(n))"
            return "forward and reverse mode tie: \(Self.count(f, "node visit")) each; \(why)"
        }
        if n < m && f < r {
            return "forward mode wins: \(Self.count(n, "input element")) < \(Self.count(m, "output element")); a tall Jacobian takes fewer column sweeps (forward) than row sweeps (reverse)"
        } else if n > m && r < f {
            return "reverse mode wins: \(Self.count(m, "output element")) < \(Self.count(n, "input element")); a wide Jacobian (a loss of many weights is the extreme: one row) takes fewer row sweeps (reverse) than column sweeps (forward)"
        } else if n == m && f < r {
            return "forward mode wins by a nose: as many columns as rows (\(n)), and reverse mode needs a primal pass before its first sweep"
        }
        let (winner, loser) = f < r ? ("forward", "reverse") : ("reverse", "forward")
        return "\(winner) mode wins: \(Self.count(Swift.min(f, r), "node visit")) < \(Swift.max(f, r)); \(loser) mode takes fewer sweeps, but they visit more nodes"
    }

    /// The cost of each mode, in sweeps and node visits, one line each.
    public var costLines: [String] {
        ["forward mode: \(Self.count(forwardSweeps, "tangent sweep")) (one per input element) × \(Self.count(nodesPerForwardSweep, "node")) = \(Self.count(forwardVisits, "node visit"))",
         "reverse mode: 1 primal pass (\(Self.count(nodesPerPrimalPass, "node"))) + \(Self.count(reverseSweeps, "adjoint sweep")) (one per output element) × \(Self.count(nodesPerReverseSweep, "node")) = \(Self.count(reverseVisits, "node visit"))"]
    }

    /// Whether the forward-built and reverse-built Jacobians agree (to rounding).
    public var modesAgree: Bool {
        zip(forward, reverse).allSatisfy { f, r in
            zip(f, r).allSatisfy { Swift.abs($0 - $1) <= 1e-12 * Swift.max(1, Swift.abs($0), Swift.abs($1)) || ($0.isNaN && $1.isNaN) }
        }
    }

    /// `1 node`, `3 nodes`.
    public static func count(_ k: Int, _ noun: String) -> String { "\(k) \(noun)\(k == 1 ? "" : "s")" }
}
