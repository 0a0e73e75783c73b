import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage

/// `gradstep taylor`: the Taylor coefficients of the output in one input, by Taylor mode.
struct Taylor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the output's Taylor coefficients and Taylor polynomial.",
        discussion: """
            The tape is swept once with truncated power series (jets) instead of numbers: \
            Taylor mode, the nested forward mode of order K. Other inputs keep their values. \
            The last line is the Taylor polynomial in the graph language, so \
            `gradstep eval -e "$(gradstep taylor -e 'exp(x)' --at x=0 --order 3 | tail -1)" --set x=0.1` \
            evaluates it. Elementwise ops only; tensor ops (matmul, softmax, …) are an error. \
            At a kink (relu at 0, …) there is no series; the coefficients follow PyTorch's \
            convention and a warning says so.

            --json prints exactly {"coefficients": [c0, c1, ...], "polynomial": "..."}.
            """
    )

    @OptionGroup var graph: GraphOptions

    @Option(help: ArgumentHelp("The input (or element, w[1]) to expand in; default the one --at names, else the first input.", valueName: "name"))
    var wrt: String?

    @Option(help: ArgumentHelp("The expansion point, as NAME=VALUE (repeatable, like --set).", valueName: "name=value"))
    var at: [String] = []

    @Option(help: ArgumentHelp("The highest power K, 0 to 30.", valueName: "k"))
    var order: Int = 4

    @Flag(help: "Print JSON for scripts and autograders.")
    var json = false

    func validate() throws {
        for v in at where !v.contains("=") {
            throw ValidationError("--at expects NAME=VALUE, got '\(v)'")
        }
        guard (0...30).contains(order) else { throw ValidationError("--order must be between 0 and 30, got \(order)") }
    }

    func run() throws {
        var options = graph
        options.values += at
        let named = GraphOptions.assignments(at).map(\.name)
        let g = try options.load(given: "--at", names: named)
        let element = try g.element(wrt ?? (named.count == 1 ? named[0] : nil))
        let series: TaylorMode
        do {
            series = try TaylorMode(g.tape, slot: element.slot, order: order)
        } catch {
            throw Failure(text: "error: \(error.description)\n")
        }
        let a = g.tape.evaluate()[element.slot]
        let c = series.coefficients
        let polynomial = TaylorMode.polynomial(c, variable: element.name, at: a)
        if !series.kinks.isEmpty {
            let nodes = series.kinks.map { "\(g.tape.entries[$0].op.name) at \(g.tape.displayName($0))" }.joined(separator: ", ")
            FileHandle.standardError.write(Data("warning: \(nodes) is on its kink at \(element.name) = \(Format.exact(a)): there is no Taylor series there; the coefficients follow PyTorch's conventions (relu′(0) = 0)\n".utf8))
        }
        if let k = c.firstIndex(where: { !$0.isFinite }), k > 0, series.overflowed {
            FileHandle.standardError.write(Data("warning: coefficient \(k) overflowed (its terms grow past 1.8e308) at \(element.name) = \(Format.exact(a)): the series exists but its coefficients from order \(k) are too large for a Double; the polynomial stops before it\n".utf8))
        } else if let k = c.firstIndex(where: { !$0.isFinite }), k == 0 {
            FileHandle.standardError.write(Data("warning: \(g.outputName) is \(Format.exact(c[0])) at \(element.name) = \(Format.exact(a)): no polynomial around a point where the function is not a finite number\n".utf8))
        } else if let k = c.firstIndex(where: { !$0.isFinite }) {
            FileHandle.standardError.write(Data("warning: coefficient \(k) is \(Format.exact(c[k])) at \(element.name) = \(Format.exact(a)): the function has no Taylor series there; the polynomial stops before it\n".utf8))
        }
        if json {
            let report: JSON = ["coefficients": .numbers(c), "polynomial": .string(polynomial)]
            print(report.text)
            return
        }
        print("Taylor coefficients of \(g.outputName) in \(element.name) around \(element.name) = \(Format.exact(a)) (Taylor mode, order \(order))")
        let rows = c.indices.map { k in
            ["\(k)", Format.exact(c[k]), Format.exact(c[k] * Self.factorial(k))]
        }
        for line in textTable(["k", "c_k = f⁽ᵏ⁾(a)/k!", "f⁽ᵏ⁾(a)"], rows) { print(line) }
        print("")
        print(polynomial)
    }

    static func factorial(_ k: Int) -> Double { (1...Swift.max(1, k)).reduce(1.0) { $0 * Double($1) } }
}
