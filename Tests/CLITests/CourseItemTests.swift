import Foundation
import Testing
import TestSupport

/// Course items of issue 24 made whole: A21's identity and ±1-label gradient, and A28/A29's
/// dual numbers with any tangent ẋ.
@Suite struct CourseItemTests {
    func number(_ line: Substring?) -> Double? {
        line.flatMap { Double($0.split(separator: "=").last!.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")) }
    }

    /// A21: p(y = −1 | x) = 1 − σ(wᵀx) = σ(−wᵀx), values and gradients alike; at w = 0.5,
    /// x = 2 (z = 1) both are σ(−1) = 0.268941 with ∂/∂w = −x·σ(1)σ(−1).
    @Test func logisticIdentityHoldsInValueAndGradient() async throws {
        let z = 1.0, s = 1 / (1 + exp(-z))
        for expression in ["param w = 0.5; const x = 2; y = 1 - sigmoid(w*x)", "param w = 0.5; const x = 2; y = sigmoid(-(w*x))"] {
            let r = try await gradstep("eval", "-e", expression)
            expectEqual(r.status, 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n")
            expectTrue(abs(number(lines.first)! - (1 - s)) < 1e-15)
            expectTrue(abs(number(lines.last)! - (-2 * s * (1 - s))) < 1e-15)
        }
    }

    /// A21: with labels t = ±1 the loss is −ln σ(t·wᵀx) and its gradient −t·x·σ(−t·wᵀx).
    @Test func theGradientWithPlusMinusOneLabels() async throws {
        for t in [1.0, -1.0] {
            let r = try await gradstep("eval", "-e", "param w = 0.5; const x = 2; const t = \(Int(t)); L = -ln(sigmoid(t*w*x))")
            expectEqual(r.status, 0, "\(r.stderr)")
            let g = number(r.stdout.split(separator: "\n").last)!
            expectTrue(abs(g - (-t * 2 / (1 + exp(t * 1)))) < 1e-12, "t = \(t): \(r.stdout)")
        }
    }

    /// A28/A29: the dual number x + ẋε with any ẋ: g(x + ẋε) = g(x) + g′(x)ẋε. For g = x² at
    /// x = 2 with ẋ = 3: 4 + 12ε.
    @Test func dualNumbersTakeAnyTangent() async throws {
        let r = try await gradstep("trace", "-e", "y = x^2", "--set", "x=2", "--mode", "forward", "--format", "dual", "--tangent", "3")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "ẋ = 3", "\(r.stdout)")
        expectContains(r.stdout, "2 + 3ε", "\(r.stdout)")
        expectContains(r.stdout, "= (2 + 3ε) ^ 2 = 4 + 12ε   (y)", "\(r.stdout)")
        let table = try await gradstep("trace", "-e", "y = x^2", "--set", "x=2", "--mode", "forward", "--tangent", "-0.5")
        expectHasPrefix(table.stdout, "Forward tangent trace (seed ẋ = −0.5; v̇₁ = −0.5·∂y/∂x)", "\(table.stdout)")
        expectEqual(table.stdout.split(separator: "\n").last?.hasSuffix("−2"), true, "\(table.stdout)")
    }
}
