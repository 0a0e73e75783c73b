import Testing

// Plain functions in place of Swift Testing's `#expect` for the common checks. Each `#expect`
// is a macro whose expansion (a generic call with closures per operand, plus the expression's
// source text) the compiler then type-checks. CLITests' 1,126 checks took 44.6 s of CPU to
// compile as `#expect`s and 29.3 s as these calls (docs/performance.md, "The test suite's
// clock"); the test targets hold over 4,000.
// A failure still names both values and the caller's file, line and column, as the macro does.
// Bodies run only on the failing path; `@autoclosure` keeps a comment like "\(r.stderr)"
// from being built when the check passes.

/// Fails the calling test, at the caller's line, unless `actual == expected`. The message shows
/// both values (as `String(reflecting:)` writes them) and, for texts of several lines, a unified
/// line diff from `expected` (`-`) to `actual` (`+`).
public func expectEqual<T: Equatable>(
    _ actual: T, _ expected: T, _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    // `!(a == b)` and not `a != b`: the same test `#expect(a == b)` makes.
    if !(actual == expected) {
        var message = "Expectation failed: \(String(reflecting: actual)) == \(String(reflecting: expected))"
        if let a = actual as? String, let e = expected as? String, a.contains("\n") || e.contains("\n") {
            message += "\n" + unifiedLineDiff(from: e, to: a)
        }
        record(message, comment(), sourceLocation)
    }
}

/// Fails the calling test, at the caller's line, unless `condition` holds.
public func expectTrue(
    _ condition: Bool, _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    if !condition { record("Expectation failed", comment(), sourceLocation) }
}

/// Fails the calling test unless `text` contains `part`; the message shows both.
public func expectContains<Text: StringProtocol, Part: StringProtocol>(
    _ text: Text, _ part: Part, _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    check(text.contains(part), String(text), "contains", String(part), comment, sourceLocation)
}

/// Fails the calling test if `text` contains `part`; the message shows both.
public func expectNotContains<Text: StringProtocol, Part: StringProtocol>(
    _ text: Text, _ part: Part, _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    check(!text.contains(part), String(text), "does not contain", String(part), comment, sourceLocation)
}

/// Fails the calling test unless `items` contains `item`; the message shows both.
public func expectContains<Element: Equatable>(
    _ items: [Element], _ item: Element, _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    check(items.contains(item), items, "contains", item, comment, sourceLocation)
}

/// Fails the calling test unless `items` contains `item`; the message shows both.
public func expectContains<Element: Hashable>(
    _ items: Set<Element>, _ item: Element, _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    check(items.contains(item), items, "contains", item, comment, sourceLocation)
}

/// Fails the calling test unless `range` contains `value`; the message shows both.
public func expectContains<Range: RangeExpression>(
    _ range: Range, _ value: Range.Bound, _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    check(range.contains(value), range, "contains", value, comment, sourceLocation)
}

/// Fails the calling test if `items` contains `item`; the message shows both.
public func expectNotContains<Element: Equatable>(
    _ items: [Element], _ item: Element, _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    check(!items.contains(item), items, "does not contain", item, comment, sourceLocation)
}

/// Fails the calling test if `items` contains `item`; the message shows both.
public func expectNotContains<Element: Hashable>(
    _ items: Set<Element>, _ item: Element, _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    check(!items.contains(item), items, "does not contain", item, comment, sourceLocation)
}

/// Fails the calling test unless `text` starts with `prefix`; the message shows both.
public func expectHasPrefix<Text: StringProtocol, Prefix: StringProtocol>(
    _ text: Text, _ prefix: Prefix, _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    check(text.hasPrefix(prefix), String(text), "has prefix", String(prefix), comment, sourceLocation)
}

/// Fails the calling test unless `text` ends with `suffix`; the message shows both.
public func expectHasSuffix<Text: StringProtocol, Suffix: StringProtocol>(
    _ text: Text, _ suffix: Suffix, _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    check(text.hasSuffix(suffix), String(text), "has suffix", String(suffix), comment, sourceLocation)
}

/// Records "Expectation failed: A VERB B" (each value as `String(reflecting:)` writes it)
/// unless `holds`.
private func check(
    _ holds: Bool, _ a: @autoclosure () -> Any, _ verb: String, _ b: @autoclosure () -> Any,
    _ comment: () -> String, _ sourceLocation: SourceLocation
) {
    if !holds {
        record("Expectation failed: \(String(reflecting: a())) \(verb) \(String(reflecting: b()))", comment(), sourceLocation)
    }
}

private func record(_ message: String, _ comment: String, _ sourceLocation: SourceLocation) {
    Issue.record(comment.isEmpty ? "\(message)" : "\(message): \(comment)", sourceLocation: sourceLocation)
}
