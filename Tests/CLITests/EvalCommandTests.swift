import Foundation
import Testing
import TestSupport

@Test func evalJSONIsExactlyTheContract() async throws {
    let r = try await gradstep("eval", graph("baydin.grad"), "--json")
    expectEqual(r.status, 0)
    expectEqual(r.stdout, "{\"output\": \"y\", \"value\": 11.652071455223084, \"gradient\": {\"x1\": 5.5, \"x2\": 1.7163378145367738}}\n")
}

@Test func evalJSONNumbersRoundTrip() async throws {
    // Read the numbers back with Swift's own correctly rounded parser (Foundation's JSON
    // parser on Linux is not exact in the last bit, so it cannot judge round-tripping).
    let r = try await gradstep("eval", "-e", "sin(x) / 3", "--set", "x=0.1", "--json")
    let numbers = r.stdout.split(whereSeparator: { ":,{} ".contains($0) }).compactMap { Double($0) }
    let expected: [Double] = [Foundation.sin(0.1) / 3, Foundation.cos(0.1) * (1.0 / 3)]
    expectEqual(numbers, expected)
    _ = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
}

@Test func evalReportsTensorsAsNestedListsAndUnusedInputsAsZero() async throws {
    let r = try await gradstep("eval", "-e", "input w = [[1, 2], [3, 4]]; input u = 7; input x = [1, -1]; y = sum(w @ x)", "--json")
    expectEqual(r.status, 0, "\(r.stderr)")
    expectEqual(r.stdout, "{\"output\": \"y\", \"value\": -2, \"gradient\": {\"w\": [[1, -1], [1, -1]], \"u\": 0, \"x\": [4, 6]}}\n")
}

@Test func setOverridesAFilesInputsAndSeedScalesTheGradient() async throws {
    let r = try await gradstep("eval", "-e", "input a = 2; input b = 3; o = a*b", "--set", "a=4", "--seed-adjoint", "5", "--json")
    expectEqual(r.stdout, "{\"output\": \"o\", \"value\": 12, \"gradient\": {\"a\": 15, \"b\": 20}}\n")
}

@Test func evalPrintsReadableTextWithoutJSON() async throws {
    let r = try await gradstep("eval", graph("baydin.grad"))
    expectEqual(r.stdout, "y = 11.652071455223084\n∂y/∂x1 = 5.5\n∂y/∂x2 = 1.7163378145367738\n")
}

@Test func freeNameWithoutValueIsAClearErrorWithStatus1() async throws {
    let r = try await gradstep("eval", "-e", "sin(x)*y", "--set", "x=1")
    expectEqual(r.status, 1)
    expectEqual(r.stderr, """
        -e:1:8: error: no value for input 'y'
         1 | sin(x)*y
           |        ^
           = hint: give it one with --set y=VALUE

        """)
}

@Test func setForAMissingNameSuggestsOne() async throws {
    let r = try await gradstep("eval", "-e", "input rate = 1; y = rate^2", "--set", "rat=2")
    expectEqual(r.status, 1)
    expectEqual(r.stderr, "error: --set rat: there is no input, param or const named 'rat'; did you mean 'rate'?\n")
}

@Test func usageErrorsExitWith2() async throws {
    try await expectEqual(gradstep("eval", "--bogus").status, 2)
    try await expectEqual(gradstep("eval", "--set", "novalue").status, 2)
    try await expectEqual(gradstep("trace", "--mode", "sideways").status, 2)
    try await expectEqual(gradstep("eval", "some.grad", "-e", "x").status, 2)
    try await expectEqual(gradstep("export", "-e", "x", "--set", "novalue").status, 2)
    try await expectEqual(gradstep("export").status, 2)
}

@Test func missingFileIsAnErrorNotACrash() async throws {
    let r = try await gradstep("eval", "/nonexistent/graph.grad")
    expectTrue(r.status == 1 && r.stderr == "error: no such file: /nonexistent/graph.grad\n")
}

@Test func nonFiniteValuesAreWarnedAboutAndWrittenAsNullInJSON() async throws {
    let r = try await gradstep("eval", "-e", "sqrt(x)", "--set", "x=-1", "--json")
    expectEqual(r.status, 0)
    expectEqual(r.stdout, "{\"output\": \"y\", \"value\": null, \"gradient\": {\"x\": null}}\n")
    let text = try await gradstep("eval", "-e", "sqrt(x)", "--set", "x=-1")
    expectContains(text.stderr, "warning: the output is not finite")
}

@Test func anInfiniteGradientAtAFiniteOutputIsWarnedAbout() async throws {
    let r = try await gradstep("eval", "-e", "sqrt(x)", "--set", "x=0")
    expectEqual(r.status, 0)
    expectEqual(r.stdout, "y = 0\n∂y/∂x = Infinity\n")
    expectHasPrefix(r.stderr, "warning: ∂y/∂x is infinite or undefined (NaN) at this point: y is not differentiable here")
    let smooth = try await gradstep("eval", "-e", "sqrt(x)", "--set", "x=4")
    expectTrue(smooth.stderr.isEmpty)
}

@Test(arguments: ["nan", "inf", "1e400", "-1e400", "[1, nan]"])
func seedAdjointRefusesWhatSetRefuses(seed: String) async throws {
    let set = try await gradstep("eval", "-e", "x", "--set", "x=\(seed)")
    expectEqual(set.status, 1)
    let r = try await gradstep("eval", "-e", "x", "--set", "x=1", "--seed-adjoint", seed)
    expectEqual(r.status, 2)
    expectTrue(r.stdout.isEmpty)
    expectHasPrefix(r.stderr, "Error: --seed-adjoint \(seed): ")
    // The same reason as --set gives.
    let reason = set.stderr.components(separatedBy: "x=\(seed): ").last!.prefix { $0 != "\n" }
    expectContains(r.stderr, reason)
}

@Test func aNegativeSeedIsAValueNotAnOption() async throws {
    let r = try await gradstep("eval", "-e", "3*x", "--set", "x=1", "--seed-adjoint", "-2", "--json")
    expectEqual(r.stdout, "{\"output\": \"y\", \"value\": 3, \"gradient\": {\"x\": -6}}\n")
}

@Test func aTensorOutputWithTheDefaultSeedSaysItIsTheGradientOfTheSum() async throws {
    let r = try await gradstep("eval", "-e", "input w = [1, 2, 3]; y = w*w", "--json")
    expectEqual(r.status, 0)
    expectEqual(r.stdout, "{\"output\": \"y\", \"value\": [1, 4, 9], \"gradient\": {\"w\": [2, 4, 6]}}\n")
    expectContains(r.stderr, "the gradient printed is that of sum(y)")
    expectContains(r.stderr, "--seed-adjoint '[1, 0, 0]' (a vector-Jacobian product)")
}

@Test func aTensorSeedPicksOneOutputRow() async throws {
    // y = W @ x: with the seed [0, 1, 0], ∂/∂W is row 1 of W's gradient (x in row 1, zeros
    // elsewhere) and ∂/∂x is W's row 1, a vector-Jacobian product.
    let program = "input W = [[1, 2], [3, 4], [5, 6]]; input x = [7, 8]; y = W @ x"
    let r = try await gradstep("eval", "-e", program, "--seed-adjoint", "[0, 1, 0]", "--json")
    expectEqual(r.status, 0, "\(r.stderr)")
    expectEqual(r.stdout, "{\"output\": \"y\", \"value\": [23, 53, 83], \"gradient\": {\"W\": [[0, 0], [7, 8], [0, 0]], \"x\": [3, 4]}}\n")
    expectTrue(r.stderr.isEmpty, "an explicit tensor seed needs no warning")
}

@Test func aSeedOfTheWrongShapeIsAClearError() async throws {
    let r = try await gradstep("eval", "-e", "input w = [1, 2, 3]; y = w*w", "--seed-adjoint", "[0, 1]")
    expectEqual(r.status, 2)
    expectEqual(r.stderr, "error: --seed-adjoint [0, 1]: the seed has shape [2] but y has shape [3]; give a number or a tensor of shape [3]\n")
}

/// A24: PyTorch's `.grad` adds up over backward calls until `zero_grad()`. Baydin's example
/// (exercise 1) has ∇y = (5.5, 1.7163378145367738) from one sweep; N sweeps without zeroing
/// must give N times that (2g and 3g are exact sums of g, so the comparison is exact).
@Test(arguments: [1, 2, 3])
func backwardCallsAccumulateTheGradient(calls: Int) async throws {
    let r = try await gradstep("eval", graph("baydin.grad"), "--backward", "\(calls)", "--json")
    expectEqual(r.status, 0, "\(r.stderr)")
    let n = Double(calls)
    expectEqual(r.stdout, "{\"output\": \"y\", \"value\": 11.652071455223084, \"gradient\": {\"x1\": \(n * 5.5), \"x2\": \(n * 1.7163378145367738)}}\n"
        .replacingOccurrences(of: ".0,", with: ",").replacingOccurrences(of: ".0}", with: "}"))
    expectEqual(r.stderr.contains("zero_grad()"), (calls > 1))
}

@Test func backwardCallsOutOfRangeOrWithATensorSeedAreUsageErrors() async throws {
    try await expectEqual(gradstep("eval", graph("baydin.grad"), "--backward", "0").status, 2)
    try await expectEqual(gradstep("eval", "-e", "input x = [1, 2]; y = x", "--backward", "2", "--seed-adjoint", "[1, 0]").status, 2)
}
