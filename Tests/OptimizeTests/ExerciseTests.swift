import Foundation
import GraphCore
import Optimize
import Testing
import TestSupport

/// Exercises 6–8 of the course (EXERCISES.md), exactly.
@Suite("Course exercises 6–8: gradient descent and line search")
struct DescentExerciseTests {
    // MARK: Exercise 7

    @Test func learningRateOneOnXSquaredOscillatesForever() throws {
        let run = try descend(try graphFile("gd-square.grad"), ["x"],
                              DescentOptions(hyper: Hyperparameters(method: .sgd, learningRate: 1), steps: 10))
        expectEqual(run.losses, [Double](repeating: 1, count: 11))
        expectTrue(run.trajectory.map { $0[0] } == (0...10).map { $0 % 2 == 0 ? -1 : 1 })
        expectEqual(run.status, .maxSteps)
    }

    @Test func aSmallerRateConverges() throws {
        let run = try descend(try graphFile("gd-square.grad"), ["x"],
                              DescentOptions(hyper: Hyperparameters(method: .sgd, learningRate: 0.1), steps: 200, tolerance: 1e-8))
        expectEqual(run.status, .converged)
        // x_k = (1 − 2·0.1)^k·x₀ = −0.8^k.
        for (k, x) in run.trajectory.enumerated() { expectTrue(isClose(x[0], -pow(0.8, Double(k)), rel: 1e-12)) }
        expectTrue(run.gradientNorms.last! < 1e-8)
    }

    @Test func aRateAboveOneDivergesAndSaysSo() throws {
        let run = try descend(try graphFile("gd-square.grad"), ["x"],
                              DescentOptions(hyper: Hyperparameters(method: .sgd, learningRate: 1.1), steps: 1000))
        expectEqual(run.status, .diverged)
        expectTrue(run.steps < 1000)
        // |x| grows by 1.2 a step, so the loss by 1.44, until it passes 1e6 · L₀.
        expectTrue(run.losses.last! > 1e6 && run.losses.dropLast().last! <= 1e6)
        expectEqual(run.message?.contains("grew past"), true)
    }

    // MARK: Exercise 6

    @Test func rosenbrockStartsAt24Point2AndCrawlsDownTheValley() throws {
        let g = try graphFile("rosenbrock.grad")
        let run = try descend(g, ["x", "y"], DescentOptions(hyper: Hyperparameters(method: .sgd, learningRate: 0.001), steps: 2000))
        expectTrue(isClose(run.losses[0], 24.2, rel: 1e-9))
        expectTrue(isClose(run.gradientNorms[0], (215.6 * 215.6 + 88 * 88).squareRoot(), rel: 1e-9))
        expectEqual(run.status, .maxSteps)
        // Down into the valley, then a slow crawl: the loss falls at every step …
        expectTrue(zip(run.losses, run.losses.dropFirst()).allSatisfy { $1 < $0 })
        // … but after 2000 steps the point is still far from the minimum (1, 1).
        let (x, y) = (run.final[0], run.final[1])
        expectTrue(run.losses.last! < 0.1 && x < 0.9 && y < 0.9)
        expectTrue(Swift.abs(y - x * x) < 0.05)  // in the valley y ≈ x²
    }

    @Test func rosenbrockWithALargeRateIsReportedDiverged() throws {
        let run = try descend(try graphFile("rosenbrock.grad"), ["x", "y"],
                              DescentOptions(hyper: Hyperparameters(method: .sgd, learningRate: 0.01), steps: 100))
        expectEqual(run.status, .diverged)
        expectTrue(run.steps < 100)
    }

    // MARK: Exercise 8

    @Test(arguments: [0.5, 0.2, 0.1, 1.0])
    func exactLineSearchZigzagsAsTheFormulaSays(b: Double) throws {
        let g = try graphFile("line-search-quadratic.grad", [("b", "\(b)"), ("x", "\(b)"), ("y", "1")])
        let run = try descend(g, ["x", "y"], DescentOptions(hyper: Hyperparameters(method: .sgd), steps: 8, lineSearch: .exact))
        let r = (b - 1) / (b + 1)
        for (k, p) in run.trajectory.enumerated() {
            let (xk, yk) = (b * pow(r, Double(k)), pow(-r, Double(k)))
            expectTrue(isClose(p[0], xk, rel: 1e-9, abs: 1e-300), "b = \(b), x_\(k) = \(p[0]), expected \(xk)")
            expectTrue(isClose(p[1], yk, rel: 1e-9, abs: 1e-300), "b = \(b), y_\(k) = \(p[1]), expected \(yk)")
            if b == 1 && k > 0 { break }
        }
        // Consecutive gradients ∇f = (x, b·y) are orthogonal.
        let gradients = run.trajectory.map { [$0[0], b * $0[1]] }
        for (g0, g1) in zip(gradients, gradients.dropFirst()) where LinearAlgebra.norm(g1) > 0 {
            let cosine = LinearAlgebra.dot(g0, g1) / (LinearAlgebra.norm(g0) * LinearAlgebra.norm(g1))
            expectTrue(Swift.abs(cosine) < 1e-12)
        }
    }

    @Test func exactLineSearchStepIsGTransposeGOverGTransposeHG() throws {
        let g = try graphFile("line-search-quadratic.grad")
        let run = try descend(g, ["x", "y"], DescentOptions(hyper: Hyperparameters(method: .sgd), steps: 1, lineSearch: .exact))
        // At (0.5, 1) with b = 0.5: g = (0.5, 0.5), Hg = (0.5, 0.25): α = 0.5 / 0.375.
        expectTrue(isClose(run.stepSizes[0], 0.5 / 0.375, rel: 1e-15))
    }

    @Test func exactLineSearchOffAQuadraticMinimisesAlongTheRay() throws {
        // f = x⁴ along d = −f'(x): from x = 1, φ(α) = (1 − 4α)⁴ is least at α = 1/4.
        let g = try expression("x^4", [("x", "1")])
        let run = try descend(g, ["x"], DescentOptions(hyper: Hyperparameters(method: .sgd), steps: 1, lineSearch: .exact))
        expectTrue(isClose(run.stepSizes[0], 0.25, rel: 1e-3))
        expectTrue(Swift.abs(run.final[0]) < 1e-3)
    }

    @Test func armijoBacktrackingHalvesUntilSufficientDecrease() throws {
        // x² from −1 with η = 1: α = 1 reaches x = 1 (no decrease), α = 0.5 reaches 0.
        let run = try descend(try graphFile("gd-square.grad"), ["x"],
                              DescentOptions(hyper: Hyperparameters(method: .sgd, learningRate: 1), steps: 1, lineSearch: .backtracking))
        expectEqual(run.stepSizes, [0.5])
        expectEqual(run.trajectory.map { $0[0] }, [-1, 0])
    }

    @Test func armijoTamesRosenbrocksLargeRate() throws {
        let run = try descend(try graphFile("rosenbrock.grad"), ["x", "y"],
                              DescentOptions(hyper: Hyperparameters(method: .sgd, learningRate: 0.01), steps: 100, lineSearch: .backtracking))
        expectEqual(run.status, .maxSteps)
        for (k, a) in run.stepSizes.enumerated() {
            // Each accepted step satisfies Armijo's condition f(θ + αd) ≤ f(θ) − c·α·‖g‖².
            expectTrue(run.losses[k + 1] <= run.losses[k] - 1e-4 * a * run.gradientNorms[k] * run.gradientNorms[k] + 1e-12)
        }
    }

    @Test func newtonFindsRosenbrocksMinimum() throws {
        let run = try descend(try graphFile("rosenbrock.grad"), ["x", "y"],
                              DescentOptions(hyper: Hyperparameters(method: .newton), steps: 20, tolerance: 1e-10))
        expectEqual(run.status, .converged)
        expectTrue(isClose(run.final[0], 1, rel: 1e-9) && isClose(run.final[1], 1, rel: 1e-9))
    }

    @Test func toleranceStopsWhenTheGradientIsSmall() throws {
        let run = try descend(try graphFile("gd-square.grad"), ["x"],
                              DescentOptions(hyper: Hyperparameters(method: .sgd, learningRate: 0.25), steps: 100, tolerance: 1e-3))
        // x_k = −0.5^k, ‖∇‖ = 2·0.5^k < 1e-3 first at k = 11.
        expectTrue(run.status == .converged && run.steps == 11)
    }

    @Test func nanIsDivergence() throws {
        let run = try descend(try expression("sqrt(x)", [("x", "1")]), ["x"],
                              DescentOptions(hyper: Hyperparameters(method: .sgd, learningRate: 10), steps: 5))
        expectEqual(run.status, .diverged)
        expectEqual(run.message?.contains("NaN"), true)
    }

    @Test func aNaNStartIsReportedAtOnce() throws {
        let run = try descend(try expression("ln(x)", [("x", "-1")]), ["x"],
                              DescentOptions(hyper: Hyperparameters(method: .sgd), steps: 5))
        expectTrue(run.status == .diverged && run.steps == 0)
        expectEqual(run.message, "the loss is NaN at the start point")
    }

    @Test func lineSearchRefusesMethodsWithTheirOwnStep() {
        let options = DescentOptions(hyper: Hyperparameters(method: .adam), steps: 1, lineSearch: .exact)
        expectEqual(options.problem?.contains("--method sgd"), true)
    }
}
