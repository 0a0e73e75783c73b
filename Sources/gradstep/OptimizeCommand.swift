import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage
import Optimize
import OptimizeArguments
import Plot

/// `gradstep optimize`: gradient descent (and its relatives) on the graph's output, one
/// forward and one reverse sweep over the cached tape per step.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Minimise the output by gradient descent, momentum, Adagrad, RMSprop, Adam or Newton's method.",
        discussion: """
            Updates the params (or, with -e or when the graph has no params, the inputs; or the \
            leaves named by --wrt) with PyTorch's update rules and defaults, reusing the cached \
            tape at every step. Prints the loss per step and the loss curve. Stops with status 1 \
            when the run diverges (NaN, ∞, or the loss past 1e6 × max(1, |L₀|)).

            --json prints exactly {"loss": [L0, …, LN], "values": {NAME: …}, "trajectory": \
            {NAME: [x0, …, xN]}, "steps": N, "status": "converged|diverged|max-steps"}, with \
            the trajectory of every scalar variable. With --batch-size, each step's gradient \
            uses B rows of the graph's data drawn with --seed, and the loss is reported on all \
            of them.

            --validation D=FILE.csv evaluates the same loss with the data set D's rows replaced \
            by FILE's (held-out data, same columns) at every step, printed as "val loss" and \
            in --json as an extra key "validation_loss": [V0, …, VN]. With --patience K the \
            run stops (status converged, the message says early stopping) once the validation \
            loss has not improved for K steps in a row.
            """
    )

    @OptionGroup var graph: GraphOptions
    @OptionGroup var choice: OutputChoice

    @OptionGroup var descent: DescentArguments

    // --batch-size, --seed and --sampling are DescentArguments', shared with :optimize.
    var batchSize: Int? { descent.batchSize }
    var seed: UInt64 { descent.seed }
    var sampling: MiniBatches.Sampling? { descent.sampling }

    @Option(help: ArgumentHelp("Also draw the loss curve into an SVG file.", valueName: "file.svg"))
    var plot: String?

    @Flag(help: "With --plot: write even to a link, a device or FIFO, or the graph file itself.")
    var force = false

    @Option(help: ArgumentHelp("Held-out data for the validation loss: a data set's name and a CSV file.", valueName: "D=csv"))
    var validation: String?

    @Option(help: ArgumentHelp("With --validation: stop when the validation loss has not improved for K steps.", valueName: "K"))
    var patience: Int?

    @Flag(help: "Print JSON for scripts and autograders.")
    var json = false

    func validate() throws {
        try validateEarlyStopping()
    }

    func run() throws {
        if let plot { try checkOutput(plot, force: force, inputs: graph.inputFiles + validationFile) }
        let g = try graph.load(of: choice.of)
        let variables = try Variables(g, wrt: descent.wrt)
        let hyper = descent.hyperparameters
        let options: DescentOptions
        switch descent.descentOptions() {
        case .success(let o): options = o
        case .failure(let problem): throw Failure(text: "error: \(problem.description)\n")
        }
        let steps = descent.steps
        if descent.method == .newton, variables.dimension > Variables.maximumForHessian {
            throw Failure(text: "error: Newton's method forms the Hessian; \(variables.dimension) variables is more than \(Variables.maximumForHessian); choose fewer with --wrt\n")
        }
        if (steps + 1) * variables.dimension > Variables.maximumRecorded {
            throw Failure(text: "error: \(steps) steps of \(variables.dimension) variables would record \((steps + 1) * variables.dimension) values, more than \(Variables.maximumRecorded); take fewer steps or choose fewer variables with --wrt\n")
        }
        var run: Descent
        do {
            let full = try Objective(tape: g.tape, variables: variables.nodes)
            if let (batchObjective, batches) = try miniBatches(g, variables: variables) {
                run = Descent(objective: batchObjective, options: options, batches: batches, fullData: full)
            } else {
                run = Descent(objective: full, options: options)
            }
        } catch let problem as Objective.Problem {
            throw Failure(text: "error: \(problem.description)\n")
        }
        run.earlyStopping = try earlyStopping(g, variables: variables)
        let result = run.run()
        if let plot {
            let title = "\(g.name): " + setting(hyper)
            var contour: Plot?
            if variables.dimension == 2 && variables.names.count == 2, var surface = try? Objective(tape: g.tape, variables: variables.nodes) {
                // Two scalar variables: the loss's contours with the path on them, beside the curve.
                contour = ContourPlot.plot(loss: { surface.loss(at: [$0, $1]) }, path: result.trajectory.map { ($0[0], $0[1]) },
                                           names: (variables.names[0], variables.names[1]), square: true)
            }
            try writeOutput(LossCurve.svg(result.losses, validation: result.validationLosses, title: title, contour: contour), to: plot, force: force, inputs: graph.inputFiles(of: g) + validationFile)
        }
        if let warning = newtonWarning(result, g, variables) { warn(warning) }
        if json {
            print(jsonReport(result, variables, g.tape))
        } else {
            print(textReport(result, variables, g, hyper))
            if sampling != nil, let counts = run.batches?.timesDrawn { print(Self.rowsDrawn(counts)) }
        }
        if result.status == .diverged {
            throw Failure(text: "error: \(result.message ?? "the run diverged")\n")
        }
    }

    /// The mini-batch objective and its sampler (`DescentArguments.miniBatches`), the graph
    /// reloaded with each data matrix cut to B rows as `--set` values; nil without --batch-size.
    func miniBatches(_ g: Graph, variables: Variables) throws -> (Objective, MiniBatches)? {
        do {
            return try descent.miniBatches(of: g, variables: variables.names) { cut in
                var options = graph
                options.values += cut.map { "\($0.name)=\($0.text)" }
                return try options.load()
            }
        } catch let problem as DescentArguments.Problem {
            throw Failure(text: "error: \(problem.description)\n")
        }
    }

    /// How often each row was drawn, for `--sampling`: epochs use every row equally often,
    /// sampling with replacement skips some and repeats others.
    static func rowsDrawn(_ counts: [Int]) -> String {
        let draws = counts.reduce(0, +), low = counts.min() ?? 0, high = counts.max() ?? 0
        let never = counts.filter { $0 == 0 }.count
        let spread = low == high ? "every row \(low) time\(low == 1 ? "" : "s")" : "\(low) to \(high) times each"
        return "rows drawn: \(draws) draws from \(counts.count) rows: \(spread)" + (never > 0 ? "; \(never) rows never drawn" : "")
    }

    func jsonReport(_ r: DescentRun, _ v: Variables, _ tape: Tape) -> String {
        let values = v.names.indices.map { k in
            (key: v.names[k], value: JSON.tensor(r.final[v.starts[k] ..< v.starts[k + 1]], v.shapes[k]))
        }
        let trajectory = v.names.indices.filter { v.shapes[$0].isScalar }.map { k in
            (key: v.names[k], value: JSON.numbers(r.trajectory.map { $0[v.starts[k]] }))
        }
        var members: [(key: String, value: JSON)] = [("loss", .numbers(r.losses))]
        if !r.validationLosses.isEmpty { members.append(("validation_loss", .numbers(r.validationLosses))) }
        members += [("values", .object(values)), ("trajectory", .object(trajectory)), ("steps", .int(r.steps)),
                    ("status", .string(r.status.rawValue))]
        return JSON.object(members).text
    }

    /// Newton's method where the Hessian was not positive definite: its steps head for any
    /// stationary point, a maximum or a saddle as readily as a minimum, so say so, say whether
    /// the loss rose, and what the end point is by the second-derivative test.
    func newtonWarning(_ r: DescentRun, _ g: Graph, _ variables: Variables) -> String? {
        guard let first = r.indefiniteHessians.first, let l0 = r.losses.first, let ln = r.losses.last else { return nil }
        let count = r.indefiniteHessians.count
        var text = "warning: Newton's method: the Hessian was not positive definite at \(count) of \(r.steps) step\(r.steps == 1 ? "" : "s") "
            + "(smallest eigenvalue \(Format.short(first.smallestEigenvalue)) at step \(first.step)), so H⁻¹∇L heads for a point "
            + "where ∇L = 0 that need not be a minimum"
        if ln > l0 { text += "; the loss rose from \(Format.short(l0)) to \(Format.short(ln))" }
        if var objective = try? Objective(tape: g.tape, variables: variables.nodes) {
            let end = CriticalPoint(&objective, at: r.final)
            switch end.kind {
            case .maximum: text += "; the end point is a local maximum (every eigenvalue of the Hessian < 0)"
            case .saddle: text += "; the end point is a saddle point (the Hessian's eigenvalues have both signs)"
            case .minimum, .degenerate, .notCritical: break
            }
        }
        return text + ". Try --method sgd or --line-search backtracking."
    }

    /// The method and its settings in words: `adam, η = 0.1, β = (0.9, 0.999)`.
    func setting(_ hyper: Hyperparameters) -> String {
        descent.setting
    }

    func textReport(_ r: DescentRun, _ v: Variables, _ g: Graph, _ hyper: Hyperparameters) -> String {
        var lines: [String] = []
        lines.append("optimising \(g.outputName) over \(v.names.joined(separator: ", ")): \(setting(hyper))")
        let scalars = v.names.indices.filter { v.shapes[$0].isScalar && v.names.count <= 4 }
        let validated = !r.validationLosses.isEmpty
        // A schedule changes η from step to step: show the η each step took (the line
        // searches' α, chosen per step, stay out of the table).
        let scheduled = descent.schedule != "constant" && descent.lineSearch == nil
        let header = ["step", "loss"] + (validated ? ["val loss"] : []) + ["‖∇L‖"] + (scheduled ? ["η"] : []) + scalars.map { v.names[$0] }
        // At most about 40 rows: every step of a short run, every k-th (and the last) of a long one.
        let every = Swift.max(1, (r.steps + 39) / 40)
        var rows: [[String]] = []
        for k in 0...r.steps where k % every == 0 || k == r.steps {
            rows.append(["\(k)", Format.short(r.losses[k], digits: 8)]
                        + (validated ? [Format.short(r.validationLosses[k], digits: 8)] : [])
                        + [Format.short(r.gradientNorms[k], digits: 4)]
                        + (scheduled ? [k < r.stepSizes.count ? Format.short(r.stepSizes[k], digits: 4) : ""] : [])
                        + scalars.map { Format.short(r.trajectory[k][v.starts[$0]], digits: 8) })
        }
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max()! }
        func row(_ cells: [String]) -> String {
            zip(cells, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }.joined(separator: "  ")
        }
        lines.append(row(header))
        lines += rows.map(row)
        if every > 1 { lines.append("(a row every \(every) steps; --json has every step)") }
        lines.append("")
        lines += LossCurve.braille(r.losses, validation: r.validationLosses)
        lines.append("")
        var status = "\(r.status.rawValue) after \(r.steps) step\(r.steps == 1 ? "" : "s")"
        if let message = r.message, r.status != .diverged { status += ": \(message)" }
        lines.append(status)
        if let limit = descent.clipGradNorm {
            lines.append("gradient clipped at \(r.clippedSteps) of \(r.steps) step\(r.steps == 1 ? "" : "s") (‖∇L‖ above \(Format.short(limit)), scaled to \(Format.short(limit)))")
        }
        // The table shows every n-th step; the best validation step may fall between rows
        // (early stopping's message names it already).
        let finite = r.validationLosses.indices.filter { r.validationLosses[$0].isFinite }
        if r.message?.hasPrefix("early stopping") != true,
           let best = finite.min(by: { r.validationLosses[$0] < r.validationLosses[$1] }), let last = r.validationLosses.last {
            lines.append("validation loss: lowest \(Format.short(r.validationLosses[best], digits: 8)) at step \(best); \(Format.short(last, digits: 8)) at the end")
        }
        for k in v.names.indices {
            let value = Array(r.final[v.starts[k] ..< v.starts[k + 1]])
            lines.append("\(v.names[k]) = \(Format.tensor(value[...], v.shapes[k], number: { Format.short($0, digits: 8) }))")
        }
        return lines.joined(separator: "\n")
    }
}

/// The leaves a command differentiates or moves: those named by --wrt, else the params, else
/// every input. θ lists their elements in this order.
struct Variables {
    var names: [String]
    var nodes: [Int]
    var shapes: [Shape]
    var starts: [Int]
    var dimension: Int { starts.last! }

    /// Newton's method, exact line search and `hessian` form n × n Hessians from n
    /// Hessian-vector products; beyond this many variables that is too slow to wait for.
    static let maximumForHessian = 300
    /// θ is recorded after every step (for the trajectory); this bounds that memory (160 MB).
    static let maximumRecorded = 20_000_000

    init(_ g: Graph, wrt: String?) throws {
        let leaves = g.differentiableLeaves
        var chosen: [(name: String, node: Int)]
        if let wrt {
            chosen = try ElementReference.leaves(wrt, in: g.tape).get(option: "--wrt").map { (g.tape.displayName($0), $0) }
        } else {
            let params = leaves.filter { g.tape.entries[$0.node].op == .param }
            chosen = params.isEmpty ? leaves : params
        }
        names = chosen.map(\.name)
        nodes = chosen.map(\.node)
        shapes = chosen.map { g.tape.entries[$0.node].shape }
        starts = [0]
        for s in shapes { starts.append(starts.last! + s.count) }
    }

    /// The name of θ's element i: `x`, `w[1]`, `W[0,1]`.
    func elementName(_ i: Int) -> String {
        let k = starts.lastIndex { $0 <= i }!
        return ElementReference(name: names[k], element: i - starts[k], shape: shapes[k]).description
    }
}
