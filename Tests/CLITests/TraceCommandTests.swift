import Foundation
import Testing
import TestSupport

@Test(arguments: ["primal", "forward", "reverse"])
func traceOfTheBuiltInExample(mode: String) async throws {
    let r = try await gradstep("trace", "--mode", mode)
    expectEqual(r.status, 0)
    assertSnapshot(r.stdout, named: "builtin-\(mode)")
}

@Test(arguments: ["markdown", "csv", "latex", "json"])
func traceFormats(format: String) async throws {
    let r = try await gradstep("trace", "--mode", "reverse", "--format", format)
    expectEqual(r.status, 0)
    assertSnapshot(r.stdout, named: "builtin-reverse-\(format)")
}

@Test func traceJSONParsesAndCarriesTheChainRuleTerms() async throws {
    let r = try await gradstep("trace", "--mode", "reverse", "--format", "json")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    let rows = object["rows"] as! [[String: Any]]
    let x2 = rows.first { $0["name"] as? String == "x2" }!
    expectEqual(x2["adjoint"] as? Double, 1.7163378145367738)
    let terms = x2["terms"] as! [[String: Any]]
    expectEqual(terms.map { $0["from"] as? String }, ["v₃", "v₂"])
}

@Test func forwardTraceSeedsTheInputNamedByWrt() async throws {
    let r = try await gradstep("trace", "--mode", "forward", "--wrt", "x2", "--format", "csv")
    let last = r.stdout.split(separator: "\n").last!
    expectHasSuffix(last, ",11.652071455223084,1.7163378145367738")
    let bad = try await gradstep("trace", "--mode", "forward", "--wrt", "nope")
    expectTrue(bad.status == 2 && bad.stderr.contains("no input or param"))
}

@Test func kinksAreMarkedInTheTrace() async throws {
    let r = try await gradstep("trace", "-e", "relu(x) + abs(x)", "--set", "x=0", "--mode", "reverse")
    expectContains(r.stdout, "(kink)")
}

/// Exercise 9: backprop reaches every param and the input, each row with its terms.
@Test func reverseJSONHasARowForEveryLeafWithItsTerms() async throws {
    let r = try await gradstep("trace", graph("mlp-relu-softmax.grad"), "--mode", "reverse", "--format", "json")
    expectEqual(r.status, 0)
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    let rows = object["rows"] as! [[String: Any]]
    func row(_ name: String) -> [String: Any] { rows.first { $0["name"] as? String == name }! }
    for name in ["x", "W", "B", "W1"] {
        let terms = row(name)["terms"] as! [[String: Any]]
        expectTrue(!terms.isEmpty, "\(name) has its chain-rule terms")
        expectTrue(row(name)["step"] is Int)
    }
    let b = row("B")
    expectEqual(b["formula"] as? String, "Σ v̄₂·∂v₂/∂v₋₁")
    expectEqual(b["with_partials"] as? String, "Σ v̄₂")
    // The course's numbers (EXERCISES.md), to the last bits of rounding.
    func near(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { isClose($0, $1, rel: 1e-12) } }
    expectTrue(isClose(b["adjoint"] as! Double, -0.39427747147747977, rel: 1e-12))
    expectTrue(near(row("x")["adjoint"] as! [Double], [-0.1458826644466675, -0.18531041159441547]))
    let w = row("W")["adjoint"] as! [[Double]]
    expectTrue(near(w[2], [-0.3548497243297318, -0.27599423003423584]))
    let w1 = row("W1")["adjoint"] as! [[Double]]
    expectTrue(near(w1[0], [0, 0, -0.18971031960945403]))
    // The matrix term keeps its shape.
    let term = (row("W1")["terms"] as! [[String: Any]])[0]
    expectEqual(term["formula"] as? String, "v̄₄ · v₃ᵀ")
    expectEqual((term["value"] as? [[Double]])?.count, 2)
}

@Test func forwardModeSeededOnOneElementMatchesTheGradientEntry() async throws {
    let r = try await gradstep("trace", graph("mlp-relu-softmax.grad"), "--mode", "forward", "--wrt", "W[2,0]", "--format", "json")
    expectEqual(r.status, 0)
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    expectEqual((object["title"] as? String)?.contains("∂L/∂W[2,0]"), true)
    let rows = object["rows"] as! [[String: Any]]
    let l = rows.first { $0["name"] as? String == "L" }!
    expectTrue(isClose(l["tangent"] as! Double, -0.3548497243297318, rel: 1e-12))
    let all = try await gradstep("trace", graph("mlp-relu-softmax.grad"), "--mode", "forward", "--wrt", "W")
    expectContains(all.stdout, "D_1 L", "a whole tensor seeded is a directional derivative")
    let bad = try await gradstep("trace", graph("mlp-relu-softmax.grad"), "--mode", "forward", "--wrt", "W[3,0]")
    expectTrue(bad.status == 2 && bad.stderr.contains("out of range"))
}

@Test(arguments: ["markdown", "csv", "latex"])
func everyFormatHasTheLeavesRowsOfATensorTrace(format: String) async throws {
    let r = try await gradstep("trace", graph("mlp-relu-softmax.grad"), "--mode", "reverse", "--format", format)
    expectEqual(r.status, 0)
    switch format {
    case "markdown":
        expectContains(r.stdout, "| v̄₋₁ | B | Σ v̄₂·∂v₂/∂v₋₁ | Σ v̄₂ | Σ [0, 0, −0.3943] | −0.394277 |")
    case "csv":
        expectContains(r.stdout, "v̄₋₃,x,v̄₁·∂v₁/∂v₋₃,v₋₂ᵀ · v̄₁,")
        // ∂L/∂x to 14 digits: the last ones follow the order BLAS sums the product in.
        expectTrue(r.stdout.contains("\"[-0.14588266444666") && r.stdout.contains(", -0.18531041159441"))
    default:
        let b = r.stdout.split(separator: "\n").first { $0.hasPrefix("$\\bar{v}_{-1}$ & \\texttt{B}") }
        expectTrue(b?.contains("\\sum") == true && b?.contains("-0.394277") == true)
    }
}

@Test func traceHelpReadsAsOneParagraph() async throws {
    let r = try await gradstep("trace", "--help")
    // The discussion is wrapped as one paragraph, not broken where the source had a newline.
    expectNotContains(r.stdout, "value;\nin forward mode")
    expectNotContains(r.stdout, "'W[2,0]'\nseeds")
    expectContains(r.stdout, "seeds one element")
}

/// `trace` and `quiz` read `--seed-adjoint` as `eval` and `--set` do: finite numbers only, a
/// negative one is a value (not an option), and a tensor seed must have the output's shape.
@Test(arguments: ["trace", "quiz"])
func seedAdjointIsAFiniteNumber(command: String) async throws {
    for bad in ["nan", "inf", "1e400"] {
        let r = try await gradstep(command, graph("baydin.grad"), "--mode", "reverse", "--seed-adjoint", bad)
        expectEqual(r.status, 2, "\(command) --seed-adjoint \(bad)")
        expectContains(r.stderr, "--seed-adjoint \(bad)", "\(r.stderr)")
        expectContains(r.stderr, "gradstep \(command)", "usage names the command: \(r.stderr)")
    }
    // A tensor seed must have the output's shape (both take one, issue 24).
    let tensor = try await gradstep(command, graph("baydin.grad"), "--mode", "reverse", "--seed-adjoint", "[1, 2]")
    expectEqual(tensor.status, 2)
    expectContains(tensor.stderr, "the seed has shape [2] but y has shape scalar", "\(tensor.stderr)")
}

/// Issue 24: a tensor `--seed-adjoint` works in `trace` as in `eval`: y = w ⊙ w at
/// w = [1, 2, 3] seeded with v = [0, 1, 0] gives w̄ = vᵀ·diag(2w) = [0, 4, 0].
@Test func traceTakesATensorSeed() async throws {
    let r = try await gradstep("trace", "-e", "input w = [1, 2, 3]; y = w*w", "--mode", "reverse", "--seed-adjoint", "[0, 1, 0]")
    expectEqual(r.status, 0, "\(r.stderr)")
    expectHasPrefix(r.stdout, "Reverse adjoint trace (seed v̄₁ = [0, 1, 0])", "\(r.stdout)")
    let w = r.stdout.split(separator: "\n").first { $0.hasPrefix("v̄₀") }
    expectEqual(w?.hasSuffix("[0, 4, 0]"), true, "\(r.stdout)")
}

@Test func aNegativeSeedScalesEveryAdjoint() async throws {
    let r = try await gradstep("trace", graph("baydin.grad"), "--mode", "reverse", "--seed-adjoint", "-2", "--format", "csv")
    expectEqual(r.status, 0, "\(r.stderr)")
    // Exercise 1's x̄1 = 5.5, scaled by the seed.
    expectEqual(r.stdout.split(separator: "\n").last { $0.hasPrefix("v̄₋₁,") }?.hasSuffix(",-11"), true, "\(r.stdout)")
}

/// Issue 24: `trace --mode reverse` has no row for cos x, which does not lead to the output a;
/// x's adjoint is the one term cos 1 = 0.540302 from sin, and a line says why cos x is left out.
@Test func aReverseTraceLeavesOutNodesThatDoNotLeadToTheOutput() async throws {
    let r = try await gradstep("trace", "-e", "input x = 1; b = cos(x) * 3; a = sin(x); output a", "--mode", "reverse")
    expectEqual(r.status, 0, "\(r.stderr)")
    let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("v̄") }
    expectEqual(rows.count, 2, "\(r.stdout)")
    expectTrue(!rows.contains { $0.hasPrefix("v̄₁") }, "\(r.stdout)")
    expectTrue(rows.last!.hasSuffix(String(format: "%.6g", cos(1.0))))
    expectContains(r.stdout, "does not lead to a: the reverse sweep skips it (its adjoint is 0)")
}
