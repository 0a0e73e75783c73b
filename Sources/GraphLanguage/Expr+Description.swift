// Printing expressions back as source: `ln(x1) + x1 * x2`, `-x^2`, `(a - b)^2`.
// Parsing the printed text gives the same tree (the tests check this round trip), so the
// graph-file writer and the UI can show what the user wrote without keeping the text.

extension Expr: CustomStringConvertible {
    public var description: String {
        switch kind {
        case let .number(value):
            Self.spell(value)
        case let .name(name):
            name
        case let .unary(op, operand):
            op.rawValue + operand.parenthesized(below: .prefix)
        case let .binary(.power, lhs, rhs, _):
            // Right-associative: `(a^b)^c` and `(-a)^b` need parentheses on the left; the
            // exponent may itself be a power or a negation (`a^b^c`, `2^-1`).
            lhs.parenthesized(below: .primary) + "^" + rhs.parenthesized(below: .prefix)
        case let .binary(op, lhs, rhs, _) where op.precedence == .comparison:
            // Comparisons do not chain: a comparison on either side is parenthesised.
            lhs.parenthesized(belowOrAt: .comparison) + " \(op.rawValue) " + rhs.parenthesized(belowOrAt: .comparison)
        case let .binary(op, lhs, rhs, _):
            lhs.parenthesized(below: op.precedence) + " \(op.rawValue) "
                + rhs.parenthesized(belowOrAt: op.precedence)
        case let .call(name, _, arguments):
            name + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
        case let .tensor(elements):
            "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case let .keyword(name, _, value):
            name + "=" + value.description
        case let .index(base, subscripts):
            subscriptable(base) + "[" + subscripts.map(\.description).joined(separator: ", ") + "]"
        case let .slice(start, stop):
            (start?.description ?? "") + ":" + (stop?.description ?? "")
        }
    }

    /// How tightly this expression's printed form binds.
    var precedence: Precedence {
        switch kind {
        case let .number(value): value.sign == .minus ? .prefix : .primary
        case .name, .call, .tensor, .keyword, .index, .slice: .primary
        case .unary: .prefix
        case let .binary(op, _, _, _): op.precedence
        }
    }

    /// The base of `base[i]` as the parser reads it back: subscripts follow a name, a call or
    /// another subscript directly, anything else (a tensor literal, a number) in parentheses.
    private func subscriptable(_ base: Expr) -> String {
        switch base.kind {
        case .name, .call, .index: base.description
        default: "(\(base.description))"
        }
    }

    private func parenthesized(below level: Precedence) -> String {
        precedence < level ? "(\(description))" : description
    }

    private func parenthesized(belowOrAt level: Precedence) -> String {
        precedence <= level ? "(\(description))" : description
    }

    /// Whole numbers without `.0` (`2`, not `2.0`); others in Swift's shortest round-trip form.
    private static func spell(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(value)
    }
}
