import ArgumentParser
import GraphCore
import Optimize

extension Method: ExpressibleByArgument {}
extension LineSearch: ExpressibleByArgument {}
extension MiniBatches.Sampling: ExpressibleByArgument {}

/// The options that shape a descent run, parsed the same way by `gradstep optimize` (as an
/// `@OptionGroup`) and by the explorer's `:optimize` command line:
///
///     let args = try DescentArguments.parse(["--method", "adam", "--lr", "0.1"])
///     let options = try args.descentOptions()
///
/// Defaults are PyTorch's (see `Hyperparameters`); `validate()` refuses what cannot run.
public struct DescentArguments: ParsableArguments, Sendable {
    @Option(help: "Steps to take.")
    public var steps: Int = 100

    @Option(help: ArgumentHelp("Learning rate η (the first trial step with --line-search); default PyTorch's: 1e-3 for sgd, momentum, nesterov and adam, 1e-2 for adagrad and rmsprop, 1 for newton.", valueName: "η"))
    public var lr: Double?

    @Option(help: "sgd, momentum, nesterov, adagrad, rmsprop, adam or newton.")
    public var method: Method = .sgd

    @Option(help: ArgumentHelp("Momentum μ (default 0.9 for momentum and nesterov, 0 for sgd).", valueName: "μ"))
    public var momentum: Double?

    @Option(help: ArgumentHelp("Adam's β₁,β₂.", valueName: "b1,b2"))
    public var betas: String = "0.9,0.999"

    @Option(help: ArgumentHelp("ε in the denominator (default 1e-10 for adagrad, 1e-8 otherwise).", valueName: "ε"))
    public var eps: Double?

    @Option(help: ArgumentHelp("RMSprop's smoothing constant α.", valueName: "α"))
    public var alpha: Double = 0.99

    @Option(help: ArgumentHelp("L2 weight decay λ: g ← g + λθ.", valueName: "λ"))
    public var weightDecay: Double = 0

    @Option(help: ArgumentHelp("constant, step:K:γ, exp:γ, inverse:k, warmup:W or plateau:K:γ (ReduceLROnPlateau).", valueName: "schedule"))
    public var schedule: String = "constant"

    @Option(help: ArgumentHelp("backtracking (Armijo) or exact; with sgd or newton.", valueName: "kind"))
    public var lineSearch: LineSearch?

    @Option(help: ArgumentHelp("Comma-separated inputs or params to optimise.", valueName: "names"))
    public var wrt: String?

    @Option(help: ArgumentHelp("Stop (converged) once ‖∇L‖ falls below T.", valueName: "T"))
    public var tolerance: Double?

    @Option(help: ArgumentHelp("Clip the gradient's total 2-norm to N before each update (PyTorch's clip_grad_norm_: scaled by N/(‖∇L‖ + 1e-6) when above N).", valueName: "N"))
    public var clipGradNorm: Double?

    @Option(help: ArgumentHelp("Rows of the data drawn for each step (mini-batch descent).", valueName: "B"))
    public var batchSize: Int?

    @Option(help: ArgumentHelp("Seed of the mini-batch sampler.", valueName: "S"))
    public var seed: UInt64 = 0

    @Option(help: ArgumentHelp("With --batch-size: independent (B distinct rows afresh each step, the default), epochs (every row once per epoch) or replacement (each row drawn with replacement); says how often each row was drawn.", valueName: "how"))
    public var sampling: MiniBatches.Sampling?

    public init() {}

    public func validate() throws {
        if steps < 0 || steps > 10_000_000 { throw ValidationError("--steps must be between 0 and 10000000") }
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number") }
        if let t = tolerance, !(t >= 0) { throw ValidationError("--tolerance must be 0 or more") }
        if let n = clipGradNorm, !(n > 0 && n.isFinite) { throw ValidationError("--clip-grad-norm must be a positive number") }
        if let b = batchSize, b < 1 { throw ValidationError("--batch-size must be at least 1") }
        if sampling != nil, batchSize == nil { throw ValidationError("--sampling chooses how --batch-size draws its rows: give --batch-size too") }
        if parsedBetas == nil { throw ValidationError("--betas expects two numbers in [0, 1) such as 0.9,0.999") }
        if case .failure(let why) = Schedule.parse(schedule) { throw ValidationError(why.description) }
    }

    /// (β₁, β₂) from `--betas`, or nil if it is not two numbers in [0, 1).
    public var parsedBetas: (Double, Double)? {
        let parts = betas.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, parts.allSatisfy({ $0 >= 0 && $0 < 1 }) else { return nil }
        return (parts[0], parts[1])
    }

    /// The method and its hyperparameters, PyTorch's defaults filled in.
    public var hyperparameters: Hyperparameters {
        Hyperparameters(method: method, learningRate: lr, momentum: momentum, betas: parsedBetas ?? (0.9, 0.999),
                        epsilon: eps, alpha: alpha, weightDecay: weightDecay)
    }

    /// Everything a `Descent` needs, or why these options cannot run together.
    public func descentOptions() -> Result<DescentOptions, Problem> {
        switch Schedule.parse(schedule) {
        case .failure(let why): return .failure(Problem(description: why.description))
        case .success(let s):
            var options = DescentOptions(hyper: hyperparameters, steps: steps, schedule: s,
                                         lineSearch: lineSearch, tolerance: tolerance)
            options.clipGradNorm = clipGradNorm
            if let problem = options.problem { return .failure(Problem(description: problem)) }
            return .success(options)
        }
    }

    /// Why the options cannot run together, in words.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The method and its settings in words: `adam, η = 0.1, β = (0.9, 0.999)`.
    public var setting: String {
        let hyper = hyperparameters
        var setting = "\(method.rawValue), η = \(Format.short(hyper.learningRate))"
        if hyper.momentum != 0 { setting += ", μ = \(Format.short(hyper.momentum))" }
        if method == .adam { setting += ", β = (\(Format.short(hyper.betas.0)), \(Format.short(hyper.betas.1)))" }
        if hyper.weightDecay != 0 { setting += ", λ = \(Format.short(hyper.weightDecay))" }
        if schedule != "constant" { setting += ", schedule \(schedule)" }
        if let lineSearch { setting += ", \(lineSearch.rawValue) line search" }
        if let clipGradNorm { setting += ", gradient norm clipped to \(Format.short(clipGradNorm))" }
        if let batchSize { setting += ", batches of \(batchSize) (seed \(seed)\(sampling.map { ", \($0.rawValue)" } ?? ""))" }
        return setting
    }

}
