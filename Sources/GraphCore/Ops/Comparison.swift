/// The six comparisons `<`, `<=`, `>`, `>=`, `==`, `!=`, defined once, here: elementwise,
/// broadcasting as arithmetic does, 1 where the comparison holds and 0 where it does not
/// (NumPy's boolean array read as numbers, PyTorch's `(a < b).float()`).
///
/// The value is a step in each operand, flat on both sides of its jump at a = b, so both
/// partials are 0 everywhere, as autograd gives (a boolean tensor carries no gradient, and
/// PyTorch's `.float()` of it is a leaf). The jump is marked a kink, as max's tie is, so
/// `check` reports a finite difference taken across it as near a kink rather than wrong.
/// NaN compares as IEEE 754 says and NumPy does: every comparison with it is false except `!=`.
public enum Comparison: UInt8, CaseIterable, Sendable, Hashable {
    case less, lessOrEqual, greater, greaterOrEqual, equal, notEqual

    /// The language's operator, as Python and NumPy write it.
    public var symbol: String {
        switch self {
        case .less: "<"
        case .lessOrEqual: "<="
        case .greater: ">"
        case .greaterOrEqual: ">="
        case .equal: "=="
        case .notEqual: "!="
        }
    }

    /// How the trace writes it: the mathematical relation.
    public var relation: String {
        switch self {
        case .less: "<"
        case .lessOrEqual: "≤"
        case .greater: ">"
        case .greaterOrEqual: "≥"
        case .equal: "="
        case .notEqual: "≠"
        }
    }

    /// The op's name, PyTorch's (`torch.lt`, `torch.le`, …).
    public var name: String {
        switch self {
        case .less: "lt"
        case .lessOrEqual: "le"
        case .greater: "gt"
        case .greaterOrEqual: "ge"
        case .equal: "eq"
        case .notEqual: "ne"
        }
    }

    /// Whether `a` relates to `b` so (the fast kernel).
    @inlinable @inline(__always)
    public func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        case .greaterOrEqual: a >= b
        case .equal: a == b
        case .notEqual: a != b
        }
    }
}

extension Op {
    public var isComparison: Bool {
        if case .compare = self { return true }
        return false
    }

    public static let less = Op.compare(.less)
    public static let lessOrEqual = Op.compare(.lessOrEqual)
    public static let greater = Op.compare(.greater)
    public static let greaterOrEqual = Op.compare(.greaterOrEqual)
    public static let equal = Op.compare(.equal)
    public static let notEqual = Op.compare(.notEqual)
}
