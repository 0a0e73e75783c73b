import GraphCore
import Testing
import TestSupport

// Forward mode in dual-number notation (course items A27–A29): each node is a + bε with
// ε² = 0, its primal and its tangent, read from the explanation model.

/// The ε part and the real part of `a + bε` / `a − bε` as written by `Explanation.dual`.
private func parseDual(_ text: String) -> (a: Double, b: Double)? {
    let minus = text.range(of: " − ", options: .backwards), plus = text.range(of: " + ", options: .backwards)
    guard let cut = [minus, plus].compactMap({ $0 }).max(by: { $0.lowerBound < $1.lowerBound }),
          text.hasSuffix("ε") else { return nil }
    func number(_ s: Substring) -> Double? { Double(s.replacingOccurrences(of: "−", with: "-")) }
    guard let a = number(text[..<cut.lowerBound]), let b = number(text[cut.upperBound...].dropLast()) else { return nil }
    return (a, cut == minus ? -b : b)
}

@Test func baydinForwardTraceInDualNumbersCarriesTheCourseTangents() throws {
    let tape = try baydinTape()
    let x = Explanation(tape: tape, values: tape.evaluate(), phase: .forward, tangentSeed: TangentSeed(leaf: 0))
    let lines = x.dualSentences
    expectEqual(lines.map(\.label), ["v₋₁", "v₀", "v₁", "v₂", "v₃", "v₄", "v₅"])
    // EXERCISES.md 1: tangents with seed ẋ1 = 1, and the primal trace.
    let tangents = [1, 0, 0.5, 5, 0, 5.5, 5.5]
    let primals = [2, 5, 0.6931471805599453, 10, -0.9589242746631385, 10.693147180559945, 11.652071455223084]
    for (k, line) in lines.enumerated() {
        let parsed = try #require(parseDual(line.result), "\(line.result)")
        expectTrue(isClose(parsed.b, tangents[k], rel: 1e-6), "\(line.label): \(line.result)")
        expectTrue(isClose(parsed.a, primals[k], rel: 1e-5), "\(line.label): \(line.result)")
    }
    // The brief's example line, character for character.
    expectEqual(lines[3].line, "v₂ = v₋₁·v₀ = (2 + 1ε)(5 + 0ε) = 10 + 5ε")
    expectEqual(lines[0].line, "v₋₁ = x1 = 2 + 1ε")
    expectEqual(lines[2].line, "v₁ = ln v₋₁ = ln(2 + 1ε) = 0.693147 + 0.5ε")
}

@Test func baydinDualTraceSnapshot() throws {
    let tape = try baydinTape()
    let trace = Trace(tape: tape, values: tape.evaluate(), phase: .forward, tangentSeed: TangentSeed(leaf: 0))
    assertSnapshot(trace.render(.dual), named: "baydin-forward-dual")
}

@Test func dualNumbersOfTheOtherSeedHoldTheOtherPartial() throws {
    // Seed ẋ2 = 1: the ε part of y is ∂y/∂x2 = x1 − cos x2 = v̄₀ of EXERCISES.md 1.
    let tape = try baydinTape()
    let x = Explanation(tape: tape, values: tape.evaluate(), phase: .forward, tangentSeed: TangentSeed(leaf: 1))
    let y = try #require(parseDual(x.dual(tape.output)))
    expectTrue(isClose(y.b, 1.7163378145367738, rel: 1e-5))
    expectTrue(x.dual(0) == "2 + 0ε" && x.dual(1) == "5 + 1ε")
}

@Test func dualNumbersWriteNegativeTangentsConstantsAndTensors() throws {
    var b = TapeBuilder()
    let x = b.leaf(.input, .scalar, [2], name: "x")
    let three = b.leaf(.constant, .scalar, [3])
    let n = try b.apply(.neg, [x])
    let y = try b.apply(.mul, [n, three], name: "y")
    let tape = b.finish(output: y).tape
    let e = Explanation(tape: tape, values: tape.evaluate(), phase: .forward, tangentSeed: TangentSeed(leaf: 0))
    expectEqual(e.dual(n.raw), "−2 − 1ε")
    // A constant is a real number: its ε part is 0 and it is written plain.
    expectEqual(e.dualSentence(y.raw).line, "v₂ = v₁·3 = (−2 − 1ε)·3 = −6 − 3ε   (y)")

    var t = TapeBuilder()
    let v = t.leaf(.input, .vector(2), [1, 2], name: "v")
    let s = try t.apply(.sin, [v])
    let tensorTape = t.finish(output: s).tape
    let te = Explanation(tape: tensorTape, values: tensorTape.evaluate(), phase: .forward,
                         tangentSeed: TangentSeed(leaf: 0, element: 1))
    expectEqual(te.dual(v.raw), "[1, 2] + [0, 1]ε")
    // Primal and tangent are the explanation's own numbers, cos 2 in the seeded element.
    expectEqual(te.dual(s.raw), "[0.8415, 0.9093] + [0, −0.4161]ε")
}

@Test func dualNotationOutsideForwardModeIsThePrimal() throws {
    let tape = try baydinTape()
    let x = Explanation(tape: tape, values: tape.evaluate(), phase: .primal)
    expectEqual(x.dual(3), "10")
    let trace = Trace(x)
    expectEqual(trace.render(.dual), trace.render(.text))
}
