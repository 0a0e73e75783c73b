import Foundation
import Testing
import TestSupport

// `check`, `check --sweep`, `jacobian`, `taylor` and `plot` through the real binary.

/// The numbers in a JSON list, read with Swift's correctly rounded parser.
private func numbers(_ text: Substring) -> [Double] {
    text.split(whereSeparator: { "[], ".contains($0) }).compactMap { Double($0) }
}

/// The text of a JSON key's value up to the next `]` (a flat list).
private func list(_ json: String, _ key: String) -> Substring {
    let start = json.range(of: "\"\(key)\": [")!.upperBound
    return json[start ..< json[start...].firstIndex(of: "]")!]
}

@Suite("gradstep check")
struct CheckCommandTests {
    @Test(arguments: graphFiles().map(\.lastPathComponent))
    func passesOnEveryGraph(file: String) async throws {
        let r = try await gradstep("check", graph(file))
        expectEqual(r.status, 0, "\(file): \(r.stdout)\(r.stderr)")
        expectContains(r.stdout, " 0 fail")
    }

    @Test func jsonIsExactlyTheContract() async throws {
        let r = try await gradstep("check", "-e", "relu(x)", "--set", "x=0", "--json")
        expectEqual(r.status, 0)
        expectEqual(r.stdout, "{\"entries\": [{\"name\": \"x\", \"index\": [], \"analytic\": 0, \"numeric\": 0.5, \"abs_error\": 0.5, \"rel_error\": 1, \"kink\": true, \"ok\": true}], \"ok\": true, \"atol\": 1e-08, \"rtol\": 1e-05, \"sample\": null}\n")
    }

    @Test func tensorEntriesCarryTheirIndex() async throws {
        let r = try await gradstep("check", graph("mlp-relu-softmax.grad"), "--json")
        expectEqual(r.status, 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        expectEqual(Set(object.keys), ["entries", "ok", "atol", "rtol", "sample"])
        let entries = try #require(object["entries"] as? [[String: Any]])
        expectEqual(Set(entries[0].keys), ["name", "index", "analytic", "numeric", "abs_error", "rel_error", "kink", "ok"])
        let w = entries.filter { $0["name"] as? String == "W" }.map { $0["index"] as! [Int] }
        expectEqual(w, [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1]])
        expectContains(r.stdout, "{\"name\": \"W\", \"index\": [2, 0], \"analytic\": -0.35484972432")
    }

    @Test func deadUnitOnItsKinkIsFlaggedNotFailed() async throws {
        // mlp-hidden-unit with b = 0.165: w·x + b = −0.165 + 0.165 ≈ 0, relu sits on its kink;
        // every entry's x ± h straddles it.
        let r = try await gradstep("check", graph("mlp-hidden-unit.grad"), "--set", "b=0.165")
        expectEqual(r.status, 0)
        expectContains(r.stdout, "5 entries: 0 pass, 5 kink, 0 fail")
        // The central difference is ½ (slopes 1 and 0 either side), to rounding that follows
        // the order BLAS sums the product in.
        expectTrue(r.stdout.contains("b      0         0.4999999999") || r.stdout.contains("b      0         0.5000000000"))
    }

    @Test func mlpDeadUnitBroughtToItsKinkIsFlagged() async throws {
        // Exercise 9 with B = 0.165: unit 0's sum W[0]·x + B = −0.165 + 0.165 sits on relu's
        // kink. The entries that move it (W[0,·], B, x) are kinks; the rest still pass.
        let r = try await gradstep("check", graph("mlp-relu-softmax.grad"), "--set", "B=0.165", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let entries = try #require(object["entries"] as? [[String: Any]])
        let kinks = entries.filter { $0["kink"] as? Bool == true }.map { "\($0["name"]!)\($0["index"] as! [Int])" }
        expectEqual(Set(kinks), ["x[0]", "x[1]", "W[0, 0]", "W[0, 1]", "B[]"])
        expectTrue(entries.allSatisfy { $0["ok"] as? Bool == true })
    }

    @Test func aFailureExitsWithStatus1() async throws {
        // √(x²) at 0: reverse mode gives 0.5/0 · 0 = NaN (as PyTorch does), the difference 0.
        let r = try await gradstep("check", "-e", "sqrt(x^2)", "--set", "x=0")
        expectEqual(r.status, 1)
        expectContains(r.stdout, "fail")
        expectContains(r.stdout, "1 entries: 0 pass, 0 kink, 1 fail")
        let json = try await gradstep("check", "-e", "sqrt(x^2)", "--set", "x=0", "--json")
        expectTrue(json.status == 1 && json.stdout.contains("}], \"ok\": false, "))
    }

    @Test func exercise15RelativeErrorIsTheMaxFormula() async throws {
        let r = try await gradstep("check", "-e", "x^3", "--set", "x=2", "--json")
        expectHasPrefix(r.stdout, "{\"entries\": [{\"name\": \"x\", \"index\": [], \"analytic\": 12, \"numeric\": 12.0000000")
        // Read with Swift's exact parser (Foundation's JSON parser on Linux is off in the last bit).
        func field(_ key: String) -> Double { Double(r.stdout.components(separatedBy: "\"\(key)\": ")[1].prefix { $0 != "," })! }
        let (an, nu, e) = (field("analytic"), field("numeric"), field("rel_error"))
        expectEqual(e, abs(an - nu) / max(abs(an), abs(nu), 1e-12))
        expectTrue(e < 1e-8)
    }

    @Test func aNonFiniteOutputFailsWithAWarning() async throws {
        let r = try await gradstep("check", "-e", "ln(x)", "--set", "x=-1", "--json")
        expectEqual(r.status, 1)
        expectEqual(r.stdout, "{\"entries\": [{\"name\": \"x\", \"index\": [], \"analytic\": -1, \"numeric\": null, \"abs_error\": null, \"rel_error\": null, \"kink\": false, \"ok\": false}], \"ok\": false, \"atol\": 1e-08, \"rtol\": 1e-05, \"sample\": null}\n")
        expectHasPrefix(r.stderr, "warning: the output is not finite")
    }

    @Test func aTensorOutputIsAClearError() async throws {
        let r = try await gradstep("check", "-e", "softmax(x)", "--set", "x=[1, 2]")
        expectEqual(r.status, 1)
        expectContains(r.stderr, "y is [2]; a gradient check needs a scalar output")
    }

    @Test func wrtWithoutSweepIsAUsageError() async throws {
        let r = try await gradstep("check", "-e", "sin(x)", "--set", "x=1", "--wrt", "x")
        expectEqual(r.status, 2)
    }
}

@Suite("gradstep check --sweep")
struct SweepCommandTests {
    @Test func jsonIsTheContractAndCoversEveryDecade() async throws {
        let r = try await gradstep("check", "--sweep", "-e", "sin(x)", "--at", "x=1", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectHasPrefix(r.stdout, "{\"h\": [0.1, 0.03, 0.01,")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        expectEqual(Set(object.keys), ["h", "forward", "central", "exact"])
        let h = numbers(list(r.stdout, "h")), forward = numbers(list(r.stdout, "forward")), central = numbers(list(r.stdout, "central"))
        for k in 1...15 { expectContains(h, Double("1e-\(k)")!) }
        expectTrue(forward.count == h.count && central.count == h.count)
        expectHasSuffix(r.stdout, "\"exact\": \(cos(1.0))}\n")
        // The quotients are the textbook formulas, at every step.
        for (i, step) in h.enumerated() {
            expectEqual(forward[i], (sin(1 + step) - sin(1)) / step)
            expectEqual(central[i], (sin(1 + step) - sin(1 - step)) / (2 * step))
        }
    }

    @Test(arguments: ["exp(x)", "tanh(x) * x", "x^3 - 2*x"])
    func centralErrorIsSmallestForHBetween1e4And1e7(expression: String) async throws {
        let r = try await gradstep("check", "--sweep", "-e", expression, "--at", "x=0.7", "--json")
        let h = numbers(list(r.stdout, "h")), central = numbers(list(r.stdout, "central"))
        let exact = Double(r.stdout.components(separatedBy: "\"exact\": ")[1].dropLast(2))!
        let errors = central.map { abs($0 - exact) }
        let best = errors.indices.min { errors[$0] < errors[$1] }!
        expectContains((1e-7...1e-4), h[best], "\(expression): best h \(h[best])")
    }

    @Test func exercise14TableAndPlotShowTheV() async throws {
        let r = try await gradstep("check", "--sweep", "-e", "exp(x)", "--at", "x=1")
        expectEqual(r.status, 0)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        expectEqual(lines[0], "∂y/∂x at x = 1: exact (reverse mode) \(exp(1.0))")
        expectHasPrefix(lines[1], "h       forward quotient")
        expectContains(r.stdout, "◀", "best steps marked in the table")
        expectContains(r.stdout, "best h: forward 1e−8")
        expectTrue(r.stdout.contains("● best") && r.stdout.contains("1e-12"), "log-log plot with the best h marked")
        expectTrue(r.stdout.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "braille")
    }

    @Test func wrtPicksAnElementOfATensor() async throws {
        let r = try await gradstep("check", "--sweep", graph("mlp-relu-softmax.grad"), "--wrt", "W[2,0]", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let exact = try #require(Double(r.stdout.components(separatedBy: "\"exact\": ")[1].dropLast(2)))
        expectTrue(isClose(exact, -0.3548497243297318, rel: 1e-12), "exercise 9's ∂L/∂W[2,0]")
        let bad = try await gradstep("check", "--sweep", graph("mlp-relu-softmax.grad"), "--wrt", "W[3,0]")
        expectEqual(bad.status, 2)
        expectEqual(bad.stderr, "error: --wrt W[3,0]: index 3 on axis 0 is out of range 0..<3: W is of shape [3×2]\n")
        let whole = try await gradstep("check", "--sweep", graph("mlp-relu-softmax.grad"), "--wrt", "W")
        expectTrue(whole.status == 2 && whole.stderr == "error: --wrt W: W is of shape [3×2]; name one element, as W[0,0]\n")
        let unknown = try await gradstep("check", "--sweep", graph("baydin.grad"), "--wrt", "x3")
        expectTrue(unknown.status == 2 && unknown.stderr == "error: --wrt x3: no input or param of that name; did you mean 'x1'?\n")
    }
}

@Suite("gradstep jacobian")
struct JacobianCommandTests {
    @Test func softmaxJacobianIsTheClosedForm() async throws {
        let r = try await gradstep("jacobian", "-e", "softmax(x)", "--set", "x=[1, 2, 3]", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        expectEqual(Set(object.keys), ["outputs", "inputs", "jacobian", "forward_sweeps", "reverse_sweeps"])
        expectHasPrefix(r.stdout, "{\"outputs\": [\"y[0]\", \"y[1]\", \"y[2]\"], \"inputs\": [\"x[0]\", \"x[1]\", \"x[2]\"], \"jacobian\": [[")
        expectHasSuffix(r.stdout, "]], \"forward_sweeps\": 3, \"reverse_sweeps\": 3}\n")
        let rows = r.stdout.components(separatedBy: "\"jacobian\": [[")[1].components(separatedBy: "]]")[0]
            .components(separatedBy: "], [").map { numbers(Substring($0)) }
        let e = [1.0, 2, 3].map { exp($0) }, o = e.map { $0 / e.reduce(0, +) }
        for i in 0..<3 {
            for j in 0..<3 {
                expectTrue(isClose(rows[i][j], o[i] * ((i == j ? 1 : 0) - o[j]), rel: 1e-12, abs: 1e-16))
            }
        }
    }

    @Test func textSaysWhichModeWinsAndThatBothAgree() async throws {
        let r = try await gradstep("jacobian", graph("mlp-relu-softmax.grad"))
        expectEqual(r.status, 0)
        expectContains(r.stdout, "forward mode: 15 tangent sweeps (one per input element)")
        expectContains(r.stdout, "reverse mode: 1 primal pass")
        expectContains(r.stdout, "reverse mode wins: 1 output element < 15 input elements")
        expectContains(r.stdout, "forward-built and reverse-built Jacobians agree")
        let tall = try await gradstep("jacobian", "-e", "x * [1, 2, 3, 4]", "--set", "x=2")
        expectContains(tall.stdout, "forward mode wins: 1 input element < 4 output elements")
    }

    @Test func aWideJacobianIsShownInPart() async throws {
        let r = try await gradstep("jacobian", graph("two-layer-tanh-500.grad"))
        expectEqual(r.status, 0)
        expectContains(r.stdout, "(showing 1 of 1 rows and 8 of 2504 columns; --json prints them all)")
        expectContains(r.stdout, "reverse mode wins: 1 output element < 2504 input elements")
    }

    @Test func aJacobianTooLargeIsRefused() async throws {
        // 2000 outputs × 2000 inputs = 4,000,000 entries.
        let values = "[" + Array(repeating: "1", count: 2000).joined(separator: ", ") + "]"
        let r = try await gradstep("jacobian", "-e", "x * 2", "--set", "x=\(values)")
        expectEqual(r.status, 1)
        expectHasPrefix(r.stderr, "error: the Jacobian would have 2000 × 2000 = 4000000 entries; gradstep computes Jacobians of up to 1000000")
    }
}

@Suite("gradstep taylor")
struct TaylorCommandTests {
    static let knownSeries: [(String, [Double])] = [
        ("exp(x)", [1, 1, 0.5, 1.0 / 6, 1.0 / 24]),
        ("sin(x)", [0, 1, 0, -1.0 / 6, 0]),
        ("cos(x)", [1, 0, -0.5, 0, 1.0 / 24]),
        ("1/(1 - x)", [1, 1, 1, 1, 1]),
    ]

    @Test(arguments: knownSeries)
    func knownSeriesAtZero(expression: String, expected: [Double]) async throws {
        let r = try await gradstep("taylor", "-e", expression, "--wrt", "x", "--at", "x=0", "--order", "4", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let c = numbers(list(r.stdout, "coefficients"))
        expectEqual(c.count, 5)
        for (got, want) in zip(c, expected) { expectTrue(isClose(got, want, rel: 1e-14), "\(expression)") }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        expectEqual(Set(object.keys), ["coefficients", "polynomial"])
    }

    @Test func thePolynomialIsEvaluableByEval() async throws {
        let r = try await gradstep("taylor", "-e", "exp(x)", "--at", "x=0", "--order", "3")
        let polynomial = String(r.stdout.split(separator: "\n").last!)
        expectEqual(polynomial, "1 + x + 0.5*x^2 + 0.16666666666666666*x^3")
        let e = try await gradstep("eval", "-e", polynomial, "--set", "x=0.1", "--json")
        let value: Double = 1 + 0.1 + 0.5 * 0.01 + 0.16666666666666666 * 0.001
        expectHasPrefix(e.stdout, "{\"output\": \"y\", \"value\": \(value),")
    }

    @Test func coefficientOneIsTheADDerivative() async throws {
        let t = try await gradstep("taylor", graph("baydin.grad"), "--wrt", "x2", "--order", "2", "--json")
        expectEqual(numbers(list(t.stdout, "coefficients"))[1], 1.7163378145367738, "exercise 1's ∂y/∂x2")
    }

    @Test func tensorOpsAndKinksAreReported() async throws {
        let r = try await gradstep("taylor", graph("mlp-relu-softmax.grad"))
        expectEqual(r.status, 1)
        expectEqual(r.stderr, "error: 'matmul' is not supported for taylor: Taylor mode covers the elementwise ops (+ − · / ^, sin, exp, relu, …), not tensor ops\n")
        let k = try await gradstep("taylor", "-e", "relu(x)", "--at", "x=0", "--order", "2", "--json")
        expectEqual(k.status, 0)
        expectContains(k.stderr, "warning: relu at y is on its kink at x = 0")
        let root = try await gradstep("taylor", "-e", "sqrt(x)", "--at", "x=0", "--order", "2", "--json")
        expectEqual(root.stdout, "{\"coefficients\": [0, null, null], \"polynomial\": \"0\"}\n")
        expectContains(root.stderr, "warning: coefficient 1 is")
        let bad = try await gradstep("taylor", "-e", "exp(x)", "--at", "x=0", "--order", "99")
        expectEqual(bad.status, 2)
    }
}

@Suite("gradstep plot")
struct PlotCommandTests {
    @Test func reluPlotMarksItsKink() async throws {
        let r = try await gradstep("plot", "-e", "relu(x)", "--wrt", "x", "--from", "-2", "--to", "2")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectHasPrefix(r.stdout, "y and y′ against x  ⣿ y  ⣿ y′  ◆ kink")
        expectContains(r.stdout, "◆")
        expectContains(r.stdout, "kink at x = 0\n")
        expectTrue(r.stdout.contains("−2") && r.stdout.contains("└"), "axes labelled")
    }

    @Test func undefinedPointsAreMarked() async throws {
        let r = try await gradstep("plot", "-e", "ln(x)", "--wrt", "x", "--from", "-1", "--to", "1", "--width", "40")
        expectEqual(r.status, 0)
        expectContains(r.stdout, "×")
        expectContains(r.stdout, "undefined (NaN or ∞) at 41 of 81 points, x from −1 to 0")
        let pole = try await gradstep("plot", "-e", "1/x", "--wrt", "x", "--from", "-1", "--to", "1", "--width", "30")
        expectHasSuffix(pole.stdout, "undefined (NaN or ∞) at x = 0\n")
    }

    @Test func svgIsWrittenAtomically() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try await gradstep("plot", "-e", "abs(x)", "--wrt", "x", "--from", "-1", "--to", "1", "--format", "svg", "--out", "abs.svg", in: folder)
        expectEqual(r.status, 0, "\(r.stderr)")
        try expectEqual(FileManager.default.contentsOfDirectory(atPath: folder.path), ["abs.svg"], "no temporary file left")
        let svg = try String(contentsOf: folder.appendingPathComponent("abs.svg"), encoding: .utf8)
        expectTrue(svg.hasPrefix("<svg ") && svg.contains("class=\"marker kink\"") && svg.hasSuffix("</svg>\n"))
        let missing = try await gradstep("plot", "-e", "abs(x)", "--wrt", "x", "--format", "svg", "--out", "no/such/folder/abs.svg", in: folder)
        expectTrue(missing.status == 1 && missing.stderr == "error: no/such/folder/abs.svg: cannot write: the folder no/such/folder does not exist\n")
    }

    @Test func badRangesAreUsageErrors() async throws {
        let r = try await gradstep("plot", "-e", "x", "--wrt", "x", "--from", "2", "--to", "1")
        expectEqual(r.status, 2)
        expectContains(r.stderr, "--from must be less than --to")
    }
}

@Suite("Numeric commands: snapshots")
struct NumericSnapshotTests {
    @Test func sweepTableAndPlot() async throws {
        let r = try await gradstep("check", "--sweep", "-e", "exp(x)", "--at", "x=1")
        assertSnapshot(r.stdout, named: "check-sweep-exp")
    }

    @Test func plotAsSVG() async throws {
        let r = try await gradstep("plot", "-e", "abs(x) - 0.5*x", "--wrt", "x", "--from", "-2", "--to", "2", "--width", "30", "--height", "10", "--format", "svg")
        assertSnapshot(r.stdout, named: "plot-abs-svg")
    }

    @Test func asciiPlot() async throws {
        let r = try await gradstep("plot", "-e", "tanh(x)", "--wrt", "x", "--from", "-3", "--to", "3", "--width", "40", "--height", "12", "--ascii")
        assertSnapshot(r.stdout, named: "plot-tanh-ascii")
    }
}

/// The hostile inputs of issue 20 for the numeric commands, and the tolerances of issue 21.
@Suite("Numeric commands at their edges")
struct NumericEdgeTests {
    /// Correct zero gradients pass (gradcheck's absolute-plus-relative tolerance): Rosenbrock
    /// at its minimum, x³ at 0 (the central difference is h² = 1e-12 there), and the mean of
    /// a layer norm, which is 0 for every h (its differences are rounding, about 1e-11).
    @Test(arguments: [[graph("rosenbrock.grad"), "--set", "x=1", "--set", "y=1"], ["-e", "x^3", "--set", "x=0"],
                      ["-e", "mean(layernorm(h, 1, 0))", "--set", "h=[[1, 2, 4], [3, 5, 0]]"]])
    func correctZeroGradientsPass(arguments: [String]) async throws {
        let r = try await gradstep(["check"] + arguments)
        expectEqual(r.status, 0, "\(r.stdout)\(r.stderr)")
        expectContains(r.stdout, " 0 fail")
        expectContains(r.stdout, "atol = 1e−8, rtol = 1e−5")
    }

    /// The absolute error stands beside the relative one (course item D02): x³ at 0 has
    /// |a − n| = h² = 1e-12 and a relative error of 1.
    @Test func theAbsoluteErrorIsShown() async throws {
        let r = try await gradstep("check", "-e", "x^3", "--set", "x=0")
        expectContains(r.stdout, "abs. error  rel. error  verdict")
        let row = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("x ") })
        expectTrue(row.contains("1e−12") && row.hasSuffix("1           pass"), "\(row)")
        let json = try await gradstep("check", "-e", "x^3", "--set", "x=0", "--json")
        func field(_ key: String) -> Double { Double(json.stdout.components(separatedBy: "\"\(key)\": ")[1].prefix { $0 != "," })! }
        expectEqual(field("abs_error"), abs(field("analytic") - field("numeric")))
        expectTrue(abs(field("abs_error") - 1e-12) < 1e-15)
        expectHasSuffix(json.stdout, "\"ok\": true, \"atol\": 1e-08, \"rtol\": 1e-05, \"sample\": null}\n")
    }

    /// A coarse step passes when its gap is the difference's own truncation error, h²|f‴|/6
    /// (9.0e-4 for sin at 1 with h = 0.1), and fails with a tolerance tighter than that error
    /// allows for when the derivative is not a number.
    @Test func theTruncationErrorIsAllowedFor() async throws {
        let r = try await gradstep("check", "-e", "sin(x)", "--set", "x=1", "--h", "0.1", "--json")
        expectEqual(r.status, 0, "\(r.stdout)")
        func field(_ key: String) -> Double { Double(r.stdout.components(separatedBy: "\"\(key)\": ")[1].prefix { $0 != "," })! }
        expectTrue(abs(field("abs_error") - 0.01 / 6 * cos(1.0)) < 1e-5)
        let nan = try await gradstep("check", "-e", "sqrt(x^2)", "--set", "x=0")
        expectTrue(nan.status == 1 && nan.stdout.contains("1 entries: 0 pass, 0 kink, 1 fail"))
    }

    /// 2,000 params of a 94,003-value tape: 376,012,000 values to check them all, past the
    /// limit. A seeded sample is checked instead and the screen says so; --sample picks the
    /// count; more than fits is refused with the most that does.
    @Test func aLargeCheckSamplesAndSaysSo() async throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("big.grad")
        try "param W = ones([50, 40])\nconst C = ones([300, 300])\ny = sum(W*W) + sum(C)\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try await gradstep("check", file.path)
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "checking a random sample of")
        expectContains(r.stdout, "of 2,000 entries (seed 1)")
        expectContains(r.stdout, "past the limit of 100,000,000")
        let sampled = try await gradstep("check", file.path, "--sample", "3", "--json")
        expectEqual(sampled.stdout.components(separatedBy: "\"name\": \"W\"").count, 4)
        expectHasSuffix(sampled.stdout, "\"sample\": {\"checked\": 3, \"of\": 2000, \"seed\": 1}}\n")
        let again = try await gradstep("check", file.path, "--sample", "3", "--json")
        expectEqual(again.stdout, sampled.stdout, "the sample is seeded")
        let refused = try await gradstep("check", file.path, "--sample", "2000")
        expectEqual(refused.status, 1)
        expectContains(refused.stderr, "past the limit of 100,000,000")
        expectContains(refused.stderr, "hint: at most")
    }

    /// limit at a kink: the one-sided limits differ, so there is none.
    @Test func aKinkHasNoLimit() async throws {
        let r = try await gradstep("limit", "-e", "abs(x)/x", "--at", "x=0")
        expectEqual(r.status, 0)
        expectContains(r.stdout, "no limit: f′/g′ tends to -1 from the left of 0 and to 1 from the right")
        let json = try await gradstep("limit", "-e", "relu(x)/x", "--at", "x=0", "--json")
        expectHasPrefix(json.stdout, "{\"limit\": null, \"verdict\": \"none\", \"left\": 0, \"right\": 1, \"rounds\"")
    }

    /// A range wider than the largest Double is refused; one just inside is plotted with
    /// finite samples.
    @Test func aRangeTooWideForADoubleIsRefused() async throws {
        let r = try await gradstep("plot", "-e", "x", "--set", "x=0", "--from", "-1e308", "--to", "1e308")
        expectEqual(r.status, 2)
        expectContains(r.stderr, "is wider than 1e+308", "\(r.stderr)")
        let almost = try await gradstep("plot", "-e", "x", "--set", "x=0", "--from", "-9e307", "--to", "9e307")
        expectEqual(almost.status, 2, "1.8e308 wide is finite, but its margins are not")
        let json = try await gradstep("plot", "-e", "x", "--set", "x=0", "--from", "-5e307", "--to", "5e307", "--format", "json")
        expectEqual(json.status, 0)
        expectTrue(!json.stdout.contains("null") && json.stdout.contains("-5e+307"))
    }

    /// exp(exp(x)) at 6.5 has a Taylor series whose coefficients pass 1.8e308 from order 9:
    /// an overflow, said as one; √x at 0 has none.
    @Test func taylorSaysOverflowForAnOverflow() async throws {
        let r = try await gradstep("taylor", "-e", "exp(exp(x))", "--at", "x=6.5", "--order", "12")
        expectContains(r.stderr, "coefficient 9 overflowed", "\(r.stderr)")
        expectNotContains(r.stderr, "no Taylor series")
        let root = try await gradstep("taylor", "-e", "sqrt(x)", "--at", "x=0")
        expectContains(root.stderr, "has no Taylor series there")
    }

    /// hessian prints its tolerances; a tiny bowl is a minimum.
    @Test func hessianStatesItsTolerance() async throws {
        let r = try await gradstep("hessian", "-e", "1e-20*(x^2 + y^2)", "--set", "x=0", "--set", "y=0")
        expectContains(r.stdout, "minimum: the gradient is 0 and every eigenvalue is positive")
        expectContains(r.stdout, "counts as 0: 100·n·ε·max|λ|")
        let json = try await gradstep("hessian", "-e", "1e-20*(x^2 + y^2)", "--set", "x=0", "--set", "y=0", "--json")
        expectContains(json.stdout, "\"classification\": \"minimum\", \"eigenvalue_tolerance\": \(100 * 2 * Double.ulpOfOne * 2e-20)")
    }
}
