import Foundation
import GraphCore
import GraphLanguage
import Optimize
import OptimizeArguments
import Plot

/// A descent run on the explorer's graph, kept whole so it can be stepped one iteration at a
/// time, forward and back: every iterate θₖ with its loss and the gradient the update used,
/// and every update with the optimiser's state before and after it (momentum's v, Adam's m
/// and v and their bias corrections). The run itself is `Optimize.Descent`'s, the update
/// numbers are `UpdateRule`'s replayed on the same gradients: nothing here re-derives a rule.
public struct OptimizationSession: Sendable {
    /// θₖ, L(θₖ) and ∇L(θₖ) (with weight decay, what the update added λθ to).
    public struct Iterate: Sendable {
        public var theta: [Double]
        public var loss: Double
        public var gradient: [Double]
    }

    /// The update from θₜ₋₁ to θₜ (t counts from 1, as in Adam's bias correction).
    public struct Update: Sendable {
        public var t: Int
        /// η at this step (the schedule's), or the line search's α.
        public var rate: Double
        /// The gradient the rule took, g = ∇L + λθ.
        public var gradient: [Double]
        /// Momentum's v, Adam's m: before and after the step.
        public var firstBefore: [Double], firstAfter: [Double]
        /// Adagrad's and RMSprop's s, Adam's v: before and after the step.
        public var secondBefore: [Double], secondAfter: [Double]
        /// Adam's bias corrections m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).
        public var mHat: [Double], vHat: [Double]
        /// Adam's step η·m̂/(√v̂ + ε), subtracted from θ.
        public var adamStep: [Double]
        /// The direction d of θ ← θ + α·d (line search or Newton), from the two iterates.
        public var direction: [Double]?
        public var from: [Double], to: [Double]
        /// With `--clip-grad-norm`: ‖∇L(θₜ₋₁)‖ and the factor ∇L was scaled by (1: not clipped).
        public var clipNorm: Double?
        public var clipScale: Double = 1
    }

    public let arguments: DescentArguments
    public let hyper: Hyperparameters
    /// The names of θ's elements: `x`, `w[1]`, `W[0,1]`.
    public let names: [String]
    /// The tape indices of the variables and where each starts in θ.
    public let variables: [Int]
    public let starts: [Int]
    public let outputName: String
    public let iterates: [Iterate]
    public let updates: [Update]
    public let status: Status
    /// Why the run stopped early (divergence, convergence), in words.
    public let stopMessage: String?
    /// For two scalars: the loss's level lines with the whole path on them.
    public let surface: Plot?
    /// With `--batch-size`: the data rows (from 0) each iterate's gradient was taken on; the
    /// losses are on all `dataRows` rows, as `gradstep optimize` reports them.
    public let batchRows: [[Int]]
    public let dataRows: Int

    /// The largest number of recorded values (steps × variables) the explorer keeps.
    public static let maximumRecorded = 2_000_000
    /// The most iterations the explorer runs: the run is computed at once, between two keys.
    public static let maximumSteps = 10_000
    /// The most node visits (steps × tape length) a run in the explorer may take.
    public static let maximumWork = 20_000_000

    /// The run `arguments` describe on `graph` at the values of `tape` (the explorer's current
    /// values), or why it cannot run.
    public init(graph: Graph, tape: Tape, arguments: DescentArguments) throws(DescentArguments.Problem) {
        let options: DescentOptions
        switch arguments.descentOptions() {
        case .success(let o): options = o
        case .failure(let p): throw p
        }
        let leaves = graph.differentiableLeaves
        var chosen: [(name: String, node: Int)] = []
        if let wrt = arguments.wrt {
            switch ElementReference.leaves(wrt, in: tape) {
            case .success(let nodes): chosen = nodes.map { (tape.displayName($0), $0) }
            case .failure(let error): throw DescentArguments.Problem(description: "--wrt \(error)")
            }
        } else {
            let params = leaves.filter { tape.entries[$0.node].op == .param }
            chosen = params.isEmpty ? leaves : params
        }
        var objective: Objective
        do { objective = try Objective(tape: tape, variables: chosen.map(\.node)) }
        catch { throw DescentArguments.Problem(description: error.description) }
        let n = objective.dimension
        if arguments.method == .newton && n > 300 {
            throw DescentArguments.Problem(description: "Newton's method forms the Hessian; \(n) variables is more than 300; choose fewer with --wrt")
        }
        guard arguments.steps <= Self.maximumSteps, (arguments.steps + 1) * n <= Self.maximumRecorded,
              (arguments.steps + 1) * tape.count <= Self.maximumWork else {
            throw DescentArguments.Problem(description: "\(arguments.steps) steps over \(n) variables and \(tape.count) nodes is more than the explorer steps through (at most \(Self.maximumSteps) steps, \(Self.maximumWork) node visits); take fewer --steps, or run gradstep optimize")
        }
        var names: [String] = []
        for (name, node) in chosen {
            let shape = tape.entries[node].shape
            names += (0 ..< shape.count).map { ElementReference(name: name, element: $0, shape: shape).description }
        }
        var descent = Descent(objective: objective, options: options)
        if let (batchObjective, batches) = try Self.miniBatches(graph, tape, arguments, variables: chosen.map(\.name)) {
            descent = Descent(objective: batchObjective, options: options, batches: batches, fullData: objective)
        }
        descent.recordsGradients = true
        let run = descent.run()

        // Each iterate with the gradient its step took (a batch's, with --batch-size), and the
        // update rule replayed on them for its state.
        let iterates = run.trajectory.indices.map { k in
            Iterate(theta: run.trajectory[k], loss: run.losses[k], gradient: run.gradients[k])
        }
        var rule = UpdateRule(options.hyper, dimension: n)
        let usesRule = options.hyper.method != .newton && options.lineSearch == nil
        var updates: [Update] = []
        for t in 0 ..< run.steps {
            let (from, to) = (iterates[t].theta, iterates[t + 1].theta)
            let rate = run.stepSizes[t]
            let (m0, s0) = (rule.firstMoment, rule.secondMoment)
            var direction: [Double]?
            let clipped = options.clipGradNorm.map { GradientClipping.clip(iterates[t].gradient, maxNorm: $0) }
            let used = clipped?.gradient ?? iterates[t].gradient
            if usesRule {
                var theta = from
                rule.apply(&theta, gradient: used, learningRate: rate)
            } else {
                direction = zip(from, to).map { ($1 - $0) / rate }
            }
            let (b1, b2) = options.hyper.betas
            let step = Double(t + 1)
            let mHat = rule.firstMoment.map { $0 / (1 - Foundation.pow(b1, step)) }
            let vHat = rule.secondMoment.map { $0 / (1 - Foundation.pow(b2, step)) }
            updates.append(Update(
                t: t + 1, rate: rate, gradient: rule.decayed(used, from),
                firstBefore: m0, firstAfter: rule.firstMoment, secondBefore: s0, secondAfter: rule.secondMoment,
                mHat: mHat, vHat: vHat,
                adamStep: zip(mHat, vHat).map { rate * $0 / ($1.squareRoot() + options.hyper.epsilon) },
                direction: direction, from: from, to: to, clipNorm: clipped?.norm, clipScale: clipped?.scale ?? 1))
        }
        if n == 2 {
            var f = objective
            surface = ContourPlot.plot(loss: { f.loss(at: [$0, $1]) }, path: run.trajectory.map { ($0[0], $0[1]) },
                                       names: (names[0], names[1]))
        } else {
            surface = nil
        }
        self.arguments = arguments
        hyper = options.hyper
        self.names = names
        variables = chosen.map(\.node)
        starts = objective.starts
        outputName = graph.outputName
        self.iterates = iterates
        batchRows = run.batchRows
        dataRows = graph.dataSets.first?.rows ?? 0
        self.updates = updates
        status = run.status
        stopMessage = run.message
    }

    /// The mini-batch objective for `--batch-size` (nil without it): the graph reloaded from its
    /// source with the data cut to B rows and every named input, param and constant at its
    /// value in `tape`, so the run starts where the explorer stands.
    static func miniBatches(_ graph: Graph, _ tape: Tape, _ arguments: DescentArguments,
                            variables: [String]) throws(DescentArguments.Problem) -> (Objective, MiniBatches)? {
        let data = Set(graph.dataSets.map(\.name))
        var current: [(name: String, text: String)] = []
        for i in 0 ..< tape.count where tape.entries[i].op.kind == .leaf {
            guard let name = tape.names[i], !data.contains(name), graph.node(named: name) == i else { continue }
            current.append((name, Format.tensor(tape.leafValues(i), tape.entries[i].shape, number: Format.exact)))
        }
        let mode: GraphLoader.Mode = graph.source.name == "-e" ? .expression : .file
        do {
            return try arguments.miniBatches(of: graph, variables: variables) { cut in
                try GraphLoader.load(graph.source, graphName: graph.name, mode: mode, values: current + cut).get()
            }
        } catch let problem as DescentArguments.Problem {
            throw problem
        } catch let failure as LoadFailure {
            throw DescentArguments.Problem(description: "--batch-size: " + (failure.message ?? failure.rendered().split(separator: "\n").first.map(String.init) ?? "the graph did not reload"))
        } catch {
            throw DescentArguments.Problem(description: "--batch-size: \(error)")
        }
    }

    /// N, the number of updates (iterations 0 … N).
    public var steps: Int { updates.count }
    public var losses: [Double] { iterates.map(\.loss) }

    /// The loss curve with iteration `k` marked.
    public func lossPlot(at k: Int) -> Plot {
        LossCurve.plot(losses, title: "loss \(outputName)", current: k)
    }

    /// The contours with the path drawn up to iteration `k`, which is marked.
    public func contourPlot(at k: Int) -> Plot? {
        guard var plot = surface else { return nil }
        let shown = iterates.prefix(k + 1).map { Plot.Point($0.theta[0], $0.theta[1]) }
        plot.series[0].points = shown
        if let last = shown.last, last.x.isFinite, last.y.isFinite {
            plot.markers = [Plot.Marker(.current, x: last.x, y: last.y)]
        }
        return plot
    }

    /// θₖ split into the variables' values, for `Evaluation.set`.
    public func leafValues(at k: Int) -> [(leaf: Int, values: [Double])] {
        variables.indices.map { (variables[$0], Array(iterates[k].theta[starts[$0] ..< starts[$0 + 1]])) }
    }

    /// The run's outcome in words: `diverged at step 7: …`, `max-steps after 100 steps`.
    public var outcome: String {
        switch status {
        case .diverged: stopMessage ?? "diverged"
        case .converged: "converged after \(steps) step\(steps == 1 ? "" : "s")" + (stopMessage.map { ": \($0)" } ?? "")
        case .maxSteps: "\(steps) step\(steps == 1 ? "" : "s") taken (--steps \(arguments.steps))"
        }
    }
}

/// The explorer's optimisation mode: the run, which iteration is shown, and whether it is open
/// into its reverse sweep (the graph, trace and inspector then show that sweep).
public struct OptimizationMode: Sendable {
    public internal(set) var session: OptimizationSession?
    /// The iteration shown, 0 … N.
    public internal(set) var iteration = 0
    /// The iteration is open into the reverse sweep that produced its gradient.
    public internal(set) var opened = false
    /// First line of the pane's text column shown (j/k scroll it).
    public internal(set) var scroll = 0
    /// The options of the last `:optimize` (what `O` starts with).
    public internal(set) var arguments: [String] = []

    public init() {}

    /// The optimisation pane covers the graph, trace and inspector.
    public var isShowing: Bool { session != nil && !opened }
}
