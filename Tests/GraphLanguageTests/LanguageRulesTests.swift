import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Loads `text` as a file, or records the rendered failure.
private func load(_ text: String, values: [(name: String, text: String)] = []) throws -> Graph {
    switch GraphLoader.load(SourceFile(name: "test.grad", text: text), graphName: "test", mode: .file, values: values) {
    case .success(let graph): return graph
    case .failure(let f): throw GraphDidNotLoad(description: f.rendered())
    }
}

/// Names are compared in Unicode's composed form, a program has one output, and
/// `cross_entropy` follows 0·ln 0 = 0.
@Suite("Language rules: names, output, cross-entropy")
struct LanguageRulesTests {
    // MARK: - Unicode normalisation

    @Test func aDecomposedNameIsTheSameAsItsComposedForm() throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        expectTrue(Array(composed.unicodeScalars) != Array(decomposed.unicodeScalars))
        let graph = try load("input \(composed) = 3\ny = \(decomposed) * 2")
        expectEqual(graph.tape.evaluate()[graph.tape.output], 6)
        expectEqual(graph.differentiableLeaves.count, 1)
        // --set may be typed either way too.
        let set = try load("input \(decomposed) = 3\ny = \(composed) * 2", values: [(composed, "5")])
        expectEqual(set.tape.evaluate()[set.tape.output], 10)
    }

    @Test func aNameDefinedTwiceInDifferentFormsIsDefinedTwice() {
        let (_, _, diagnostics) = parse("input caf\u{E9} = 1\ninput cafe\u{301} = 2\ny = caf\u{E9}")
        expectTrue(diagnostics.isEmpty)
        guard case .failure(let f) = GraphLoader.load(SourceFile(name: "t.grad", text: "input caf\u{E9} = 1\ninput cafe\u{301} = 2\ny = caf\u{E9}"),
                                                      graphName: "t", mode: .file) else {
            Issue.record("a name defined twice loaded")
            return
        }
        expectEqual(f.diagnostics.map(\.message), ["'caf\u{E9}' is defined twice"])
        expectEqual(f.diagnostics.first?.range.start.line, 2)
    }

    @Test func anExpressionsFreeNamesAreNormalisedToo() throws {
        let graph = try loadExpression("e\u{301} + \u{E9}", values: [("e\u{301}", "2")])
        expectEqual(graph.tape.evaluate()[graph.tape.output], 4)
        // One input, named in the composed form.
        expectEqual(graph.differentiableLeaves.map { Array($0.name.unicodeScalars) }, [["\u{E9}"]])
    }

    // MARK: - One output

    @Test func aSecondOutputIsAnErrorThatNamesTheFirst() throws {
        let text = "input x = 1\ny = x^2\nz = y + 1\noutput y\noutput z"
        guard case .failure(let f) = GraphLoader.load(SourceFile(name: "t.grad", text: text), graphName: "t", mode: .file) else {
            Issue.record("two outputs loaded")
            return
        }
        expectEqual(f.rendered(), """
            t.grad:5:1: error: a second 'output' statement: the output is already 'y'
             5 | output z
               | ^~~~~~~~
               = hint: 'output y' on line 4 names the output; keep one of the two

            """)
    }

    @Test func oneOutputStillChoosesTheOutput() throws {
        let graph = try load("input x = 1\ny = x^2\noutput y\nz = y + 1")
        expectEqual(graph.outputName, "y")
    }

    // MARK: - cross_entropy and 0·ln 0

    @Test func aPerfectPredictionHasLossZeroAndFiniteGradients() throws {
        let graph = try load("input p = [1, 0]\ninput t = [1, 0]\nL = cross_entropy(p, t)")
        let tape = graph.tape
        let values = tape.evaluate()
        expectEqual(values[tape.offset(of: tape.output)], 0)
        let adjoints = tape.adjoints(values: values)
        let p = try #require(graph.node(named: "p")), t = try #require(graph.node(named: "t"))
        // ∂L/∂p = −t/p where t ≠ 0, and 0 where t = 0; ∂L/∂t = −ln p, and 0 where t = 0 and p = 0.
        expectEqual(Array(adjoints[tape.offset(of: p) ..< tape.offset(of: p) + 2]), [-1, 0])
        expectEqual(Array(adjoints[tape.offset(of: t) ..< tape.offset(of: t) + 2]), [0, 0])
        // Forward mode gives the same directional derivatives.
        for leaf in [p, t] {
            let tangents = tape.tangents(values: values, seed: tape.tangentSeed(leaf: leaf))
            let sum = adjoints[tape.offset(of: leaf) ..< tape.offset(of: leaf) + 2].reduce(0, +)
            expectEqual(tangents[tape.offset(of: tape.output)], sum)
        }
    }

    @Test func aZeroTargetContributesNothingButItsLogTerm() throws {
        let graph = try load("input p = [0.7, 0.3]\ninput t = [1, 0]\nL = cross_entropy(p, t)")
        let tape = graph.tape
        let values = tape.evaluate()
        expectTrue(Swift.abs(values[tape.offset(of: tape.output)] - -Foundation.log(0.7)) < 1e-15)
        let adjoints = tape.adjoints(values: values)
        let p = tape.offset(of: try #require(graph.node(named: "p")))
        let t = tape.offset(of: try #require(graph.node(named: "t")))
        expectTrue(Swift.abs(adjoints[p] - -1 / 0.7) < 1e-15)
        expectEqual(adjoints[p + 1], 0)
        expectTrue(Swift.abs(adjoints[t] - -Foundation.log(0.7)) < 1e-15)
        expectTrue(Swift.abs(adjoints[t + 1] - -Foundation.log(0.3)) < 1e-15)
        // Central differences in t agree (the loss is linear in t).
        let h = 1e-6
        for k in 0..<2 {
            var plus = values, minus = values
            plus[t + k] += h
            minus[t + k] -= h
            tape.forward(&plus)
            tape.forward(&minus)
            let numeric = (plus[tape.offset(of: tape.output)] - minus[tape.offset(of: tape.output)]) / (2 * h)
            expectTrue(Swift.abs(numeric - adjoints[t + k]) < 1e-8)
        }
    }
}

extension Tape {
    /// Where node `i`'s values start in the value buffer.
    fileprivate func offset(of i: Int) -> Int { Int(entries[i].offset) }
}
