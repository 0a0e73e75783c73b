/// Splits a `SourceFile` into tokens, reporting characters and numbers it cannot read.
///
/// ```swift
/// let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "-e", text: "sin(θ)*x₁"))
/// // name "sin", (, name "θ", ), *, name "x₁", end of input
/// ```
/// Names start with a letter (any script) or `_` and continue with letters, ASCII digits,
/// subscript digits `₀`…`₉` and `_`. Numbers are `3`, `0.5`, `.5`, `1e-3`. `#` starts a comment
/// that runs to the end of the line. The lexer never stops early: after an error it emits an
/// `.invalid` token and carries on, so later errors are found too.
public struct Lexer {
    public private(set) var diagnostics: [Diagnostic] = []

    private let characters: [Character]
    private var index = 0
    private var location = SourceLocation.start
    /// Where the token being read starts, in `characters`.
    private var tokenStart = 0

    public init(_ file: SourceFile) {
        self.characters = Array(file.text)
    }

    /// All tokens of `file`, ending with `.endOfFile`, and the lexical errors.
    public static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(file)
        var tokens: [Token] = []
        repeat {
            tokens.append(lexer.next())
        } while tokens.last?.kind != .endOfFile
        return (tokens, lexer.diagnostics)
    }

    /// The next token; `.endOfFile` forever once the text is used up.
    public mutating func next() -> Token {
        skipBlanksAndComments()
        let start = location
        tokenStart = index
        guard let character = peek() else {
            return Token(.endOfFile, text: "", range: SourceRange(at: start))
        }
        if character.isNewline {
            advance()
            return token(.newline, from: start)
        }
        if character.isNumberStart(next: peek(1)) {
            return number()
        }
        if character.isNameStart {
            while let next = peek(), next.isNameContinuation { advance() }
            return token(.name(text(from: start)), from: start)
        }
        advance()
        switch character {
        case "+": return token(.plus, from: start)
        case "-": return token(.minus, from: start)
        case "/": return token(.slash, from: start)
        case "@": return token(.at, from: start)
        case "^": return token(.caret, from: start)
        case "(": return token(.leftParen, from: start)
        case ")": return token(.rightParen, from: start)
        case "[": return token(.leftBracket, from: start)
        case "]": return token(.rightBracket, from: start)
        case ",": return token(.comma, from: start)
        case "=": return token(.equals, from: start)
        case ";": return token(.semicolon, from: start)
        case "*":
            guard peek() == "*" else { return token(.star, from: start) }
            // Python's power operator: say what to write instead, then read it as `^` so the
            // rest of the statement is still checked.
            advance()
            report("'**' is not an operator", from: start, hint: "write powers with '^', e.g. x^2")
            return token(.caret, from: start)
        default:
            report("unexpected character \(Self.describe(character))", from: start,
                   hint: Self.replacementHint(for: character))
            return token(.invalid, from: start)
        }
    }

    // MARK: - Numbers

    /// Reads the longest run that looks like a number (digits, dots, an exponent, and any
    /// letters glued on), then checks it, so `1.2.3` and `2x` are one error, not several.
    private mutating func number() -> Token {
        let start = location
        var dots = 0
        while let character = peek(), character.isASCIIDigit || character == "." {
            if character == "." { dots += 1 }
            advance()
        }
        var exponentDigits: Int?
        if let e = peek(), e == "e" || e == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if signed, !(peek(2)?.isASCIIDigit ?? false) {
                // `1e+` or `1e-`: the sign belongs to the exponent, which has no digits.
                advance(); advance()
                exponentDigits = 0
            } else {
                advance()
                if signed { advance() }
                var count = 0
                while let digit = peek(), digit.isASCIIDigit { advance(); count += 1 }
                exponentDigits = count
            }
        }
        var gluedName = false
        while let character = peek(), character.isNameContinuation || character == "." {
            gluedName = true
            advance()
        }

        let spelling = text(from: start)
        let problem: (message: String, hint: String)? =
            if gluedName {
                ("malformed number '\(spelling)'",
                 "put '*' between a number and a name, e.g. 2*x")
            } else if dots > 1 {
                ("malformed number '\(spelling)': more than one decimal point",
                 "a number has at most one '.', e.g. 1.25")
            } else if exponentDigits == 0 {
                ("malformed number '\(spelling)': the exponent has no digits",
                 "write the exponent after 'e', e.g. 1e-3")
            } else {
                nil
            }
        if let problem {
            report(problem.message, from: start, hint: problem.hint)
            return token(.invalid, from: start)
        }
        guard let value = Double(spelling), value.isFinite else {
            report("number '\(spelling)' is out of range", from: start,
                   hint: "numbers must be finite, at most about 1.8e308")
            return token(.invalid, from: start)
        }
        return token(.number(value), from: start)
    }

    // MARK: - Characters

    private func peek(_ ahead: Int = 0) -> Character? {
        let position = index + ahead
        return position < characters.count ? characters[position] : nil
    }

    private mutating func advance() {
        guard let character = peek() else { return }
        index += 1
        location.offset += character.utf8.count
        if character.isNewline {
            location.line += 1
            location.column = 1
        } else {
            location.column += 1
        }
    }

    private mutating func skipBlanksAndComments() {
        while let character = peek() {
            if character == "#" {
                while let next = peek(), !next.isNewline { advance() }
            } else if character.isWhitespace, !character.isNewline {
                advance()
            } else {
                return
            }
        }
    }

    /// The characters of the token read so far.
    private func text(from start: SourceLocation) -> String {
        String(characters[tokenStart..<index])
    }

    private func token(_ kind: Token.Kind, from start: SourceLocation) -> Token {
        let spelling = text(from: start)
        return Token(kind, text: spelling, range: SourceRange(start, location))
    }

    private mutating func report(_ message: String, from start: SourceLocation, hint: String?) {
        diagnostics.append(.error(message, at: SourceRange(start, location), hint: hint))
    }

    // MARK: - Messages

    /// `'$'` for visible characters, `U+001B` for control and other invisible ones.
    static func describe(_ character: Character) -> String {
        let scalars = character.unicodeScalars
        if let scalar = scalars.first, scalars.count == 1,
           scalar.properties.generalCategory == .control
            || scalar.properties.generalCategory == .format
            || (scalar.properties.isWhitespace && scalar != " ") {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(4 - hex.count, 0)) + hex
        }
        return "'\(character)'"
    }

    /// Look-alikes pasted from papers and slides, with the ASCII operator to use instead.
    static func replacementHint(for character: Character) -> String? {
        switch character {
        case "×", "·", "⋅", "∙": "write multiplication as '*'"
        case "−", "–", "—": "write subtraction or negation as '-'"
        case "÷": "write division as '/'"
        case "²": "write powers with '^', e.g. x^2"
        case "{", "}": "tensor literals use square brackets, e.g. [1, 2]"
        default: nil
        }
    }
}

// MARK: - Character classes

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }

    /// The subscript digits `₀`…`₉` (U+2080–U+2089), so `x₁` is one name.
    var isSubscriptDigit: Bool {
        guard let scalar = unicodeScalars.first, unicodeScalars.count == 1 else { return false }
        return (0x2080...0x2089).contains(scalar.value)
    }

    var isNameStart: Bool { self == "_" || isLetter }

    var isNameContinuation: Bool { isNameStart || isASCIIDigit || isSubscriptDigit }

    /// `3` or `.5`, but not a lone `.`.
    func isNumberStart(next: Character?) -> Bool {
        isASCIIDigit || (self == "." && next?.isASCIIDigit == true)
    }
}
