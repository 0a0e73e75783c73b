import Foundation
import GraphCore

/// The probability functions, written as sugar over the op table's ops so every node on the
/// tape is an ordinary, differentiable op and the trace shows how the density is made:
///
/// | call | lowers to |
/// |---|---|
/// | `lbeta(a, b)` | lgamma(a) + lgamma(b) − lgamma(a + b) |
/// | `binomial_logpmf(k, n, θ)` | lgamma(n + 1) − lgamma(k + 1) − lgamma(n − k + 1) + k·ln θ + (n − k)·ln(1 − θ) |
/// | `beta_logpdf(θ, a, b)` | (a − 1)·ln θ + (b − 1)·ln(1 − θ) − lbeta(a, b) |
/// | `normal_logpdf(x, μ, σ)` | −ln σ − ½·ln 2π − ½·((x − μ)/σ)² |
/// | `bernoulli_logpmf(k, θ)` | k·ln θ + (1 − k)·ln(1 − θ) |
///
/// Arguments broadcast as the elementwise ops do (a scalar over a tensor), so
/// `sum(normal_logpdf(x, mu, 1))` is a sample's log-likelihood. The argument order and the
/// parameterisation (σ a standard deviation, θ a success probability) are PyTorch's
/// `torch.distributions` (`Normal(μ, σ).log_prob(x)`, `Binomial(n, probs=θ).log_prob(k)`).
/// Each argument is lowered once, in order, and each node gets the whole call's source range.
enum ProbabilitySugar: String, CaseIterable {
    case lbeta
    case binomialLogpmf = "binomial_logpmf"
    case betaLogpdf = "beta_logpdf"
    case normalLogpdf = "normal_logpdf"
    case bernoulliLogpmf = "bernoulli_logpmf"

    /// A formula over the call's arguments.
    indirect enum Recipe {
        case argument(Int)
        case number(Double)
        case apply(Op, [Recipe])
        /// A subformula used more than once: lowered the first time, the same node after.
        case shared(Int, Recipe)

        static func + (a: Recipe, b: Recipe) -> Recipe { .apply(.add, [a, b]) }
        static func - (a: Recipe, b: Recipe) -> Recipe { .apply(.sub, [a, b]) }
        static func * (a: Recipe, b: Recipe) -> Recipe { .apply(.mul, [a, b]) }
        static func / (a: Recipe, b: Recipe) -> Recipe { .apply(.div, [a, b]) }
        static func lgamma(_ a: Recipe) -> Recipe { .apply(.lgamma, [a]) }
        static func ln(_ a: Recipe) -> Recipe { .apply(.ln, [a]) }
    }

    /// The argument names, as the README and the error messages write them.
    var parameters: [String] {
        switch self {
        case .lbeta: ["a", "b"]
        case .binomialLogpmf: ["k", "n", "θ"]
        case .betaLogpdf: ["θ", "a", "b"]
        case .normalLogpdf: ["x", "μ", "σ"]
        case .bernoulliLogpmf: ["k", "θ"]
        }
    }

    var recipe: Recipe {
        let one = Recipe.number(1)
        switch self {
        case .lbeta:
            let (a, b) = (Recipe.argument(0), Recipe.argument(1))
            return .lgamma(a) + .lgamma(b) - .lgamma(a + b)
        case .binomialLogpmf:
            let (k, n, theta) = (Recipe.argument(0), Recipe.argument(1), Recipe.argument(2))
            let failures = Recipe.shared(0, n - k)
            let logChoose = .lgamma(n + one) - .lgamma(k + one) - .lgamma(failures + one)
            return logChoose + k * .ln(theta) + failures * .ln(one - theta)
        case .betaLogpdf:
            let (theta, a, b) = (Recipe.argument(0), Recipe.argument(1), Recipe.argument(2))
            let lbeta = .lgamma(a) + .lgamma(b) - .lgamma(a + b)
            return (a - one) * .ln(theta) + (b - one) * .ln(one - theta) - lbeta
        case .normalLogpdf:
            let (x, mu, sigma) = (Recipe.argument(0), Recipe.argument(1), Recipe.argument(2))
            let z = (x - mu) / sigma
            let halfLog2Pi = 0.5 * Foundation.log(2 * Double.pi)
            return .apply(.neg, [.ln(sigma)]) - .number(halfLog2Pi) - .number(0.5) * .apply(.pow, [z, .number(2)])
        case .bernoulliLogpmf:
            let (k, theta) = (Recipe.argument(0), Recipe.argument(1))
            return k * .ln(theta) + (one - k) * .ln(one - theta)
        }
    }
}
