/// One lexeme of the graph language, with its spelling and where it is.
///
/// Keywords (`input`, `param`, `const`, `output`) are lexed as `.name`: they are reserved only
/// at the start of a statement, which only the parser knows.
public struct Token: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case number(Double)
        case name(String)
        /// A quoted file name, without its quotes: `data X = "points.csv"`.
        case string(String)
        case plus, minus, star, slash, at, caret
        case leftParen, rightParen, leftBracket, rightBracket
        case comma, equals, semicolon
        /// `:` in a slice, `x[1:3]`.
        case colon
        /// `{` and `}` around the statements of `group NAME { … }`.
        case leftBrace, rightBrace
        /// A line break; separates statements outside brackets.
        case newline
        case endOfFile
        /// Text the lexer could not make sense of (`$`, `1.2.3`). The lexer has already
        /// reported it, so the parser skips the statement without a second message.
        case invalid
        /// `<`, `<=`, `>`, `>=`, `==`, `!=`.
        case less, lessEqual, greater, greaterEqual, equalEqual, notEqual
        /// `..<` in a loop's range, `for t in 0..<4`.
        case upTo
    }

    public var kind: Kind
    /// The source spelling, e.g. `1e-3` or `θ`; empty for `.endOfFile`.
    public var text: String
    public var range: SourceRange

    public init(_ kind: Kind, text: String, range: SourceRange) {
        self.kind = kind
        self.text = text
        self.range = range
    }

    /// How messages refer to the token: `'x1'`, `')'`, `end of line`, `end of input`.
    public var quoted: String {
        switch kind {
        case .newline: "end of line"
        case .endOfFile: "end of input"
        default: "'\(text)'"
        }
    }

    /// True for `;`, a line break and the end of input, which end a statement.
    public var endsStatement: Bool {
        switch kind {
        case .newline, .semicolon, .endOfFile: true
        default: false
        }
    }
}
