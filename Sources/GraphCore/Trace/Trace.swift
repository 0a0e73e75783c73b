/// One row of an evaluation trace (Wengert list), for one node.
public struct TraceRow: Sendable {
    public var node: Int
    /// `v₁`, `v̇₁` or `v̄₁`.
    public var label: String
    /// The user's name, if any (`x1`, `y`).
    public var name: String?
    /// What is computed, symbolically: `ln v₋₁`; `v̇₋₁·(1/v₋₁)`; for adjoints the chain rule
    /// `v̄₃·∂v₃/∂v₀ + v̄₂·∂v₂/∂v₀`.
    public var formula: String
    /// The same with the local partials written out: `v̄₃·cos v₀ + v̄₂·v₋₁`, `v₋₂ᵀ · v̄₁`
    /// (tangent/adjoint rows).
    public var expanded: String?
    /// The same with numbers: `(−1)·0.283662 + 1·2`; for tensors the numbers written into the
    /// partials (`[[−0.3, 0.15], …]ᵀ · […]`). Primal rows: `ln 2`.
    public var numbers: String?
    /// The row's result (value, tangent or adjoint), row-major.
    public var result: [Double]
    public var shape: Shape
    /// The primal value next to a tangent or adjoint.
    public var primal: [Double]
    /// The chain-rule terms that summed into an adjoint or tangent: the other end's label, the
    /// local partial (scalars), the term's value and shape, the step it arrives at, and how it
    /// reads (`Σ v̄₂`, `v₋₂ᵀ · v̄₁`).
    public var terms: [(from: String, partial: Double?, value: [Double], shape: Shape, step: Int, formula: String)]
    /// A non-differentiable point was met (relu at 0, a max tie): a convention was used.
    public var kink: Bool
    /// The step of the sweep that visits this node, if any.
    public var step: Int?
    /// A layer's step in words (`Sentence.remarks`), printed under the table.
    public var remarks: [String] = []
    /// `--checkpoint K`: the values recomputed just before this step (`v₉`, `v₁₀`).
    public var recomputed: [String] = []
}

/// The evaluation trace of a tape in one phase, as the tables of Baydin et al. (2018):
/// primal (v₋₁ = x₁ = 2, v₁ = ln v₋₁ = 0.693, …), forward tangent (v̇ᵢ) with a seed on one
/// input or one element of it, or reverse adjoint (v̄ᵢ) from the output down to the inputs.
/// Each row is the `Explanation`'s sentence for its node; the trace only chooses the rows.
public struct Trace: Sendable {
    public var phase: Phase
    public var title: String
    public var rows: [TraceRow]
    /// One-line notes printed under the table (reverse: the nodes the sweep skips).
    public var notes: [String] = []
    /// Forward mode: the sweep in dual numbers, one line per node (`--format dual`).
    public var dualSentences: [DualSentence] = []
    /// `--format dual --algebra`: each dual-number line followed by its step in symbols.
    public var dualAlgebra = false
    /// `--checkpoint K`: the checkpointed sweep's counts (see `showCheckpointing`).
    public var checkpoint: CheckpointSummary?

    public init(tape: Tape, values: [Double], phase: Phase, seedLeaf: Int? = nil, outputSeed: Double = 1) {
        self.init(Explanation(tape: tape, values: values, phase: phase,
                              tangentSeed: seedLeaf.map { TangentSeed(leaf: $0) }, outputSeed: outputSeed))
    }

    public init(tape: Tape, values: [Double], phase: Phase, tangentSeed: TangentSeed?, outputSeed: Double = 1,
                outputSeedTensor: [Double]? = nil) {
        self.init(Explanation(tape: tape, values: values, phase: phase, tangentSeed: tangentSeed, outputSeed: outputSeed,
                              outputSeedTensor: outputSeedTensor))
    }

    /// The rows of an explained sweep.
    public init(_ x: Explanation) {
        let tape = x.tape
        phase = x.phase
        var shown = (0..<tape.count).filter { tape.entries[$0].op != .constant || tape.names[$0] != nil }
        switch phase {
        case .primal:
            title = "Primal trace"
        case .forward:
            title = "Forward tangent trace (seed \(x.tangentSeed.description(tape)); "
                + "\(tape.tangentLabel(tape.output)) = \(x.tangentSeed.derivativeLabel(tape)))"
            shown = shown.filter { tape.entries[$0].op != .constant }
        case .reverse:
            let seed = x.outputSeedTensor.map { Format.tensor($0[...], tape.entries[tape.output].shape) } ?? Format.short(x.outputSeed)
            title = "Reverse adjoint trace (seed \(tape.adjointLabel(tape.output)) = \(seed))"
            shown = shown.reversed().filter { $0 <= tape.output && tape.entries[$0].op != .constant && x.step(of: $0) != nil }
            let dead = x.deadNodes
            if !dead.isEmpty {
                let names = dead.map { i in tape.names[i].map { "\(tape.label(i)) (\($0))" } ?? tape.label(i) }
                notes.append("\(names.joined(separator: ", ")) \(dead.count == 1 ? "does" : "do") not lead to \(tape.displayName(tape.output)): "
                             + "the reverse sweep skips \(dead.count == 1 ? "it" : "them") (\(dead.count == 1 ? "its adjoint is" : "their adjoints are") 0)")
            }
            let fixed = x.constantOnlyNodes.filter { $0 <= tape.output }
            if !fixed.isEmpty {
                let names = fixed.map { i in tape.names[i].map { "\(tape.label(i)) (\($0))" } ?? tape.label(i) }
                notes.append("\(names.joined(separator: ", ")) \(fixed.count == 1 ? "depends" : "depend") on constants only: "
                             + "like a constant, no gradient is needed, so the reverse sweep skips \(fixed.count == 1 ? "it" : "them")")
            }
        }
        rows = shown.map { TraceRow(x.sentence($0)) }
        if phase == .forward { dualSentences = x.dualSentences }
    }
}

extension TraceRow {
    /// A row that prints a sentence.
    public init(_ s: Sentence) {
        self.init(node: s.node, label: s.label, name: s.name, formula: s.formula, expanded: s.expanded,
                  numbers: s.withNumbers, result: s.result, shape: s.shape, primal: s.primal,
                  terms: s.terms.map { ($0.from, $0.contribution.partial, $0.value, $0.shape, $0.contribution.step, $0.expanded) },
                  kink: !s.kinks.isEmpty, step: s.step, remarks: s.remarks)
    }
}
