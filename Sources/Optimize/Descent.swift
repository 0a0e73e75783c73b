import Foundation
import GraphCore

/// How a run ended, as `--json` reports it.
public enum Status: String, Sendable {
    /// The gradient's norm fell below the tolerance (or a line search found no lower point).
    case converged
    /// The loss or a variable became NaN or ∞, the loss grew past the divergence bound, or
    /// Newton's Hessian was singular.
    case diverged
    /// All the steps asked for were taken.
    case maxSteps = "max-steps"
}

/// What a descent run does: the method and its hyperparameters, how many steps, the schedule,
/// an optional line search and the stopping tolerance.
public struct DescentOptions: Sendable {
    public var hyper: Hyperparameters
    public var steps: Int
    public var schedule: Schedule
    public var lineSearch: LineSearch?
    /// Stop (converged) when ‖∇L‖ falls below this.
    public var tolerance: Double?
    /// Scale ∇L to this total 2-norm when it is longer (`GradientClipping`), before the update.
    public var clipGradNorm: Double?

    /// The run is diverging once |L| exceeds this multiple of max(1, |L₀|).
    public static let divergenceFactor = 1e6

    public init(hyper: Hyperparameters, steps: Int, schedule: Schedule = .constant,
                lineSearch: LineSearch? = nil, tolerance: Double? = nil) {
        (self.hyper, self.steps, self.schedule, self.lineSearch, self.tolerance) = (hyper, steps, schedule, lineSearch, tolerance)
    }

    /// Why these options cannot run together, if they cannot.
    public var problem: String? {
        if let lineSearch, hyper.method != .sgd && hyper.method != .newton || hyper.momentum != 0 {
            return "--line-search \(lineSearch.rawValue) chooses the step along −∇L (or Newton's direction): use it with --method sgd (no momentum) or --method newton"
        }
        if !(hyper.learningRate > 0) || !hyper.learningRate.isFinite { return "the learning rate must be a positive number, got \(hyper.learningRate)" }
        if clipGradNorm != nil, hyper.method == .newton || lineSearch != nil {
            return "--clip-grad-norm scales the gradient an update rule takes; Newton's method and line searches choose the step's length themselves: leave out --method newton and --line-search"
        }
        if steps < 0 { return "--steps must be 0 or more" }
        return nil
    }
}

/// A finished (or stopped) run: the loss and θ before the first step and after each one.
public struct DescentRun: Sendable {
    /// L₀ … L_N (on the whole data when training on mini-batches).
    public var losses: [Double] = []
    /// θ₀ … θ_N.
    public var trajectory: [[Double]] = []
    /// ‖∇L(θ_k)‖ (with weight decay: of ∇L + λθ), one per iterate.
    public var gradientNorms: [Double] = []
    /// The step length used at each step: η_t from the schedule, or the line search's α.
    public var stepSizes: [Double] = []
    public var status: Status = .maxSteps
    /// With a validation set: its loss at θ₀ … θ_N (early stopping watches it).
    public var validationLosses: [Double] = []
    /// Why the run stopped early, in words.
    public var message: String?
    /// Newton's method: the steps at which the Hessian (plus weight decay) was not positive
    /// definite, with its smallest eigenvalue there. H⁻¹∇L then points to a stationary point
    /// that need not be a minimum, and may climb.
    public var indefiniteHessians: [(step: Int, smallestEigenvalue: Double)] = []
    /// With `Descent.recordsGradients`: ∇L(θ_k) as the step from θ_k took it (on mini-batches,
    /// the batch's gradient, not the whole data's), one per iterate.
    public var gradients: [[Double]] = []
    /// With `--clip-grad-norm`: how many steps had ‖∇L‖ above the limit and were scaled.
    public var clippedSteps = 0
    /// With `Descent.recordsGradients` and mini-batches: the rows each gradient was taken on.
    public var batchRows: [[Int]] = []
    /// N, the number of steps taken.
    public var steps: Int { Swift.max(losses.count - 1, 0) }
    /// θ_N.
    public var final: [Double] { trajectory.last ?? [] }
}

/// Gradient descent and its relatives on an `Objective`: every step is one forward and one
/// reverse sweep over the cached tape plus the update (Newton adds one Hessian-vector product
/// per variable; a line search adds forward sweeps).
public struct Descent {
    public var objective: Objective
    public let options: DescentOptions
    /// Mini-batches of the data, loaded into `objective` before each gradient.
    public var batches: MiniBatches?
    /// The same graph on all the data, for the reported loss when training on mini-batches.
    public var fullData: Objective?
    /// Early stopping: the loss on held-out data, recorded at every iterate; see
    /// `Descent+EarlyStopping.swift`.
    public var earlyStopping: EarlyStopping?
    /// Keep every gradient (and batch's rows) in the run, for the explorer to step through;
    /// off for the command line, whose runs may be millions of steps long.
    public var recordsGradients = false
    private var recorded: (gradients: [[Double]], rows: [[Int]]) = ([], [])

    public init(objective: Objective, options: DescentOptions, batches: MiniBatches? = nil, fullData: Objective? = nil) {
        self.objective = objective
        self.options = options
        self.batches = batches
        self.fullData = fullData
    }

    /// Runs up to `options.steps` steps from θ₀ (the tape's stored values unless given).
    public mutating func run(from start: [Double]? = nil) -> DescentRun {
        recorded = ([], [])
        var theta = start ?? objective.initialPoint
        var rule = UpdateRule(options.hyper, dimension: theta.count)
        let lambda = options.hyper.weightDecay
        var run = DescentRun()
        // g is ∇L, the gradient the update rule takes (it adds λθ itself); `decayed` is
        // ∇L + λθ, what Newton, the line searches and the tolerance look at.
        var (loss, g) = evaluate(theta)
        var decayed = rule.decayed(g, theta)
        record(&run, loss, theta, decayed)
        _ = earlyStopping?.watch(&run, theta)
        let bound = DescentOptions.divergenceFactor * Swift.max(1, Swift.abs(loss))
        if let why = divergence(loss, theta, bound: bound) {
            return stop(run, .diverged, "\(why) at the start point")
        }
        var plateau = PlateauWatch(options.schedule)
        for t in 0..<options.steps {
            if let tol = options.tolerance, run.gradientNorms.last! < tol {
                return stop(run, .converged, "‖∇L‖ = \(run.gradientNorms.last!) < \(tol) after \(t) steps")
            }
            let rate = options.schedule.rate(options.hyper.learningRate, at: t) * plateau.multiplier
            if options.hyper.method == .newton || options.lineSearch != nil {
                var direction: [Double]
                if options.hyper.method == .newton {
                    var h = objective.hessian(at: theta)
                    for i in h.indices { h[i][i] += lambda }
                    // (A line search replaces a climbing direction by −∇L itself, below.)
                    if options.lineSearch == nil, let smallest = LinearAlgebra.symmetricEigenvalues(h).first, !(smallest > 0) {
                        run.indefiniteHessians.append((t, smallest))
                    }
                    guard let d = LinearAlgebra.solve(h, decayed) else {
                        return stop(run, .diverged, "the Hessian is singular at step \(t), so Newton's step H⁻¹∇L is undefined; try --method sgd")
                    }
                    direction = d.map { -$0 }
                    if options.lineSearch != nil && LinearAlgebra.dot(decayed, direction) >= 0 {
                        // H is not positive definite here: Newton's direction climbs, so the
                        // line search takes steepest descent instead.
                        direction = decayed.map { -$0 }
                    }
                } else {
                    direction = decayed.map { -$0 }
                }
                var alpha = rate
                if let search = options.lineSearch {
                    let slope = LinearAlgebra.dot(decayed, direction)
                    let base = theta, d = direction
                    var probe = objective
                    func phi(_ a: Double) -> Double {
                        let x = zip(base, d).map { $0 + a * $1 }
                        return probe.loss(at: x) + 0.5 * lambda * LinearAlgebra.dot(x, x)
                    }
                    let f0 = phi(0)
                    let found: Double?
                    switch search {
                    case .backtracking:
                        found = LineSearch.backtrack(phi, f0: f0, slope: slope, start: rate)
                    case .exact:
                        let hd = objective.hessianVector(at: theta, direction)
                        let curvature = LinearAlgebra.dot(direction, hd) + lambda * LinearAlgebra.dot(direction, direction)
                        found = LineSearch.exact(phi, f0: f0, slope: slope, curvature: curvature, start: rate)
                    }
                    guard let found else {
                        return stop(run, .converged, "the \(search.rawValue) line search found no lower point along the step after \(t) steps (the gradient is numerically zero)")
                    }
                    alpha = found
                }
                for i in theta.indices { theta[i] += alpha * direction[i] }
                run.stepSizes.append(alpha)
            } else {
                var used = g
                if let limit = options.clipGradNorm {
                    let clipped = GradientClipping.clip(g, maxNorm: limit)
                    if clipped.scale < 1 { run.clippedSteps += 1 }
                    used = clipped.gradient
                }
                rule.apply(&theta, gradient: used, learningRate: rate)
                run.stepSizes.append(rate)
            }
            (loss, g) = evaluate(theta)
            decayed = rule.decayed(g, theta)
            record(&run, loss, theta, decayed)
            if let why = divergence(loss, theta, bound: bound) {
                return stop(run, .diverged, "diverged at step \(t + 1): \(why); try a smaller --lr")
            }
            let stopping = earlyStopping?.watch(&run, theta)
            plateau.observe(earlyStopping == nil ? loss : run.validationLosses.last!)
            if let why = stopping { return stop(run, .converged, why) }
        }
        if let tol = options.tolerance, run.gradientNorms.last! < tol {
            return stop(run, .converged, "‖∇L‖ = \(run.gradientNorms.last!) < \(tol) after \(run.steps) steps")
        }
        return stop(run, .maxSteps, nil)
    }

    /// The reported loss and the (batch) gradient ∇L at θ.
    private mutating func evaluate(_ theta: [Double]) -> (Double, [Double]) {
        if batches != nil {
            let rows = batches!.load(into: &objective)
            if recordsGradients { recorded.rows.append(rows) }
        }
        var (loss, g) = objective.gradient(at: theta)
        if fullData != nil { loss = fullData!.loss(at: theta) }
        if recordsGradients { recorded.gradients.append(g) }
        return (loss, g)
    }

    private func record(_ run: inout DescentRun, _ loss: Double, _ theta: [Double], _ g: [Double]) {
        run.losses.append(loss)
        run.trajectory.append(theta)
        run.gradientNorms.append(LinearAlgebra.norm(g))
    }

    /// Why the run is diverging at this point, if it is.
    private func divergence(_ loss: Double, _ theta: [Double], bound: Double) -> String? {
        if loss.isNaN { return "the loss is NaN" }
        if loss.isInfinite { return "the loss is \(loss < 0 ? "−∞" : "∞")" }
        if let bad = theta.first(where: { !$0.isFinite }) { return "a variable is \(bad.isNaN ? "NaN" : "∞")" }
        if Swift.abs(loss) > bound {
            return "the loss \(Format.short(loss)) grew past \(Format.short(DescentOptions.divergenceFactor)) × max(1, |L₀|) = \(Format.short(bound))"
        }
        return nil
    }

    private func stop(_ run: DescentRun, _ status: Status, _ message: String?) -> DescentRun {
        var run = run
        (run.gradients, run.batchRows) = recorded
        run.status = status
        run.message = message
        return run
    }
}
