/// A parsed `.grad` file or `-e` expression: its statements in source order.
///
/// ```
/// input x1 = 2            # .input,      name "x1", expression 2
/// param w = [0.5, -1]     # .param
/// const t = [1, 0]        # .const
/// v = ln(x1) + x1         # .assignment, name "v"
/// sin(x1)*v               # .expression, no name (what `-e "sin(x)*y"` gives)
/// output v                # .output,     name "v", no expression
/// ```
/// Names are not resolved here; that, shapes and "did you mean" are the lowering's job.
public struct Program: Sendable, Hashable {
    public var statements: [Statement]

    public init(statements: [Statement]) {
        self.statements = statements
    }
}

/// One statement. `name` and `nameRange` are nil only for `.expression`; `expression` is nil
/// only for `.output` and `.data` (which has a `path` instead).
public struct Statement: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `input x = 2`: a leaf whose gradient is reported.
        case input
        /// `param w = [0.5, -1]`: a trainable leaf.
        case param
        /// `const t = [1, 0]`: no gradient flows into it.
        case const
        /// `data D = "points.csv"`: a numeric CSV file (header row of column names) as a
        /// const matrix, one row per line.
        case data
        /// `v = ln(x1) + x1*x2`: a named intermediate node.
        case assignment
        /// `output y`: the node to differentiate (default: the last assignment).
        case output
        /// A bare expression, e.g. the whole of `-e "sin(x)*y"`.
        case expression

        /// The keyword that starts the statement, if it has one.
        public var keyword: String? {
            switch self {
            case .input, .param, .const, .data, .output: rawValue
            case .assignment, .expression: nil
            }
        }

        /// The kind a statement-starting keyword introduces.
        public init?(keyword: String) {
            switch keyword {
            case "input": self = .input
            case "param": self = .param
            case "const": self = .const
            case "data": self = .data
            case "output": self = .output
            default: return nil
            }
        }
    }

    public var kind: Kind
    public var name: String?
    public var nameRange: SourceRange?
    public var expression: Expr?
    /// A `data` declaration's file name, as written (relative to the graph file), and where.
    public var path: (text: String, range: SourceRange)? {
        get { pathText.map { ($0, pathRange!) } }
        set { (pathText, pathRange) = (newValue?.text, newValue?.range) }
    }
    private var pathText: String?
    private var pathRange: SourceRange?
    /// From the first token to the last, without the separator.
    public var range: SourceRange

    public init(kind: Kind, name: String?, nameRange: SourceRange?, expression: Expr?, range: SourceRange) {
        self.kind = kind
        self.name = name
        self.nameRange = nameRange
        self.expression = expression
        self.range = range
    }
}

extension Statement: CustomStringConvertible {
    /// The statement in source form, e.g. `input x1 = 2` or `output y`.
    public var description: String {
        let name = name ?? ""
        let expression = expression?.description ?? ""
        return switch kind {
        case .input, .param, .const: "\(kind.rawValue) \(name) = \(expression)"
        case .data: "data \(name) = \"\(path?.text ?? "")\""
        case .assignment: "\(name) = \(expression)"
        case .output: "output \(name)"
        case .expression: expression
        }
    }
}

extension Program: CustomStringConvertible {
    /// One statement per line.
    public var description: String {
        statements.map(\.description).joined(separator: "\n")
    }
}
