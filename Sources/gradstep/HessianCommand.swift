import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage
import Optimize

/// `gradstep hessian`: the second-derivative test at the graph's point.
struct HessianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hessian",
        abstract: "Print the Hessian (by Hessian-vector products on the tape), its eigenvalues, and the kind of point.",
        discussion: """
            Column i of H is the Hessian-vector product H·eᵢ, computed forward-over-reverse: \
            the reverse sweep differentiated in forward mode. The point is a minimum (all \
            eigenvalues > 0), maximum (all < 0), saddle (both signs) or degenerate (a zero \
            eigenvalue) when the gradient is 0, and not-critical otherwise. Both zeros are \
            relative to the matrix, never absolute: an eigenvalue counts as 0 when \
            |λ| ≤ 100·n·ε·max|λ| (NumPy's rank tolerance n·ε·max|λ|, widened for rounding), \
            the gradient when ‖∇f‖ ≤ 1e-9·max|λ|·max(1, ‖θ‖); both are printed. Variables: \
            --wrt, else the params, else every input. --vector V prints H·v alone (one \
            product, any number of variables; --json: {"names", "vector", "hessian_vector"}).

            --json prints exactly {"names": [...], "hessian": [[…]], "eigenvalues": […], \
            "gradient": {NAME: G, …}, "classification": "minimum|maximum|saddle|degenerate|not-critical", \
            "eigenvalue_tolerance": T, "gradient_tolerance": U}.
            """
    )

    @OptionGroup var graph: GraphOptions
    @OptionGroup var choice: OutputChoice

    @Option(help: ArgumentHelp("Comma-separated inputs or params to differentiate by.", valueName: "names"))
    var wrt: String?

    @Flag(help: "Print JSON for scripts and autograders.")
    var json = false

    @Option(help: ArgumentHelp("Print only the Hessian-vector product H·v along V, one number per variable element ('[1, 0]'), without forming H.",
                               valueName: "V"))
    var vector: String?

    func run() throws {
        let g = try graph.load(of: choice.of)
        let variables = try Variables(g, wrt: wrt)
        if let vector { return try printHessianVector(g, variables, vector) }
        guard variables.dimension <= Variables.maximumForHessian else {
            throw Failure(text: "error: the Hessian of \(variables.dimension) variables is more than \(Variables.maximumForHessian) × \(Variables.maximumForHessian); choose fewer with --wrt\n")
        }
        var objective: Objective
        do { objective = try Objective(tape: g.tape, variables: variables.nodes) }
        catch { throw Failure(text: "error: \(error.description)\n") }
        let point = CriticalPoint(&objective)
        let names = (0..<variables.dimension).map(variables.elementName)
        if json {
            let gradient = variables.names.indices.map { k in
                (key: variables.names[k], value: JSON.tensor(point.gradient[variables.starts[k] ..< variables.starts[k + 1]], variables.shapes[k]))
            }
            let report: JSON = ["names": .strings(names), "hessian": .array(point.hessian.map { .numbers($0) }),
                                "eigenvalues": .numbers(point.eigenvalues), "gradient": .object(gradient),
                                "classification": .string(point.kind.rawValue), "eigenvalue_tolerance": .number(point.eigenvalueTolerance),
                                "gradient_tolerance": .number(point.gradientTolerance)]
            print(report.text)
            return
        }
        let cells = point.hessian.map { $0.map { Format.short($0, digits: 8) } }
        let nameWidth = names.map(\.count).max() ?? 0
        let width = Swift.max(cells.flatMap { $0 }.map(\.count).max() ?? 0, nameWidth)
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: Swift.max(0, w - s.count)) + s }
        var lines = ["Hessian of \(g.outputName) (row i, column j: ∂²\(g.outputName)/∂θᵢ∂θⱼ):"]
        lines.append(pad("", nameWidth) + "  " + names.map { pad($0, width) }.joined(separator: "  "))
        for (i, row) in cells.enumerated() {
            lines.append(pad(names[i], nameWidth) + "  " + row.map { pad($0, width) }.joined(separator: "  "))
        }
        lines.append("eigenvalues: " + point.eigenvalues.map { Format.short($0, digits: 8) }.joined(separator: ", ")
            + "   (|λ| ≤ \(Format.short(point.eigenvalueTolerance, digits: 3)) counts as 0: 100·n·ε·max|λ|)")
        lines.append("‖∇\(g.outputName)‖ = \(Format.short(LinearAlgebra.norm(point.gradient), digits: 8))"
            + "   (≤ \(Format.short(point.gradientTolerance, digits: 3)) counts as 0: 1e-9·max|λ|·max(1, ‖θ‖))")
        let why: String = switch point.kind {
        case .minimum: "the gradient is 0 and every eigenvalue is positive"
        case .maximum: "the gradient is 0 and every eigenvalue is negative"
        case .saddle: "the gradient is 0 and the eigenvalues have both signs"
        case .degenerate: "the gradient is 0 but an eigenvalue is 0, so the second-derivative test cannot tell"
        case .notCritical: "the gradient is not 0"
        }
        lines.append("\(point.kind.rawValue): \(why)")
        print(lines.joined(separator: "\n"))
    }
}
