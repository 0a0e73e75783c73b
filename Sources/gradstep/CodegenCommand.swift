import ArgumentParser
import Codegen
import Foundation
import GraphCore
import GraphLanguage

extension CodeLanguage: ExpressibleByArgument {}

/// `gradstep codegen`: the graph's forward pass and reverse sweep as a program to read and run.
struct CodegenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codegen",
        abstract: "Write the forward pass and the reverse sweep as code: NumPy, plain Python, C or LaTeX.",
        discussion: """
            One statement per tape entry, named after the graph (h, W1, else v3), \
            the adjoint of h in dh; a node used twice gets its second contribution \
            with +=, a broadcast operand's adjoint is summed (dB += np.sum(dz)).

            The NumPy, Python and C programs run as they are (python3; \
            cc -std=c99 prog.c -lm) and print exactly the JSON of \
            `gradstep eval --json`. LaTeX is an algorithmic block (algpseudocode).
            """
    )

    @OptionGroup var graph: GraphOptions
    @OptionGroup var choice: OutputChoice

    @Option(help: "The language to write.")
    var lang: CodeLanguage = .numpy

    @Option(help: ArgumentHelp("Write the program to this file instead of standard output.", valueName: "file"))
    var out: String?

    @Flag(help: "With --out: write even to a link, a device or FIFO, or the graph file itself.")
    var force = false

    // Unconditional, so a negative seed (`--seed-adjoint -1`) is a value, not an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("The output's adjoint seed the program starts its reverse sweep with: a number, or a tensor of the output's shape (a vector-Jacobian product), as eval takes it.", valueName: "v"))
    var seedAdjoint: String?

    func validate() throws {
        _ = try OutputSeed(seedAdjoint)
    }

    func run() throws {
        let g = try graph.load(of: choice.of)
        let origin: String
        if let file = graph.file {
            origin = file
        } else if let expression = graph.expression {
            origin = "the expression `\(expression.split(whereSeparator: \.isNewline).joined(separator: "; "))`"
        } else {
            origin = "the built-in example (Baydin et al. 2018)"
        }
        let seed: [Double]?
        switch try OutputSeed(seedAdjoint) {
        case .number(1): seed = nil
        case .number(let s): seed = [Double](repeating: s, count: g.tape.entries[g.tape.output].count)
        case .tensor(let literal):
            try OutputSeed.check(literal, seedAdjoint, g)
            seed = literal.values
        }
        let text = Codegen.program(tape: g.tape, outputName: g.outputName, language: lang, origin: origin, seed: seed,
                                   masks: Self.drawnMasks(g), outputs: g.outputs)
        guard let out else {
            print(text, terminator: "")
            return
        }
        try writeOutput(text, to: out, force: force, inputs: graph.inputFiles(of: g))
    }
}

extension CodegenCommand {
    /// The graph's dropout masks with the p and seed of the `dropout(h, p, seed)` call that drew
    /// each (read back from its source text), so that the NumPy program draws the mask itself
    /// (course item B02). A mask is kept only when `Dropout.mask` draws the same numbers again
    /// from them; any other constant is typed in.
    static func drawnMasks(_ g: Graph) -> [Int: DropoutDraw] {
        var masks: [Int: DropoutDraw] = [:]
        for entry in g.tape.entries where entry.op == .dropout {
            let m = Int(entry.b)
            guard g.tape.entries[m].op == .constant, m < g.ranges.count, let range = g.ranges[m] else { continue }
            let call = g.source.text(in: range)
            guard let open = call.firstIndex(of: "("), call.last == ")" else { continue }
            let arguments = topLevelArguments(call[call.index(after: open) ..< call.index(before: call.endIndex)])
            guard arguments.count >= 3, let p = Double(arguments[1]), let s = Double(arguments[2]),
                  s >= 0, s < 0x1p63, s == s.rounded() else { continue }
            let values = Array(g.tape.leafValues(m))
            let draw = DropoutDraw(p: p, seed: UInt64(s))
            if values.count > 1, Dropout.mask(count: values.count, p: p, seed: draw.seed) == values { masks[m] = draw }
        }
        return masks
    }

    /// A call's arguments, split at the commas outside brackets, trimmed.
    static func topLevelArguments(_ text: Substring) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for c in text {
            if "([".contains(c) { depth += 1 }
            if ")]".contains(c) { depth -= 1 }
            if c == ",", depth == 0 {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }
}
