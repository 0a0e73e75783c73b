import Foundation
import Testing
import TestSupport

/// One reference, `W[2,1]`, given to every command that takes `--wrt` selects the same element:
/// each reports ∂L/∂W[2,1] of exercise 9, computed here by hand (`taylor`, whose Taylor mode
/// covers elementwise ops only, reads references the same way: see
/// `wrongReferencesGetOneMessage`). And each refuses a wrong reference with the same message.
@Suite("--wrt element references")
struct ElementReferenceCommandTests {
    static let file = graph("mlp-relu-softmax.grad")

    /// ∂L/∂W and ∂L/∂x of Graphs/mlp-relu-softmax.grad by the chain rule written out:
    /// z = W·x + B, h = relu(z), o = W1·h, p = softmax(o), L = −Σ t ln p, so ∂L/∂o = p − t,
    /// ∂L/∂h = W1ᵀ(p − t), ∂L/∂z = ∂L/∂h ⊙ [z > 0], ∂L/∂W = (∂L/∂z) xᵀ, ∂L/∂x = Wᵀ ∂L/∂z.
    static let handGradient: (w: [[Double]], x: [Double]) = {
        let x = [0.9, 0.7], b = 0.002, t = [1.0, 0.0]
        let w = [[-0.3, 0.15], [0.32, -0.91], [0.37, 0.47]]
        let w1 = [[0.15, -0.46, 0.59], [0.10, 0.32, -0.79]]
        let z = w.map { $0[0] * x[0] + $0[1] * x[1] + b }
        let h = z.map { max($0, 0) }
        let o = w1.map { row in zip(row, h).map(*).reduce(0, +) }
        let e = o.map(exp), total = e.reduce(0, +)
        let go = zip(e, t).map { $0 / total - $1 }
        let gz = (0..<3).map { i in (go[0] * w1[0][i] + go[1] * w1[1][i]) * (z[i] > 0 ? 1 : 0) }
        return (gz.map { g in x.map { g * $0 } }, (0..<2).map { j in (0..<3).map { w[$0][j] * gz[$0] }.reduce(0, +) })
    }()

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// What each command reports as ∂L/∂(reference).
    static func derivatives(_ reference: String) async throws -> [String: Double] {
        var out: [String: Double] = [:]
        let trace = try await gradstep("trace", file, "--mode", "forward", "--wrt", reference, "--format", "json")
        let rows = try #require(try object(trace.stdout)["rows"] as? [[String: Any]])
        out["trace"] = rows.first { $0["name"] as? String == "L" }?["tangent"] as? Double
        let sweep = try await gradstep("check", "--sweep", file, "--wrt", reference, "--json")
        out["check --sweep"] = try object(sweep.stdout)["exact"] as? Double
        let quiz = try await gradstep("quiz", file, "--mode", "forward", "--wrt", reference, "--answers", "/dev/null", "--json")
        let steps = try #require(try object(quiz.stdout)["steps"] as? [[String: Any]])
        out["quiz"] = steps.last?["expected"] as? Double
        let jacobian = try object(try await gradstep("jacobian", file, "--json").stdout)
        if let column = (jacobian["inputs"] as? [String])?.firstIndex(of: reference) {
            out["jacobian"] = (jacobian["jacobian"] as? [[Double]])?[0][column]
        }
        return out
    }

    @Test(arguments: [("W[2,1]", 2, 1), ("W[2, 0]", 2, 0), ("W[1,1]", 1, 1)])
    func everyCommandSelectsTheSameElement(reference: String, row: Int, column: Int) async throws {
        let expected = Self.handGradient.w[row][column]
        let got = try await Self.derivatives(reference)
        let commands = ["trace", "check --sweep", "quiz"] + (reference.contains(" ") ? [] : ["jacobian"])
        for command in commands {
            let value = try #require(got[command], "\(command) reported nothing for \(reference)")
            expectTrue(abs(value - expected) <= 1e-9 * max(1, abs(expected)), "\(command): \(value) against \(expected)")
        }
    }

    @Test func anInputElementToo() async throws {
        let got = try await Self.derivatives("x[1]")
        for (command, value) in got {
            expectTrue(abs(value - Self.handGradient.x[1]) <= 1e-9, "\(command): \(value) against \(Self.handGradient.x[1])")
        }
        expectEqual(got.count, 4)
    }

    /// `plot` sweeps the element: at its own value (0.47, the middle of the range) the
    /// derivative drawn is the gradient entry.
    @Test func plotSweepsTheSameElement() async throws {
        let r = try await gradstep("plot", Self.file, "--wrt", "W[2,1]", "--from", "0.37", "--to", "0.57", "--width", "20", "--format", "json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let samples = try Self.object(r.stdout)
        let xs = try #require(samples["x"] as? [Double]), ds = try #require(samples["derivative"] as? [Double])
        expectEqual(samples["input"] as? String, "W[2,1]")
        expectTrue(abs(xs[20] - 0.47) < 1e-12)
        expectTrue(abs(ds[20] - Self.handGradient.w[2][1]) <= 1e-9)
    }

    /// The tensor view's picture seeds the element (before, export took only a whole leaf),
    /// and the scalar view seeds its node of the same name.
    @Test func exportSeedsTheSameElement() async throws {
        let out = try temporaryFolder()
        for granularity in ["tensor", "scalar"] {
            let r = try await gradstep("export", Self.file, "--state", "forward", "--wrt", "W[2,1]", "--granularity", granularity,
                                       "--format", "dot", "--force", "-o", out.path)
            expectEqual(r.status, 0, "\(granularity): \(r.stderr)")
        }
        // −0.27599…, as the picture rounds it: the tangent in L's box.
        let shown = String(format: "%.3g", Self.handGradient.w[2][1]).replacingOccurrences(of: "-", with: "−")
        for file in ["mlp-relu-softmax.dot", "mlp-relu-softmax-scalar.dot"] {
            let dot = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            expectContains(dot, "forward mode, seed Ẇ[2,1] = 1", "\(file)")
            let box = try #require(dot.range(of: "L</TD>"), "\(file)")
            expectContains(dot[box.upperBound...].prefix(400), " = \(shown)</FONT>", "\(file): \(shown)")
        }
    }

    /// The same wrong reference gets the same message from every command.
    @Test(arguments: [
        ("W[3,1]", "--wrt W[3,1]: index 3 on axis 0 is out of range 0..<3: W is of shape [3×2]"),
        ("W[1]", "--wrt W[1]: W is of shape [3×2], so it takes 2 indices (as W[0,0]), not 1"),
        ("W[1,x]", "--wrt W[1,x]: index 'x' is not a whole number"),
        ("Wl", "--wrt Wl: no input or param of that name; did you mean 'W1'?"),
        ("W[2,1", "--wrt W[2,1: missing ']'; write NAME[i] or NAME[i,j]"),
    ])
    func wrongReferencesGetOneMessage(reference: String, message: String) async throws {
        let runs: [[String]] = [
            ["trace", Self.file, "--mode", "forward"], ["check", "--sweep", Self.file], ["taylor", Self.file],
            ["plot", Self.file], ["quiz", Self.file, "--mode", "forward", "--answers", "/dev/null"],
            ["export", Self.file, "--state", "forward", "--format", "dot", "-o", try temporaryFolder().path],
        ]
        for arguments in runs {
            let r = try await gradstep(arguments + ["--wrt", reference])
            expectEqual(r.status, 2, "\(arguments[0]): \(r.stderr)")
            let suffix = arguments[0] == "export" ? " (in mlp-relu-softmax)\n" : "\n"
            expectEqual(r.stderr, "error: " + message + suffix, "\(arguments[0])")
        }
    }

    /// A whole tensor is a direction for forward mode (trace, quiz, export) but not one number
    /// (check --sweep, taylor, plot); optimize and hessian take whole leaves only.
    @Test func wholeTensorsAndElementsWhereEachIsMeant() async throws {
        for arguments in [["trace", Self.file, "--mode", "forward"], ["quiz", Self.file, "--mode", "forward", "--answers", "/dev/null"]] {
            let r = try await gradstep(arguments + ["--wrt", "W"])
            expectEqual(r.status, 0, "\(arguments[0]): \(r.stderr)")
        }
        for arguments in [["check", "--sweep", Self.file], ["taylor", Self.file], ["plot", Self.file]] {
            let r = try await gradstep(arguments + ["--wrt", "W"])
            expectTrue(r.status == 2 && r.stderr == "error: --wrt W: W is of shape [3×2]; name one element, as W[0,0]\n", "\(arguments[0]): \(r.stderr)")
        }
        for command in ["optimize", "hessian"] {
            let r = try await gradstep(command, Self.file, "--wrt", "W1, W[2,1]")
            expectTrue(r.status == 2 && r.stderr == "error: --wrt W[2,1]: name whole inputs and params here (W), not one element\n", "\(command): \(r.stderr)")
        }
        let diff = try await gradstep("diff", "-e", "x * y", "--wrt", "x[0]")
        expectTrue(diff.status == 2 && diff.stderr == "error: --wrt x[0]: x is a scalar, so it takes no index (as x), not 1\n")
    }
}
