import Foundation
import Testing
import TestSupport

/// The remaining course items of issue 24 (B02, B27, B35, B40, B46, B51, B65, B66), as
/// Graphs/README.md's course table shows them: each test runs the row's command and checks its
/// claim against numbers computed here.
@Suite struct CourseRemainingItemTests {
    struct Run: Decodable { var loss: [Double]; var values: [String: CourseFurtherItemTests.Value] }
    typealias Evaluation = CourseFurtherItemTests.Evaluation

    func decode<T: Decodable>(_ type: T.Type, _ arguments: [String]) async throws -> T {
        let r = try await gradstep(arguments)
        expectEqual(r.status, 0, "\(arguments): \(r.stderr)")
        return try JSONDecoder().decode(T.self, from: Data(r.stdout.utf8))
    }

    /// B27: all four neurons dropped (x = 4 of n = 4) under Beta(1, 1): the posterior Beta(5, 1)
    /// has density 5θ⁴.
    @Test func b27AllFourDroppedGivesBetaFiveOne() async throws {
        let set = ["--set", "a=1", "--set", "b=1", "--set", "x=4", "--set", "n=4"]
        for theta in [0.5, 0.9] {
            let e = try await decode(Evaluation.self, ["eval", graph("prior-posterior.grad")] + set + ["--set", "theta=\(theta)", "--json"])
            expectTrue(abs(e.value - 5 * theta * theta * theta * theta) < 1e-12, "\(theta): \(e.value)")
        }
        let plot = try await gradstep(["plot", graph("prior-posterior.grad")] + set + ["--wrt", "theta", "--from", "0.01", "--to", "0.99", "--of", "prior"])
        expectTrue(plot.status == 0 && plot.stdout.hasPrefix("posterior, prior against theta"), "\(plot.stderr)")
    }

    /// B35: batch norm per channel by hand (biased variance, ε = 1e-5): the per-pixel batch
    /// means, their squares' sum, and the channel means 0.
    @Test func b35PerChannelKeepsEachPixelsBatchMean() async throws {
        let x: [[[[Double]]]] = [[[[1, 2], [3, 4]], [[0, 1], [0, 1]]], [[[5, 6], [7, 8]], [[2, 3], [2, 3]]]]
        var pixelMean: [[[Double]]] = Array(repeating: [[0, 0], [0, 0]], count: 2)
        for c in 0..<2 {
            // Plain loops with typed sums: the closure chains these replace
            // took 1.8 s to type-check.
            var values: [Double] = []
            for n in 0..<2 { for row in x[n][c] { values += row } }
            let mean: Double = values.reduce(0, +) / 8
            var squares: Double = 0
            for v in values { squares += (v - mean) * (v - mean) }
            let scale: Double = (squares / 8 + 1e-5).squareRoot()
            for i in 0..<2 { for j in 0..<2 {
                var sum: Double = 0
                for n in 0..<2 { sum += (x[n][c][i][j] - mean) / scale }
                pixelMean[c][i][j] = sum / 2
            } }
        }
        var L: Double = 0
        for plane in pixelMean { for row in plane { for v in row { L += v * v } } }
        let e = try await decode(Evaluation.self, ["eval", graph("batchnorm-per-channel.grad"), "--json"])
        expectTrue(abs(e.value - L) < 1e-12, "\(e.value) against \(L)")
        expectTrue(abs(L - 1.75237) < 5e-6)
        let trace = try await gradstep("trace", graph("batchnorm-per-channel.grad"), "--mode", "primal")
        let rounded: [String] = pixelMean[0][0].map { (v: Double) -> String in
            String(format: "%.6f", v).replacingOccurrences(of: "-", with: "−")
        }
        expectTrue(trace.stdout.contains("pixel_mean") && trace.stdout.contains("[[[\(rounded[0]), \(rounded[1])]"), "\(rounded): \(trace.stdout)")
        for c in 0..<2 {
            var channelSum: Double = 0
            for row in pixelMean[c] { for v in row { channelSum += v } }
            expectTrue(abs(channelSum) < 1e-12, "channel \(c)'s mean is 0")
        }
    }

    /// B40: the minimum of mean((w − t)²) is t's variance at w = mean(t), read from the CSV
    /// here; SGD with one row per step keeps jumping at a constant rate and settles with decay.
    @Test func b40DecaySettlesStochasticGradientDescent() async throws {
        let t = try String(contentsOfFile: graph("poly-train.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { Double($0.split(separator: ",")[1])! }
        let mean = t.reduce(0, +) / Double(t.count)
        let minimum = t.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(t.count)
        expectTrue(abs(minimum - 0.5671615) < 5e-8 && abs(mean - 0.17879) < 5e-6)
        let base = ["optimize", graph("sgd-noise.grad"), "--lr", "0.4", "--steps", "200", "--batch-size", "1", "--seed", "1", "--json"]
        let constant = try await decode(Run.self, base).loss.suffix(50)
        let decayed = try await decode(Run.self, base + ["--schedule", "exp:0.97"]).loss.suffix(50)
        expectTrue(constant.max()! > 2.27 && constant.min()! >= minimum)
        expectTrue(decayed.allSatisfy { $0 >= minimum && $0 - minimum < 0.005 }, "\(decayed)")
    }

    /// B46: gradient descent and Adagrad (PyTorch's rules, ε = 1e-10) looped here.
    @Test func b46AdagradMovesTheRareWeight() async throws {
        let X = Array(repeating: [3.0, 0], count: 9) + [[3, 1]], y = Array(repeating: 3.0, count: 9) + [6]
        func gradient(_ w: [Double]) -> [Double] {
            var g = [0.0, 0]
            for (row, target) in zip(X, y) {
                let r = row[0] * w[0] + row[1] * w[1] - target
                for k in 0..<2 { g[k] += r * row[k] / 10 }
            }
            return g
        }
        var sgd = [0.0, 0], ada = [0.0, 0], s = [0.0, 0]
        for _ in 0..<50 {
            let g = gradient(sgd)
            sgd = zip(sgd, g).map { $0 - 0.2 * $1 }
            let h = gradient(ada)
            for k in 0..<2 {
                s[k] += h[k] * h[k]
                ada[k] -= 1 * h[k] / (s[k].squareRoot() + 1e-10)
            }
        }
        let runs = [("sgd", "0.2", sgd), ("adagrad", "1", ada)]
        for (method, lr, expected) in runs {
            let run = try await decode(Run.self, ["optimize", graph("adagrad-sparse.grad"), "--method", method, "--lr", lr, "--steps", "50", "--json"])
            expectTrue(zip(run.values["w"]!.flat, expected).allSatisfy { abs($0 - $1) < 1e-9 }, "\(method): \(run.values["w"]!.flat) against \(expected)")
        }
        expectTrue(abs(sgd[1] - 1.8039529) < 5e-8 && abs(ada[1] - 2.9975242) < 5e-8)
        let diverged = try await gradstep("optimize", graph("adagrad-sparse.grad"), "--method", "sgd", "--lr", "0.25", "--steps", "50")
        expectTrue(diverged.status == 1 && diverged.stderr.contains("diverged"))
    }

    /// B51: 18 and sign(a − b), and the NumPy that computes them.
    @Test func b51ManhattanDistanceAndItsVectorisedCode() async throws {
        let a = [6.0, 1, 4, 5], b = [2.0, 8, 3, -1]
        let set = ["-e", "sum(abs(a - b))", "--set", "a=[6, 1, 4, 5]", "--set", "b=[2, 8, 3, -1]"]
        let e = try await decode(Evaluation.self, ["eval"] + set + ["--json"])
        let distance: Double = zip(a, b).map { (p: Double, q: Double) -> Double in abs(p - q) }.reduce(0, +)
        expectEqual(e.value, distance)
        expectTrue(e.gradient["a"]!.flat == zip(a, b).map { $0 > $1 ? 1 : -1 })
        let code = try await gradstep(["codegen"] + set)
        for line in ["v2 = np.abs(v1)", "y = np.sum(v2)", "dv1 = dv2 * np.sign(v1)"] {
            expectContains(code.stdout, line, "\(line)")
        }
    }

    /// B65/B66: y = v·(mh ⊙ relu(W·(mx ⊙ x) + b)) by hand for all 16 masks, and the average over
    /// the four hidden masks equals the network with mh = 1/2.
    @Test func b65SixteenSubnetworksAndB66WeightScaling() async throws {
        let x = [1.0, 2], W = [[0.5, 0.3], [-0.2, 0.4]], bias = [0.0, -0.2], v = [1.0, -2]
        func y(_ mx: [Double], _ mh: [Double]) -> Double {
            (0..<2).map { i in v[i] * mh[i] * max(0, W[i][0] * mx[0] * x[0] + W[i][1] * mx[1] * x[1] + bias[i]) }.reduce(0, +)
        }
        let masks: [[Double]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
        for mx in masks {
            for mh in masks {
                let e = try await decode(Evaluation.self, ["eval", graph("dropout-subnetworks.grad"),
                                                           "--set", "mx=[\(Int(mx[0])), \(Int(mx[1]))]", "--set", "mh=[\(Int(mh[0])), \(Int(mh[1]))]", "--json"])
                expectTrue(abs(e.value - y(mx, mh)) < 1e-12, "\(mx) \(mh)")
                if mh == [0, 0] { expectEqual(e.value, 0) }
            }
        }
        expectTrue(abs(y([1, 1], [1, 1]) - 0.3) < 1e-12)
        let average = masks.map { y([1, 1], $0) }.reduce(0, +) / 4
        let scaled = try await decode(Evaluation.self, ["eval", graph("dropout-subnetworks.grad"), "--set", "mh=[0.5, 0.5]", "--json"])
        expectTrue(abs(scaled.value - average) < 1e-12 && abs(average - 0.15) < 1e-12)
        let dropped = try await decode(Evaluation.self, ["eval", graph("dropout-subnetworks.grad"), "--set", "mx=[1, 0]", "--set", "mh=[0, 1]", "--json"])
        expectTrue(dropped.gradient["W"]!.flat.enumerated().allSatisfy { $0.offset % 2 == 0 || $0.element == 0 }, "input 2's weights get no gradient")
    }

    /// B02: the NumPy program draws the mask from the seed as gradstep does. SplitMix64 is
    /// written out here from its definition (Steele, Lea and Flood 2014): 5 units, p = 0.2,
    /// seed 7; the program, run with python3, prints what `eval --json` prints.
    @Test func b02TheGeneratedCodeDrawsTheDropoutMask() async throws {
        var state: UInt64 = 7
        let mask = (0..<5).map { _ -> Double in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 11) * 0x1p-53 < 0.2 ? 0 : 1 / 0.8
        }
        expectEqual(mask, [1.25, 0, 1.25, 1.25, 1.25])
        let code = try await gradstep("codegen", graph("dropout-op.grad"))
        expectContains(code.stdout, "c1 = dropout_mask(5, 0.2, 7)  # dropout mask, p = 0.2, seed 7: drawn, no gradient", "\(code.stdout)")
        expectTrue(code.stdout.contains("hd = h * c1") && code.stdout.contains("dh = dhd * c1"))
        expectNotContains(code.stdout, "np.array([1.25, 0.0", "the mask is drawn, not typed in")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dropout-\(UUID().uuidString).py")
        try code.stdout.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let python = try await runProcess(pythonExecutable, [file.path])
        try #require(python.status == 0, "\(python.stderr)")
        let e = try await decode(Evaluation.self, ["eval", graph("dropout-op.grad"), "--json"])
        let generated = try JSONDecoder().decode(Evaluation.self, from: Data(python.stdout.utf8))
        expectTrue(abs(generated.value - e.value) < 1e-12)
        for (name, g) in e.gradient {
            expectTrue(zip(g.flat, generated.gradient[name]!.flat).allSatisfy { abs($0 - $1) < 1e-12 }, "\(name)")
        }
    }
}
