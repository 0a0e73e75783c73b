/// An expression as written, with the exact source range of every node, so the lowering can
/// underline any sub-expression (an unknown function's name, an operand of the wrong shape).
///
/// ```swift
/// // ln(x1) + x1*x2
/// .binary(.add, ln(x1), .binary(.multiply, x1, x2, ...), operatorRange: 1:8-9)
/// ```
/// Parentheses make no node of their own, but a parenthesised expression's range includes
/// them, so `(a + b)*c` underlines from `(`. `description` prints the expression back in
/// source form with only the parentheses it needs.
public struct Expr: Sendable, Hashable {
    /// Only the cases holding a sub-expression are boxed: a leaf costs no allocation.
    public enum Kind: Sendable, Hashable {
        case number(Double)
        case name(String)
        indirect case unary(UnaryOperator, Expr)
        /// `operatorRange` locates the operator itself, e.g. the `@` of a shape mismatch.
        indirect case binary(BinaryOperator, Expr, Expr, operatorRange: SourceRange)
        indirect case call(name: String, nameRange: SourceRange, arguments: [Expr])
        /// `[1, 2]`; a matrix `[[1, 2], [3, 4]]` is a tensor of row tensors. Whether the
        /// elements are numbers and the rows agree in length is for the lowering to check.
        case tensor([Expr])
        /// `axis=1` or `mode=eval`: a keyword argument of a call, after its positional ones.
        /// A value that is a bare name (`eval`) is read as a word, not as a node.
        indirect case keyword(name: String, nameRange: SourceRange, value: Expr)
        /// `x[0]`, `W[:, 1]`, `x[1:3]`: a vector or matrix indexed (an integer) or sliced (a
        /// `slice`) along each axis, as NumPy does.
        indirect case index(Expr, subscripts: [Expr])
        /// `1:3`, `:`, `2:` or `:2` in a subscript; a missing bound is the axis's end.
        indirect case slice(start: Expr?, stop: Expr?)
    }

    public let kind: Kind
    public let range: SourceRange
    /// The number of nodes on the longest path to a leaf. The parser keeps it bounded so
    /// recursive walks over the tree (lowering, printing, even deinit) cannot exhaust the stack.
    public var height: Int { Int(storedHeight) }
    /// At most `Parser.maximumHeight + 1` (the parser refuses taller trees), so 32 bits hold it.
    private let storedHeight: Int32

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
        self.storedHeight = Int32(clamping: 1 + kind.childHeight)
    }

    /// True for `[ ... ]`: a row of a matrix literal, not one of its elements.
    var isTensorLiteral: Bool {
        if case .tensor = kind { return true }
        return false
    }

    /// The same expression with a wider range (used to include parentheses).
    func withRange(_ range: SourceRange) -> Expr {
        Expr(kind, range: range)
    }
}

extension Expr.Kind {
    /// The height of the tallest direct sub-expression (0 for a leaf), without building
    /// `children`: this runs for every node the parser makes.
    var childHeight: Int {
        switch self {
        case .number, .name: 0
        case let .unary(_, operand): operand.height
        case let .binary(_, lhs, rhs, _): max(lhs.height, rhs.height)
        case let .call(_, _, elements), let .tensor(elements): elements.reduce(0) { max($0, $1.height) }
        case let .keyword(_, _, value): value.height
        case let .index(base, subscripts): subscripts.reduce(base.height) { max($0, $1.height) }
        case let .slice(start, stop): max(start?.height ?? 0, stop?.height ?? 0)
        }
    }

    /// The direct sub-expressions, left to right.
    public var children: [Expr] {
        switch self {
        case .number, .name: []
        case let .unary(_, operand): [operand]
        case let .binary(_, lhs, rhs, _): [lhs, rhs]
        case let .call(_, _, arguments): arguments
        case let .tensor(elements): elements
        case let .keyword(_, _, value): [value]
        case let .index(base, subscripts): [base] + subscripts
        case let .slice(start, stop): [start, stop].compactMap { $0 }
        }
    }
}

/// Prefix operators. Unary plus is kept (not dropped) so the tree matches the source.
public enum UnaryOperator: String, Sendable, Hashable, CaseIterable {
    case negate = "-"
    case plus = "+"
}

/// Infix operators, by precedence (low to high): `+ -` < `* / @` < unary minus < `^`.
/// All are left-associative except `^`, so `a-b-c` is `(a-b)-c` and `a^b^c` is `a^(b^c)`.
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    /// Matrix product.
    case matmul = "@"
    case power = "^"
    /// Comparisons, 1 where they hold and 0 elsewhere; they bind looser than arithmetic and
    /// do not chain (`a < b < c` is an error), as NumPy arrays allow no chain either.
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="

    /// Higher binds tighter. Unary operators sit between `multiplicative` and `power`.
    public var precedence: Precedence {
        switch self {
        case .add, .subtract: .additive
        case .multiply, .divide, .matmul: .multiplicative
        case .power: .power
        case .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual: .comparison
        }
    }

    public var isRightAssociative: Bool { self == .power }
}

/// Binding strength of the expression forms, weakest first.
public enum Precedence: Int, Sendable, Comparable {
    case comparison, additive, multiplicative, prefix, power, primary

    public static func < (lhs: Precedence, rhs: Precedence) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
