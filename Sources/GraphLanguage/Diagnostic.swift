/// A message about a place in the source: a syntax error from the parser, or an unknown name
/// or a shape mismatch from the lowering.
///
/// ```swift
/// Diagnostic(.error, "unexpected ')'", at: token.range, hint: "remove the extra ')'")
/// ```
/// Render it with `DiagnosticRenderer` to get the compiler-style text with a caret line.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error, warning, note

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs.rank < rhs.rank
        }

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }
    }

    public var severity: Severity
    /// One line, lower case, no final full stop: `unexpected character '$'`.
    public var message: String
    /// What to underline; an empty range puts a single `^` at its start.
    public var range: SourceRange
    /// An optional suggestion shown as `= hint: ...`: how to fix it, not what went wrong.
    public var hint: String?

    public init(_ severity: Severity, _ message: String, at range: SourceRange, hint: String? = nil) {
        self.severity = severity
        self.message = message
        self.range = range
        self.hint = hint
    }

    public static func error(_ message: String, at range: SourceRange, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: range, hint: hint)
    }

    public static func warning(_ message: String, at range: SourceRange, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, message, at: range, hint: hint)
    }

    public static func note(_ message: String, at range: SourceRange, hint: String? = nil) -> Diagnostic {
        Diagnostic(.note, message, at: range, hint: hint)
    }
}

extension Array where Element == Diagnostic {
    /// True when any diagnostic is an error: the program must not be lowered or run.
    public var containsErrors: Bool { contains { $0.severity == .error } }
}
