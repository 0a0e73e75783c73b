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

    func validate() throws {
        _ = try OutputSeed(seedAdjoint)
    }

    func run() throws {
        if format == .dual && mode != .forward {
            throw Failure(text: "error: --format dual writes forward mode's tangents as dual numbers a + bε; add --mode forward\n", status: 2)
        }
        let g = try graph.load()
        var seed = try g.tangentSeed(wrt)
        if let tangent {
            guard tangent.isFinite else { throw Failure(text: "error: --tangent \(tangent): give a finite number\n", status: 2) }
            guard let leaf = seed?.leaf ?? g.tape.differentiableLeaves.first else {
                throw Failure(text: "error: --tangent seeds an input, but \(g.name) has none\n", status: 2)
            }
            seed = TangentSeed(leaf: leaf, element: seed?.element, magnitude: tangent)
        }
        let trace: GraphCore.Trace
        switch try OutputSeed(seedAdjoint) {
        case .number(let s):
            trace = GraphCore.Trace(tape: g.tape, values: g.tape.evaluate(), phase: mode, tangentSeed: seed, outputSeed: s)
        case .tensor(let literal):
            try OutputSeed.check(literal, seedAdjoint, g)
            trace = GraphCore.Trace(tape: g.tape, values: g.tape.evaluate(), phase: mode, tangentSeed: seed,
                                    outputSeedTensor: literal.values)
        }
        print(trace.render(format), terminator: "")
    }
}
