import Foundation

/// A learning-rate schedule: η_t for step t = 0, 1, 2, … from the base rate η.
///
/// - `constant`: η_t = η
/// - `step:K:γ`: η_t = η·γ^⌊t/K⌋ (PyTorch's `StepLR`, stepped once per iteration)
/// - `exp:γ`: η_t = η·γ^t (`ExponentialLR`)
/// - `inverse:k`: η_t = η/(1 + k·t) (inverse-time decay)
/// - `warmup:W`: η_t = η·min(1, (t + 1)/W) (linear warm-up: the first steps of a fresh network
///   have large, badly scaled gradients, so the rate climbs to η over W steps)
/// - `plateau:K:γ`: η times γ each time the watched loss (the validation loss with
///   `--validation`, else the training loss) has not improved for more than K steps
///   (PyTorch's `ReduceLROnPlateau`; the state lives in `PlateauWatch`, `rate` gives η)
public enum Schedule: Sendable, Equatable {
    case constant
    case step(every: Int, factor: Double)
    case exponential(factor: Double)
    case inverse(rate: Double)
    case warmup(steps: Int)
    case plateau(patience: Int, factor: Double)

    /// The rate at step `t` (0 for the first step).
    public func rate(_ base: Double, at t: Int) -> Double {
        switch self {
        case .constant: base
        case .step(let k, let gamma): base * Foundation.pow(gamma, Double(t / k))
        case .exponential(let gamma): base * Foundation.pow(gamma, Double(t))
        case .inverse(let k): base / (1 + k * Double(t))
        case .warmup(let w): base * Swift.min(1, Double(t + 1) / Double(w))
        case .plateau: base
        }
    }

    /// Reads `constant`, `step:K:γ`, `exp:γ`, `inverse:k`, `warmup:W` or `plateau:K:γ`, or says
    /// what is wrong.
    public static func parse(_ text: String) -> Result<Schedule, Objective.Problem> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func number(_ s: String) -> Double? { Double(s).flatMap { $0.isFinite ? $0 : nil } }
        let usage = "write constant, step:K:γ (e.g. step:10:0.5), exp:γ (e.g. exp:0.99), inverse:k (e.g. inverse:0.1), warmup:W (e.g. warmup:20) or plateau:K:γ (e.g. plateau:10:0.1)"
        switch parts[0] {
        case "constant" where parts.count == 1:
            return .success(.constant)
        case "step" where parts.count == 3:
            guard let k = Int(parts[1]), k > 0, let gamma = number(parts[2]), gamma > 0 else { break }
            return .success(.step(every: k, factor: gamma))
        case "exp" where parts.count == 2:
            guard let gamma = number(parts[1]), gamma > 0 else { break }
            return .success(.exponential(factor: gamma))
        case "inverse" where parts.count == 2:
            guard let k = number(parts[1]), k >= 0 else { break }
            return .success(.inverse(rate: k))
        case "warmup" where parts.count == 2:
            guard let w = Int(parts[1]), w > 0 else { break }
            return .success(.warmup(steps: w))
        case "plateau" where parts.count == 3:
            guard let k = Int(parts[1]), k >= 0, let gamma = number(parts[2]), gamma > 0, gamma < 1 else { break }
            return .success(.plateau(patience: k, factor: gamma))
        default: break
        }
        return .failure(Objective.Problem(description: "bad schedule '\(text)': \(usage); K and W are whole numbers of steps (K > 0 for step, K ≥ 0 for plateau, W > 0), γ > 0 (γ < 1 for plateau), k ≥ 0"))
    }
}
