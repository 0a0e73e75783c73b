import Foundation
import Testing
import TestSupport

// `gradstep trace --mode forward --format dual`: forward mode in dual numbers a + bε.

@Test func traceWritesForwardModeInDualNumbers() async throws {
    let r = try await gradstep("trace", graph("baydin.grad"), "--mode", "forward", "--format", "dual")
    expectEqual(r.status, 0)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    // EXERCISES.md 1: v̇₂ = 5 and the output's tangent 5.5, as ε parts.
    expectContains(lines, "v₂ = v₋₁·v₀ = (2 + 1ε)(5 + 0ε) = 10 + 5ε")
    expectEqual(lines.last?.hasSuffix("= 11.6521 + 5.5ε   (y)"), true)
}

@Test func dualFormatNeedsForwardMode() async throws {
    let r = try await gradstep("trace", graph("baydin.grad"), "--mode", "reverse", "--format", "dual")
    expectEqual(r.status, 2)
    expectTrue(r.stderr.contains("--format dual") && r.stderr.contains("--mode forward"))
    expectTrue(r.stdout.isEmpty)
}

@Test func readmeDualNumberExampleIsTrue() async throws {
    let r = try await gradstep("trace", "Graphs/baydin.grad", "--mode", "forward", "--format", "dual", in: repositoryRoot)
    let readme = try manualText()
    expectContains(readme, "$ gradstep trace Graphs/baydin.grad --mode forward --format dual\n" + r.stdout + "```")
}

/// Issue 24 (A28, A29): dual numbers as algebra. `--algebra` writes each step in symbols,
/// g(v + v̇ε) = g(v) + (g′(v)·v̇)ε, under its numbers, for any tangent ẋ: here x·sin x at
/// x = 5 with ẋ = 2, whose ε part is 2·(sin 5 + 5·cos 5).
@Test func dualAlgebraWritesEachStepInSymbols() async throws {
    let r = try await gradstep("trace", "-e", "y = sin(x)*x", "--set", "x=5", "--mode", "forward", "--format", "dual",
                               "--tangent", "2", "--algebra")
    expectEqual(r.status, 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    let tangent = 2 * (sin(5.0) + 5 * cos(5.0))
    expectEqual(lines, [
        "Forward trace in dual numbers a + bε, ε² = 0 (seed ẋ = 2; v̇₂ = 2·∂y/∂x)",
        "v₀ = x = 5 + 2ε",
        "v₁ = sin v₀ = sin(5 + 2ε) = \(shortText(sin(5.0))) + \(shortText(2 * cos(5.0)))ε",
        "    sin(v₀ + v̇₀ε) = sin v₀ + (v̇₀·cos v₀)ε",
        "v₂ = v₁·v₀ = (\(shortText(sin(5.0))) + \(shortText(2 * cos(5.0)))ε)(5 + 2ε) = \(shortText(5 * sin(5.0))) + \(shortText(tangent))ε   (y)",
        "    (v₁ + v̇₁ε)(v₀ + v̇₀ε) = v₁·v₀ + (v̇₁·v₀ + v̇₀·v₁)ε",
    ], "\(r.stdout)")
    let refused = try await gradstep("trace", "-e", "y = sin(x)", "--set", "x=5", "--algebra")
    expectTrue(refused.status == 2 && refused.stderr.contains("--algebra") && refused.stderr.contains("--format dual"))
}

/// Six significant digits with a typographic minus, as the trace writes numbers.
private func shortText(_ v: Double) -> String {
    var text = String(format: "%.6g", v)
    if text.hasPrefix("-") { text = "−" + text.dropFirst() }
    return text
}
