import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage

/// `gradstep eval`: the output's value and its gradient with respect to every input and param.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the output's value and its gradient (reverse mode).",
        discussion: """
            --json prints exactly {"output": NAME, "value": V, "gradient": {INPUT: G, ...}}:
            every input and param (consts excluded), tensors as nested lists, numbers at full
            precision; NaN and infinities, which JSON cannot hold, print as null.
            """
    )

    @OptionGroup var graph: GraphOptions

    @Option(help: ArgumentHelp("The output's adjoint seed ∂L/∂y.", valueName: "v"))
    var seedAdjoint: Double = 1

    @Flag(help: "Print JSON for scripts and autograders.")
    var json = false

    func run() throws {
        let g = try graph.load()
        let tape = g.tape
        let values = tape.evaluate()
        let adjoints = tape.adjoints(values: values, seed: seedAdjoint)
        func slice(_ b: [Double], _ i: Int) -> [Double] {
            let e = tape.entries[i]
            return Array(b[Int(e.offset) ..< Int(e.offset) + e.count])
        }
        let out = tape.output
        if json {
            let gradient = g.differentiableLeaves.map { leaf in
                "\(JSON.string(leaf.name)): \(JSON.tensor(slice(adjoints, leaf.node), tape.entries[leaf.node].shape))"
            }
            print("{\"output\": \(JSON.string(g.outputName)), \"value\": \(JSON.tensor(slice(values, out), tape.entries[out].shape)), \"gradient\": {\(gradient.joined(separator: ", "))}}")
            return
        }
        func text(_ b: [Double], _ i: Int) -> String {
            let e = tape.entries[i]
            return e.count == 1 ? Format.exact(b[Int(e.offset)]) : Format.tensor(slice(b, i)[...], e.shape, number: Format.exact)
        }
        print("\(g.outputName) = \(text(values, out))")
        for leaf in g.differentiableLeaves {
            print("∂\(g.outputName)/∂\(leaf.name) = \(text(adjoints, leaf.node))")
        }
        if slice(values, out).contains(where: { !$0.isFinite }) {
            FileHandle.standardError.write(Data("warning: the output is not finite (NaN or ∞); see `gradstep trace` for where it starts\n".utf8))
        }
    }
}
