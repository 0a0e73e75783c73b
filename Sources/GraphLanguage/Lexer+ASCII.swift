// The lexer's fast path: a token that is plain ASCII, with plain ASCII around it, read straight
// from the bytes. Most of every file is such tokens (`v12 = sin(v11)`), and reading them one
// `CharacterScanner.Scanned` at a time cost several hundred instructions per token.
//
// It gives up (returns nil) on anything else: a non-ASCII byte next to the token (which may
// start a cluster with it, as `e` and a combining accent do, or continue a name, as `₁`), `#`,
// `"`, `\r` and the other line breaks, `**`, a number with a point, an exponent or more than 15
// digits, a character that starts no token. `nextLexeme`'s general path then reads the token
// exactly as before, so both paths agree on every token, location and message.
//
// It reads the text's one copy (`SourceBytes`) through a pointer, without bounds checks or
// reference counting. Whether a byte is one `Character` depends on the byte after it, so it
// reads no byte as a token's last before the text's last: the last byte is left to the
// general path, and no byte past the end is ever read.
//
// A text that is all ASCII with `\n` its only line break (`SourceFile.isPlainASCII`, decided
// once per file, as most files are) takes the plain path instead: there every byte is one
// `Character`, so it needs no look-ahead, reads the last byte too, classifies a byte by one
// table lookup and hashes a name while reading it. It gives up on the same tokens.

extension Lexer {
    /// The next lexeme if it is all ASCII and the byte after each of its characters is ASCII
    /// too (so each byte is one `Character`); nil otherwise, after stepping over ASCII blanks
    /// only, which `nextLexeme` would skip in the same way. Never reads the last byte as part
    /// of a token: `p[i + 1]` is read only for `i < last`.
    @inline(__always)
    mutating func nextASCIILexeme() -> Lexeme? {
        let p = base, last = lastOffset
        var i = index
        // Blanks (space and tab) that are not the start of a cluster.
        while i < last, p[i] == 0x20 || p[i] == 0x09, p[i + 1] < 0x80 { i += 1 }
        if i != index { step(by: i - index) }
        guard i < last, p[i] < 0x80, p[i + 1] < 0x80 else { return nil }
        let byte = p[i]
        let start = location
        tokenStart = i
        if Self.isNameStart(byte) {
            var j = i + 1
            while j < last, Self.isNameByte(p[j]), p[j + 1] < 0x80 { j += 1 }
            // Stopped at a byte that may go on with the name (a non-ASCII one, a name byte
            // before one, or the last byte): the general path decides. `j <= last` here.
            if p[j] >= 0x80 || Self.isNameByte(p[j]) { return nil }
            let name = names.intern(UnsafeBufferPointer(start: p + i, count: j - i))
            step(by: j - i)
            return Lexeme(kind: .name, keyword: names.keyword(name), range: SourceRange(start, location), name: name)
        }
        if byte &- UInt8(ascii: "0") < 10 {
            // A plain integer of up to 15 digits (exact as a Double), nothing glued on.
            var j = i, value = 0
            while j < last, p[j] &- UInt8(ascii: "0") < 10, p[j + 1] < 0x80 {
                value = value &* 10 &+ Int(p[j] &- UInt8(ascii: "0"))
                j += 1
            }
            // `j <= last` here, as for a name.
            if j - i > 15 || p[j] >= 0x80 || p[j] == UInt8(ascii: ".") || Self.isNameByte(p[j]) {
                return nil
            }
            step(by: j - i)
            return Lexeme(kind: .number, range: SourceRange(start, location), value: Double(value))
        }
        if byte == UInt8(ascii: "\n") {
            index += 1
            location.offset += 1
            location.line += 1
            location.column = 1
            return Lexeme(kind: .newline, range: SourceRange(start, location))
        }
        // `**` and `==` are two-byte tokens: the general path reads them.
        guard let kind = Self.punctuation(byte), byte != UInt8(ascii: "*") || p[i + 1] != UInt8(ascii: "*"),
              byte != UInt8(ascii: "=") || p[i + 1] != UInt8(ascii: "=") else {
            return nil
        }
        step(by: 1)
        return Lexeme(kind: kind, range: SourceRange(start, location))
    }

    /// The next lexeme of a plain-ASCII text (`isPlainASCII`): `nextASCIILexeme` where every
    /// byte is known to be one `Character`. Nil (after stepping over blanks) for a token the
    /// general path reads: a comment, a string, a number with a point, an exponent, a glued
    /// name or more than 15 digits, `**`, `==`, a comparison, `..<`, a byte that starts no
    /// token, and the end of the text.
    @inline(__always)
    mutating func nextPlainLexeme() -> Lexeme? {
        let p = base, end = byteCount, classes = byteClasses
        var i = index
        while i < end, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        if i != index { stepPlain(by: i - index) }
        guard i < end else { return nil }
        let byte = p[i]
        let kind = classes[Int(byte)]
        let start = location
        tokenStart = i
        if kind == Self.plainNameStart {
            var h = NameTable.hashStep(NameTable.hashStart, byte)
            var j = i + 1
            while j < end {
                let next = p[j]
                guard classes[Int(next)] &- Self.plainNameStart < 2 else { break }
                h = NameTable.hashStep(h, next)
                j += 1
            }
            let name = names.intern(UnsafeBufferPointer(start: p + i, count: j - i), hash: NameTable.hashEnd(h))
            stepPlain(by: j - i)
            return Lexeme(kind: .name, keyword: name < keywordCount ? names.keyword(name) : nil,
                          range: SourceRange(uncheckedStart: start, end: location), name: name)
        }
        if kind == Self.plainDigit {
            var j = i, value = 0
            while j < end, p[j] &- UInt8(ascii: "0") < 10 {
                value = value &* 10 &+ Int(p[j] &- UInt8(ascii: "0"))
                j += 1
            }
            if j - i > 15 || j < end && (p[j] == UInt8(ascii: ".") || classes[Int(p[j])] == Self.plainNameStart) {
                return nil
            }
            stepPlain(by: j - i)
            return Lexeme(kind: .number, range: SourceRange(uncheckedStart: start, end: location), value: Double(value))
        }
        if kind == Self.plainNewline {
            index = i + 1
            location.startNextLine()
            return Lexeme(kind: .newline, range: SourceRange(uncheckedStart: start, end: location))
        }
        // `**` and `==` are two-byte tokens: the general path reads them.
        guard kind >= Self.plainPunctuation, i + 1 == end || p[i + 1] != byte
                || byte != UInt8(ascii: "*") && byte != UInt8(ascii: "=") else {
            return nil
        }
        stepPlain(by: 1)
        return Lexeme(kind: Lexeme.Kind(rawValue: kind &- Self.plainPunctuation)!,
                      range: SourceRange(uncheckedStart: start, end: location))
    }

    /// Moves past `length` bytes, each one character, on the current line of a plain text.
    @inline(__always)
    private mutating func stepPlain(by length: Int) {
        index += length
        location.moveAlongLine(by: Int32(truncatingIfNeeded: length))
    }

    /// `plainByteClasses`' values: 0 for a byte the general path reads.
    static let plainNameStart: UInt8 = 1, plainDigit: UInt8 = 2, plainNewline: UInt8 = 3
    /// A one-byte operator or bracket: this plus its `Lexeme.Kind`.
    static let plainPunctuation: UInt8 = 0x40

    /// The class of each byte on the plain path, from the same rules as the ASCII path's
    /// (`isNameStart`, `punctuation`), so the two cannot disagree. Made once and kept for the
    /// process (256 bytes), read through a pointer with no lazy-init check per byte; never
    /// written after it is made, so safe to share.
    nonisolated(unsafe) static let plainByteClasses: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for byte in 0 ..< 256 {
            let b = UInt8(byte)
            table[byte] = b >= 0x80 ? 0
                : isNameStart(b) ? plainNameStart
                : b &- UInt8(ascii: "0") < 10 ? plainDigit
                : b == UInt8(ascii: "\n") ? plainNewline
                : punctuation(b).map { plainPunctuation + $0.rawValue } ?? 0
        }
        return UnsafePointer(table)
    }()

    /// Moves past `length` one-byte characters on the current line.
    @inline(__always)
    private mutating func step(by length: Int) {
        index += length
        location.offset += length
        location.column += length
    }

    /// An ASCII letter or `_`: `CharacterClass.nameStart` for a one-byte character.
    @inline(__always)
    static func isNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_")
    }

    /// An ASCII letter, digit or `_`: a byte that continues a name.
    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || byte &- UInt8(ascii: "0") < 10
    }

    /// The token of a one-character operator or bracket; nil for other bytes.
    @inline(__always)
    static func punctuation(_ byte: UInt8) -> Lexeme.Kind? {
        switch byte {
        case UInt8(ascii: "+"): .plus
        case UInt8(ascii: "-"): .minus
        case UInt8(ascii: "*"): .star
        case UInt8(ascii: "/"): .slash
        case UInt8(ascii: "@"): .at
        case UInt8(ascii: "^"): .caret
        case UInt8(ascii: "("): .leftParen
        case UInt8(ascii: ")"): .rightParen
        case UInt8(ascii: "["): .leftBracket
        case UInt8(ascii: "]"): .rightBracket
        case UInt8(ascii: ","): .comma
        case UInt8(ascii: "="): .equals
        case UInt8(ascii: ";"): .semicolon
        case UInt8(ascii: ":"): .colon
        case UInt8(ascii: "{"): .leftBrace
        case UInt8(ascii: "}"): .rightBrace
        default: nil
        }
    }
}
