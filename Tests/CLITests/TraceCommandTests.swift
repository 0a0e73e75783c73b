import Foundation
import Testing
import TestSupport

@Test(arguments: ["primal", "forward", "reverse"])
func traceOfTheBuiltInExample(mode: String) async throws {
    let r = try await gradstep("trace", "--mode", mode)
    #expect(r.status == 0)
    assertSnapshot(r.stdout, named: "builtin-\(mode)")
}

@Test(arguments: ["markdown", "csv", "latex", "json"])
func traceFormats(format: String) async throws {
    let r = try await gradstep("trace", "--mode", "reverse", "--format", format)
    #expect(r.status == 0)
    assertSnapshot(r.stdout, named: "builtin-reverse-\(format)")
}

@Test func traceJSONParsesAndCarriesTheChainRuleTerms() async throws {
    let r = try await gradstep("trace", "--mode", "reverse", "--format", "json")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    let rows = object["rows"] as! [[String: Any]]
    let x2 = rows.first { $0["name"] as? String == "x2" }!
    #expect(x2["adjoint"] as? Double == 1.7163378145367738)
    let terms = x2["terms"] as! [[String: Any]]
    #expect(terms.map { $0["from"] as? String } == ["v₃", "v₂"])
}

@Test func forwardTraceSeedsTheInputNamedByWrt() async throws {
    let r = try await gradstep("trace", "--mode", "forward", "--wrt", "x2", "--format", "csv")
    let last = r.stdout.split(separator: "\n").last!
    #expect(last.hasSuffix(",11.652071455223084,1.7163378145367738"))
    let bad = try await gradstep("trace", "--mode", "forward", "--wrt", "nope")
    #expect(bad.status == 2 && bad.stderr.contains("no input or param"))
}

@Test func kinksAreMarkedInTheTrace() async throws {
    let r = try await gradstep("trace", "-e", "relu(x) + abs(x)", "--set", "x=0", "--mode", "reverse")
    #expect(r.stdout.contains("(kink)"))
}
