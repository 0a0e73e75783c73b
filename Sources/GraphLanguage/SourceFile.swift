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
    /// The lines without their terminators. Lines end at any `Character.isNewline`, the same
    /// rule the lexer uses, so line numbers always agree (`\r\n` is one newline).
    private let lines: [Substring]

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        self.lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    }

    /// The number of lines; a trailing newline starts one more (empty) line.
    public var lineCount: Int { lines.count }

    /// Line `number` (1-based) without its terminator, or nil when out of range.
    public func line(_ number: Int) -> Substring? {
        lines.indices.contains(number - 1) ? lines[number - 1] : nil
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
