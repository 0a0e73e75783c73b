/// A position in a `SourceFile`.
///
/// `line` and `column` are 1-based and count user-perceived characters (Swift `Character`s,
/// i.e. grapheme clusters), so `x₁ = θ` puts `=` at column 4 whatever the byte lengths are.
/// `offset` is the UTF-8 byte offset from the start of the text; it orders locations and lets
/// `SourceFile.text(in:)` slice without walking the string.
///
/// Every token and syntax node holds two of these, so they are stored as 32-bit numbers (12
/// bytes, not 24); values past `Int32.max` (a file over 2 GB) are clamped.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    private var storedLine: Int32
    private var storedColumn: Int32
    private var storedOffset: Int32

    /// 1-based line number.
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Self.clamped(newValue) }
    }
    /// 1-based column, in `Character`s.
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Self.clamped(newValue) }
    }
    /// UTF-8 byte offset from the start of the file.
    public var offset: Int {
        get { Int(storedOffset) }
        set { storedOffset = Self.clamped(newValue) }
    }

    public init(line: Int, column: Int, offset: Int) {
        storedLine = Self.clamped(line)
        storedColumn = Self.clamped(column)
        storedOffset = Self.clamped(offset)
    }

    /// Moves past `count` one-byte characters on the line, for a text whose offsets are known
    /// to fit (`SourceFile.isPlainASCII`): no clamping.
    @inline(__always)
    mutating func moveAlongLine(by count: Int32) {
        storedOffset &+= count
        storedColumn &+= count
    }

    /// Moves past a one-byte line break (`\n`), in a text whose offsets are known to fit.
    @inline(__always)
    mutating func startNextLine() {
        storedOffset &+= 1
        storedLine &+= 1
        storedColumn = 1
    }

    private static func clamped(_ value: Int) -> Int32 {
        Int32(clamping: value)
    }

    /// The first character of a file.
    public static let start = SourceLocation(line: 1, column: 1, offset: 0)

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.storedOffset < rhs.storedOffset
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

    /// `start..<end` for an `end` known not to be before `start` (a token just read).
    @inline(__always)
    init(uncheckedStart start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
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
