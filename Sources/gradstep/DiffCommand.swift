import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage
import Symbolic

/// `gradstep diff`: the symbolic derivative of the output, simplified, and how its size
/// swells against the tape's length.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the symbolic derivative of the output, simplified, and its expression swell.",
        discussion: """
            The last line is the derivative in the graph language, so it can be evaluated: \
            gradstep eval -e "$(gradstep diff -e 'sigmoid(x)' --wrt x | tail -1)" --set x=0

            Above it, the expression swell: the derivative's size as a tree (written out) and \
            as a DAG (shared subexpressions merged) against the tape's length, for f and for \
            f∘f, f∘f∘f, … when f has one scalar input. Free names of -e need no --set here. \
            Scalar, elementwise expressions only: tensor ops are refused by name.

            --json prints exactly {"derivative": D, "tree_nodes": N, "dag_nodes": M, \
            "tape_nodes": K} for f itself.
            """
    )

    @OptionGroup var graph: GraphOptions

    @Option(help: ArgumentHelp("The input or param to differentiate by (default: the only one).", valueName: "name"))
    var wrt: String?

    @Option(help: ArgumentHelp("Measure the swell for f composed with itself up to n times (1-12).", valueName: "n"))
    var compose = 4

    @Flag(help: "Print JSON for scripts and autograders.")
    var json = false

    func validate() throws {
        guard (1...12).contains(compose) else { throw ValidationError("--compose takes 1 to 12, got \(compose)") }
    }

    func run() throws {
        let g = try graph.loadWithFreeNames()
        let name = try variable(in: g)
        var f: SymbolicFunction
        do {
            f = try SymbolicFunction(tape: g.tape)
        } catch {
            throw Failure(text: "error: \(error)\n")
        }
        let derivative = f.derivative(wrt: name)
        var rows = [Swell(f, derivative: derivative)]
        if !json {
            do {
                rows += try Swell.table(for: g.tape, wrt: name, compositions: compose, from: 2)
            } catch {
                throw Failure(text: "error: \(error)\n")
            }
            if let function = try? f.terms.source(f.root) { print("\(g.outputName) = \(function)") }
            print(tapeLine(g.tape))
            print(swellTable(rows, of: g, wrt: name), terminator: "")
        }
        let text: String
        do {
            text = try f.terms.source(derivative)
        } catch {
            throw Failure(text: "error: \(error)\(json ? "" : "; the sizes above still hold")\n")
        }
        if json {
            let row = rows[0]
            let report: JSON = ["derivative": .string(text), "tree_nodes": .int(row.treeNodes), "dag_nodes": .int(row.dagNodes),
                                "tape_nodes": .int(row.tapeNodes)]
            print(report.text)
        } else {
            print("∂\(g.outputName)/∂\(name) =")
            print(text)
        }
    }

    /// The tape beside the expression, as Baydin et al. write it: `v₀ = x; v₁ = σ(v₀)`
    /// (constants appear inside the formulas; a long tape is cut short).
    private func tapeLine(_ tape: Tape) -> String {
        let shown = 12
        let rows = (0..<tape.count).filter { tape.entries[$0].op != .constant }
            .map { "\(tape.label($0)) = \(tape.formula($0))" }
        let more = rows.count > shown ? "; … (gradstep trace shows all)" : ""
        let constants = tape.count - rows.count
        let inside = constants == 0 ? "" : " (and \(Jacobian.count(constants, "constant")), written inside the formulas)"
        return "tape, \(Jacobian.count(rows.count, "node"))\(inside): " + rows.prefix(shown).joined(separator: "; ") + more
    }

    /// The swell as a small table, one row per composition, and what its columns mean.
    private func swellTable(_ rows: [Swell], of g: Graph, wrt name: String) -> String {
        func label(_ k: Int) -> String {
            k <= 4 ? Array(repeating: "f", count: k).joined(separator: "∘") : "f∘…∘f (\(k) times)"
        }
        let width = rows.map { label($0.compositions).count }.max() ?? 1
        func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        func count(_ n: Int) -> String { n == Int.max ? ">9.2e18" : String(n) }
        var out = "expression swell of ∂\(g.outputName)/∂\(name), in nodes:\n"
        out += "  " + "".padding(toLength: width, withPad: " ", startingAt: 0)
            + pad("tape", 8) + pad("tree", 12) + pad("dag", 8) + "\n"
        for row in rows {
            out += "  " + label(row.compositions).padding(toLength: width, withPad: " ", startingAt: 0)
                + pad(count(row.tapeNodes), 8) + pad(count(row.treeNodes), 12) + pad(count(row.dagNodes), 8) + "\n"
        }
        out += "  tape: what AD records, constants included; tree: the derivative written out; dag: shared subexpressions merged\n"
        if rows.count < compose {
            let leaves = g.differentiableLeaves.map(\.name)
            out += "  (no compositions: f∘f needs exactly one scalar input, and f has \(leaves.count): \(leaves.joined(separator: ", ")))\n"
        }
        return out
    }

    /// The variable named by --wrt (or the only input or param), checked against the graph.
    private func variable(in g: Graph) throws -> String {
        let leaves = g.differentiableLeaves.map(\.name)
        guard !leaves.isEmpty else {
            throw Failure(text: "error: the graph has no inputs or params, so there is nothing to differentiate by\n", status: 2)
        }
        guard let wrt else {
            guard leaves.count == 1 else {
                throw Failure(text: "error: give --wrt NAME: the graph has \(leaves.count) inputs and params (\(leaves.joined(separator: ", ")))\n", status: 2)
            }
            return leaves[0]
        }
        let seed = try ElementReference.seed(wrt, in: g.tape).get(option: "--wrt")
        let name = g.tape.displayName(seed.leaf)
        guard seed.element == nil else {
            throw Failure(text: "error: --wrt \(wrt): diff differentiates by a whole input or param; write \(name)\n", status: 2)
        }
        return name
    }
}

extension GraphOptions {
    /// The graph, where free names of `-e` need no `--set` (see
    /// `SymbolicFunction.loadExpression`): `diff` and `limit` work on formulas, not points.
    func loadWithFreeNames() throws -> Graph {
        guard let expression, file == nil else { return try load() }
        switch SymbolicFunction.loadExpression(expression, values: GraphOptions.assignments(values)) {
        case .success(let g): return g
        case .failure(let f):
            throw Failure(text: f.rendered(useColor: isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil))
        }
    }
}
