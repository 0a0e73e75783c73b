import GraphCore

/// Turns diagnostics into the compiler-style text users know from swiftc and rustc:
///
/// ```
/// baydin.grad:3:11: error: unexpected ')'
///  3 | y = ln(x1))
///    |           ^
///    = hint: remove the extra ')'
/// ```
/// The caret line repeats the source line's tabs and puts one space per other `Character`, so
/// carets stay under Unicode names such as `θ` or `x₁` and under tab-indented code. A line
/// longer than `Limits.diagnosticLineWidth` characters is shown as a window of that many around
/// the caret, cut with `…`, so the text of an error does not grow with the line.
/// Colour (ANSI escapes) is off by default; the command line turns it on only on a terminal.
public struct DiagnosticRenderer: Sendable {
    /// Emit ANSI colour and bold escapes.
    public var useColor: Bool

    public init(useColor: Bool = false) {
        self.useColor = useColor
    }

    /// One diagnostic: header, source line, caret line and optional hint, each ending in `\n`.
    public func render(_ diagnostic: Diagnostic, in file: SourceFile) -> String {
        if diagnostic.omittedCount > 0 {
            // The summary of a cut list: it stands for many places, so it shows none.
            return paint("\(Format.escapingInvisibles(file.name)): ", .bold)
                + paint("\(diagnostic.severity.rawValue):", style(for: diagnostic.severity))
                + paint(" \(diagnostic.message)", .bold) + "\n"
        }
        let start = diagnostic.range.start
        let gutterWidth = String(start.line).count
        let blankGutter = " " + String(repeating: " ", count: gutterWidth) + " "

        var out = paint("\(Format.escapingInvisibles(file.name)):\(start.line):\(start.column): ", .bold)
            + paint("\(diagnostic.severity.rawValue):", style(for: diagnostic.severity))
            + paint(" \(Self.clipped(diagnostic.message))", .bold) + "\n"

        if let line = file.line(start.line) {
            let number = String(repeating: " ", count: gutterWidth - String(start.line).count)
                + String(start.line)
            let excerpt = Excerpt(of: line, lineStart: file.lineStart(start.line) ?? 0, range: diagnostic.range)
            // No trailing blank after the bar when the line itself is empty.
            out += paint(" \(number) |", .gutter) + (line.isEmpty ? "" : " " + excerpt.text) + "\n"
            out += paint(blankGutter + "|", .gutter) + " "
                + excerpt.padding + paint(excerpt.marks, style(for: diagnostic.severity)) + "\n"
        }
        if let hint = diagnostic.hint {
            out += paint(blankGutter + "=", .gutter) + " " + paint("hint:", .bold) + " \(Self.clipped(hint))\n"
        }
        return out
    }

    /// A message or hint quoting a huge name or a cycle of 100,000 names is shortened in the
    /// middle to about twice `Limits.diagnosticLineWidth` characters, keeping both ends.
    /// Control and bidirectional characters in it are written as `\u{202E}`.
    static func clipped(_ text: String) -> String {
        let limit = 2 * Limits.diagnosticLineWidth
        let scalars = text.unicodeScalars
        guard text.utf8.count > limit, scalars.count > limit else { return Format.escapingInvisibles(text) }
        var head = String.UnicodeScalarView(), tail = String.UnicodeScalarView()
        head.append(contentsOf: scalars.prefix(limit * 2 / 3))
        tail.append(contentsOf: scalars.suffix(limit / 3))
        return Format.escapingInvisibles(String(head) + " … " + String(tail))
    }

    /// Several diagnostics, separated by blank lines, in the order given.
    public func render(_ diagnostics: [Diagnostic], in file: SourceFile) -> String {
        diagnostics.map { render($0, in: file) }.joined(separator: "\n")
    }

    // MARK: - Colour

    private enum Style: String {
        case bold = "1"
        case error = "1;31"
        case warning = "1;33"
        case note = "1;36"
        case gutter = "1;34"
    }

    private func style(for severity: Diagnostic.Severity) -> Style {
        switch severity {
        case .error: .error
        case .warning: .warning
        case .note: .note
        }
    }

    private func paint(_ text: String, _ style: Style) -> String {
        useColor ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}

extension Diagnostic {
    /// This diagnostic as compiler-style text; see `DiagnosticRenderer`.
    public func rendered(in file: SourceFile, useColor: Bool = false) -> String {
        DiagnosticRenderer(useColor: useColor).render(self, in: file)
    }
}

// MARK: - Excerpt and caret line

/// The part of a source line a diagnostic shows, and the caret line under it.
///
/// The caret line pads up to the start column, puts `^` under the first character and `~`
/// under the rest of the range on that line. A range running onto later lines is underlined to
/// the end of its first line; an empty range, or one starting past the end of the line, gets
/// one `^`. A long line is cut to a window around the caret, so this costs the window, not the
/// line: the whole of a 1 MB line is never walked.
struct Excerpt {
    /// The line, or its window with `…` where it is cut, with control characters made visible.
    var text: String
    /// Blanks (and the line's own tabs) up to the caret.
    var padding: String
    /// `^~~~`.
    var marks: String

    init(of line: Substring, lineStart: Int, range: SourceRange) {
        let width = Limits.diagnosticLineWidth
        if line.utf8.count <= width || !Excerpt.hasMore(than: width, in: line) {
            self = Excerpt(whole: line, range: range)
            return
        }
        // A long line: find the caret by its byte offset (a column would mean walking the line).
        let lineEnd = lineStart + line.utf8.count
        let offset = min(max(range.start.offset, lineStart), lineEnd) - lineStart
        let caret = Excerpt.characterIndex(atByte: offset, in: line)
        // Some context before the caret, then as much of the rest as fits.
        var from = caret
        var before = 0
        while before < width * 2 / 5, from > line.startIndex {
            from = line.index(before: from)
            before += 1
        }
        var to = from
        var shown = 0
        while shown < width, to < line.endIndex {
            to = line.index(after: to)
            shown += 1
        }
        let cutBefore = from > line.startIndex, cutAfter = to < line.endIndex
        text = (cutBefore ? "…" : "") + Excerpt.printable(line[from..<to]) + (cutAfter ? "…" : "")
        padding = (cutBefore ? " " : "") + Excerpt.blanks(for: line[from..<caret])
        // Underline to the range's end on this line, but not past the window.
        let endOffset = range.end.line == range.start.line
            ? min(max(range.end.offset - lineStart, offset), line.utf8.count) : line.utf8.count
        let end = line.utf8.index(line.startIndex, offsetBy: endOffset)
        var length = 0
        var k = caret
        while k < to, k < end {
            k = line.index(after: k)
            length += 1
        }
        marks = "^" + String(repeating: "~", count: max(length, 1) - 1)
    }

    /// A short line, whole, with the caret placed by column.
    private init(whole line: Substring, range: SourceRange) {
        let characters = Array(line)
        let startIndex = max(range.start.column - 1, 0)
        padding = Excerpt.blanks(for: characters.prefix(startIndex))
            + String(repeating: " ", count: max(startIndex - characters.count, 0))
        let endColumn = range.end.line == range.start.line ? range.end.column : characters.count + 1
        let end = min(max(endColumn - 1, startIndex), characters.count)
        // Each character as wide as it is shown (an escaped `\u{202E}` is eight).
        let length = max(characters[min(startIndex, characters.count)..<end].reduce(0) { $0 + Excerpt.shown($1).count }, 1)
        marks = "^" + String(repeating: "~", count: length - 1)
        text = Excerpt.printable(line)
    }

    /// True when `line` has more than `count` characters; walks at most `count + 1` of them.
    private static func hasMore(than count: Int, in line: Substring) -> Bool {
        var k = line.startIndex
        for _ in 0...count {
            guard k < line.endIndex else { return false }
            k = line.index(after: k)
        }
        return true
    }

    /// The `Character` at or just before byte `offset` of `line`.
    private static func characterIndex(atByte offset: Int, in line: Substring) -> Substring.Index {
        var k = line.utf8.index(line.startIndex, offsetBy: offset)
        // Inside a character (a hand-made range): step back to where it starts.
        while k > line.startIndex, String.Index(k, within: line) == nil {
            k = line.utf8.index(before: k)
        }
        return String.Index(k, within: line) ?? line.startIndex
    }

    /// One blank per character, keeping tabs, so the caret lines up under `characters`.
    private static func blanks<C: Collection<Character>>(for characters: C) -> String {
        characters.map { $0 == "\t" ? "\t" : String(repeating: " ", count: shown($0).count) }.joined()
    }

    /// Control characters (from hostile or binary input) would move the terminal's cursor and
    /// break the alignment, and a letter carrying thousands of combining marks is one column of
    /// unbounded size: each becomes one visible replacement character.
    /// A bidirectional override or isolate (U+202E) would reorder the rest of the line on the
    /// screen: it is written as `\u{202E}`.
    private static func printable(_ line: Substring) -> String {
        line.map(shown).joined()
    }

    static func shown(_ character: Character) -> String {
        guard character != "\t", let scalar = character.unicodeScalars.first else { return String(character) }
        if scalar.properties.generalCategory == .control || character.unicodeScalars.count > 8 {
            return "\u{FFFD}"
        }
        if character.unicodeScalars.contains(where: Format.isInvisibleControl) {
            return Format.escapingInvisibles(String(character))
        }
        return String(character)
    }
}
