import ArgumentParser
import GraphCore
import GraphLanguage

/// The default command: the explorer on a graph. Until the explorer lands, it prints the
/// graph's three traces.
struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the explorer on FILE, -e EXPR, or the built-in example."
    )

    @OptionGroup var graph: GraphOptions

    func run() throws {
        let g = try graph.load()
        let values = g.tape.evaluate()
        for phase in Phase.allCases {
            print(GraphCore.Trace(tape: g.tape, values: values, phase: phase).render(.text))
        }
    }
}
