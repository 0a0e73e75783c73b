/// Turns diagnostics into the compiler-style text users know from swiftc and rustc:
///
/// ```
/// baydin.grad:3:11: error: unexpected ')'
///  3 | y = ln(x1))
///    |           ^
///    = hint: remove the extra ')'
/// ```
/// The caret line repeats the source line's tabs and puts one space per other `Character`, so
/// carets stay under Unicode names such as `θ` or `x₁` and under tab-indented code.
/// Colour (ANSI escapes) is off by default; the command line turns it on only on a terminal.
public struct DiagnosticRenderer: Sendable {
    /// Emit ANSI colour and bold escapes.
    public var useColor: Bool

    public init(useColor: Bool = false) {
        self.useColor = useColor
    }

    /// One diagnostic: header, source line, caret line and optional hint, each ending in `\n`.
    public func render(_ diagnostic: Diagnostic, in file: SourceFile) -> String {
        let start = diagnostic.range.start
        let gutterWidth = String(start.line).count
        let blankGutter = " " + String(repeating: " ", count: gutterWidth) + " "

        var out = paint("\(file.name):\(start.line):\(start.column): ", .bold)
            + paint("\(diagnostic.severity.rawValue):", style(for: diagnostic.severity))
            + paint(" \(diagnostic.message)", .bold) + "\n"

        if let line = file.line(start.line) {
            let number = String(repeating: " ", count: gutterWidth - String(start.line).count)
                + String(start.line)
            // No trailing blank after the bar when the line itself is empty.
            out += paint(" \(number) |", .gutter) + (line.isEmpty ? "" : " " + printable(line)) + "\n"
            out += paint(blankGutter + "|", .gutter) + " "
                + caretLine(for: diagnostic.range, on: line, style: style(for: diagnostic.severity)) + "\n"
        }
        if let hint = diagnostic.hint {
            out += paint(blankGutter + "=", .gutter) + " " + paint("hint:", .bold) + " \(hint)\n"
        }
        return out
    }

    /// Several diagnostics, separated by blank lines, in the order given.
    public func render(_ diagnostics: [Diagnostic], in file: SourceFile) -> String {
        diagnostics.map { render($0, in: file) }.joined(separator: "\n")
    }

    // MARK: - Caret line

    /// Padding up to the start column, `^` under the first character, `~` under the rest of the
    /// range on that line. A range running onto later lines is underlined to the end of its
    /// first line; an empty range, or one starting past the end of the line, gets one `^`.
    private func caretLine(for range: SourceRange, on line: Substring, style: Style) -> String {
        let characters = Array(line)
        let startIndex = max(range.start.column - 1, 0)
        let padding = characters.prefix(startIndex).map { $0 == "\t" ? "\t" : " " }.joined()
            + String(repeating: " ", count: max(startIndex - characters.count, 0))
        let endColumn = range.end.line == range.start.line ? range.end.column : characters.count + 1
        let length = max(min(endColumn, characters.count + 1) - range.start.column, 1)
        let marks = "^" + String(repeating: "~", count: length - 1)
        return padding + paint(marks, style)
    }

    /// Control characters (from hostile or binary input) would move the terminal's cursor and
    /// break the alignment; each becomes one visible replacement character.
    private func printable(_ line: Substring) -> String {
        String(line.map { character -> Character in
            guard character != "\t",
                  let scalar = character.unicodeScalars.first,
                  scalar.properties.generalCategory == .control
            else { return character }
            return "\u{FFFD}"
        })
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
