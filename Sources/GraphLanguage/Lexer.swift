import Foundation
import GraphCore

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
    /// The lexical errors so far: at most `Limits.maximumDiagnostics`, then a summary.
    public var diagnostics: [Diagnostic] { collector.bounded }
    private(set) var collector = DiagnosticCollector()
    /// Every name read so far, numbered.
    var names = NameTable()

    /// The text's bytes, its one copy (the `SourceFile`'s), which everything here reads.
    let source: SourceBytes
    private let scanner: CharacterScanner
    /// `source`'s bytes, as a buffer.
    private let bytes: UnsafeBufferPointer<UInt8>
    /// `source.base` and the offset of its last byte (−1 for no bytes), held here so the fast
    /// path (`Lexer+ASCII.swift`) reads them without going through `source`.
    let base: UnsafePointer<UInt8>
    let lastOffset: Int
    /// `isASCIINameByte`, held here so the per-byte lookup skips the global's lazy-init check.
    private let nameBytes: [Bool] = Lexer.isASCIINameByte
    /// The byte offset of the next character.
    var index = 0
    var location = SourceLocation.start
    /// Where the token being read starts, in `bytes`.
    var tokenStart = 0
    /// Whether plain-ASCII tokens take the fast path; off only in the test that checks both
    /// paths read every token alike.
    var usesASCIIFastPath = true
    /// `SourceFile.isPlainASCII`: every byte is one `Character`, so the plain path
    /// (`nextPlainLexeme`) needs no look-ahead.
    let isPlainASCII: Bool
    /// `base`'s byte count, and `plainByteClasses` held here (a static is a lazy global).
    let byteCount: Int
    let byteClasses: UnsafePointer<UInt8> = Lexer.plainByteClasses
    /// `NameTable.keywords.count`: a name with a larger id is no keyword.
    let keywordCount = Int32(NameTable.keywords.count)

    public init(_ file: SourceFile) {
        self.source = SourceBytes(file.text)
        self.scanner = CharacterScanner(source)
        self.bytes = source.buffer
        self.base = source.base
        self.lastOffset = source.count - 1
        self.byteCount = source.count
        self.isPlainASCII = file.isPlainASCII
        // A name per ~24 bytes is about what generated and hand-written files have.
        self.names = NameTable(expectedNames: bytes.count / 24)
    }

    /// All tokens of `file`, ending with `.endOfFile`, and the lexical errors.
    public static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(file)
        var tokens: [Token] = []
        // Most statements are four to eight tokens of a few bytes each.
        tokens.reserveCapacity(lexer.bytes.count / 3 + 1)
        repeat {
            tokens.append(lexer.next())
        } while tokens.last?.kind != .endOfFile
        return (tokens, lexer.diagnostics)
    }

    /// The next token; `.endOfFile` forever once the text is used up.
    public mutating func next() -> Token {
        let lexeme = nextLexeme()
        let text = text(of: lexeme)
        return Token(lexeme.tokenKind(text: text), text: text, range: lexeme.range)
    }

    /// The source spelling of a lexeme, e.g. `1e-3` or `θ`; empty for `.endOfFile`.
    func text(of lexeme: Lexeme) -> String {
        let spelling = UnsafeBufferPointer(rebasing: bytes[lexeme.range.start.offset ..< lexeme.range.end.offset])
        // Made in place: a short ASCII spelling (most names) becomes a small string by a
        // word-wide ASCII check rather than the byte-by-byte decoding of
        // `String(decoding:as:)` (208 instructions for a name of a few bytes, was 265);
        // anything else is checked and repaired as before.
        return String(unsafeUninitializedCapacity: spelling.count) { buffer in
            _ = buffer.initialize(fromContentsOf: spelling)
            return spelling.count
        }
    }

    /// The next token as the parser sees it; `.endOfFile` forever once the text is used up.
    @inline(__always)
    mutating func nextLexeme() -> Lexeme {
        if usesASCIIFastPath {
            if isPlainASCII {
                if let lexeme = nextPlainLexeme() { return lexeme }
            } else if let lexeme = nextASCIILexeme() {
                return lexeme
            }
        }
        return nextLexemeCharacterByCharacter()
    }

    /// `nextLexeme`'s general path: any token, read one `Character` at a time.
    private mutating func nextLexemeCharacterByCharacter() -> Lexeme {
        skipBlanksAndComments()
        let start = location
        tokenStart = index
        guard let character = peek() else {
            return Lexeme(kind: .endOfFile, range: SourceRange(at: start))
        }
        if character.kind == .newline {
            advance(character)
            return token(.newline, from: start)
        }
        if character.kind == .digit || (character.byte == UInt8(ascii: ".") && peek(1)?.kind == .digit) {
            return number()
        }
        if character.kind == .nameStart {
            advance(character)
            skipASCIINameCharacters()
            while let next = peek(), next.continuesName { advance(next) }
            let name = internName(UnsafeBufferPointer(rebasing: bytes[tokenStart ..< index]))
            return Lexeme(kind: .name, keyword: names.keyword(name), range: SourceRange(start, location), name: name)
        }
        if character.byte == UInt8(ascii: "\"") { return string() }
        advance(character)
        switch character.byte {
        case UInt8(ascii: "+"): return token(.plus, from: start)
        case UInt8(ascii: "-"): return token(.minus, from: start)
        case UInt8(ascii: "/"): return token(.slash, from: start)
        case UInt8(ascii: "@"): return token(.at, from: start)
        case UInt8(ascii: "^"): return token(.caret, from: start)
        case UInt8(ascii: "("): return token(.leftParen, from: start)
        case UInt8(ascii: ")"): return token(.rightParen, from: start)
        case UInt8(ascii: "["): return token(.leftBracket, from: start)
        case UInt8(ascii: "]"): return token(.rightBracket, from: start)
        case UInt8(ascii: ","): return token(.comma, from: start)
        // The kind is decided (taking a following '=') before `token` reads where the token ends.
        case UInt8(ascii: "="):
            let kind: Lexeme.Kind = followedByEquals() ? .equalEqual : .equals
            return token(kind, from: start)
        case UInt8(ascii: "<"):
            let kind: Lexeme.Kind = followedByEquals() ? .lessEqual : .less
            return token(kind, from: start)
        case UInt8(ascii: ">"):
            let kind: Lexeme.Kind = followedByEquals() ? .greaterEqual : .greater
            return token(kind, from: start)
        case UInt8(ascii: "!") where followedByEquals(): return token(.notEqual, from: start)
        case UInt8(ascii: ".") where peek()?.byte == UInt8(ascii: ".") && peek(1)?.byte == UInt8(ascii: "<"):
            advance(peek()!)
            advance(peek()!)
            return token(.upTo, from: start)
        case UInt8(ascii: ";"): return token(.semicolon, from: start)
        case UInt8(ascii: ":"): return token(.colon, from: start)
        case UInt8(ascii: "{"): return token(.leftBrace, from: start)
        case UInt8(ascii: "}"): return token(.rightBrace, from: start)
        case UInt8(ascii: "*"):
            guard let star = peek(), star.byte == UInt8(ascii: "*") else { return token(.star, from: start) }
            // Python's power operator: say what to write instead, then read it as `^` so the
            // rest of the statement is still checked.
            advance(star)
            report("'**' is not an operator", from: start, hint: "write powers with '^', e.g. x^2")
            return token(.caret, from: start)
        default:
            return unexpectedCharacters(from: start)
        }
    }

    /// True when `..<` starts at the next character.
    private func startsUpTo() -> Bool {
        peek()?.byte == UInt8(ascii: ".") && peek(1)?.byte == UInt8(ascii: ".") && peek(2)?.byte == UInt8(ascii: "<")
    }

    /// Takes a `=` that follows a comparison's first character (`<=`, `==`, `!=`).
    private mutating func followedByEquals() -> Bool {
        guard let next = peek(), next.byte == UInt8(ascii: "=") else { return false }
        advance(next)
        return true
    }

    // MARK: - Unexpected characters

    /// A run of characters that start no token (`$$$`, a block of NUL bytes) is one error,
    /// not one per character, so hostile input costs one message and linear time.
    private mutating func unexpectedCharacters(from start: SourceLocation) -> Lexeme {
        let first = scanner.character(at: tokenStart)
        let firstLength = index - tokenStart
        var count = 1, allSame = true, hasControl = false
        var next = peek()
        while let c = next, startsNoToken(c) {
            if allSame {
                allSame = c.length == firstLength
                    && (c.length == 1 ? bytes[index] == bytes[tokenStart]
                        : bytes[index ..< index + c.length].elementsEqual(bytes[tokenStart ..< tokenStart + firstLength]))
            }
            if c.length == 1 && (c.byte < 0x20 || c.byte == 0x7F) { hasControl = true }
            advance(c)
            count += 1
            next = peek()
        }
        let described = Self.describe(first)
        let message: String
        if count == 1 {
            message = "unexpected character \(described)"
        } else if allSame {
            message = "unexpected character \(described), \(Limits.grouped(count)) times in a row"
        } else if count <= 10, !described.hasPrefix("U+"), !hasControl {
            message = "unexpected characters '\(text(from: tokenStart))'"
        } else {
            message = "\(Limits.grouped(count)) unexpected characters, starting with \(described)"
        }
        hasControl = hasControl || first.unicodeScalars.first?.properties.generalCategory == .control
        let hint = Self.replacementHint(for: first)
            ?? (hasControl ? "control characters such as \(described) are not graph-language text; is this a binary file?" : nil)
        report(message, from: start, hint: hint)
        return token(.invalid, from: start)
    }

    /// True for a character that `nextLexeme` would report as unexpected: not a name, number,
    /// blank, line break, comment or operator.
    private func startsNoToken(_ c: CharacterScanner.Scanned) -> Bool {
        guard c.kind == .other else { return false }
        switch c.byte {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "@"), UInt8(ascii: "^"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","),
             UInt8(ascii: "="), UInt8(ascii: ";"), UInt8(ascii: "*"), UInt8(ascii: "#"), UInt8(ascii: ":"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            return false
        case UInt8(ascii: "!"):
            return peek(1)?.byte != UInt8(ascii: "=")
        case UInt8(ascii: "."):
            return peek(1)?.kind != .digit && !startsUpTo()
        default:
            // Byte 0 is NUL, or a character that is not a single ASCII byte.
            return true
        }
    }

    // MARK: - Names

    /// Numbers a name by its NFC (composed) form, so `é` typed as `e` + U+0301 (as some
    /// keyboards and file systems produce it) is the same name as a precomposed `é`.
    private mutating func internName(_ spelling: UnsafeBufferPointer<UInt8>) -> Int32 {
        if spelling.allSatisfy({ $0 < 0x80 }) {
            return names.intern(spelling)
        }
        let composed = String(decoding: spelling, as: UTF8.self).precomposedStringWithCanonicalMapping
        if composed.utf8.elementsEqual(spelling) {
            return names.intern(spelling)
        }
        return names.intern(Array(composed.utf8)[...])
    }

    // MARK: - Numbers

    /// Reads the longest run that looks like a number (digits, dots, an exponent, and any
    /// letters glued on), then checks it, so `1.2.3` and `2x` are one error, not several.
    private mutating func number() -> Lexeme {
        let start = location
        var dots = 0
        // A plain integer of up to 15 digits is exact as a Double: read it here, without
        // making a String for `Double(_:)` (what most numbers in a big literal are).
        var integer = 0, digits = 0
        // `0..<4` is a number and `..<`, not the malformed number `0..`.
        while let character = peek(), character.kind == .digit || (character.byte == UInt8(ascii: ".") && !startsUpTo()) {
            if character.kind != .digit {
                dots += 1
            } else {
                integer = integer &* 10 &+ Int(character.byte &- UInt8(ascii: "0"))
                digits += 1
            }
            advance(character)
        }
        var exponentDigits: Int?
        if let e = peek(), e.byte == UInt8(ascii: "e") || e.byte == UInt8(ascii: "E") {
            let sign = peek(1)
            let signed = sign?.byte == UInt8(ascii: "+") || sign?.byte == UInt8(ascii: "-")
            if signed, peek(2)?.kind != .digit {
                // `1e+` or `1e-`: the sign belongs to the exponent, which has no digits.
                advance(e); advance(sign!)
                exponentDigits = 0
            } else {
                advance(e)
                if signed { advance(sign!) }
                var count = 0
                while let digit = peek(), digit.kind == .digit { advance(digit); count += 1 }
                exponentDigits = count
            }
        }
        var gluedName = false
        while let character = peek(), character.continuesName || (character.byte == UInt8(ascii: ".") && !startsUpTo()) {
            gluedName = true
            advance(character)
        }

        if dots == 0, exponentDigits == nil, !gluedName, digits <= 15 {
            return Lexeme(kind: .number, range: SourceRange(start, location), value: Double(integer))
        }
        let spelling = text(from: tokenStart)
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
            return Lexeme(kind: .invalid, range: SourceRange(start, location))
        }
        guard let value = Double(spelling), value.isFinite else {
            report("number '\(spelling)' is out of range", from: start,
                   hint: "numbers must be finite, at most about 1.8e308")
            return Lexeme(kind: .invalid, range: SourceRange(start, location))
        }
        return Lexeme(kind: .number, range: SourceRange(start, location), value: value)
    }

    // MARK: - Strings

    /// A quoted file name, `"points.csv"`, which must close on its own line.
    private mutating func string() -> Lexeme {
        let start = location
        advance(peek()!)
        while let character = peek(), character.kind != .newline {
            advance(character)
            if character.byte == UInt8(ascii: "\"") { return token(.string, from: start) }
        }
        report("unterminated string", from: start, hint: "close the file name with '\"' on the same line")
        return Lexeme(kind: .invalid, range: SourceRange(start, location))
    }

    // MARK: - Characters

    /// The character `ahead` characters after the next one, or nil at the end of the text.
    @inline(__always)
    private func peek(_ ahead: Int = 0) -> CharacterScanner.Scanned? {
        var position = index
        for _ in 0..<ahead {
            guard let skipped = scanner.scan(at: position) else { return nil }
            position += skipped.length
        }
        return scanner.scan(at: position)
    }

    private mutating func advance(_ character: CharacterScanner.Scanned) {
        index += character.length
        location.offset += character.length
        if character.kind == .newline {
            location.line += 1
            location.column = 1
        } else {
            location.column += 1
        }
    }

    /// Steps over ASCII letters, digits and `_` while the byte after each is ASCII too (so it
    /// cannot be a combining mark): one byte, one `Character`, no decoding.
    private mutating func skipASCIINameCharacters() {
        let bytes = self.bytes, nameBytes = self.nameBytes
        var end = index
        while end + 1 < bytes.count, bytes[end + 1] < 0x80, nameBytes[Int(bytes[end])] { end += 1 }
        location.offset += end - index
        location.column += end - index
        index = end
    }

    private static let isASCIINameByte: [Bool] = (0..<256).map { byte in
        byte < 0x80 && (Character(Unicode.Scalar(UInt8(byte))) == "_"
            || Character(Unicode.Scalar(UInt8(byte))).isLetter || (0x30...0x39).contains(byte))
    }

    private mutating func skipBlanksAndComments() {
        while let character = peek() {
            if character.byte == UInt8(ascii: "#") {
                while let next = peek(), next.kind != .newline { advance(next) }
            } else if character.kind == .blank {
                advance(character)
            } else {
                return
            }
        }
    }

    /// The text from byte `start` to the next character.
    private func text(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private func token(_ kind: Lexeme.Kind, from start: SourceLocation) -> Lexeme {
        Lexeme(kind: kind, range: SourceRange(start, location))
    }


    private mutating func report(_ message: @autoclosure () -> String, from start: SourceLocation,
                                 hint: @autoclosure () -> String?) {
        collector.append(.error, message(), at: SourceRange(start, location), hint: hint())
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
        default: nil
        }
    }
}
