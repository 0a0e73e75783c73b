import GraphCore
import GraphLanguage
import Testing
import TestSupport

@Suite("Lexer")
struct LexerTests {
    private func kinds(_ text: String) -> [Token.Kind] {
        Lexer.tokenize(SourceFile(name: "t", text: text)).tokens.map(\.kind)
    }

    @Test func tokensOfAnExpression() {
        expectEqual(kinds("sin(θ)*x₁ @ W^2 / [1, .5] - 3;"), [
            .name("sin"), .leftParen, .name("θ"), .rightParen, .star, .name("x₁"), .at, .name("W"),
            .caret, .number(2), .slash, .leftBracket, .number(1), .comma, .number(0.5), .rightBracket,
            .minus, .number(3), .semicolon, .endOfFile,
        ])
    }

    @Test func commentsRunToTheEndOfTheLine() {
        expectEqual(kinds("x # y = 2 $\n# whole line\ny"), [.name("x"), .newline, .newline, .name("y"), .endOfFile])
    }

    @Test func namesTakeUnicodeLettersAndSubscriptDigits() {
        expectEqual(kinds("η_0 Δw x₁₂ _tmp"), [.name("η_0"), .name("Δw"), .name("x₁₂"), .name("_tmp"), .endOfFile])
        // Superscripts are not part of names: x² is an error with a hint, not a name.
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: "x²"))
        expectEqual(tokens.map(\.kind), [.name("x"), .invalid, .endOfFile])
        expectEqual(diagnostics.first?.hint, "write powers with '^', e.g. x^2")
    }

    @Test func columnsCountCharactersAndOffsetsCountBytes() {
        let (tokens, _) = Lexer.tokenize(SourceFile(name: "t", text: "θ₁ = é\n  x"))
        let starts = tokens.map { ($0.range.start.line, $0.range.start.column, $0.range.start.offset) }
        expectEqual(starts.map(\.0), [1, 1, 1, 1, 2, 2])
        expectEqual(starts.map(\.1), [1, 4, 6, 7, 3, 4])
        expectEqual(starts.map(\.2), [0, 6, 8, 10, 13, 14])
    }

    @Test func doubleStarIsReportedAndReadAsPower() {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: "x**2"))
        expectEqual(tokens.map(\.kind), [.name("x"), .caret, .number(2), .endOfFile])
        expectEqual(diagnostics.map(\.message), ["'**' is not an operator"])
    }

    @Test func endOfFileRepeats() {
        var lexer = Lexer(SourceFile(name: "t", text: "x"))
        expectEqual(lexer.next().kind, .name("x"))
        expectEqual(lexer.next().kind, .endOfFile)
        expectEqual(lexer.next().kind, .endOfFile)
    }
}

@Suite("Source file")
struct SourceFileTests {
    @Test func linesAndSlices() {
        let file = SourceFile(name: "f.grad", text: "a = 1\r\nθ = 2\n")
        expectEqual(file.lineCount, 3)
        expectEqual(file.line(1), "a = 1")
        expectEqual(file.line(2), "θ = 2")
        expectEqual(file.line(3), "")
        expectTrue(file.line(0) == nil && file.line(4) == nil)
        let (program, _) = Parser.parse(file)
        expectEqual(program.statements.compactMap(\.nameRange).map { file.text(in: $0) }, ["a", "θ"])
    }

    /// The line scan reads eight bytes at a time while all are plain ASCII: a line break or a
    /// byte that is not plain (`\r`, a form feed, `é`, a tab, a NUL) at every place in and
    /// around such a word still gives the lines `Character.isNewline` gives.
    @Test(arguments: ["\n", "\r\n", "\r", "\u{0C}", "é", "\t", "\u{0}", "\u{2028}"])
    func linesAgreeWithCharacterIsNewlineWhereverAByteFalls(_ odd: String) {
        for length in 0 ..< 26 {
            for place in 0 ... length {
                let plain = String(repeating: "v1 = x*2\n", count: 3).prefix(length)
                let text = String(plain.prefix(place)) + odd + String(plain.dropFirst(place))
                // Expected: split at every `Character` that is a newline, in byte offsets.
                var starts = [0], offset = 0
                for character in text {
                    offset += character.utf8.count
                    if character.isNewline { starts.append(offset) }
                }
                let file = SourceFile(name: "t", text: text)
                expectEqual((1 ... starts.count).map { file.lineStart($0) }, starts.map { Optional($0) },
                            "\(text.debugDescription)")
                expectEqual(file.lineCount, starts.count, "\(text.debugDescription)")
            }
        }
    }
}

@Suite("Did you mean")
struct SuggestionTests {
    static let functions = ["sin", "cos", "tan", "tanh", "exp", "ln", "relu", "sigmoid", "softmax", "sqrt"]

    @Test(arguments: [
        ("sni", "sin"), ("sigmod", "sigmoid"), ("softamx", "softmax"), ("RELU", "relu"), ("tahn", "tanh"),
        ("sqr", "sqrt"), ("exq", "exp"),
    ])
    func suggests(typo: String, expected: String) {
        expectEqual(suggestion(for: typo, among: Self.functions), expected)
    }

    @Test(arguments: ["foo", "logarithm", "s", "", "sin"])
    func staysQuietWhenNothingIsClose(name: String) {
        expectTrue(suggestion(for: name, among: Self.functions) == nil)
    }

    @Test func shortNames() {
        expectEqual(suggestion(for: "X", among: ["x", "y"]), "x")
        expectTrue(suggestion(for: "z", among: ["x", "y"]) == nil)
        expectEqual(suggestion(for: "x3", among: ["x1", "x₁"]), "x1")
        expectEqual(suggestion(for: "θ1", among: ["θ₁", "η"]), "θ₁")
    }
}
