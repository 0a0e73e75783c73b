import Foundation
import Testing
import TestSupport

/// `Graphs/attention.grad`, scaled dot-product attention's backward pass, against NumPy: the
/// script below computes the loss and the backward pass written out by hand as a student
/// would (the formulas of the file's comment, not gradstep's rules), and checks its own
/// formulas against central differences. Every command that prints the gradient must agree:
/// eval, trace --mode reverse, check, and the NumPy, Python and C programs codegen writes.
@Suite("Attention's backward pass (Graphs/attention.grad)")
struct AttentionExerciseTests {
    static let reference = """
    import json
    import numpy as np
    X = np.array([[1, 0], [0, 1], [1, 1.0]]); T = np.array([[1, 0], [0, 1], [0.5, 0.5]])
    W = {"Wq": np.array([[0.5, -0.2], [0.3, 0.8]]), "Wk": np.array([[0.4, 0.1], [-0.6, 0.5]]),
         "Wv": np.array([[1.0, 0.2], [-0.3, 0.7]])}
    def forward(Wq, Wk, Wv):
        Q, K, V = X @ Wq, X @ Wk, X @ Wv
        S = Q @ K.T / np.sqrt(2)
        E = np.exp(S - S.max(axis=1, keepdims=True))
        A = E / E.sum(axis=1, keepdims=True)
        return Q, K, V, A, 0.5 * np.sum((A @ V - T) ** 2)
    Q, K, V, A, L = forward(W["Wq"], W["Wk"], W["Wv"])
    O = A @ V - T
    Vb = A.T @ O
    Ab = O @ V.T
    Sb = A * (Ab - np.sum(A * Ab, axis=1, keepdims=True))
    Qb, Kb = Sb @ K / np.sqrt(2), Sb.T @ Q / np.sqrt(2)
    grad = {"Wq": X.T @ Qb, "Wk": X.T @ Kb, "Wv": X.T @ Vb}
    worst = 0.0
    for name in W:
        for idx in np.ndindex(2, 2):
            up = {k: v.copy() for k, v in W.items()}; down = {k: v.copy() for k, v in W.items()}
            up[name][idx] += 1e-6; down[name][idx] -= 1e-6
            fd = (forward(**up)[4] - forward(**down)[4]) / 2e-6
            worst = max(worst, abs(fd - grad[name][idx]))
    print(json.dumps({"L": L, "fd_error": worst, **{k: v.ravel().tolist() for k, v in grad.items()}}))
    """

    /// What the NumPy script prints: L, each weight's gradient flattened, the worst gap
    /// between its hand-written backward pass and central differences.
    static let numpy = Task { () throws -> [String: [Double]] in
        let r = try await runPython(reference)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.utf8)) as? [String: Any])
        return json.mapValues(flat)
    }

    static func runPython(_ source: String) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("attention-\(UUID().uuidString).py")
        try source.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try await runProcess(pythonExecutable, [file.path])
        try #require(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    static func flat(_ any: Any?) -> [Double] {
        if let x = any as? Double { return [x] }
        return (any as? [Any] ?? []).flatMap(flat)
    }

    /// Each number of `printed` (an `eval --json`-shaped object) within 1e-12 of NumPy's.
    func expectMatchesNumPy(_ printed: String, _ what: String) async throws {
        let reference = try await Self.numpy.value
        let json = try #require(try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any], "\(what): \(printed)")
        let value = try #require(json["value"] as? Double, "\(what)")
        #expect(abs(value - reference["L"]![0]) <= 1e-12, "\(what): L = \(value)")
        let gradient = try #require(json["gradient"] as? [String: Any], "\(what)")
        #expect(gradient.keys.sorted() == ["Wk", "Wq", "Wv"], "\(what): only the params have gradients (X and T are constants)")
        for name in ["Wq", "Wk", "Wv"] {
            let got = Self.flat(gradient[name]), want = reference[name]!
            #expect(got.count == 4 && zip(got, want).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(what): ∂L/∂\(name) = \(got), NumPy \(want)")
        }
    }

    @Test func theReferenceAgreesWithCentralDifferences() async throws {
        let reference = try await Self.numpy.value
        #expect(reference["fd_error"]![0] < 1e-8)
        #expect(abs(reference["L"]![0] - 0.44655065488278856) < 1e-12)
    }

    @Test func evalGivesNumPysLossAndGradients() async throws {
        let r = try await gradstep("eval", "--json", graph("attention.grad"))
        #expect(r.status == 0, "\(r.stderr)")
        try await expectMatchesNumPy(r.stdout, "eval")
    }

    @Test func theReverseTraceEndsAtNumPysGradients() async throws {
        let r = try await gradstep("trace", graph("attention.grad"), "--mode", "reverse", "--format", "json")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        let reference = try await Self.numpy.value
        for name in ["Wq", "Wk", "Wv"] {
            let row = try #require(rows.first { $0["name"] as? String == name }, "\(name)'s row")
            let got = Self.flat(row["adjoint"]), want = reference[name]!
            #expect(got.count == 4 && zip(got, want).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(name): \(got), NumPy \(want)")
        }
        // The softmax's row of the sweep is the one the file's comment writes out.
        let softmax = try #require(rows.first { $0["name"] as? String == "S" })
        #expect(softmax["with_partials"] as? String == "v₇ ⊙ (v̄₇ − Σ v̄₇⊙v₇)", "\(softmax)")
        let text = try await gradstep("trace", graph("attention.grad"), "--mode", "reverse")
        #expect(text.status == 0 && text.stdout.contains("Wk"), "\(text.stderr)")
    }

    @Test func checkPassesEveryWeight() async throws {
        let r = try await gradstep("check", graph("attention.grad"))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("12 entries: 12 pass, 0 kink, 0 fail"), "\(r.stdout)")
    }

    @Test(arguments: ["numpy", "python", "c"])
    func theGeneratedProgramPrintsNumPysNumbers(language: String) async throws {
        let code = try await gradstep("codegen", "--lang", language, graph("attention.grad"))
        #expect(code.status == 0, "\(code.stderr)")
        let printed: String
        if language == "c" {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attention-c-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try code.stdout.write(to: folder.appendingPathComponent("prog.c"), atomically: true, encoding: .utf8)
            let cc = try await runProcess("/usr/bin/env", ["cc", "-std=c99", "-o", "prog", "prog.c", "-lm"], in: folder)
            try #require(cc.status == 0, "\(cc.stderr)")
            let run = try await runProcess(folder.appendingPathComponent("prog").path, [], in: folder)
            try #require(run.status == 0, "\(run.stderr)")
            printed = run.stdout
        } else {
            printed = try await Self.runPython(code.stdout)
        }
        try await expectMatchesNumPy(printed, language)
    }
}
