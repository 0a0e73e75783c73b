/// The text of a `.grad` file or of an expression typed on the command line, with its name
/// for diagnostics (`baydin.grad`, `<expression>`).
///
/// ```swift
/// let file = SourceFile(name: "baydin.grad", text: "input x1 = 2\ny = ln(x1)")
/// file.line(2)   // "y = ln(x1)"
/// ```
public struct SourceFile: Sendable {
    /// Shown at the start of every diagnostic: `name:line:col: error: ...`.
    public let name: String
    public let text: String
    /// Where each line starts and ends (without its terminator), as UTF-8 byte offsets. Lines
    /// end at any `Character.isNewline`, the same rule the lexer uses, so line numbers always
    /// agree (`\r\n` is one newline). 32-bit, as `SourceLocation`'s offsets: 8 bytes a line
    /// rather than 16, for as long as the graph is loaded (issue 23).
    private let lines: [Range<Int32>]

    /// Whether every byte is ASCII and no line break but `\n` occurs (no `\r`, vertical tab,
    /// form feed): then every byte is one `Character`, which the lexer's plain path relies on
    /// (`Lexer+ASCII.swift`). Offsets fit in 32 bits too.
    let isPlainASCII: Bool

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        var lines: [Range<Int32>] = []
        var text = text
        // Every ASCII byte from U+000E up is one `Character` that is no line break when the
        // whole text is ASCII; of the bytes below, `\t` and the controls other than line
        // breaks are too, and `\n` ends a line. Any other byte (non-ASCII, `\r`, vertical tab,
        // form feed) sends the whole text to `CharacterScanner`, exactly as before, so line
        // numbers still agree with the lexer's.
        let needsScanner = text.withUTF8 { bytes -> Bool in
            guard let base = bytes.baseAddress else {
                lines.append(0 ..< 0)
                return false
            }
            var start = 0, position = 0
            let count = bytes.count
            let high: UInt64 = 0x8080_8080_8080_8080
            while position < count {
                // Eight bytes at once while all are ASCII from U+000E up (most of a file): a
                // byte b < 0x80 has b + 0x72 ≥ 0x80 exactly when b ≥ 0x0E, and no carry.
                if position + 8 <= count {
                    let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                    if word & high == 0 && (word &+ 0x7272_7272_7272_7272) & high == high {
                        position += 8
                        continue
                    }
                }
                // Otherwise those eight (or the last few) one at a time.
                let stop = min(position + 8, count)
                while position < stop {
                    let byte = base[position]
                    position += 1
                    if byte &- 0x0E < 0x72 { continue }
                    if byte == UInt8(ascii: "\n") {
                        lines.append(Int32(clamping: start) ..< Int32(clamping: position - 1))
                        start = position
                    } else if byte >= 0x80 || byte &- 0x0B < 3 {
                        return true
                    }
                }
            }
            lines.append(Int32(clamping: start) ..< Int32(clamping: position))
            return false
        }
        isPlainASCII = !needsScanner && text.utf8.count < Int(Int32.max)
        if needsScanner {
            lines = []
            let scanner = CharacterScanner(SourceBytes(text))
            var start = 0, position = 0
            while let character = scanner.scan(at: position) {
                if character.kind == .newline {
                    lines.append(Int32(clamping: start) ..< Int32(clamping: position))
                    start = position + character.length
                }
                position += character.length
            }
            lines.append(Int32(clamping: start) ..< Int32(clamping: position))
        }
        self.lines = lines
    }

    /// The number of lines; a trailing newline starts one more (empty) line.
    public var lineCount: Int { lines.count }

    /// Line `number` (1-based) without its terminator, or nil when out of range.
    public func line(_ number: Int) -> Substring? {
        guard lines.indices.contains(number - 1) else { return nil }
        let bytes = Int(lines[number - 1].lowerBound) ..< Int(lines[number - 1].upperBound)
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: bytes.lowerBound)
        return text[start ..< utf8.index(start, offsetBy: bytes.count)]
    }

    /// The UTF-8 byte offset where line `number` (1-based) starts, or nil when out of range.
    public func lineStart(_ number: Int) -> Int? {
        lines.indices.contains(number - 1) ? Int(lines[number - 1].lowerBound) : nil
    }

    /// The source text a range covers, clamped to the file.
    public func text(in range: SourceRange) -> Substring {
        let utf8 = text.utf8
        let count = utf8.count
        let lower = min(max(range.start.offset, 0), count)
        let upper = min(max(range.end.offset, lower), count)
        let start = utf8.index(utf8.startIndex, offsetBy: lower)
        let end = utf8.index(start, offsetBy: upper - lower)
        return text[start..<end]
    }
}
