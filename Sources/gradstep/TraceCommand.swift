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
            in forward mode the tangent (seeded on --wrt, default the first input); in reverse \
            mode the adjoint with the chain-rule terms that summed into it.
            """
    )

    @OptionGroup var graph: GraphOptions

    @Option(help: "primal, forward or reverse.")
    var mode: Phase = .primal

    @Option(help: ArgumentHelp("Forward mode: the input whose tangent is seeded with 1.", valueName: "name"))
    var wrt: String?

    @Option(help: ArgumentHelp("Reverse mode: the output's adjoint seed.", valueName: "v"))
    var seedAdjoint: Double = 1

    @Option(help: "text, markdown, csv, latex or json.")
    var format: TraceFormat = .text

    func run() throws {
        let g = try graph.load()
        var seedLeaf: Int?
        if let wrt {
            guard let node = g.node(named: wrt), g.tape.differentiableLeaves.contains(node) else {
                let names = g.differentiableLeaves.map(\.name)
                throw Failure(text: "error: --wrt \(wrt): no input or param of that name (inputs: \(names.joined(separator: ", ")))\n", status: 2)
            }
            seedLeaf = node
        }
        let trace = GraphCore.Trace(tape: g.tape, values: g.tape.evaluate(), phase: mode,
                                    seedLeaf: seedLeaf, outputSeed: seedAdjoint)
        print(trace.render(format), terminator: "")
    }
}
