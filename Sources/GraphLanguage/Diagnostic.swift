import GraphCore

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
    /// How many further diagnostics this one stands for: non-zero only for the summary that
    /// ends a list cut at `Limits.maximumDiagnostics` ("and 12 more errors"), which is shown
    /// without a source line.
    public var omittedCount = 0

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

    /// The diagnostics in source order (ties in the order given), at most
    /// `Limits.maximumDiagnostics` of them, then, if any were left out (here, or already by
    /// the collector they come from: `omitted`), a summary saying how many.
    func bounded(omitted: DiagnosticCollector.Omitted = .init()) -> [Diagnostic] {
        let sorted = enumerated()
            .sorted { ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset) }
            .map(\.element)
        var omitted = omitted
        for d in sorted.dropFirst(Limits.maximumDiagnostics) { omitted.count(d.severity) }
        guard omitted.total > 0 else { return sorted }
        var kept = Array(sorted.prefix(Limits.maximumDiagnostics))
        let plural = omitted.total == 1 ? "" : "s"
        let what = omitted.others == 0 ? "error\(plural)" : omitted.errors == 0 ? "warning\(plural)" : "errors and warnings"
        let text = "and \(omitted.total) more \(what) (only the first \(kept.count) are shown)"
        var summary = Diagnostic(omitted.errors > 0 ? .error : .warning, text,
                                 at: SourceRange(at: kept.last?.range.start ?? .start))
        summary.omittedCount = omitted.total
        kept.append(summary)
        return kept
    }
}

/// Diagnostics as they are found, keeping the first `Limits.maximumDiagnostics` and counting
/// the rest, so a file of a million mistakes costs a counter, not a million messages.
/// `message` and `hint` are only worked out for the diagnostics kept.
struct DiagnosticCollector {
    /// How many diagnostics were counted but not kept.
    struct Omitted {
        var errors = 0
        var others = 0
        var total: Int { errors + others }

        mutating func count(_ severity: Diagnostic.Severity) {
            if severity == .error { errors += 1 } else { others += 1 }
        }

        static func + (a: Omitted, b: Omitted) -> Omitted {
            Omitted(errors: a.errors + b.errors, others: a.others + b.others)
        }
    }

    private(set) var kept: [Diagnostic] = []
    private(set) var omitted = Omitted()

    /// True once the limit is reached: what is reported from now on is only counted.
    var isFull: Bool { kept.count >= Limits.maximumDiagnostics }

    /// True when an error was found, kept or not.
    var containsErrors: Bool { omitted.errors > 0 || kept.containsErrors }

    mutating func append(_ severity: Diagnostic.Severity, _ message: @autoclosure () -> String,
                         at range: SourceRange, hint: @autoclosure () -> String? = nil) {
        if isFull {
            omitted.count(severity)
        } else {
            kept.append(Diagnostic(severity, message(), at: range, hint: hint()))
        }
    }

    /// `kept`, bounded, with the summary of what was omitted.
    var bounded: [Diagnostic] { kept.bounded(omitted: omitted) }
}
