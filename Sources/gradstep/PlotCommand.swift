import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage
import Plot
import Screen

/// `gradstep plot`: f and f′ over a range of one input, in the terminal or as SVG.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot the output f and its derivative f′ over a range of one input.",
        discussion: """
            f and f′ (reverse mode) at evenly spaced points from --from to --to, the other \
            inputs held at their values. Kinks (relu or abs at 0, a max tie, step's jump) are \
            marked ◆ on the curve, points where f or f′ is NaN or infinite × on the x axis. \
            The terminal plot is braille (ASCII with --ascii); --format svg writes the same plot \
            as an SVG picture for slides, to --out FILE (written atomically) or to standard \
            output.

            With --data FILE.csv, plot draws a data set instead: column --x against column \
            --y, one mark per row, coloured and shaped by the class in column --label (at \
            most 8 classes), so a student can see whether the classes can be split by a \
            line (linearly separable) before fitting a logistic regression to them.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, svg, json }

    @OptionGroup var graph: GraphOptions

    @Option(help: ArgumentHelp("The input (or element, w[1]) on the x axis; default the first input.", valueName: "name"))
    var wrt: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Left end of the range.", valueName: "a"))
    var from: Double = -3

    @Option(parsing: .unconditional, help: ArgumentHelp("Right end of the range.", valueName: "b"))
    var to: Double = 3

    @Option(help: "text (the terminal), svg, or json (the samples, for scripts).")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("With --format svg: the file to write.", valueName: "file"))
    var out: String?

    @Flag(help: "With --out: write even to a link, a device or FIFO, or the graph file itself.")
    var force = false

    @Option(help: ArgumentHelp("Plot width in columns (svg: pixels are 10× this).", valueName: "n"))
    var width: Int = 72

    @Option(help: ArgumentHelp("Plot height in rows (svg: pixels are 20× this).", valueName: "n"))
    var height: Int = 22

    @Flag(help: "Draw with ASCII characters instead of braille.")
    var ascii = false

    @Flag(help: "Draw f only, without f′ (a density next to its much steeper derivative is flat).")
    var noDerivative = false

    @Option(name: .customLong("of"), help: ArgumentHelp("Also draw the named scalar node against the x axis; repeat for several (a prior and a posterior on one chart). Implies --no-derivative.", valueName: "name"))
    var others: [String] = []

    @Option(help: ArgumentHelp("A CSV data set to scatter-plot (header row, then numbers) instead of a graph.", valueName: "file"))
    var data: String?

    @Option(name: .customLong("x"), help: ArgumentHelp("With --data: the column on the x axis.", valueName: "column"))
    var xColumn: String?

    @Option(name: .customLong("y"), help: ArgumentHelp("With --data: the column on the y axis.", valueName: "column"))
    var yColumn: String?

    @Option(help: ArgumentHelp("With --data: the column of class labels that colours the points.", valueName: "column"))
    var label: String?

    /// The widest range --from … --to plotted.
    static let widestRange = 1e308

    func validate() throws {
        guard from.isFinite, to.isFinite, from < to else {
            throw ValidationError("--from must be less than --to (got \(from) and \(to))")
        }
        // The axis is laid out from the width with a margin around it: a width near the largest
        // Double (1.8e308) overflows there, so the range may be at most 1e308 wide.
        guard to - from <= Self.widestRange else {
            throw ValidationError("--from \(from) to --to \(to) is wider than \(Self.widestRange) (the largest number is about 1.8e308); narrow the range, e.g. --from -5e307 --to 5e307")
        }
        guard (20...400).contains(width), (8...200).contains(height) else {
            throw ValidationError("--width must be 20 to 400 and --height 8 to 200")
        }
        if out != nil && format != .svg { throw ValidationError("--out goes with --format svg") }
        try validateData()
    }

    func run() throws {
        if let data {
            try runScatter(data)
            return
        }
        // An expression's free name on the x axis needs no value of its own: start it at --from.
        // An element (`x[1]`) is never a free name; a name that is no leaf is told as --wrt's
        // mistake, not as a --set the user did not type.
        var options = graph
        var started: [String] = []
        if let wrt, graph.expression != nil, !wrt.contains("["),
           !GraphOptions.assignments(graph.values).contains(where: { $0.name == wrt }) {
            options.values.append("\(wrt)=\(from)")
            started = [wrt]
        }
        let g = try options.load(given: "--wrt", names: started)
        let out = g.tape.entries[g.tape.output]
        guard out.shape.isScalar else {
            throw Failure(text: "error: \(g.outputName) is \(out.shape); plot needs a scalar output\n")
        }
        let element = try g.element(wrt)
        let samples = FunctionSamples(g.tape, slot: element.slot, from: from, to: to, count: width * 2 + 1)
        var plot = Self.plot(samples, output: g.outputName, input: element.name, derivative: !noDerivative && others.isEmpty)
        if !others.isEmpty {
            let nodes = try others.map { name -> Int in
                guard let node = g.node(named: name) else {
                    let hint = suggestion(for: name, among: g.tape.names.compactMap { $0 }).map { "; did you mean '\($0)'?" } ?? ""
                    throw Failure(text: "error: --of \(name): the graph has no node named '\(name)'\(hint)\n")
                }
                guard g.tape.entries[node].shape.isScalar else {
                    throw Failure(text: "error: --of \(name): \(name) is \(g.tape.entries[node].shape); plot draws scalars\n")
                }
                return node
            }
            let curves = FunctionSamples.values(of: nodes, g.tape, slot: element.slot, at: samples.xs)
            for (k, (name, values)) in zip(others, curves).enumerated() {
                plot.series.append(Plot.Series(name, points: zip(samples.xs, values).map { Plot.Point($0, $1) },
                                               role: Self.curveRoles[k % Self.curveRoles.count], dashed: k % 2 == 0))
            }
            plot.title = ([g.outputName] + others).joined(separator: ", ") + " against \(element.name)"
            plot.yRange = Plot.robustRange(samples.values + curves.flatMap { $0 })
        }
        switch format {
        case .json:
            print(Self.json(samples, output: g.outputName, input: element.name))
        case .svg:
            let svg = plot.svg(width: width * 10, height: height * 20)
            if let path = self.out {
                try writeOutput(svg, to: path, force: force, inputs: graph.inputFiles(of: g))
            } else {
                print(svg, terminator: "")
            }
        case .text:
            for line in plotLines(plot, width: width, height: height, ascii: ascii) { print(line) }
            if !samples.kinks.isEmpty {
                print("kink at \(element.name) = \(samples.kinks.map { Format.short($0) }.joined(separator: ", "))")
            }
            if samples.undefined.count == 1 {
                print("undefined (NaN or ∞) at \(element.name) = \(Format.short(samples.undefined[0]))")
            } else if let first = samples.undefined.first, let last = samples.undefined.last {
                print("undefined (NaN or ∞) at \(samples.undefined.count) of \(samples.xs.count) points, \(element.name) from \(Format.short(first)) to \(Format.short(last))")
            }
        }
    }

    /// The samples behind the picture: `{"input": …, "output": …, "x": […], "f": […],
    /// "derivative": […], "kinks": […], "undefined": […]}` (NaN and ∞ as null, as everywhere).
    static func json(_ s: FunctionSamples, output: String, input: String) -> String {
        let report: JSON = ["input": .string(input), "output": .string(output), "x": .numbers(s.xs), "f": .numbers(s.values),
                            "derivative": .numbers(s.derivatives), "kinks": .numbers(s.kinks), "undefined": .numbers(s.undefined)]
        return report.text
    }

    /// The roles of the curves `--of` adds after f.
    static let curveRoles: [Role] = [.adjoint, .tangent, .param, .output]

    /// f and f′ as two series (f alone without `derivative`), kinks on f, undefined points on
    /// the axis; the y axis fitted to most of the values so a pole does not flatten the rest.
    static func plot(_ s: FunctionSamples, output: String, input: String, derivative: Bool = true) -> Plot {
        let f = zip(s.xs, s.values).map { Plot.Point($0, $1) }
        // f′ jumps at a kink: a NaN there breaks its line instead of drawing a vertical stroke
        // (and a sample right on the kink, which only shows the convention, is left out).
        let kinks = Set(s.kinks)
        let df = (zip(s.xs, s.derivatives).map { Plot.Point($0, kinks.contains($0) ? .nan : $1) }
            + s.kinks.map { Plot.Point($0, .nan) }).sorted { $0.x < $1.x }
        var plot = Plot(title: derivative ? "\(output) and \(output)′ against \(input)" : "\(output) against \(input)", xLabel: input, yLabel: output,
                        series: [Plot.Series(output, points: f, role: .value)]
                            + (derivative ? [Plot.Series("\(output)′", points: df, role: .adjoint)] : []),
                        yRange: Plot.robustRange(s.values + (derivative ? s.derivatives : [])))
        plot.markers += zip(s.kinks, s.kinkValues).map { Plot.Marker(.kink, x: $0, y: $1) }
        plot.markers += s.undefined.map { Plot.Marker(.undefined, x: $0) }
        return plot
    }
}
