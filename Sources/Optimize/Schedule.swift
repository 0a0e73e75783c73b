import Foundation

/// A learning-rate schedule: η_t for step t = 0, 1, 2, … from the base rate η.
///
/// - `constant`: η_t = η
/// - `step:K:γ`: η_t = η·γ^⌊t/K⌋ (PyTorch's `StepLR`, stepped once per iteration)
/// - `exp:γ`: η_t = η·γ^t (`ExponentialLR`)
/// - `inverse:k`: η_t = η/(1 + k·t) (inverse-time decay)
public enum Schedule: Sendable, Equatable {
    case constant
    case step(every: Int, factor: Double)
    case exponential(factor: Double)
    case inverse(rate: Double)

    /// The rate at step `t` (0 for the first step).
    public func rate(_ base: Double, at t: Int) -> Double {
        switch self {
        case .constant: base
        case .step(let k, let gamma): base * Foundation.pow(gamma, Double(t / k))
        case .exponential(let gamma): base * Foundation.pow(gamma, Double(t))
        case .inverse(let k): base / (1 + k * Double(t))
        }
    }

    /// Reads `constant`, `step:K:γ`, `exp:γ` or `inverse:k`, or says what is wrong.
    public static func parse(_ text: String) -> Result<Schedule, Objective.Problem> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func number(_ s: String) -> Double? { Double(s).flatMap { $0.isFinite ? $0 : nil } }
        let usage = "write constant, step:K:γ (e.g. step:10:0.5), exp:γ (e.g. exp:0.99) or inverse:k (e.g. inverse:0.1)"
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
        default: break
        }
        return .failure(Objective.Problem(description: "bad schedule '\(text)': \(usage); K is a positive whole number of steps, γ > 0, k ≥ 0"))
    }
}
