import ArgumentParser
import GraphCore
import GraphLanguage

extension Phase: ExpressibleByArgument {}
extension TraceFormat: ExpressibleByArgument {}

/// `gradstep trace`: the evaluation trace (Wengert list) laid out as in Baydin et al. (2018).
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the evaluation trace: primal values, forward tangents or reverse adjoints.",
        discussion: """
            One row per tape entry: its name (v₋₁ … y), the formula it computes and its value; \
            in forward mode the tangent (seeded on --wrt, default the first input; --wrt 'W[2,0]' \
            seeds one element and gives ∂y/∂W[2,0]); in reverse mode the adjoint with the \
            chain-rule terms that summed into it, down to every input's and param's gradient.
            """
    )

    @OptionGroup var graph: GraphOptions
    @OptionGroup var choice: OutputChoice

    @Option(help: "primal, forward or reverse.")
    var mode: Phase = .primal

    @Option(help: ArgumentHelp("Forward mode: the input, or one element of it (W[2,0]), whose tangent is seeded with 1; a whole tensor is seeded along the all-ones direction.", valueName: "name"))
    var wrt: String?

    // Unconditional, so a negative tangent is a value, not an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Forward mode: the tangent ẋ put on --wrt (default 1): the dual number x + ẋε, and every tangent ẋ times the derivative.", valueName: "v"))
    var tangent: Double?

    // Unconditional, so a negative seed (`--seed-adjoint -1`) is a value, not an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Reverse mode: the output's adjoint seed, a number or a tensor of the output's shape (a vector-Jacobian product).", valueName: "v"))
    var seedAdjoint: String?

    @Option(help: "text, markdown, csv, latex, json, or dual (forward mode in dual numbers a + bε).")
    var format: TraceFormat = .text

    // A string, so that 0, a negative or an overflowing K gets its own message.
    @Option(help: ArgumentHelp("Reverse mode: hold only every K-th computed value (and the output) and recompute the rest when the sweep needs them; the table marks what each step recomputed and compares memory and evaluations with the plain tape.", valueName: "K"))
    var checkpoint: String?

    @Flag(help: "With --format dual: under each step, the same step as algebra, g(v + v̇ε) = g(v) + (g′(v)·v̇)ε.")
    var algebra = false

    @Option(help: ArgumentHelp("Forward mode: a tangent along any direction, one number per element of --wrt (a whole input, default the first): the output's tangent is the directional derivative D_v y.", valueName: "tensor"))
    var seed: String?

    func validate() throws {
        _ = try OutputSeed(seedAdjoint)
    }

    func run() throws {
        if algebra && format != .dual {
            throw Failure(text: "error: --algebra writes the dual-number steps in symbols; add --mode forward --format dual\n", status: 2)
        }
        if format == .dual && mode != .forward {
            throw Failure(text: "error: --format dual writes forward mode's tangents as dual numbers a + bε; add --mode forward\n", status: 2)
        }
        let g = try graph.load(of: choice.of)
        var seed = try g.tangentSeed(wrt)
        if let direction = self.seed { seed = try directionSeed(direction, seed, g) }
        if let tangent {
            guard tangent.isFinite else { throw Failure(text: "error: --tangent \(tangent): give a finite number\n", status: 2) }
            guard let leaf = seed?.leaf ?? g.tape.differentiableLeaves.first else {
                throw Failure(text: "error: --tangent seeds an input, but \(g.name) has none\n", status: 2)
            }
            seed = TangentSeed(leaf: leaf, element: seed?.element, magnitude: tangent, direction: seed?.direction)
        }
        var trace: GraphCore.Trace
        // The output's seed element by element, for a checkpointed sweep.
        var outputSeed: [Double] = []
        switch try OutputSeed(seedAdjoint) {
        case .number(let s):
            outputSeed = g.tape.count > 0 ? [Double](repeating: s, count: g.tape.entries[g.tape.output].count) : []
            trace = GraphCore.Trace(tape: g.tape, values: g.tape.evaluate(), phase: mode, tangentSeed: seed, outputSeed: s)
        case .tensor(let literal):
            try OutputSeed.check(literal, seedAdjoint, g)
            outputSeed = literal.values
            trace = GraphCore.Trace(tape: g.tape, values: g.tape.evaluate(), phase: mode, tangentSeed: seed,
                                    outputSeedTensor: literal.values)
        }
        if let checkpoint {
            let k = try Self.checkpointInterval(checkpoint, mode: mode, tape: g.tape)
            trace.showCheckpointing(g.tape.checkpointedSweep(every: k, outputSeed: outputSeed), tape: g.tape,
                                    plainAdjoints: g.tape.adjoints(values: g.tape.evaluate(), outputSeed: outputSeed))
        }
        if format == .text || format == .markdown { trace.nameGroupMembers(g.groups) }
        trace.dualAlgebra = algebra
        print(trace.render(format), terminator: "")
    }
}

extension GraphCore.Trace {
    /// A row of a node inside a group and without a name of its own says which group it is
    /// in, `(t=2)` or `(dense#1)`: a loop's iterations and a function's calls are groups, so
    /// every step of backpropagation through time shows its time step.
    mutating func nameGroupMembers(_ groups: [NodeGroup]) {
        guard !groups.isEmpty else { return }
        var groupOf: [Int: String] = [:]
        for g in groups { for i in g.members where groupOf[i] == nil { groupOf[i] = g.name } }
        for k in rows.indices where rows[k].name == nil {
            if let name = groupOf[rows[k].node] { rows[k].name = "(\(name))" }
        }
    }
}

extension Trace {
    /// `--checkpoint K`: K checked against the sweep it thins out.
    static func checkpointInterval(_ text: String, mode: Phase, tape: Tape) throws -> Int {
        guard mode == .reverse else {
            throw Failure(text: "error: --checkpoint thins out the values the reverse sweep holds; add --mode reverse\n", status: 2)
        }
        let n = tape.sweptComputedCount
        guard n > 0 else {
            throw Failure(text: "error: --checkpoint \(text): the output is a leaf, so the sweep holds no computed value to thin out\n", status: 2)
        }
        guard let k = Int(text), k >= 1, k <= n else {
            throw Failure(text: "error: --checkpoint \(text): give a whole number K from 1 (every value kept, the plain tape) "
                          + "to \(n) (only the output kept): the sweep covers \(n) computed values\n", status: 2)
        }
        return k
    }
}

extension Trace {
    /// `--seed TENSOR`, in forward mode only.
    func directionSeed(_ text: String, _ seed: TangentSeed?, _ g: Graph) throws -> TangentSeed {
        guard mode == .forward else {
            throw Failure(text: "error: --seed seeds forward mode's tangents; add --mode forward\n", status: 2)
        }
        return try TangentSeed.direction(text, on: seed, in: g)
    }
}

extension TangentSeed {
    /// `--seed TENSOR` (trace, export) on the leaf `--wrt` names (a whole input or param,
    /// default the first), checked against its number of elements.
    static func direction(_ text: String, on seed: TangentSeed?, in g: Graph) throws -> TangentSeed {
        guard let leaf = seed?.leaf ?? g.tape.differentiableLeaves.first else {
            throw Failure(text: "error: --seed seeds an input, but \(g.name) has none\n", status: 2)
        }
        guard seed?.element == nil else {
            throw Failure(text: "error: --seed is a direction for a whole input; give --wrt its name, not one element\n", status: 2)
        }
        let v: LiteralValue
        switch LiteralValue.parse(text) {
        case .success(let value): v = value
        case .failure(let why): throw Failure(text: "error: --seed \(text): \(why.message)\n", status: 2)
        }
        let entry = g.tape.entries[leaf], name = g.tape.displayName(leaf)
        guard v.values.count == entry.count else {
            throw Failure(text: "error: --seed has \(v.values.count) number\(v.values.count == 1 ? "" : "s"); \(name) is \(entry.shape), "
                + "so the direction needs \(entry.count)\n", status: 2)
        }
        return TangentSeed(leaf: leaf, direction: v.values)
    }
}
