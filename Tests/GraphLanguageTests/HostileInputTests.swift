import GraphLanguage
import Testing
import TestSupport

/// Parsing and rendering must finish without trapping, and every diagnostic must point into
/// the file, whatever the input.
private func checkSurvives(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let (file, program, diagnostics) = parse(text)
    _ = DiagnosticRenderer(useColor: true).render(diagnostics, in: file)
    for diagnostic in diagnostics {
        #expect(diagnostic.range.start.line <= file.lineCount, "\(text.debugDescription)",
                sourceLocation: sourceLocation)
        #expect(diagnostic.range.end.offset <= text.utf8.count, sourceLocation: sourceLocation)
    }
    if diagnostics.isEmpty {
        // What parsed prints back as source that parses to the same trees.
        let reparsed = parse(program.description)
        #expect(reparsed.diagnostics.isEmpty, "\(program.description)", sourceLocation: sourceLocation)
        #expect(reparsed.program.statements.map { $0.expression.map(shape) }
                == program.statements.map { $0.expression.map(shape) }, sourceLocation: sourceLocation)
    }
}

@Suite("Hostile input never traps")
struct HostileInputTests {
    @Test func randomBytes() {
        var random = SplitMix64(seed: 2018)
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...120, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            checkSurvives(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func randomTokenSoup() {
        // Fragments of the language, so the fuzzing reaches deep into the parser.
        let fragments = ["x", "θ", "x₁", "1", "2.5", ".5", "1e", "1e-3", "1.2.3", "(", ")", "[", "]", ",",
                         "+", "-", "*", "/", "@", "^", "**", "=", ";", "\n", "\r\n", "\t", " ", "#", "input",
                         "param", "const", "output", "sin", "$", "×", "\u{301}", "\u{0}", "\u{1B}"]
        var random = SplitMix64(seed: 42)
        for _ in 0..<3_000 {
            let count = Int.random(in: 0...30, using: &random)
            let text = (0..<count).map { _ in fragments.randomElement(using: &random)! }.joined()
            checkSurvives(text)
        }
    }

    @Test func randomExpressionsRoundTripThroughTheirPrintedForm() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let source = randomExpression(depth: 5, using: &random)
            let (_, program, diagnostics) = parse(source)
            expectTrue(diagnostics.isEmpty, "\(source)")
            guard let expression = program.statements.first?.expression else { continue }
            let printed = expression.description
            let reparsed = parse(printed)
            expectEqual(reparsed.program.statements.first?.expression.map(shape), shape(expression), "\(source) printed as \(printed)")
        }
    }

    @Test(arguments: ["(", "[", "-", "+", "f(", "x^", "[[", "(-"])
    func deepNestingIsAnErrorNotACrash(opener: String) throws {
        let text = "y = " + String(repeating: opener, count: 10_000) + "x"
        let (_, program, diagnostics) = parse(text)
        expectTrue(program.statements.isEmpty)
        let diagnostic = try #require(diagnostics.first)
        expectEqual(diagnostics.count, 1)
        expectEqual(diagnostic.message, "expression is nested too deeply (more than 256 levels)")
    }

    @Test func nestingUpToTheLimitParses() {
        let depth = Parser.maximumNesting
        let text = "y = " + String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth)
        let (_, program, diagnostics) = parse(text)
        expectTrue(diagnostics.isEmpty)
        expectEqual(program.statements.first?.expression.map(shape), "x")
        let tooDeep = "y = " + String(repeating: "(", count: depth + 1) + "x" + String(repeating: ")", count: depth + 1)
        expectEqual(parse(tooDeep).diagnostics.count, 1)
    }

    @Test func longChainsAreBoundedByTreeHeight() throws {
        let fine = "y = " + Array(repeating: "x", count: Parser.maximumHeight / 2).joined(separator: " + ")
        expectTrue(parse(fine).diagnostics.isEmpty)

        let huge = "y = " + String(repeating: "x+", count: 100_000) + "x\nz = 1"
        let (_, program, diagnostics) = parse(huge)
        let diagnostic = try #require(diagnostics.first)
        expectEqual(diagnostics.count, 1)
        expectEqual(diagnostic.message, "expression is too large (more than 1000 operations deep)")
        expectEqual(program.statements.map(\.name), ["z"])
    }

    @Test func veryLongLinesAndNames() {
        let name = String(repeating: "θ", count: 50_000)
        let (_, program, diagnostics) = parse("\(name) = 1; y = \(name) $")
        expectEqual(program.statements.first?.name, name)
        expectEqual(diagnostics.first?.range.start.column, 100_012)
        checkSurvives(String(repeating: " ", count: 100_000) + "$")
        checkSurvives(String(repeating: "1", count: 100_000))
        checkSurvives(String(repeating: "#", count: 100_000))
        checkSurvives(String(repeating: "\n", count: 100_000))
    }

    @Test(arguments: ["", " ", "\n", ";", "(", ")", "[", "]", "=", "^", "-", ".", "e", "#", "output", "\u{0}",
                      "\r", "\u{FEFF}", "\u{301}x", "x\u{301}", "1e999999999999", "0x10", "inf", "nan"])
    func tinyInputs(_ text: String) {
        checkSurvives(text)
    }
}

/// A random well-formed expression over every syntactic form.
private func randomExpression(depth: Int, using random: inout SplitMix64) -> String {
    let leaves = ["x", "θ", "x₁", "w_2", "1", "0.5", "2", "1e-3"]
    guard depth > 0, Int.random(in: 0..<4, using: &random) != 0 else {
        return leaves.randomElement(using: &random)!
    }
    let sub = { (random: inout SplitMix64) in randomExpression(depth: depth - 1, using: &random) }
    switch Int.random(in: 0..<6, using: &random) {
    case 0:
        return "-" + sub(&random)
    case 1:
        let op = ["+", "-", "*", "/", "@", "^"].randomElement(using: &random)!
        return sub(&random) + " \(op) " + sub(&random)
    case 2:
        return "(" + sub(&random) + ")"
    case 3:
        return "f(" + sub(&random) + ", " + sub(&random) + ")"
    case 4:
        return "[" + sub(&random) + ", " + sub(&random) + "]"
    default:
        return sub(&random) + "^-" + sub(&random)
    }
}
