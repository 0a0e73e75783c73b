import Foundation
import Testing
import TestSupport

// `gradstep trace --mode forward --format dual`: forward mode in dual numbers a + bε.

@Test func traceWritesForwardModeInDualNumbers() async throws {
    let r = try await gradstep("trace", graph("baydin.grad"), "--mode", "forward", "--format", "dual")
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    // EXERCISES.md 1: v̇₂ = 5 and the output's tangent 5.5, as ε parts.
    #expect(lines.contains("v₂ = v₋₁·v₀ = (2 + 1ε)(5 + 0ε) = 10 + 5ε"))
    #expect(lines.last?.hasSuffix("= 11.6521 + 5.5ε   (y)") == true)
}

@Test func dualFormatNeedsForwardMode() async throws {
    let r = try await gradstep("trace", graph("baydin.grad"), "--mode", "reverse", "--format", "dual")
    #expect(r.status == 2)
    #expect(r.stderr.contains("--format dual") && r.stderr.contains("--mode forward"))
    #expect(r.stdout.isEmpty)
}

@Test func readmeDualNumberExampleIsTrue() async throws {
    let r = try await gradstep("trace", "Graphs/baydin.grad", "--mode", "forward", "--format", "dual", in: repositoryRoot)
    let readme = try manualText()
    #expect(readme.contains("$ gradstep trace Graphs/baydin.grad --mode forward --format dual\n" + r.stdout + "```"))
}
