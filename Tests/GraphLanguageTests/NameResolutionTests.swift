import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Names are numbered once by the parser and resolved by number; these check that many names,
/// look-alike Unicode names and keyword or function spellings still resolve as written.
@Suite("Lowering: name resolution")
struct NameResolutionTests {
    @Test func thousandsOfNamesResolveToTheirOwnNodes() throws {
        // Enough distinct names to make the name table grow several times.
        var lines = ["input a0 = 1"]
        for k in 1...5_000 { lines.append("a\(k) = a\(k - 1) + a\(k / 2)") }
        let graph = try GraphLoader.load(SourceFile(name: "t", text: lines.joined(separator: "\n")),
                                         graphName: "t", mode: .file).get()
        expectEqual(graph.symbols.count, 5_001)
        expectEqual(graph.tape.count, 5_001)
        for k in [0, 1, 2, 1_024, 4_999, 5_000] {
            let node = try #require(graph.node(named: "a\(k)"))
            expectEqual(graph.tape.names[node], "a\(k)")
        }
    }

    @Test func unicodeNamesThatShareBytesStayApart() throws {
        let source = "input θ = 1\ninput θ₁ = 2\ninput x₁ = 3\ninput x₂ = 4\ny = θ*x₁ + θ₁*x₂"
        let graph = try GraphLoader.load(SourceFile(name: "t", text: source), graphName: "t", mode: .file).get()
        expectEqual(Set(graph.symbols.keys), ["θ", "θ₁", "x₁", "x₂", "y"])
        let y = Evaluation(graph.tape).value(graph.tape.output).first
        expectEqual(y, 11)  // θ*x₁ + θ₁*x₂ = 1*3 + 2*4
    }

    @Test func functionAndKeywordSpellingsWorkAsValues() throws {
        let source = "input x = 2\nsin = x * 3\ninputs = sin(sin)\noutput inputs"
        let graph = try GraphLoader.load(SourceFile(name: "t", text: source), graphName: "t", mode: .file).get()
        expectEqual(graph.outputName, "inputs")
        let y = try #require(Evaluation(graph.tape).value(graph.tape.output).first)
        expectTrue(abs(y - sin(6)) < 1e-12)
    }
}
