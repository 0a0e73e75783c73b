/// A position in a `SourceFile`.
///
/// `line` and `column` are 1-based and count user-perceived characters (Swift `Character`s,
/// i.e. grapheme clusters), so `x₁ = θ` puts `=` at column 4 whatever the byte lengths are.
/// `offset` is the UTF-8 byte offset from the start of the text; it orders locations and lets
/// `SourceFile.text(in:)` slice without walking the string.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in `Character`s.
    public var column: Int
    /// UTF-8 byte offset from the start of the file.
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// The first character of a file.
    public static let start = SourceLocation(line: 1, column: 1, offset: 0)

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.offset < rhs.offset
    }

    /// `line:column`, the form used in diagnostics.
    public var description: String { "\(line):\(column)" }
}

/// A half-open span `start..<end` of source text.
///
/// Every token and every syntax node carries one, so a diagnostic can underline exactly the
/// sub-expression it is about. An empty range (`start == end`) marks a point, e.g. "an
/// expression was expected here".
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    public var start: SourceLocation
    /// The location just past the last character.
    public var end: SourceLocation

    public init(_ start: SourceLocation, _ end: SourceLocation) {
        self.start = start
        self.end = max(start, end)
    }

    /// An empty range at `location`.
    public init(at location: SourceLocation) {
        self.init(location, location)
    }

    public var isEmpty: Bool { start.offset == end.offset }

    /// The smallest range covering both `self` and `other`.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }

    /// `line:col-line:col`, or `line:col-col` on one line.
    public var description: String {
        start.line == end.line
            ? "\(start)-\(end.column)"
            : "\(start)-\(end)"
    }
}
