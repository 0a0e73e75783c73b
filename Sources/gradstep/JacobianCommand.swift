import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage

/// `gradstep jacobian`: the full Jacobian of the output and what it costs in each mode.
struct JacobianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jacobian",
        abstract: "Print the full Jacobian and its cost by forward and by reverse mode.",
        discussion: """
            Rows are the output's elements, columns every element of every input and param. \
            Forward mode builds it column by column (one tangent sweep per input element), \
            reverse mode row by row (one adjoint sweep per output element, after one primal \
            pass); gradstep builds it both ways, checks they agree, and counts sweeps and node \
            visits to say which mode wins and why.

            --json prints exactly {"outputs": ["y[0]", ...], "inputs": ["x[0]", ...], \
            "jacobian": [[...], ...], "forward_sweeps": n, "reverse_sweeps": m}.
            """
    )

    @OptionGroup var graph: GraphOptions
    @OptionGroup var choice: OutputChoice

    @Flag(help: "Print JSON for scripts and autograders.")
    var json = false

    func run() throws {
        let g = try graph.load(of: choice.of)
        let tape = g.tape
        let rows = tape.entries[tape.output].count
        let columns = tape.differentiableLeaves.reduce(0) { $0 + tape.entries[$1].count }
        guard rows * columns <= Self.maxEntries else {
            throw Failure(text: "error: the Jacobian would have \(rows) × \(columns) = \(rows * columns) entries; gradstep computes Jacobians of up to \(Self.maxEntries) (use `gradstep eval` for the gradient of a scalar)\n")
        }
        let j = Jacobian(tape)
        let out = tape.entries[tape.output]
        let outputs = (0..<j.outputCount).map { ElementReference(name: g.outputName, element: $0, shape: out.shape).description }
        let inputs = j.inputs.map { ElementReference(tape, leaf: $0.leaf, element: $0.element).description }
        if json {
            let report: JSON = ["outputs": .strings(outputs), "inputs": .strings(inputs), "jacobian": .array(j.reverse.map { .numbers($0) }),
                                "forward_sweeps": .int(j.forwardSweeps), "reverse_sweeps": .int(j.reverseSweeps)]
            print(report.text)
            return
        }
        print("Jacobian ∂\(g.outputName)/∂(\(g.differentiableLeaves.map(\.name).joined(separator: ", "))): \(j.outputCount) × \(j.inputs.count)")
        // A terminal's worth: the first columns and rows, with a note of what is left out.
        let (shownColumns, shownRows) = (Swift.min(inputs.count, Self.maxColumns), Swift.min(outputs.count, Self.maxRows))
        let header = [""] + inputs.prefix(shownColumns)
        let table = zip(outputs.prefix(shownRows), j.reverse).map { name, row in
            ["∂\(name)"] + row.prefix(shownColumns).map { Format.short($0) }
        }
        for line in textTable(header, table, rightAligned: Set(1..<header.count)) { print(line) }
        if shownColumns < inputs.count || shownRows < outputs.count {
            print("(showing \(shownRows) of \(outputs.count) rows and \(shownColumns) of \(inputs.count) columns; --json prints them all)")
        }
        print("")
        for line in j.costLines { print(line) }
        print(j.verdict)
        print(j.modesAgree ? "forward-built and reverse-built Jacobians agree" : "warning: forward-built and reverse-built Jacobians differ")
    }

    /// The most columns and rows the text table shows.
    static let maxColumns = 8, maxRows = 24

    /// The largest Jacobian computed (rows × columns), so that memory and time stay bounded.
    static let maxEntries = 1_000_000
}
