import Foundation
import Testing
import TestSupport

@Test func evalJSONIsExactlyTheContract() throws {
    let r = try gradstep("eval", "--json")
    #expect(r.status == 0)
    #expect(r.stdout == "{\"output\": \"y\", \"value\": 11.652071455223084, \"gradient\": {\"x1\": 5.5, \"x2\": 1.7163378145367738}}\n")
}

@Test func evalJSONNumbersRoundTrip() throws {
    // Read the numbers back with Swift's own correctly rounded parser (Foundation's JSON
    // parser on Linux is not exact in the last bit, so it cannot judge round-tripping).
    let r = try gradstep("eval", "-e", "sin(x) / 3", "--set", "x=0.1", "--json")
    let numbers = r.stdout.split(whereSeparator: { ":,{} ".contains($0) }).compactMap { Double($0) }
    #expect(numbers == [Foundation.sin(0.1) / 3, Foundation.cos(0.1) * (1.0 / 3)])
    _ = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
}

@Test func evalReportsTensorsAsNestedListsAndUnusedInputsAsZero() throws {
    let r = try gradstep("eval", "-e", "input w = [[1, 2], [3, 4]]; input u = 7; input x = [1, -1]; y = sum(w @ x)", "--json")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "{\"output\": \"y\", \"value\": -2, \"gradient\": {\"w\": [[1, -1], [1, -1]], \"u\": 0, \"x\": [4, 6]}}\n")
}

@Test func setOverridesAFilesInputsAndSeedScalesTheGradient() throws {
    let r = try gradstep("eval", "-e", "input a = 2; input b = 3; o = a*b", "--set", "a=4", "--seed-adjoint", "5", "--json")
    #expect(r.stdout == "{\"output\": \"o\", \"value\": 12, \"gradient\": {\"a\": 15, \"b\": 20}}\n")
}

@Test func evalPrintsReadableTextWithoutJSON() throws {
    let r = try gradstep("eval")
    #expect(r.stdout == "y = 11.652071455223084\n∂y/∂x1 = 5.5\n∂y/∂x2 = 1.7163378145367738\n")
}

@Test func freeNameWithoutValueIsAClearErrorWithStatus1() throws {
    let r = try gradstep("eval", "-e", "sin(x)*y", "--set", "x=1")
    #expect(r.status == 1)
    #expect(r.stderr == """
        -e:1:8: error: no value for input 'y'
         1 | sin(x)*y
           |        ^
           = hint: give it one with --set y=VALUE

        """)
}

@Test func setForAMissingNameSuggestsOne() throws {
    let r = try gradstep("eval", "-e", "input rate = 1; y = rate^2", "--set", "rat=2")
    #expect(r.status == 1)
    #expect(r.stderr == "error: --set rat: there is no input, param or const named 'rat'; did you mean 'rate'?\n")
}

@Test func usageErrorsExitWith2() throws {
    #expect(try gradstep("eval", "--bogus").status == 2)
    #expect(try gradstep("eval", "--set", "novalue").status == 2)
    #expect(try gradstep("trace", "--mode", "sideways").status == 2)
    #expect(try gradstep("eval", "some.grad", "-e", "x").status == 2)
    #expect(try gradstep("export", "-e", "x", "--set", "novalue").status == 2)
    #expect(try gradstep("export").status == 2)
}

@Test func missingFileIsAnErrorNotACrash() throws {
    let r = try gradstep("eval", "/nonexistent/graph.grad")
    #expect(r.status == 1 && r.stderr == "error: no such file: /nonexistent/graph.grad\n")
}

@Test func nonFiniteValuesAreWarnedAboutAndWrittenAsNullInJSON() throws {
    let r = try gradstep("eval", "-e", "sqrt(x)", "--set", "x=-1", "--json")
    #expect(r.status == 0)
    #expect(r.stdout == "{\"output\": \"y\", \"value\": null, \"gradient\": {\"x\": null}}\n")
    let text = try gradstep("eval", "-e", "sqrt(x)", "--set", "x=-1")
    #expect(text.stderr.contains("warning: the output is not finite"))
}
