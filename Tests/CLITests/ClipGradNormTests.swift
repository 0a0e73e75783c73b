import Foundation
import Testing
import TestSupport

/// `optimize --clip-grad-norm N` (issue 18): PyTorch's clip_grad_norm_. Before each update the
/// gradient's total 2-norm over every variable is taken, and when it is above N every element
/// is scaled by N/(norm + 1e-6). Rosenbrock's gradient is written out by hand here.
@Suite struct ClipGradNormTests {
    struct Run: Decodable { var loss: [Double]; var trajectory: [String: [Double]] }

    static func gradient(_ x: Double, _ y: Double) -> (Double, Double) {
        (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))
    }

    /// SGD with clipping, by hand: θ ← θ − η·g·min(1, N/(‖g‖ + 1e-6)).
    static func clippedDescent(lr: Double, limit: Double, steps: Int) -> [(Double, Double)] {
        var points = [(-1.2, 1.0)]
        for _ in 0..<steps {
            let (x, y) = points.last!
            let (gx, gy) = gradient(x, y)
            let norm = (gx * gx + gy * gy).squareRoot()
            let scale = min(1, limit / (norm + 1e-6))
            points.append((x - lr * scale * gx, y - lr * scale * gy))
        }
        return points
    }

    @Test func eachStepIsScaledToTheLimit() async throws {
        let r = try await gradstep("optimize", graph("rosenbrock.grad"), "--lr", "0.01", "--steps", "5", "--clip-grad-norm", "1", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let run = try JSONDecoder().decode(Run.self, from: Data(r.stdout.utf8))
        let expected = Self.clippedDescent(lr: 0.01, limit: 1, steps: 5)
        for k in 0...5 {
            expectTrue(isClose(run.trajectory["x"]![k], expected[k].0) && isClose(run.trajectory["y"]![k], expected[k].1), "step \(k)")
        }
        // Every step moved η·1 = 0.01: the clipped gradient has norm 1 (up to the 1e-6).
        for k in 0..<5 {
            let dx = run.trajectory["x"]![k + 1] - run.trajectory["x"]![k], dy = run.trajectory["y"]![k + 1] - run.trajectory["y"]![k]
            expectTrue(abs((dx * dx + dy * dy).squareRoot() - 0.01) < 1e-9)
        }
        let text = try await gradstep("optimize", graph("rosenbrock.grad"), "--lr", "0.01", "--steps", "5", "--clip-grad-norm", "1")
        expectContains(text.stdout, "sgd, η = 0.01, gradient norm clipped to 1")
        expectContains(text.stdout, "gradient clipped at 5 of 5 steps (‖∇L‖ above 1, scaled to 1)")
    }

    /// Near the minimum the gradient is shorter than the limit and the steps are plain SGD's;
    /// Adam's update takes the clipped gradient too.
    @Test func aShortGradientIsLeftAlone() async throws {
        let r = try await gradstep("optimize", graph("rosenbrock.grad"), "--set", "x=0.99", "--set", "y=0.98", "--lr", "0.001",
                                   "--steps", "3", "--clip-grad-norm", "100", "--json")
        let run = try JSONDecoder().decode(Run.self, from: Data(r.stdout.utf8))
        var (x, y) = (0.99, 0.98)
        for k in 1...3 {
            let (gx, gy) = Self.gradient(x, y)
            expectTrue((gx * gx + gy * gy).squareRoot() < 100)
            (x, y) = (x - 0.001 * gx, y - 0.001 * gy)
            expectTrue(isClose(run.trajectory["x"]![k], x) && isClose(run.trajectory["y"]![k], y))
        }
        let text = try await gradstep("optimize", graph("rosenbrock.grad"), "--set", "x=0.99", "--set", "y=0.98", "--lr", "0.001",
                                      "--steps", "3", "--clip-grad-norm", "100")
        expectContains(text.stdout, "gradient clipped at 0 of 3 steps")
    }

    @Test func badLimitsAndNewtonAreRefused() async throws {
        let zero = try await gradstep("optimize", graph("rosenbrock.grad"), "--clip-grad-norm", "0")
        expectTrue(zero.status != 0 && zero.stderr.contains("--clip-grad-norm must be a positive number"), "\(zero.stderr)")
        let newton = try await gradstep("optimize", graph("rosenbrock.grad"), "--method", "newton", "--clip-grad-norm", "1")
        expectTrue(newton.status == 1 && newton.stderr.contains("--clip-grad-norm scales the gradient an update rule takes"), "\(newton.stderr)")
    }
}
