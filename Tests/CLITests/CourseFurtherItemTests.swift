import Foundation
import Testing
import TestSupport

/// The twelve items the audit added to the course list (F01–F12 in COURSE.md), as
/// Graphs/README.md's course table shows them: each test runs the row's command and checks its
/// claim against numbers computed here.
@Suite struct CourseFurtherItemTests {
    struct Run: Decodable {
        var loss: [Double]
        var validation_loss: [Double]?
        var values: [String: Value]
        var trajectory: [String: [Double]]?
    }
    /// A value of `--json`: a number or a (nested) list of numbers, flattened.
    struct Value: Decodable {
        var flat: [Double]
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let x = try? c.decode(Double.self) { flat = [x] } else { flat = try c.decode([Value].self).flatMap(\.flat) }
        }
    }
    struct Evaluation: Decodable { var value: Double; var gradient: [String: Value] }

    func decode<T: Decodable>(_ type: T.Type, _ arguments: [String]) async throws -> T {
        let r = try await gradstep(arguments)
        expectEqual(r.status, 0, "\(arguments): \(r.stderr)")
        return try JSONDecoder().decode(T.self, from: Data(r.stdout.utf8))
    }

    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }

    func closeAll(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-9) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tolerance) }
    }

    /// The cells of the text table's column `name` (`optimize`'s step table), row by row.
    func column(_ name: String, of text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let h = lines.firstIndex(where: { $0.hasPrefix("step") }) else { return [] }
        // "val loss" is one column with a space in its name.
        let header = lines[h].replacingOccurrences(of: "val loss", with: "val_loss").split(separator: " ").map(String.init)
        guard let c = header.firstIndex(of: name) else { return [] }
        return lines[(h + 1)...].prefix { !$0.isEmpty && !$0.hasPrefix("(") }.map {
            let cells = $0.split(separator: " ").map(String.init)
            return cells.count == header.count ? cells[c] : ""
        }
    }

    // MARK: F01, warm-up

    /// x² from −1 with η_t = 0.4·min(1, (t + 1)/4): each step multiplies x by 1 − 2η_t.
    @Test func f01WarmUpRaisesTheRateLinearly() async throws {
        let arguments = ["optimize", graph("gd-square.grad"), "--lr", "0.4", "--steps", "6", "--schedule", "warmup:4"]
        let rates: [Double] = (0..<6).map { (step: Int) -> Double in 0.4 * min(1, Double(step + 1) / 4) }
        var x = [-1.0]
        for eta in rates { x.append(x.last! * (1 - 2 * eta)) }
        let run = try await decode(Run.self, arguments + ["--json"])
        expectTrue(closeAll(run.trajectory!["x"]!, x, 1e-12), "\(run.trajectory!["x"]!) against \(x)")
        let text = try await gradstep(arguments)
        expectEqual(column("η", of: text.stdout), ["0.1", "0.2", "0.3", "0.4", "0.4", "0.4", ""], "\(text.stdout)")
        // The XOR network at η = 50: from the first step the tanh units saturate and the loss
        // stays at 0.5; warmed up over 100 steps (η_t = 0.5, 1, 1.5, …) it trains.
        let xor = ["optimize", graph("xor-descent.grad"), "--lr", "50", "--steps", "300"]
        let constant = try await decode(Run.self, xor + ["--json"])
        let warm = try await decode(Run.self, xor + ["--schedule", "warmup:100", "--json"])
        expectTrue(constant.loss.last! > 0.4999 && warm.loss.last! < 1e-4, "\(constant.loss.last!) \(warm.loss.last!)")
        let warmText = try await gradstep(xor + ["--schedule", "warmup:100"])
        expectEqual(column("η", of: warmText.stdout).prefix(2), ["0.5", "4.5"], "\(warmText.stdout)")
        let bad = try await gradstep("optimize", graph("gd-square.grad"), "--schedule", "warmup:0")
        expectTrue(bad.status != 0 && bad.stderr.contains("bad schedule 'warmup:0'"), "\(bad.stderr)")
    }

    // MARK: F02, ReduceLROnPlateau

    /// SGD on early-stopping.grad with `plateau:10:0.5` on the validation loss, against the
    /// hand loop: the rate halves each time the validation loss has stalled for 11 steps.
    @Test func f02PlateauHalvesTheRateWhenTheValidationLossStalls() async throws {
        let expected = try PolynomialDescent().descend(adam: false, lr: 0.5, steps: 300, plateau: (10, 0.5))
        let arguments = ["optimize", graph("early-stopping.grad"), "--lr", "0.5", "--steps", "300", "--schedule", "plateau:10:0.5",
                         "--validation", "D=" + graph("poly-validation.csv")]
        let run = try await decode(Run.self, arguments + ["--json"])
        expectTrue(closeAll(run.loss, expected.train, 1e-9))
        expectTrue(closeAll(run.validation_loss!, expected.validation, 1e-9))
        // The first reduction: the best validation loss is at step 31, so steps 32 … 42 do not
        // improve and the 43rd step takes η/2.
        let first = expected.rates.firstIndex { $0 < 0.5 }!
        expectEqual(first, 42, "\(first)")
        let text = try await gradstep(arguments)
        expectContains(text.stdout, "schedule plateau:10:0.5")
        expectContains(column("η", of: text.stdout), "0.25", "\(text.stdout)")
        let bad = try await gradstep("optimize", graph("gd-square.grad"), "--schedule", "plateau:10:1")
        expectTrue(bad.status != 0 && bad.stderr.contains("bad schedule 'plateau:10:1'"), "\(bad.stderr)")
    }

    // MARK: F05, regularisation toward w₀, biases left out

    /// The minimiser of ½‖Xw + b − y‖² + ½λ‖w − w₀‖² solves a 3 × 3 linear system, solved here
    /// by Cramer's rule; b's gradient has no penalty term.
    @Test func f05PenaltyOnTheWeightsOnlyTowardAPoint() async throws {
        let X = [[1.0, 2], [3, 4], [5, 6], [7, 9]], y = [1.0, 2, 2, 4], lambda = 1.0
        func minimiser(_ w0: [Double]) -> [Double] {
            // Rows: ∂/∂w₀, ∂/∂w₁, ∂/∂b of the loss, set to zero.
            var A = [[Double]](repeating: [0, 0, 0], count: 3), rhs = [0.0, 0, 0]
            for (row, t) in zip(X, y) {
                let f = [row[0], row[1], 1]
                for i in 0..<3 {
                    for j in 0..<3 { A[i][j] += f[i] * f[j] }
                    rhs[i] += f[i] * t
                }
            }
            for i in 0..<2 { A[i][i] += lambda; rhs[i] += lambda * w0[i] }
            func det(_ m: [[Double]]) -> Double {
                m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                    + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
            }
            return (0..<3).map { k in det(A.enumerated().map { i, r in r.enumerated().map { j, a in j == k ? rhs[i] : a } }) / det(A) }
        }
        for w0 in [[0.5, 0.5], [0.0, 0.0]] {
            let expected = minimiser(w0)
            let run = try await decode(Run.self, ["optimize", graph("regularise-toward.grad"), "--method", "newton", "--steps", "1",
                                                  "--set", "w0=[\(w0[0]), \(w0[1])]", "--json"])
            expectTrue(closeAll(run.values["w"]!.flat + run.values["b"]!.flat, expected, 1e-9), "\(run.values["w"]!.flat) against \(expected)")
        }
        // At w = w₀ = [0.5, 0.5], b = 0 the penalty's gradient is 0: ∂L/∂w = Xᵀr, ∂L/∂b = Σr.
        let r = zip(X, y).map { 0.5 * $0[0] + 0.5 * $0[1] - $1 }
        let e = try await decode(Evaluation.self, ["eval", graph("regularise-toward.grad"), "--json"])
        // Xᵀr by a typed loop (the nested closures took 230 ms to type-check).
        var xTr: [Double] = [0, 0]
        for (row, residual) in zip(X, r) { for j in 0..<2 { xTr[j] += row[j] * residual } }
        expectTrue(closeAll(e.gradient["w"]!.flat, xTr))
        expectTrue(close(e.gradient["b"]!.flat[0], r.reduce(0, +)))
    }

    // MARK: F06, pruning

    /// The loss of the masked linear model, computed here, for no pruning, the two smallest
    /// |w| pruned and the two largest.
    @Test func f06PruningTheSmallestWeightsCostsLeast() async throws {
        let X: [[Double]] = [[1, 0.5, -1, 2, 0, 1], [0, 1, 2, -1, 1, 0.5], [2, -1, 0.5, 1, 1, -1], [-1, 2, 1, 0, 0.5, 2], [1, 1, -2, 0.5, 2, 1]]
        let w: [Double] = [2.1, 0.02, 0.7, -0.6, -0.05, -1.3], y: [Double] = [-1.04, 1.28, 5.21, -4.0, -0.94]
        func loss(_ mask: [Double]) -> Double {
            let squares: [Double] = zip(X, y).map { (row: [Double], t: Double) -> Double in
                let p: Double = (0..<6).map { (i: Int) -> Double in row[i] * w[i] * mask[i] }.reduce(0.0, +)
                return (p - t) * (p - t)
            }
            return squares.reduce(0.0, +) / 5
        }
        var losses: [Double] = []
        for mask in [[1.0, 1, 1, 1, 1, 1], [1, 0, 1, 1, 0, 1], [0, 1, 1, 1, 1, 0]] {
            let text = mask.map { String(Int($0)) }.joined(separator: ", ")
            let e = try await decode(Evaluation.self, ["eval", graph("pruning.grad"), "--set", "mask=[\(text)]", "--json"])
            expectTrue(close(e.value, loss(mask), 1e-12), "\(mask)")
            losses.append(e.value)
        }
        expectTrue(abs(losses[0] - 0.001365) < 1e-9 && abs(losses[1] - 0.00234) < 1e-9 && abs(losses[2] - 10.943265) < 1e-9)
        expectTrue(losses[1] < 2 * losses[0] && losses[2] > 1000 * losses[0])
    }

    // MARK: F07, weight normalisation

    /// w = g·v/‖v‖ with v = [3, 4], g = 2, L = w·x, x = [1, 2]: ∂L/∂g = v̂·x and ∂L/∂v =
    /// (g/‖v‖)(x − (v̂·x)v̂), orthogonal to v.
    @Test func f07WeightNormGradientIsOrthogonalToV() async throws {
        // Typed and written out: the closure chains with `map(*)` took 1.4 s to type-check.
        let v: [Double] = [3, 4], g: Double = 2, x: [Double] = [1, 2], n: Double = 5
        let vHat: [Double] = [v[0] / n, v[1] / n]
        let along: Double = vHat[0] * x[0] + vHat[1] * x[1]
        let dv: [Double] = [g / n * (x[0] - along * vHat[0]), g / n * (x[1] - along * vHat[1])]
        let e = try await decode(Evaluation.self, ["eval", graph("weight-norm.grad"), "--json"])
        expectTrue(close(e.value, g * along))
        expectTrue(close(e.gradient["g"]!.flat[0], along))
        expectTrue(closeAll(e.gradient["v"]!.flat, dv, 1e-12), "\(e.gradient["v"]!.flat) against \(dv)")
        let gradientV: [Double] = e.gradient["v"]!.flat
        try #require(gradientV.count == 2)
        expectTrue(abs(v[0] * gradientV[0] + v[1] * gradientV[1]) < 1e-12)
        expectTrue(closeAll(dv, [-0.128, 0.096], 1e-12))
    }

    // MARK: F08, a ReLU network as a linear classifier

    /// relu(z) − relu(−z) = z with z = w·x + b, at points on both sides of the line.
    @Test func f08ReluNetworkComputesTheLinearFunction() async throws {
        for x in [[1.0, 3], [2, 1], [-0.5, 4], [0.25, 1]] {
            let z = 2 * x[0] - x[1] + 0.5
            let e = try await decode(Evaluation.self, ["eval", graph("relu-linear.grad"), "--set", "x=[\(x[0]), \(x[1])]", "--json"])
            expectTrue(close(e.value, z), "\(x)")
            // On the boundary (z = 0) both ReLUs sit at their kink and relu′(0) = 0.
            expectTrue(e.gradient["x"]!.flat == (z == 0 ? [0, 0] : [2, -1]), "\(x)")
        }
    }

    // MARK: F09, the posterior at θ = 0.5

    @Test func f09PosteriorAtOneHalf() async throws {
        let beta = exp(lgamma(52) + lgamma(57) - lgamma(109))
        let posterior: Double = Foundation.pow(0.5, 107.0) / beta
        let e = try await decode(Evaluation.self, ["eval", graph("prior-posterior.grad"), "--set", "theta=0.5", "--json"])
        expectTrue(close(e.value, posterior, 1e-12), "\(e.value) against \(posterior)")
        let text = try await gradstep("eval", graph("prior-posterior.grad"), "--set", "theta=0.5")
        expectHasPrefix(text.stdout, "posterior = 7.40244414352", "\(text.stdout)")
    }

    // MARK: F10, slope, intercept, angle

    @Test func f10SlopeInterceptAndAngle() async throws {
        let at0 = try await gradstep("eval", graph("linear-function.grad"), "--set", "x=0")
        expectEqual(at0.stdout, "y = 1\n∂y/∂x = 2\n", "\(at0.stdout)")
        let at5 = try await gradstep("eval", graph("linear-function.grad"), "--set", "x=5")
        expectEqual(at5.stdout, "y = 11\n∂y/∂x = 2\n", "\(at5.stdout)")
        let angle = try await decode(Run.self, ["optimize", "-e", "L = (tan(a) - 2)^2", "--set", "a=1", "--method", "newton", "--steps", "20", "--json"])
        expectTrue(close(angle.values["a"]!.flat[0], atan(2.0), 1e-9))
        expectTrue(abs(atan(2.0) * 180 / Double.pi - 63.43) < 0.005)
    }

    // MARK: F12, the last layer's activation for each loss

    /// The three pairs' gradients at the logits are the errors: z − y, softmax(z) − t.
    @Test func f12EachPairGivesPredictionMinusTarget() async throws {
        func softmax(_ z: [Double]) -> [Double] { let e = z.map { exp($0) }; let s = e.reduce(0, +); return e.map { $0 / s } }
        let e = try await decode(Evaluation.self, ["eval", graph("last-layer.grad"), "--json"])
        expectTrue(close(e.gradient["z_stock"]!.flat[0], 0.7 - 0.25))
        expectTrue(closeAll(e.gradient["z_rain"]!.flat, zip(softmax([2, 0]), [1.0, 0]).map(-), 1e-12))
        expectTrue(closeAll(e.gradient["z_email"]!.flat, zip(softmax([1, 2, 0.5]), [0.0, 1, 0]).map(-), 1e-12))
        // The rain pair is the sigmoid of the logits' difference with the binary NLL.
        expectTrue(close(softmax([2, 0])[0], 1 / (1 + exp(-2.0))))
        let loss = 0.5 * 0.45 * 0.45 - log(softmax([2, 0])[0]) - log(softmax([1, 2, 0.5])[1])
        expectTrue(close(e.value, loss, 1e-12))
    }
}

/// F03 and F11: costs in steps and epochs.
@Suite struct CourseCostItemTests {
    struct Run: Decodable { var loss: [Double]; var values: [String: CourseFurtherItemTests.Value] }

    func run(_ arguments: [String]) async throws -> Run {
        let r = try await gradstep(arguments + ["--json"])
        expectEqual(r.status, 0, "\(arguments): \(r.stderr)")
        return try JSONDecoder().decode(Run.self, from: Data(r.stdout.utf8))
    }

    /// The first step whose loss is below 0.1, and the epochs that are: steps·B/40.
    func epochsToThreshold(lr: String, batch: Int, steps: Int) async throws -> (step: Int, epochs: Double) {
        let r = try await run(["optimize", graph("xor-descent.grad"), "--lr", lr, "--steps", "\(steps)", "--batch-size", "\(batch)", "--seed", "1"])
        let step = try #require(r.loss.firstIndex { $0 < 0.1 })
        return (step, Double(step * batch) / 40)
    }

    @Test func f03EpochsFallWithTheBatchAtAFixedRateAndMatchWhenTheRateScales() async throws {
        let rows = try String(contentsOfFile: graph("xor-points.csv"), encoding: .utf8).split(separator: "\n").count - 1
        expectEqual(rows, 40)
        let fixed = [try await epochsToThreshold(lr: "2", batch: 40, steps: 200),
                     try await epochsToThreshold(lr: "2", batch: 8, steps: 200),
                     try await epochsToThreshold(lr: "2", batch: 1, steps: 200)]
        expectEqual(fixed.map(\.step), [27, 33, 55])
        expectTrue(fixed[0].epochs > fixed[1].epochs && fixed[1].epochs > fixed[2].epochs)
        let scaled = [try await epochsToThreshold(lr: "0.4", batch: 8, steps: 400),
                      try await epochsToThreshold(lr: "0.05", batch: 1, steps: 1500)]
        expectEqual(scaled.map(\.step), [136, 1027])
        for s in scaled { expectTrue(abs(s.epochs - fixed[0].epochs) / fixed[0].epochs < 0.1, "\(s)") }
    }

    /// ½‖Xθ − y‖²: the Hessian is XᵀX, Newton's one step solves the normal equations, and
    /// gradient descent θ ← θ − η(XᵀXθ − Xᵀy), looped here, gets there after 5000 steps.
    @Test func f11NormalEquationsInOneStepGradientDescentInThousands() async throws {
        let X = [[1.0, 2], [3, 4], [5, 6]], y = [1.0, 2, 2]
        let A = (0..<2).map { i in (0..<2).map { j in X.map { $0[i] * $0[j] }.reduce(0, +) } }
        let c = (0..<2).map { i in zip(X, y).map { $0[i] * $1 }.reduce(0, +) }
        let det = A[0][0] * A[1][1] - A[0][1] * A[1][0]
        let solution = [(A[1][1] * c[0] - A[0][1] * c[1]) / det, (A[0][0] * c[1] - A[1][0] * c[0]) / det]
        expectEqual(A, [[35, 44], [44, 56]])
        let hessian = try await gradstep("hessian", graph("least-squares.grad"))
        expectTrue(hessian.stdout.contains("theta[0]        35        44") && hessian.stdout.contains("theta[1]        44        56"), "\(hessian.stdout)")
        let newton = try await run(["optimize", graph("least-squares.grad"), "--method", "newton", "--steps", "1"])
        expectTrue(zip(newton.values["theta"]!.flat, solution).allSatisfy { abs($0 - $1) < 1e-12 }, "\(newton.values["theta"]!.flat)")
        var theta = [0.0, 0]
        var close: Int?
        for step in 1...5000 {
            let g = (0..<2).map { i in A[i][0] * theta[0] + A[i][1] * theta[1] - c[i] }
            theta = zip(theta, g).map { $0 - 0.02 * $1 }
            if close == nil, zip(theta, solution).allSatisfy({ abs($0 - $1) < 1e-8 }) { close = step }
        }
        let descent = try await run(["optimize", graph("least-squares.grad"), "--lr", "0.02", "--steps", "5000"])
        expectTrue(zip(descent.values["theta"]!.flat, theta).allSatisfy { abs($0 - $1) < 1e-12 })
        expectTrue(close! > 1000, "gradient descent needs thousands of steps: \(close!)")
        let lambda = [0.5 * (91 - (91 * 91 - 4 * det).squareRoot()), 0.5 * (91 + (91 * 91 - 4 * det).squareRoot())]
        expectTrue(abs(lambda[1] / lambda[0] - 343) < 1)
        expectContains(hessian.stdout, "eigenvalues: 0.26450509, 90.735495")
    }
}

/// F04: `optimize --sampling epochs|replacement` on the 40 XOR points in batches of 8.
@Suite struct CourseSamplingItemTests {
    func rowsDrawn(_ sampling: String, steps: Int, seed: Int) async throws -> String {
        let r = try await gradstep("optimize", graph("xor-descent.grad"), "--lr", "2", "--steps", "\(steps)", "--batch-size", "8",
                                   "--seed", "\(seed)", "--sampling", sampling)
        expectEqual(r.status, 0, "\(r.stderr)")
        return String(r.stdout.split(separator: "\n").last!)
    }

    /// steps + 1 gradients (θ₀'s included) of 8 rows: 4 steps are 40 draws, one epoch.
    @Test func f04EpochsUseEveryRowReplacementSkipsAboutOneInE() async throws {
        for seed in 1...3 {
            try await expectEqual(rowsDrawn("epochs", steps: 4, seed: seed), "rows drawn: 40 draws from 40 rows: every row 1 time")
            try await expectEqual(rowsDrawn("epochs", steps: 9, seed: seed), "rows drawn: 80 draws from 40 rows: every row 2 times")
        }
        var never = 0
        for seed in 1...8 {
            let line = try await rowsDrawn("replacement", steps: 4, seed: seed)
            let match = try #require(line.firstMatch(of: /rows drawn: 40 draws from 40 rows: 0 to \d+ times each; (\d+) rows never drawn/), "\(line)")
            never += Int(match.output.1)!
        }
        // (1 − 1/40)⁴⁰ = 0.363 of the rows are expected to be missed.
        let expected: Double = 8 * 40 * Foundation.pow(0.975, 40.0)
        expectTrue(abs(Double(never) - expected) < 0.2 * expected, "\(never) against \(expected)")
        let seed1 = try await rowsDrawn("replacement", steps: 4, seed: 1)
        expectEqual(seed1, "rows drawn: 40 draws from 40 rows: 0 to 3 times each; 14 rows never drawn")
        let refused = try await gradstep("optimize", graph("xor-descent.grad"), "--sampling", "epochs")
        expectTrue(refused.status != 0 && refused.stderr.contains("--sampling chooses how --batch-size draws its rows"))
    }
}
