import GraphCore

/// The shape of a term in generated code: GraphCore's scalar, vector and matrix, plus the
/// column a row-wise sum leaves behind (softmax's VJP subtracts one number per row).
enum Form: Equatable {
    case scalar
    case vector(Int)
    case matrix(Int, Int)
    /// One value per row of an r×c matrix (NumPy's `keepdims=True`), broadcast along the row.
    case column(Int)

    init(_ shape: Shape) {
        switch shape.rank {
        case 0: self = .scalar
        case 1: self = .vector(Int(shape.rows))
        default: self = .matrix(Int(shape.rows), Int(shape.cols))
        }
    }

    var count: Int {
        switch self {
        case .scalar: 1
        case .vector(let n), .column(let n): n
        case .matrix(let r, let c): r * c
        }
    }

    var isScalar: Bool { self == .scalar }

    /// The form of an elementwise result, with GraphCore's broadcasting: a scalar with
    /// anything, a vector [c] over the rows of a matrix [r×c], a column over its columns.
    static func broadcast(_ l: Form, _ r: Form) -> Form {
        switch (l, r) {
        case (.matrix, _): l
        case (_, .matrix): r
        case (.scalar, _): r
        case (_, .scalar): l
        default: l.count >= r.count ? l : r
        }
    }
}

/// A line of generated code before it is written in a language: the forward formula or the
/// vector-Jacobian product of one tape entry, over named operands. The rules in `Rules.swift`
/// build terms; each writer (NumPy, Python, C, LaTeX) prints them.
indirect enum ArrayExpr {
    /// A variable of the generated program.
    case name(String, Form)
    /// A number written into the code (a scalar constant, `0.5`, `2`).
    case number(Double)
    case call(Function, ArrayExpr)
    case binary(Operator, ArrayExpr, ArrayExpr)
    /// `[a > b]`: 1 where the comparison holds, else 0.
    case indicator(ArrayExpr, Comparison, ArrayExpr)
    /// `c ? x : y`, elementwise.
    case select(ArrayExpr, Comparison, ArrayExpr, ArrayExpr, ArrayExpr)
    /// GraphCore's `@`: matrix·matrix, matrix·vector, vector·matrix, vector·vector.
    case matmul(ArrayExpr, ArrayExpr)
    /// u vᵀ for two vectors.
    case outer(ArrayExpr, ArrayExpr)
    case transpose(ArrayExpr)
    /// The sum of every element.
    case total(ArrayExpr)
    /// The sum of each row (of a vector: all of it).
    case rowTotal(ArrayExpr)
    /// The largest element of each row (`rows`, forms as `rowTotal`) or of all of it: the
    /// shift that keeps logsumexp's and log_softmax's exponentials finite.
    case maximum(ArrayExpr, rows: Bool)
    /// The sum down each column of a matrix: one value per column, a vector [c] that
    /// broadcasts over the rows (batch norm's sums over the batch).
    case columnTotal(ArrayExpr)
    case softmax(ArrayExpr)
    /// A scalar repeated to the form of the named variable (sum's and mean's VJP).
    case spread(ArrayExpr, like: String, Form)
    /// A convolution, pooling, bias or reshape helper called on whole variables; always a
    /// whole statement's term.
    case window(WindowCall)

    enum Function: Equatable {
        /// The language's own functions the tensor rules use.
        case neg, exp, log, sqrt, sign, trigamma
        /// An elementwise op, spelled as its definition says (`UnaryFunction.code`).
        case op(UnaryFunction)
    }
    enum Operator { case add, sub, mul, div, pow }
    enum Comparison: String { case greater = ">", less = "<", equal = "==", greaterOrEqual = ">=", lessOrEqual = "<=" }

    var form: Form {
        switch self {
        case .name(_, let f): return f
        case .number: return .scalar
        case .transpose(let x):
            if case .matrix(let r, let c) = x.form { return .matrix(c, r) }
            return x.form
        case .call(_, let x): return x.form
        case .binary(_, let a, let b), .indicator(let a, _, let b): return Form.broadcast(a.form, b.form)
        case .select(let a, _, let b, let x, let y):
            return Form.broadcast(Form.broadcast(a.form, b.form), Form.broadcast(x.form, y.form))
        case .matmul(let a, let b):
            switch (a.form, b.form) {
            case (.matrix(let m, _), .matrix(_, let n)): return .matrix(m, n)
            case (.matrix(let m, _), _): return .vector(m)
            case (_, .matrix(_, let n)): return .vector(n)
            default: return .scalar
            }
        case .outer(let u, let v): return .matrix(u.form.count, v.form.count)
        case .total: return .scalar
        case .rowTotal(let x), .maximum(let x, rows: true):
            if case .matrix(let r, _) = x.form { return .column(r) }
            return .scalar
        case .maximum(_, rows: false): return .scalar
        case .softmax(let x): return x.form
        case .spread(_, _, let f): return f
        case .window(let call): return call.form
        case .columnTotal(let x):
            if case .matrix(_, let c) = x.form { return .vector(c) }
            return .scalar
        }
    }

    // MARK: - Building terms (so the rules read like the formulas)

    static func + (a: ArrayExpr, b: ArrayExpr) -> ArrayExpr { .binary(.add, a, b) }
    static func - (a: ArrayExpr, b: ArrayExpr) -> ArrayExpr { .binary(.sub, a, b) }
    static func * (a: ArrayExpr, b: ArrayExpr) -> ArrayExpr { .binary(.mul, a, b) }
    static func / (a: ArrayExpr, b: ArrayExpr) -> ArrayExpr { .binary(.div, a, b) }
    static prefix func - (a: ArrayExpr) -> ArrayExpr { .call(.neg, a) }
    static func ** (a: ArrayExpr, b: ArrayExpr) -> ArrayExpr { .binary(.pow, a, b) }
}

infix operator ** : PowerPrecedence
precedencegroup PowerPrecedence {
    associativity: right
    higherThan: MultiplicationPrecedence
}

extension ArrayExpr: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    init(floatLiteral value: Double) { self = .number(value) }
    init(integerLiteral value: Int) { self = .number(Double(value)) }
}
