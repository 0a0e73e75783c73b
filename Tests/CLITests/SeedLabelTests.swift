import Foundation
import Testing
import TestSupport

/// Issue 24: a gradient printed after a seed or several backward calls is labelled as what it is.
@Suite struct SeedLabelTests {
    /// o = x1·x2 at (2, 3): ∂o/∂x1 = x2 = 3, ∂o/∂x2 = x1 = 2; with the upstream ∂L/∂o = 5
    /// the printed numbers are ∂L/∂x1 = 15 and ∂L/∂x2 = 10, and say so.
    @Test func aSeededGradientIsLabelledAsTheLossGradient() async throws {
        let r = try await gradstep("eval", graph("neuron-multiply.grad"), "--seed-adjoint", "5")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectEqual(r.stdout, "o = 6\n∂L/∂x1 = \(5 * 3)   (upstream ∂L/∂o = 5)\n∂L/∂x2 = \(5 * 2)   (upstream ∂L/∂o = 5)\n")
        expectNotContains(r.stdout, "∂o/∂x1 = 15")
        let plain = try await gradstep("eval", graph("neuron-multiply.grad"))
        expectEqual(plain.stdout, "o = 6\n∂o/∂x1 = 3\n∂o/∂x2 = 2\n")
    }
    /// y = w ⊙ w at w = [1, 2, 3]: ∂y/∂w is diag(2w), so vᵀ·∂y/∂w for v = [0, 1, 0] is [0, 4, 0].
    @Test func aTensorSeedIsLabelledAsAVectorJacobianProduct() async throws {
        let r = try await gradstep("eval", "-e", "input w = [1, 2, 3]; y = w*w", "--seed-adjoint", "[0, 1, 0]")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "vᵀ·∂y/∂w = [0, 4, 0]   (v = [0, 1, 0], a vector-Jacobian product)")
        let ones = try await gradstep("eval", "-e", "input w = [1, 2, 3]; y = w*w")
        expectContains(ones.stdout, "∂sum(y)/∂w = [2, 4, 6]\n")
    }
    /// Three backward calls without zeroing add up three gradients: 3 · 3 = 9 and 3 · 2 = 6.
    @Test func accumulatedGradientsSayHowManyCalls() async throws {
        let r = try await gradstep("eval", graph("neuron-multiply.grad"), "--backward", "3")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "∂L/∂x1 = 9   (accumulated over 3 backward calls: 3 × ∂o/∂x1)")
        expectContains(r.stdout, "∂L/∂x2 = 6   (accumulated over 3 backward calls: 3 × ∂o/∂x2)")
        let json = try await gradstep("eval", graph("neuron-multiply.grad"), "--backward", "3", "--json")
        expectEqual(json.stdout, "{\"output\": \"o\", \"value\": 6, \"gradient\": {\"x1\": 9, \"x2\": 6}}\n")
    }
}
