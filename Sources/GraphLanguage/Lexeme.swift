/// The parser's own token: what `Token` says, without the strings, so it is a few plain words
/// that copy for free. Its spelling is read back from the source (`Lexer.text(of:)`) only when
/// a name becomes a syntax node or a message quotes it.
struct Lexeme {
    enum Kind: UInt8 {
        case number, name
        /// `"points.csv"`: a quoted file name (only `data` declarations take one).
        case string
        case plus, minus, star, slash, at, caret
        case leftParen, rightParen, leftBracket, rightBracket
        case comma, equals, semicolon
        /// `:` in a slice, `x[1:3]`.
        case colon
        /// `{` and `}` around the statements of `group NAME { … }`.
        case leftBrace, rightBrace
        case newline, endOfFile, invalid
        /// `<`, `<=`, `>`, `>=`, `==`, `!=`.
        case less, lessEqual, greater, greaterEqual, equalEqual, notEqual
        /// `..<` in a loop's range, `for t in 0..<4`.
        case upTo
    }

    var kind: Kind
    /// For a `.name` spelt like a statement keyword (`input`, `output`, ...), its statement kind.
    var keyword: Statement.Kind?
    var range: SourceRange
    /// The `NameTable` id of a `.name`; -1 otherwise.
    var name: Int32 = -1
    /// The value of a `.number`; 0 otherwise.
    var value: Double = 0

    /// True for `;`, a line break and the end of input, which end a statement.
    var endsStatement: Bool {
        kind == .newline || kind == .semicolon || kind == .endOfFile
    }

    /// The public token kind, given the spelling.
    func tokenKind(text: String) -> Token.Kind {
        switch kind {
        case .number: .number(value)
        case .name: .name(text)
        case .string: .string(String(text.dropFirst().dropLast()))
        case .plus: .plus
        case .minus: .minus
        case .star: .star
        case .slash: .slash
        case .at: .at
        case .caret: .caret
        case .leftParen: .leftParen
        case .rightParen: .rightParen
        case .leftBracket: .leftBracket
        case .rightBracket: .rightBracket
        case .comma: .comma
        case .equals: .equals
        case .semicolon: .semicolon
        case .colon: .colon
        case .leftBrace: .leftBrace
        case .rightBrace: .rightBrace
        case .newline: .newline
        case .endOfFile: .endOfFile
        case .invalid: .invalid
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .equalEqual: .equalEqual
        case .notEqual: .notEqual
        case .upTo: .upTo
        }
    }
}
