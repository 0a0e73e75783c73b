import GraphLanguage
import Testing
import TestSupport

/// Every syntax error message, rendered as the user sees it. The snapshots in
/// `__Snapshots__/syntax-error-*.txt` show the caret under the offending text.
@Suite("Diagnostics: one snapshot per syntax error")
struct SyntaxErrorSnapshotTests {
    static let cases: [(name: String, source: String)] = [
        ("unexpected-close-paren", "input x1 = 2\ny = ln(x1))"),
        ("unexpected-close-bracket", "w = [1, 2]]"),
        ("unexpected-character", "input x = 2\ny = x $ 2"),
        ("unexpected-control-character", "y = x\u{1B}"),
        ("unexpected-character-lookalike", "y = 2 × x"),
        ("unexpected-character-minus-lookalike", "y = x − 1"),
        ("power-written-as-double-star", "y = x**2"),
        ("unclosed-call", "y = ln(x1\nz = 2"),
        ("unclosed-tensor", "param w = [0.5, -1\noutput w"),
        ("unclosed-paren-at-end", "y = (a + b"),
        ("mismatched-bracket", "y = (a + b]"),
        ("missing-comma-between-arguments", "y = f(x1 x2)"),
        ("missing-comma-between-elements", "w = [1 2]"),
        ("missing-operator-in-parentheses", "y = (a b)"),
        ("missing-operator", "y = 2 x"),
        ("missing-equals-in-declaration", "input x 2"),
        ("missing-equals-in-assignment", "y ln(x)"),
        ("missing-value", "input x"),
        ("missing-expression-after-equals", "y = "),
        ("missing-operand", "y = 2 *"),
        ("missing-exponent", "y = x^"),
        ("missing-expression-before-operator", "y = * 2"),
        ("missing-argument-after-comma", "y = f(a, , b)"),
        ("empty-parentheses", "y = ()"),
        ("output-without-name", "output"),
        ("output-with-expression", "output y + 1"),
        ("keyword-without-name", "input = 3"),
        ("assignment-to-expression", "2*x = y"),
        ("second-equals", "x = 1 = 2"),
        ("number-glued-to-name", "y = 2x"),
        ("number-without-exponent-digits", "y = 1e"),
        ("number-with-signed-empty-exponent", "y = 1e-"),
        ("number-with-two-points", "y = 1.2.3"),
        ("number-out-of-range", "y = 1e400"),
        ("empty-input", ""),
        ("only-comments", "# nothing here\n\n"),
    ]

    @Test(arguments: cases)
    func snapshot(name: String, source: String) {
        let (file, _, diagnostics) = parse(source)
        expectEqual(diagnostics.count, 1)
        expectTrue(diagnostics.allSatisfy { $0.severity == .error })
        assertSnapshot(DiagnosticRenderer().render(diagnostics, in: file), named: "syntax-error-\(name)")
    }

    @Test func baydinExampleFromTheDesign() {
        let text = rendered("input x1 = 2\ninput x2 = 5\ny = ln(x1))", name: "baydin.grad")
        expectEqual(text, """
            baydin.grad:3:11: error: unexpected ')'
             3 | y = ln(x1))
               |           ^
               = hint: remove the extra ')'

            """)
    }
}

@Suite("Diagnostics: rendering")
struct RendererTests {
    @Test func caretsAlignUnderUnicodeNames() {
        // θ, x₁ and η are one column each whatever their UTF-8 length.
        assertSnapshot(rendered("θ = 1\nη = θ*x₁ $ 2"), named: "render-unicode-alignment")
    }

    @Test func caretsKeepTabs() {
        let text = rendered("\ty =\tx $")
        expectContains(text, "\n   | \t   \t  ^\n")
        assertSnapshot(text, named: "render-tabs")
    }

    @Test func rangeIsUnderlinedWithTildes() {
        let file = SourceFile(name: "lowering.grad", text: "input x = 2\ny = sni(x) + θ₁")
        let diagnostics: [Diagnostic] = [
            .error("unknown function 'sni'", at: range(2, 5, 8), hint: "did you mean 'sin'?"),
            .warning("'θ₁' is never used", at: range(2, 14, 16)),
            .note("the gradient of 'x' is reported", at: range(1, 7, 8)),
        ]
        assertSnapshot(DiagnosticRenderer().render(diagnostics, in: file), named: "render-severities-and-ranges")
    }

    @Test func multiLineRangeIsUnderlinedToTheEndOfItsFirstLine() {
        let file = SourceFile(name: "m.grad", text: "W = [[1, 2],\n     [3]]")
        let start = GraphLanguage.SourceLocation(line: 1, column: 5, offset: 4)
        let end = GraphLanguage.SourceLocation(line: 2, column: 10, offset: 22)
        let text = Diagnostic.error("ragged tensor literal", at: SourceRange(start, end)).rendered(in: file)
        expectHasSuffix(text, " 1 | W = [[1, 2],\n   |     ^~~~~~~~\n")
    }

    @Test func gutterWidensForLongLineNumbers() {
        let source = String(repeating: "\n", count: 120) + "y = $"
        assertSnapshot(rendered(source), named: "render-wide-gutter")
    }

    @Test func colourIsOptIn() {
        let (file, _, diagnostics) = parse("y = ln(x))")
        let plain = DiagnosticRenderer().render(diagnostics, in: file)
        let coloured = DiagnosticRenderer(useColor: true).render(diagnostics, in: file)
        expectNotContains(plain, "\u{1B}")
        expectContains(coloured, "\u{1B}[1;31merror:\u{1B}[0m")
        assertSnapshot(coloured, named: "render-colour")
        // Without its escapes the coloured text is the plain text.
        #expect(coloured.replacing(/\x1B\[[0-9;]*m/, with: "") == plain)
    }

    private func range(_ line: Int, _ from: Int, _ to: Int) -> SourceRange {
        // Offsets are not used by the renderer; columns are.
        SourceRange(GraphLanguage.SourceLocation(line: line, column: from, offset: from),
                    GraphLanguage.SourceLocation(line: line, column: to, offset: to))
    }
}

@Suite("Diagnostics: error recovery")
struct RecoveryTests {
    @Test func everyBrokenStatementIsReported() {
        let source = """
            input x1 = 2
            input x2 5
            v = ln(x1)) + x1*x2
            w = [1, 2
            u = x1 $ x2
            y = v - sin(x2) +
            output
            z = 1.2.3 * x1
            ok = x1 * x2
            """
        let (file, program, diagnostics) = parse(source)
        expectEqual(diagnostics.map(\.range.start.line), [2, 3, 4, 5, 6, 7, 8])
        // The statements that parsed are kept, the broken ones dropped.
        expectEqual(program.statements.map(\.name), ["x1", "ok"])
        assertSnapshot(DiagnosticRenderer().render(diagnostics, in: file), named: "recovery-several-errors")
    }

    @Test func recoverySkipsTheRestOfABrokenMatrix() {
        let (_, program, diagnostics) = parse("""
            param W = [[1, $],
                       [3, 4]]
            y = W
            """)
        expectEqual(diagnostics.count, 1)
        expectEqual(program.statements.map(\.name), ["y"])
    }

    @Test func semicolonEndsTheSkip() {
        let (_, program, diagnostics) = parse("a = (1 + ; b = 2; c = ]; d = 4")
        expectEqual(diagnostics.map(\.range.start.column), [10, 23])
        expectEqual(program.statements.map(\.name), ["b", "d"])
    }

    @Test func diagnosticsAreInSourceOrder() {
        // The lexer's error (line 2) and the parser's (line 1) come out sorted.
        let (_, _, diagnostics) = parse("y = (\nz = $")
        expectEqual(diagnostics.map(\.range.start.line), [1, 2])
    }
}
