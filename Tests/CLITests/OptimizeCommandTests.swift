import Foundation
import Testing
import TestSupport

/// `gradstep optimize` and `gradstep hessian` as a script sees them.
@Suite("optimize and hessian commands")
struct OptimizeCommandTests {
    @Test func optimizeJSONIsExactlyTheContract() async throws {
        // Exercise 7: η = 1 on x² from −1 jumps between −1 and 1 with loss 1 at every step.
        let r = try await gradstep("optimize", "-e", "x^2", "--set", "x=-1", "--lr", "1", "--steps", "4", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectEqual(r.stdout, "{\"loss\": [1, 1, 1, 1, 1], \"values\": {\"x\": -1}, \"trajectory\": {\"x\": [-1, 1, -1, 1, -1]}, \"steps\": 4, \"status\": \"max-steps\"}\n")
    }

    @Test func tensorParamsAppearInValuesButNotInTheTrajectory() async throws {
        let r = try await gradstep("optimize", graph("least-squares.grad"), "--method", "newton", "--steps", "1", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        expectEqual(Set(json.keys), ["loss", "values", "trajectory", "steps", "status"])
        expectEqual((json["trajectory"] as? [String: Any])?.isEmpty, true)
        let theta = try #require((json["values"] as? [String: Any])?["theta"] as? [Double])
        // The least-squares solution of [[1, 2], [3, 4], [5, 6]]·θ = [1, 2, 2]: θ = (−2/3, 11/12).
        expectTrue(isClose(theta[0], -2.0 / 3, rel: 1e-12) && isClose(theta[1], 11.0 / 12, rel: 1e-12))
    }

    @Test func divergenceIsStatus1WithAClearMessage() async throws {
        let r = try await gradstep("optimize", graph("rosenbrock.grad"), "--lr", "0.01", "--steps", "100", "--json")
        expectEqual(r.status, 1)
        expectHasSuffix(r.stdout, "\"status\": \"diverged\"}\n")
        expectHasPrefix(r.stderr, "error: diverged at step ")
        expectContains(r.stderr, "try a smaller --lr")
    }

    @Test func textOutputHasTheLossPerStepAndACurve() async throws {
        let r = try await gradstep("optimize", graph("gd-square.grad"), "--lr", "0.25", "--steps", "3")
        expectEqual(r.status, 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        expectEqual(lines[0], "optimising f over x: sgd, η = 0.25")
        // x_k = −0.5^k, loss 0.25^k, ‖∇‖ = 2·0.5^k.
        expectEqual(Array(lines[1 ... 5]), ["step      loss  ‖∇L‖       x",
                                          "   0         1     2      −1",
                                          "   1      0.25     1    −0.5",
                                          "   2    0.0625   0.5   −0.25",
                                          "   3  0.015625  0.25  −0.125"])
        expectTrue(r.stdout.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) }, "a braille curve")
        expectContains(r.stdout, "max-steps after 3 steps")
        expectHasSuffix(r.stdout, "x = −0.125\n")
    }

    @Test func plotWritesAnSVGLossCurve() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-loss-\(UUID().uuidString).svg")
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try await gradstep("optimize", graph("rosenbrock.grad"), "--lr", "0.001", "--steps", "50", "--plot", file.path)
        expectEqual(r.status, 0, "\(r.stderr)")
        let svg = try String(contentsOf: file, encoding: .utf8)
        expectTrue(svg.hasPrefix("<svg") && svg.contains("<path d=\"M") && svg.hasSuffix("</svg>\n"))
        // Two variables: the loss's contours beside the curve, with the path's 51 points on them.
        // 640 for the curve and 364 for the contours, whose plot area (88 px of margins across,
        // 84 down, 360 high) is then square.
        expectContains(svg, "width=\"1004\"")
        expectEqual(svg.components(separatedBy: "<circle").count - 1, 51)
        expectTrue(svg.components(separatedBy: "stroke=\"#9aa7b8\"").count - 1 >= 10)
        let one = try await gradstep("optimize", graph("gd-square.grad"), "--lr", "0.1", "--steps", "5", "--plot", file.path)
        expectEqual(one.status, 0)
        let curve = try String(contentsOf: file, encoding: .utf8)
        expectTrue(curve.contains("width=\"640\"") && !curve.contains("<circle"))
    }

    @Test func miniBatchesNeedData() async throws {
        let r = try await gradstep("optimize", graph("rosenbrock.grad"), "--batch-size", "4")
        expectEqual(r.status, 1)
        expectEqual(r.stderr, "error: --batch-size draws rows of the graph's data, but it declares none; add e.g. 'data D = \"points.csv\"'\n")
        let big = try await gradstep("optimize", graph("xor-descent.grad"), "--batch-size", "41")
        expectTrue(big.status == 1 && big.stderr == "error: --batch-size 41 is more than the 40 rows of D\n")
    }

    @Test func miniBatchRunsAreReproducibleBySeed() async throws {
        func run(_ seed: String) async throws -> String {
            let r = try await gradstep("optimize", graph("xor-descent.grad"), "--lr", "2", "--steps", "20", "--batch-size", "8", "--seed", seed, "--json")
            expectEqual(r.status, 0, "\(r.stderr)")
            return r.stdout
        }
        let full = try await gradstep("optimize", graph("xor-descent.grad"), "--lr", "2", "--steps", "20", "--json").stdout
        let (first, again, other) = (try await run("1"), try await run("1"), try await run("2"))
        expectEqual(first, again)
        expectTrue(first != other)
        expectTrue(first != full)
    }

    @Test(arguments: [
        (["--schedule", "step:0:1"], "bad schedule 'step:0:1'"),
        (["--betas", "0.9"], "--betas expects two numbers"),
        (["--lr", "0"], "--lr must be a positive number"),
        (["--method", "adam", "--line-search", "exact"], "use it with --method sgd (no momentum) or --method newton"),
        (["--wrt", "z"], "--wrt z: no input or param of that name (inputs and params: x, y)"),
        (["--method", "sgdd"], "sgdd"),
        (["--steps", "20000000"], "--steps must be between 0 and 10000000"),
        (["--steps", "10000000", "--wrt", "x,y,x"], "10000000 steps of 2 variables would record 20000002 values"),
    ])
    func badOptionsAreClearErrors(arguments: [String], message: String) async throws {
        let r = try await gradstep(arguments: ["optimize", graph("rosenbrock.grad")] + arguments)
        expectTrue(r.status == 1 || r.status == 2)
        expectContains(r.stderr, message, "\(r.stderr)")
    }

    @Test func aNonScalarOutputIsRefused() async throws {
        let r = try await gradstep("optimize", "-e", "x * [1, 2]", "--set", "x=1")
        expectEqual(r.status, 1)
        expectContains(r.stderr, "not a scalar loss")
    }

    @Test func hessianJSONIsExactlyTheContract() async throws {
        let r = try await gradstep("hessian", graph("saddle.grad"), "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        // Tolerances: 100·n·ε·max|λ| = 100·2·ε·2 and 1e-9·max|λ|·max(1, ‖θ‖) = 2e-9.
        expectEqual(r.stdout, "{\"names\": [\"x\", \"y\"], \"hessian\": [[2, 0], [0, -2]], \"eigenvalues\": [-2, 2], \"gradient\": {\"x\": 0, \"y\": 0}, \"classification\": \"saddle\", "
            + "\"eigenvalue_tolerance\": \(100 * 2 * Double.ulpOfOne * 2), \"gradient_tolerance\": 2e-09}\n")
    }

    @Test func hessianNamesTensorElementsAndSaysNotCritical() async throws {
        let r = try await gradstep("hessian", graph("least-squares.grad"), "--json")
        expectHasPrefix(r.stdout, "{\"names\": [\"theta[0]\", \"theta[1]\"], \"hessian\": [[35, 44], [44, 56]], ")
        // ∇L(0) = Xᵀ(X·0 − y) = −Xᵀy = −(1 + 6 + 10, 2 + 8 + 12).
        expectContains(r.stdout, "\"gradient\": {\"theta\": [-17, -22]}")
        expectContains(r.stdout, "\"classification\": \"not-critical\", \"eigenvalue_tolerance\": ")
        let text = try await gradstep("hessian", "-e", "x^2 + y^2", "--set", "x=0", "--set", "y=0")
        expectHasSuffix(text.stdout, "minimum: the gradient is 0 and every eigenvalue is positive\n")
    }
}

/// `gradstep(...)` with an array of arguments.
func gradstep(arguments: [String], in folder: URL? = nil) async throws -> CLIResult {
    try await gradstep(arguments, in: folder)
}

/// The README's `optimize` and `hessian` examples with JSON output are what the binary prints.
@Test func readmeOptimisationExamplesAreTrue() async throws {
    let readme = try manualText()
    let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var checked = 0
    for (i, line) in lines.enumerated() where line.hasPrefix("$ gradstep optimize") || line.hasPrefix("$ gradstep hessian") {
        guard line.hasSuffix("--json") else { continue }
        // Split on spaces, keeping '…' quoted words whole.
        var words: [String] = [], word = "", quoted = false
        for c in line.dropFirst("$ gradstep ".count) {
            if c == "'" { quoted.toggle() } else if c == " " && !quoted { words.append(word); word = "" } else { word.append(c) }
        }
        words.append(word)
        let r = try await gradstep(arguments: words, in: repositoryRoot)
        expectEqual(r.stdout, lines[i + 1] + "\n", "README line \(i + 1): \(line)")
        checked += 1
    }
    expectTrue(checked >= 3)
}
