import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage
import Plot

/// `gradstep check`: every gradient entry against central differences, or with `--sweep` the
/// error of finite differences over a range of steps h.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the gradient against central differences, or sweep the step h.",
        discussion: """
            Every element of every input and param: the analytic derivative a (reverse \
            mode), the central difference n = (f(x + h) − f(x − h)) / 2h, their absolute error \
            |a − n| and relative error |a − n| / max(|a|, |n|, 1e-12), and a verdict: pass when \
            |a − n| ≤ atol + rtol·max(|a|, |n|) + the difference's own error (its round-off, a \
            few ε·|f|/h, and where needed its truncation error h²|f‴|/6, estimated from a second \
            difference with step 2h), as torch.autograd.gradcheck tests |a − n| ≤ atol + \
            rtol·|n|; FAIL otherwise; kink when x ± h straddles a relu or abs at 0, a max tie or \
            step's jump (flagged, not failed). Exit status 0 when nothing fails, 1 when \
            something does.

            Each entry costs two forward sweeps of the whole tape. A check of more than \
            100,000,000 values in all checks a random sample of the entries instead (as many \
            as fit, chosen by --seed) and says so; --sample N checks N entries chosen at \
            random (refused when N entries would pass that limit).

            --json prints exactly {"entries": [{"name": "W", "index": [2, 0], "analytic": A, \
            "numeric": N, "abs_error": D, "rel_error": E, "kink": false, "ok": true}, ...], \
            "ok": true, "atol": T, "rtol": R, "sample": S} (index is [] for a scalar; S is null, \
            or {"checked": K, "of": M, "seed": SEED} when a sample was checked).

            --sweep instead compares the forward difference (f(x + h) − f(x)) / h and the \
            central difference with the exact derivative for h = 1e-1 … 1e-15 (two steps per \
            decade), as a table and a log-log plot of the errors with the best h marked: \
            truncation error falls with h until round-off rises. --json then prints exactly \
            {"h": [...], "forward": [...], "central": [...], "exact": D} (the difference \
            quotients and the reverse-mode derivative).
            """
    )

    @OptionGroup var graph: GraphOptions
    @OptionGroup var choice: OutputChoice

    @Flag(help: "Sweep h from 1e-1 to 1e-15 for one derivative instead of checking every entry.")
    var sweep = false

    @Option(help: ArgumentHelp("With --sweep: the input (or element, W[2,0]) to differentiate by; default the first input.", valueName: "name"))
    var wrt: String?

    @Option(help: ArgumentHelp("With --sweep: the point, as NAME=VALUE (repeatable, like --set).", valueName: "name=value"))
    var at: [String] = []

    @Option(name: .customLong("h"), help: ArgumentHelp("The central difference's step.", valueName: "h"))
    var step: Double = GradientCheck.defaultStep

    @Option(help: ArgumentHelp("The relative tolerance rtol: |a − n| ≤ atol + rtol·max(|a|, |n|) passes.", valueName: "e"))
    var threshold: Double = GradientCheck.defaultThreshold

    @Option(help: ArgumentHelp("The absolute tolerance atol, for derivatives of about 0.", valueName: "e"))
    var atol: Double = GradientCheck.defaultAbsoluteTolerance

    @Option(help: ArgumentHelp("Check N entries chosen at random (by --seed) instead of all.", valueName: "n"))
    var sample: Int?

    @Option(help: ArgumentHelp("The seed of the random sample.", valueName: "n"))
    var seed: UInt64 = 1

    @Flag(help: "Print JSON for scripts and autograders.")
    var json = false

    func validate() throws {
        for v in at where !v.contains("=") {
            throw ValidationError("--at expects NAME=VALUE, got '\(v)'")
        }
        if !sweep && (wrt != nil || !at.isEmpty) {
            throw ValidationError("--wrt and --at go with --sweep; to move the point of a check use --set")
        }
        guard step > 0, step.isFinite else { throw ValidationError("--h must be a positive number") }
        guard threshold >= 0, threshold.isFinite else { throw ValidationError("--threshold must be a number, not negative") }
        guard atol >= 0, atol.isFinite else { throw ValidationError("--atol must be a number, not negative") }
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1, got \(sample)") }
        if sweep && sample != nil { throw ValidationError("--sample goes with a check, not with --sweep") }
    }

    func run() throws {
        var options = graph
        options.values += at
        let g = try options.load(of: choice.of)
        let out = g.tape.entries[g.tape.output]
        guard out.shape.isScalar else {
            throw Failure(text: "error: \(g.outputName) is \(out.shape); a gradient check needs a scalar output (see `gradstep jacobian` for tensor outputs)\n")
        }
        if sweep {
            try runSweep(g)
        } else {
            try runCheck(g)
        }
    }

    // MARK: - Check

    private func runCheck(_ g: Graph) throws {
        let tape = g.tape
        let all = GradientCheck.entries(tape)
        let limit = GradientCheck.maximumEntries(tape)
        let wanted = min(sample ?? all.count, all.count)
        if sample != nil && wanted > limit {
            throw Failure(text: "error: checking \(Limits.grouped(wanted)) entries takes two forward sweeps of the tape's \(Limits.grouped(tape.valueCount)) values each, \(Limits.grouped(GradientCheck.work(tape, entries: wanted))) values, past the limit of \(Limits.grouped(GradientCheck.maximumWork))\nhint: at most \(Limits.grouped(limit)) entries of this graph: --sample \(limit)\n")
        }
        let count = min(wanted, limit)
        let entries = GradientCheck.sample(all, count: count, seed: seed)
        let tolerance = GradientCheck.Tolerance(absolute: atol, relative: threshold)
        let results = GradientCheck.check(tape, entries: entries, h: step, tolerance: tolerance)
        let verdicts = results.map { GradientCheck.Verdict($0, tolerance: tolerance) }
        let allOK = verdicts.allSatisfy(\.isOK)
        func name(_ r: GradientCheck.Result) -> String { tape.names[r.leaf] ?? tape.label(r.leaf) }
        let sampled = count < all.count
        if json {
            let entries = zip(results, verdicts).map { r, v -> JSON in
                ["name": .string(name(r)), "index": .array(tape.entries[r.leaf].shape.index(of: r.element).map { .int($0) }),
                 "analytic": .number(r.analytic), "numeric": .number(r.numeric), "abs_error": .number(r.absoluteError),
                 "rel_error": .number(r.relativeError), "kink": .bool(r.nearKink), "ok": .bool(v.isOK)]
            }
            let sampleJSON: JSON = sampled ? ["checked": .int(count), "of": .int(all.count), "seed": .int(seed)] : nil
            let report: JSON = ["entries": .array(entries), "ok": .bool(allOK), "atol": .number(atol), "rtol": .number(threshold),
                                "sample": sampleJSON]
            print(report.text)
        } else {
            print("Gradient check of \(g.outputName): reverse mode against central differences (h = \(Format.short(step)))")
            print("pass if |a − n| ≤ atol + rtol·max(|a|, |n|) + the difference's own error, atol = \(Format.short(atol)), rtol = \(Format.short(threshold))")
            let work = GradientCheck.work(tape, entries: count)
            if sampled {
                let why = sample == nil ? "all \(Limits.grouped(all.count)) would take \(Limits.grouped(GradientCheck.work(tape, entries: all.count))) values, past the limit of \(Limits.grouped(GradientCheck.maximumWork)); --sample N sets the count" : "--sample \(count)"
                print("checking a random sample of \(Limits.grouped(count)) of \(Limits.grouped(all.count)) entries (seed \(seed)): \(why)")
            }
            if sampled || work >= Self.workWorthSaying {
                print("cost: \(Limits.grouped(count)) entries × 2 forward sweeps of \(Limits.grouped(tape.valueCount)) values = \(Limits.grouped(work)) values")
            }
            let rows = zip(results, verdicts).map { r, v in
                [ElementReference(name: name(r), element: r.element, shape: tape.entries[r.leaf].shape).description, Format.exact(r.analytic),
                 Format.exact(r.numeric), Format.short(r.absoluteError, digits: 2), Format.short(r.relativeError, digits: 2), v.rawValue]
            }
            let lines = textTable(["entry", "analytic", "numeric", "abs. error", "rel. error", "verdict"], rows, rule: true)
            for line in lines.prefix(2) { print(line) }
            for (line, v) in zip(lines.dropFirst(2), verdicts) { print(colored(line, v)) }
            let counts = [GradientCheck.Verdict.pass, .kink, .fail].map { v in verdicts.filter { $0 == v }.count }
            print("\(results.count) entries\(sampled ? " of \(Limits.grouped(all.count))" : ""): \(counts[0]) pass, \(counts[1]) kink, \(counts[2]) fail")
            if counts[1] > 0 {
                print("kink: x − h and x + h fall on different sides of a non-differentiable point; the central difference averages two one-sided slopes there, so it is not compared (gradstep uses PyTorch's convention, relu′(0) = 0)")
            }
        }
        if !(tape.evaluate()[Int(tape.entries[tape.output].offset)]).isFinite {
            FileHandle.standardError.write(Data("warning: the output is not finite (NaN or ∞) at this point, so neither derivative can be checked; see `gradstep trace`\n".utf8))
        }
        if !allOK { throw Failure(text: "", status: 1) }
    }

    /// A check computing at least this many values says its cost before its table (about a
    /// tenth of a second).
    static let workWorthSaying = 10_000_000

    /// The row in its verdict's colour on a terminal: green pass, red fail, yellow kink.
    private func colored(_ text: String, _ v: GradientCheck.Verdict) -> String {
        guard stdoutWantsColor else { return text }
        let code = switch v {
        case .pass: "32"
        case .fail: "1;31"
        case .kink: "33"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    // MARK: - Sweep

    private func runSweep(_ g: Graph) throws {
        let element = try g.element(wrt)
        let s = DifferenceSweep(g.tape, slot: element.slot)
        if json {
            let report: JSON = ["h": .numbers(s.steps), "forward": .numbers(s.forward), "central": .numbers(s.central),
                                "exact": .number(s.exact)]
            print(report.text)
            return
        }
        let x = g.tape.evaluate()[element.slot]
        print("∂\(g.outputName)/∂\(element.name) at \(element.name) = \(Format.exact(x)): exact (reverse mode) \(Format.exact(s.exact))")
        let (fe, ce) = (s.forwardError, s.centralError)
        let rows = s.steps.indices.map { i in
            [Format.short(s.steps[i]), Format.exact(s.forward[i]), Format.short(fe[i], digits: 2) + (i == s.bestForward ? " ◀" : ""),
             Format.exact(s.central[i]), Format.short(ce[i], digits: 2) + (i == s.bestCentral ? " ◀" : "")]
        }
        for line in textTable(["h", "forward quotient", "forward error", "central quotient", "central error"], rows) { print(line) }
        if let bf = s.bestForward, let bc = s.bestCentral {
            print("best h: forward \(Format.short(s.steps[bf])) (error \(Format.short(fe[bf], digits: 2))), central \(Format.short(s.steps[bc])) (error \(Format.short(ce[bc], digits: 2)))")
        }
        print("")
        for line in plotLines(Self.sweepPlot(s), width: 72, height: 20) { print(line) }
        print("Larger h: truncation error (∝ h forward, ∝ h² central). Smaller h: round-off (∝ ε/h) takes over.")
    }

    /// The errors of both differences against h on log-log axes, best steps marked. An error
    /// of exactly 0 (the difference was exact) is drawn at 1e-17, below anything measurable.
    static func sweepPlot(_ s: DifferenceSweep) -> Plot {
        func points(_ errors: [Double]) -> [Plot.Point] {
            zip(s.steps, errors).map { Plot.Point($0, $1 == 0 ? 1e-17 : $1) }
        }
        var plot = Plot(title: "|difference − exact| against h", xLabel: "h", yLabel: "|difference − exact|",
                        series: [Plot.Series("forward", points: points(s.forwardError), role: .adjoint),
                                 Plot.Series("central", points: points(s.centralError), role: .tangent, dashed: true)],
                        logX: true, logY: true)
        for (best, errors) in [(s.bestForward, s.forwardError), (s.bestCentral, s.centralError)] {
            if let i = best { plot.markers.append(Plot.Marker(.best, x: s.steps[i], y: errors[i] == 0 ? 1e-17 : errors[i])) }
        }
        return plot
    }
}
