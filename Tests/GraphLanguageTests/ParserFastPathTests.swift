import Foundation
@testable import GraphLanguage
import Testing
import TestSupport

/// The parser reads the right side of simple assignments (`a + b`, `sin(a)`, `f(a, b)`, `-a`,
/// `a`) on a fast path (`Parser+SimpleStatement.swift`) and everything else by recursive
/// descent. Both must give the same program (every `Expr` with its ranges), the same names in
/// the same order, and the same diagnostics: each input here is parsed both ways and compared.
@Suite("Parser fast path")
struct ParserFastPathTests {
    private struct Parsed: Equatable {
        var program: Program
        var diagnostics: [String]
        var defined: [Int32]
        var uses: [Int32]
        var useStart: [Int]
    }

    private func parse(_ text: String, fastPath: Bool) -> Parsed {
        let (program, diagnostics, names) = Parser.parseResolvingNames(SourceFile(name: "t", text: text), simpleStatements: fastPath)
        return Parsed(program: program, diagnostics: diagnostics.map { "\($0.severity) \($0.range) \($0.message) | \($0.hint ?? "")" },
                      defined: names.defined, uses: names.uses, useStart: names.useStart)
    }

    /// How many assignments of `text` the fast path reads.
    private func fastPathCount(_ text: String) -> Int {
        var parser = Parser(lexer: Lexer(SourceFile(name: "t", text: text)))
        _ = parser.parseProgram(expectedStatements: 1)
        return parser.simpleStatementsRead
    }

    /// Each simple form, and the forms next to them that the fast path must leave alone: a
    /// second operator, parentheses, subscripts, keyword arguments, trailing commas, line
    /// breaks inside a call, chained comparisons, a missing operand, a group's closing brace,
    /// non-ASCII spellings, comments, and statements after `;`.
    static let edges = [
        "v = a + b", "v = a - b\nw = a * b\nx = a / b\ny = a @ b\nz = a ^ b", "v = a < b; w = a <= b; x = a > b; y = a >= b; z = a == b; u = a != b",
        "v = sin(a)", "v = f(a, b)", "v = f(a, 2)", "v = 2 * a", "v = a * 0.5", "v = -a", "v = +a", "v = -2", "v = a", "v = 3",
        "v = a + b * c", "v = (a)", "v = a[1]", "v = f(a)[0]", "v = f(x=1)", "v = f(a, b,)", "v = f(a,\n b)", "v = f(a, b, c)",
        "v = f()", "v = a < b < c", "v = a +", "v = a b", "v = f(a b)", "v = - - a", "v = -a ^ 2", "v = 1 (2)", "v = a +\n b",
        "group g {\n input a = 1\n v = a + a }\n", "v = a + b }", "v = input + data", "v = exp(v1) # comment\nw = v", "v = a + b\u{301}",
        "v = θ * x₁", "v = a $ b", "v = sin(a", "v = a ** b", "v = a + 1e400", "v = 1.5e3 * a\n", "input a = 1\nv = a\noutput v\n",
        "v = a\r\nw = b", "a = b = c", "v = = a", "v = a +\n", "def f(x) = x + 1\nv = f(a)", "v = f(-a)", "v = [1, 2]",
    ]

    @Test(arguments: edges)
    func bothPathsParseAnEdgeAlike(_ text: String) {
        expectEqual(parse(text, fastPath: true), parse(text, fastPath: false))
    }

    /// The graphs shipped in `Graphs/` and the fuzzer's corpus, hostile inputs included.
    @Test(arguments: LexerFastPathTests.files)
    func bothPathsParseAFileAlike(_ url: URL) throws {
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        expectEqual(parse(text, fastPath: true), parse(text, fastPath: false))
    }

    @Test func theSimpleFormsTakeTheFastPath() {
        // One per form: a binary operator, a comparison, a power, a call of one and of two
        // arguments, a negation, a plain name, a number.
        expectEqual(fastPathCount("v = a + b\nw = a < b\nx = a ^ 2\ny = sin(a)\nz = f(a, b)\nu = -a\nt = a\ns = 3\n"), 8)
        // None of these: the general path reads them.
        expectEqual(fastPathCount("v = a + b * c\nw = (a)\nx = a[0]\ny = f(a, b, c)\nz = f(x=1)\nu = - - a\n"), 0)
        // Declarations and bare expressions are not assignments.
        expectEqual(fastPathCount("input a = 1\na + 1\noutput a\n"), 0)
    }

    /// A generated file in full, with its numbers: what the benchmark loads.
    @Test func aGeneratedGraphLoadsAlikeBothWays() {
        var lines = ["input x0 = 0.5", "input x1 = -0.25"]
        for i in 1...200 {
            let a = i == 1 ? "x0" : "v\(i - 1)", b = i % 3 == 0 ? "x1" : "v\(max(1, i / 2))"
            lines.append(["v\(i) = \(a) + \(b)", "v\(i) = sin(\(a))", "v\(i) = \(a) * \(i == 1 ? "x1" : b)", "v\(i) = tanh(\(a))"][i % 4])
        }
        let text = lines.joined(separator: "\n") + "\n"
        expectEqual(fastPathCount(text), 200)
        expectEqual(parse(text, fastPath: true), parse(text, fastPath: false))
    }
}
