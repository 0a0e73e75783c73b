import Foundation
import GraphCore
import Optimize
import Testing
import TestSupport

/// Each method's first three steps on f(x, y) = x² + 3y² + x·y from (1, −2), against the update
/// rule written out here by hand (PyTorch's formulas, as the README gives them) with the
/// gradient ∇f = (2x + y, 6y + x) computed by hand too.
@Suite("Update rules: three steps by hand")
struct UpdateRuleTests {
    static let source = "x^2 + 3*y^2 + x*y"
    static let start = [1.0, -2.0]

    static func gradient(_ p: [Double]) -> [Double] { [2 * p[0] + p[1], 6 * p[1] + p[0]] }

    func run(_ hyper: Hyperparameters, steps: Int = 3) throws -> [[Double]] {
        let g = try expression(Self.source, [("x", "1"), ("y", "-2")])
        return try descend(g, ["x", "y"], DescentOptions(hyper: hyper, steps: steps)).trajectory
    }

    /// Iterates `update(θ, g, t)` by hand, t = 1, 2, 3.
    func byHand(_ update: (inout [Double], [Double], Int) -> Void) -> [[Double]] {
        var p = Self.start
        var out = [p]
        for t in 1...3 {
            update(&p, Self.gradient(p), t)
            out.append(p)
        }
        return out
    }

    @Test func sgd() throws {
        let expected = byHand { p, g, _ in for i in 0..<2 { p[i] -= 0.05 * g[i] } }
        expectTrue(close(try run(Hyperparameters(method: .sgd, learningRate: 0.05)), expected))
    }

    @Test func sgdWithWeightDecayAddsLambdaTheta() throws {
        let expected = byHand { p, g, _ in for i in 0..<2 { p[i] -= 0.05 * (g[i] + 0.1 * p[i]) } }
        expectTrue(close(try run(Hyperparameters(method: .sgd, learningRate: 0.05, weightDecay: 0.1)), expected))
    }

    @Test func momentum() throws {
        var v = [0.0, 0.0]
        let expected = byHand { p, g, _ in
            for i in 0..<2 {
                v[i] = 0.9 * v[i] + g[i]
                p[i] -= 0.05 * v[i]
            }
        }
        let hyper = Hyperparameters(method: .momentum, learningRate: 0.05)
        expectEqual(hyper.momentum, 0.9)
        expectTrue(close(try run(hyper), expected))
    }

    @Test func nesterovAsPyTorch() throws {
        var v = [0.0, 0.0]
        let expected = byHand { p, g, _ in
            for i in 0..<2 {
                v[i] = 0.8 * v[i] + g[i]
                p[i] -= 0.05 * (g[i] + 0.8 * v[i])
            }
        }
        expectTrue(close(try run(Hyperparameters(method: .nesterov, learningRate: 0.05, momentum: 0.8)), expected))
    }

    @Test func adagrad() throws {
        var s = [0.0, 0.0]
        let expected = byHand { p, g, _ in
            for i in 0..<2 {
                s[i] += g[i] * g[i]
                p[i] -= 0.3 * g[i] / (s[i].squareRoot() + 1e-10)
            }
        }
        let hyper = Hyperparameters(method: .adagrad, learningRate: 0.3)
        expectEqual(hyper.epsilon, 1e-10)
        expectTrue(close(try run(hyper), expected))
    }

    @Test func rmsprop() throws {
        var s = [0.0, 0.0]
        let expected = byHand { p, g, _ in
            for i in 0..<2 {
                s[i] = 0.99 * s[i] + 0.01 * g[i] * g[i]
                p[i] -= 0.01 * g[i] / (s[i].squareRoot() + 1e-8)
            }
        }
        let hyper = Hyperparameters(method: .rmsprop)
        expectTrue(hyper.learningRate == 0.01 && hyper.alpha == 0.99 && hyper.epsilon == 1e-8)
        expectTrue(close(try run(hyper), expected))
    }

    @Test func adamWithBiasCorrection() throws {
        var m = [0.0, 0.0], v = [0.0, 0.0]
        let expected = byHand { p, g, t in
            for i in 0..<2 {
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                let mHat = m[i] / (1 - pow(0.9, Double(t)))
                let vHat = v[i] / (1 - pow(0.999, Double(t)))
                p[i] -= 0.1 * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        let hyper = Hyperparameters(method: .adam, learningRate: 0.1)
        expectTrue(hyper.betas == (0.9, 0.999) && hyper.epsilon == 1e-8)
        // m̂/(√v̂ + ε) and PyTorch's (m/c₁)/(√v/√c₂ + ε) round differently in the last bits.
        expectTrue(close(try run(hyper), expected, rel: 1e-13))
        // The first Adam step moves a coordinate by about η whatever its gradient's size
        // (here ∇f = (0, −11): x stays, y moves by 0.1).
        let first = try run(hyper, steps: 1)[1]
        expectTrue(first[0] == 1 && isClose(first[1] + 2, 0.1, rel: 1e-6))
    }

    @Test func adamWithWeightDecayIsL2NotAdamW() throws {
        var m = [0.0, 0.0], v = [0.0, 0.0]
        let expected = byHand { p, grad, t in
            for i in 0..<2 {
                let g = grad[i] + 0.5 * p[i]
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                p[i] -= 0.1 * (m[i] / (1 - pow(0.9, Double(t)))) / ((v[i] / (1 - pow(0.999, Double(t)))).squareRoot() + 1e-8)
            }
        }
        expectTrue(close(try run(Hyperparameters(method: .adam, learningRate: 0.1, weightDecay: 0.5)), expected, rel: 1e-13))
    }

    @Test func newtonSolvesTheHessianSystem() throws {
        // H = [[2, 1], [1, 6]] everywhere; Newton's step θ − H⁻¹∇f lands on the minimum (0, 0)
        // of this quadratic at once, then stays.
        let expected = byHand { p, g, _ in
            let det = 2.0 * 6 - 1
            let d = [(6 * g[0] - g[1]) / det, (-g[0] + 2 * g[1]) / det]
            for i in 0..<2 { p[i] -= d[i] }
        }
        let got = try run(Hyperparameters(method: .newton))
        expectTrue(close(got, expected, abs: 1e-15))
        expectTrue(got[1].allSatisfy { Swift.abs($0) < 1e-15 })
    }

    @Test func dampedNewtonScalesTheStep() throws {
        let expected = byHand { p, g, _ in
            let det = 11.0
            let d = [(6 * g[0] - g[1]) / det, (-g[0] + 2 * g[1]) / det]
            for i in 0..<2 { p[i] -= 0.5 * d[i] }
        }
        expectTrue(close(try run(Hyperparameters(method: .newton, learningRate: 0.5)), expected))
    }
}

@Suite("Schedules")
struct ScheduleTests {
    @Test func ratesFollowTheirFormulas() throws {
        expectEqual(Schedule.constant.rate(0.1, at: 7), 0.1)
        let step = try Schedule.parse("step:3:0.5").get()
        expectEqual((0..<7).map { step.rate(1, at: $0) }, [1, 1, 1, 0.5, 0.5, 0.5, 0.25])
        let exp = try Schedule.parse("exp:0.9").get()
        expectTrue(isClose(exp.rate(2, at: 3), 2 * 0.9 * 0.9 * 0.9, rel: 1e-15))
        let inverse = try Schedule.parse("inverse:0.5").get()
        expectEqual(inverse.rate(1, at: 4), 1.0 / 3)
    }

    @Test(arguments: ["", "step", "step:0:0.5", "step:2", "exp:-1", "inverse:x", "linear", "constant:1"])
    func badSchedulesAreRejected(text: String) {
        guard case .failure(let why) = Schedule.parse(text) else {
            Issue.record("'\(text)' parsed")
            return
        }
        expectContains(why.description, "step:K:γ")
    }

    @Test func aScheduleChangesTheStepsTaken() throws {
        // x² from −1 with η_t = 0.25·0.5^⌊t/1⌋: x ← x(1 − 2η_t).
        let g = try expression("x^2", [("x", "-1")])
        let run = try descend(g, ["x"], DescentOptions(hyper: Hyperparameters(method: .sgd, learningRate: 0.25), steps: 3,
                                                        schedule: .step(every: 1, factor: 0.5)))
        expectEqual(run.stepSizes, [0.25, 0.125, 0.0625])
        expectTrue(close(run.trajectory.map { $0[0] }, [-1, -0.5, -0.375, -0.328125]))
    }
}
